/**
 * The document IR: what both writers read. Backend-neutral: sizes in pt, fonts by role, tables as
 * grids of origin cells with spans. Every typographic decision is already made here; a writer
 * only maps it to its library.
 */
import type { Face, FontRole, FontSet } from '../fonts/index.js';
import { cutFaces, type FaceCut } from '../fonts/subset.js';

export type { FaceCut, FontRole };

/** How a draft is marked: a watermark across each page and a line in the page header. */
export interface DraftMark {
  text: string;
  role: FontRole;
  /** Watermark size, pt. */
  size: number;
  /** Size of the mark in a page header, pt. */
  headerSize: number;
  /** RGB hex, e.g. `C00000`. */
  color: string;
  opacity: number;
  /** Degrees, counter-clockwise. */
  angle: number;
}

export interface ParagraphStyle {
  role: FontRole;
  /** pt */
  size: number;
  /** Baseline-to-baseline distance, pt. */
  linePitch: number;
  align: 'left' | 'center' | 'right' | 'justify';
  /** First-line indent, pt. */
  firstLineIndent: number;
  /** Right indent, pt. */
  rightIndent: number;
  /** Extra space between characters so that `grid.chars` characters fill a line, pt (may be negative). */
  letterSpacing: number;
  spaceBefore: number;
  spaceAfter: number;
  /** Outline level for bookmarks and the navigation pane (0 = title, 1 = 一、, 2 = （一）). */
  outlineLevel?: number;
  /** Keep with the next block on the same page. */
  keepWithNext?: boolean;
  /** The fewest lines of a paragraph on either side of a page break (2: no widow, no orphan). */
  minLinesAtBreak?: number;
}

export type StyleName = 'title' | 'body' | 'heading1' | 'heading2' | 'signature';

/**
 * A set line: runs of text with their letter spacing (added after every glyph) and their x from
 * the line's start, pt, each shaped as the PDF draws it. A justified line takes up its slack in
 * the spacing of its Han characters; Latin words and numbers keep the style's spacing.
 */
export interface LineIR {
  text: string;
  runs: { text: string; spacing: number; x: number }[];
  /** From the line's start to the end of its last glyph, pt. */
  width: number;
}

export interface ParagraphBlock {
  type: 'paragraph';
  style: StyleName;
  /** The paragraph's text as written. */
  text: string;
  /**
   * The lines as the layout set them. With `hardBreaks` (the title) every break is a forced
   * break in every output; otherwise a format that breaks lines itself (DOCX, HTML) leaves them
   * to its reader.
   */
  lines: LineIR[];
  hardBreaks: boolean;
  /**
   * With `hardBreaks`: the width of the widest line as set, pt. A medium narrower than the page
   * (a phone) sets such a paragraph smaller rather than break its lines elsewhere.
   */
  widest?: number;
  /**
   * Lines (indices) that start a new page in the PDF; 0 means the paragraph starts one. A format
   * that flows (DOCX, HTML) leaves pages to its reader and does not read this.
   */
  pageStarts?: number[];
  /** Overrides the style's space before, pt. */
  spaceBefore?: number;
  /** Overrides the style's right indent, pt. */
  rightIndent?: number;
  /** Overrides the style's keep-with-next. */
  keepWithNext?: boolean;
}

export interface TableCellIR {
  r: number;
  c: number;
  rs: number;
  cs: number;
  text: string;
  align: 'left' | 'center';
  vAlign: 'top' | 'middle';
  /** A label (fixed official text) or a value from the report. */
  kind: 'label' | 'value';
  /** The text broken into the lines it takes in its cell. */
  lines: LineIR[];
  /** Fill colour, RGB hex (`C6D9F1`); absent: not shaded. */
  shade?: string;
  /**
   * What a label heads, for formats that mark header cells (HTML): `column`, the cells below it
   * (a label of a header row); `row`, the cells to its right. Absent on values.
   */
  heads?: 'column' | 'row';
  /**
   * For a value: the origins of the labels that head it, as the form gives them — its row headings
   * left to right, then its column headings top down.
   */
  headers?: { r: number; c: number }[];
}

export interface TableIR {
  type: 'table';
  /** The form's key for the table (`table3`): stable, for names derived from it. */
  id: string;
  name: string;
  /** The heading of the part the table belongs to (`三、收到和处理政府信息公开申请情况`): its caption. */
  caption: string;
  /** Column widths in pt; they add up to the text width. */
  columns: number[];
  /**
   * For a medium that reflows (HTML): the narrowest the table may be set with the same column
   * proportions, pt at the table's size — every column holds two characters of a label and its
   * widest number. Narrower screens scroll the table.
   */
  minWidth: number;
  rowCount: number;
  headerRows: number;
  /** Origin cells only, row-major. Covered positions have no cell. */
  cells: TableCellIR[];
  /** Height of each row including its cell padding, excluding the rules between rows, pt. */
  rowHeights: number[];
  /** The whole table with its rules, pt. */
  height: number;
  style: { role: FontRole; size: number; linePitch: number; padding: number; border: number };
  /** The width of the rule under the header rows, where it is heavier than `style.border`, pt. */
  headerRule?: number;
  /** Rows may not split across pages. */
  cantSplitRows: true;
  spaceAfter: number;
  /** Rows (indices) that start a new page (below the repeated header rows); 0: the table starts one. */
  pageStarts?: number[];
}

export interface GroupBlock {
  type: 'group';
  /** Keep the blocks on one page when they fit on one. */
  keepTogether: true;
  blocks: Block[];
  /** Space after the group, pt (outside it: it may fall at the page's foot). */
  spaceAfter: number;
}

export type Block = ParagraphBlock | TableIR | GroupBlock;

/** A glyph run placed on a page: `y` is its baseline, both from the page's top-left corner, pt. */
export interface TextItem {
  x: number;
  y: number;
  text: string;
  role: FontRole;
  size: number;
  /** Letter spacing after every glyph, pt. */
  spacing: number;
  /** A bookmark to this place, with its title. */
  outline?: string;
}

/** A straight rule (a table's borders), its centre line from (x1, y1) to (x2, y2), pt. */
export interface RuleItem {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  width: number;
}

/** A table cell's box on a page (outer edges of its rules) and its lines. */
export interface CellBox {
  table: string;
  r: number;
  c: number;
  text: string;
  kind: 'label' | 'value';
  x: number;
  y: number;
  width: number;
  height: number;
  lines: TextItem[];
  /** Fill colour inside the cell's rules, RGB hex. */
  shade?: string;
}

/** One laid-out page: everything on it, where it goes. The PDF draws it as it is. */
export interface PageFrame {
  number: number;
  /** Body, title, heading and signature runs. */
  texts: TextItem[];
  cells: CellBox[];
  rules: RuleItem[];
  footer: TextItem[];
}

export interface DocumentIR {
  page: {
    width: number;
    height: number;
    margins: { top: number; right: number; bottom: number; left: number };
    /** The GB/T 9704 grid: lines and characters per page, and their pitches. */
    grid: { lines: number; chars: number; linePitch: number; charPitch: number };
  };
  meta: {
    title: string;
    author: string;
    subject: string;
    keywords: string[];
    language: 'zh-CN';
    /** ISO date-time derived from the report (never the clock). */
    date: string;
    /** The signature's date (`2025-01-20`), when the report is signed: its publication date. */
    published?: string;
    /** The portal column the document belongs in, when the format names one. */
    column?: string;
  };
  styles: Record<StyleName, ParagraphStyle>;
  /** The text style every table uses. */
  tableStyle: TableIR['style'];
  footer: {
    role: FontRole;
    size: number;
    /** `— ${n} —` is `${prefix}${n}${suffix}`. */
    prefix: string;
    suffix: string;
    odd: 'right';
    even: 'left';
    /** Inset from the text block's edge on the aligned side, pt. */
    indent: number;
    /** From the bottom of the text block to the top of the page-number line, pt. */
    gap: number;
    /** Height of the page-number line (exact line spacing in a flowing format), pt. */
    lineHeight: number;
  };
  /** Where a flowing format puts its (draft) header: from the page's top edge, pt. */
  headerDistance: number;
  /** Font names of the official format by role (方正小标宋简体, 仿宋_GB2312 …). */
  officialFonts: Record<FontRole, string>;
  /** Marked on every page when set (a draft rendered despite rule errors). */
  draft?: DraftMark;
  /** The document as a flow of blocks (for a format that reflows: DOCX, HTML), with the PDF's page decisions marked. */
  blocks: Block[];
  /** The document laid out on its pages (for a format that is drawn: PDF). */
  pages: PageFrame[];
}

/**
 * The characters a document prints in each role: its paragraphs and cells, what its pages draw,
 * the page number's words and every digit (a DOCX numbers its pages itself), and the draft mark.
 */
export function printedCharacters(ir: DocumentIR): Map<FontRole, Set<string>> {
  const map = new Map<FontRole, Set<string>>();
  const add = (role: FontRole, text: string) => {
    let set = map.get(role);
    if (!set) map.set(role, (set = new Set()));
    for (const ch of text) set.add(ch);
  };
  const walk = (blocks: readonly Block[]) => {
    for (const b of blocks) {
      if (b.type === 'group') walk(b.blocks);
      else if (b.type === 'paragraph') add(ir.styles[b.style].role, b.text);
      else for (const c of b.cells) add(b.style.role, c.text);
    }
  };
  walk(ir.blocks);
  for (const p of ir.pages) for (const t of [...p.texts, ...p.cells.flatMap((c) => c.lines), ...p.footer]) add(t.role, t.text);
  add(ir.footer.role, `${ir.footer.prefix}${ir.footer.suffix}0123456789`);
  if (ir.draft) add(ir.draft.role, ir.draft.text);
  return map;
}

const cuts = new WeakMap<DocumentIR, { fonts: FontSet; faces: Map<Face, FaceCut> }>();

/**
 * Each face of a document cut to the characters the document prints with it (all its roles
 * together; the cutting is src/fonts/subset.ts's), made once for the document: its PDF and its
 * DOCX use the same cuts.
 */
export function documentFaces(ir: DocumentIR, fonts: FontSet): Map<Face, FaceCut> {
  const hit = cuts.get(ir);
  if (hit && hit.fonts === fonts) return hit.faces;
  const faces = cutFaces(fonts, printedCharacters(ir));
  cuts.set(ir, { fonts, faces });
  return faces;
}
