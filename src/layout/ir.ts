/**
 * The document IR: what both writers read. Backend-neutral: sizes in pt, fonts by role, tables as
 * grids of origin cells with spans. Every typographic decision is already made here; a writer
 * only maps it to its library.
 */
import type { FontRole } from '../fonts/index.js';

export type { FontRole };

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
}

export type StyleName = 'title' | 'body' | 'heading1' | 'heading2' | 'signature';

/**
 * A set line: runs of text with their letter spacing, pt. A justified line takes up its slack in
 * the spacing after Han characters; Latin words and numbers keep the style's spacing.
 */
export interface LineIR {
  text: string;
  runs: { text: string; spacing: number }[];
}

export interface ParagraphBlock {
  type: 'paragraph';
  style: StyleName;
  /** The paragraph's text as written. */
  text: string;
  /**
   * The lines as the layout set them. With `hardBreaks` (the title) they are the lines in every
   * output; otherwise they are the layout's line breaking, which a writer whose format breaks
   * lines itself (DOCX) leaves to the reader's office suite.
   */
  lines: LineIR[];
  hardBreaks: boolean;
  /** Overrides the style's space before, pt. */
  spaceBefore?: number;
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
  /** The text broken into the lines it takes in its cell (the PDF draws them as set). */
  lines: string[];
}

export interface TableIR {
  type: 'table';
  name: string;
  /** Column widths in pt; they add up to the text width. */
  columns: number[];
  rowCount: number;
  headerRows: number;
  /** Origin cells only, row-major. Covered positions have no cell. */
  cells: TableCellIR[];
  /** Height of each row including its cell padding, excluding the rules between rows, pt. */
  rowHeights: number[];
  /** The whole table with its rules, pt. */
  height: number;
  style: { role: FontRole; size: number; linePitch: number; padding: number; border: number };
  /** Rows may not split across pages. */
  cantSplitRows: true;
  spaceAfter: number;
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
  };
  /** Font names of the official format by role (方正小标宋简体, 仿宋_GB2312 …). */
  officialFonts: Record<FontRole, string>;
  /** Marked on every page when set (a draft rendered despite rule errors). */
  draft?: DraftMark;
  blocks: Block[];
}
