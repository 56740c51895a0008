/**
 * The DOCX writer: document IR in, bytes out, through docx 9. It knows nothing of the report
 * model. Word-specific translation only: named styles for the IR's paragraph styles, the page
 * grid as a `linesAndChars` document grid, tables as real Word tables with spans.
 */
import {
  AlignmentType,
  BorderStyle,
  ShadingType,
  CharacterSet,
  Document,
  DocumentGridType,
  Footer,
  Header,
  LineRuleType,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type IParagraphStyleOptions,
  type IRunOptions,
} from 'docx';
import type { FontSet } from '../fonts/index.js';
import type { Block, DocumentIR, FontRole, ParagraphBlock, ParagraphStyle, StyleName, TableIR } from '../layout/ir.js';
import { packReproducibly } from './package.js';
import { embeddedFaces } from './embed.js';

export type DocxFontMode = 'embed' | 'official' | 'none';

export interface DocxOptions {
  /**
   * `embed` (default): name the bundled faces and embed subsets of them; `official`: name
   * 方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312 and embed nothing; `none`: name the bundled faces only.
   */
  fonts?: DocxFontMode;
}

const twips = (pt: number) => Math.round(pt * 20);
const FONT_STAND_IN = Buffer.alloc(32);
const halfPoints = (pt: number) => Math.round(pt * 2);

/**
 * Word's styles for the IR's: built-in ids where Word has them, under Word's built-in names, which
 * Chinese Word and WPS show as 正文, 标题, 标题 1, 标题 2 (and the navigation pane reads 1/2); the
 * signature, which Word has no style for, under a Chinese name.
 */
const STYLE_IDS: Record<StyleName, { id: string; name: string }> = {
  title: { id: 'Title', name: 'Title' },
  body: { id: 'Normal', name: 'Normal' },
  heading1: { id: 'Heading1', name: 'heading 1' },
  heading2: { id: 'Heading2', name: 'heading 2' },
  signature: { id: 'Luokuan', name: '落款' },
};
const TABLE_STYLE = { id: 'TableText', name: '表格文字' };
/** A cell's paragraph in a table the layout keeps on one page: kept with the next row's. */
const TABLE_KEEP_STYLE = { id: 'TableTextKeep', name: '表格文字（与下行同页）' };
const FOOTER_STYLE = { id: 'Footer', name: 'footer' };

const ALIGN = {
  left: AlignmentType.LEFT,
  center: AlignmentType.CENTER,
  right: AlignmentType.RIGHT,
  justify: AlignmentType.BOTH,
} as const;

export async function writeDocx(ir: DocumentIR, fonts: FontSet, options: DocxOptions = {}): Promise<Uint8Array> {
  const mode = options.fonts ?? 'embed';
  const familyOf = (role: FontRole) => (mode === 'official' ? ir.officialFonts[role] : fonts.faces[role].family);
  // East Asian slots and the hint, or quotes and dashes fall back to a Latin font.
  const font = (role: FontRole): IRunOptions['font'] => {
    const name = familyOf(role);
    return { ascii: name, hAnsi: name, eastAsia: name, cs: name, hint: 'eastAsia' };
  };
  // A style's characters: font and size (the text styles add the layout's letter spacing).
  const run = (role: FontRole, size: number): IRunOptions => ({
    font: font(role),
    size: halfPoints(size),
    sizeComplexScript: halfPoints(size),
    bold: false,
  });
  const exact = (pitch: number) => ({ line: twips(pitch), lineRule: LineRuleType.EXACT });
  const { page } = ir;
  const charPitch = page.grid.charPitch;
  // First-line indents both in characters (Word and WPS: `firstLineChars`, which follows the grid)
  // and in twips (LibreOffice 7.4 reads only these).
  const chars = (pt: number) => Math.round((pt / charPitch) * 100);

  const paragraphStyle = (name: StyleName, s: ParagraphStyle): IParagraphStyleOptions => ({
    ...STYLE_IDS[name],
    basedOn: name === 'body' ? undefined : 'Normal',
    next: 'Normal',
    quickFormat: true,
    // (Written where 0 too: a style based on Normal would inherit its spacing.)
    run: { ...run(s.role, s.size), characterSpacing: Math.round(s.letterSpacing * 20) },
    paragraph: {
      alignment: ALIGN[s.align],
      indent: {
        firstLine: twips(s.firstLineIndent),
        ...(s.firstLineIndent ? { firstLineChars: chars(s.firstLineIndent) } : name !== 'body' ? { firstLineChars: 0 } : {}),
        right: twips(s.rightIndent),
        left: 0,
      },
      spacing: { before: twips(s.spaceBefore), after: twips(s.spaceAfter), ...exact(s.linePitch) },
      keepNext: s.keepWithNext ?? false,
      // Headings are whole: never a line of one on a page and the rest on the next.
      ...(s.keepWithNext ? { keepLines: true } : {}),
      ...(s.outlineLevel !== undefined && s.outlineLevel > 0 ? { outlineLevel: s.outlineLevel - 1 } : {}),
    },
  });

  /**
   * A paragraph of the flow: its text as one run, broken into lines and pages by the office suite.
   * Only the title keeps the layout's lines (a 公文 title's lines are chosen on purpose).
   */
  const paragraph = (b: ParagraphBlock): Paragraph => {
    const s = ir.styles[b.style];
    const children = b.hardBreaks
      ? b.lines.map((l, i) => new TextRun({ text: l.text, break: i > 0 ? 1 : undefined }))
      : [new TextRun({ text: b.text })];
    return new Paragraph({
      style: STYLE_IDS[b.style].id,
      children,
      ...(b.spaceBefore !== undefined && b.spaceBefore !== s.spaceBefore ? { spacing: { before: twips(b.spaceBefore) } } : {}),
      ...(b.keepWithNext !== undefined && b.keepWithNext !== (s.keepWithNext ?? false) ? { keepNext: b.keepWithNext } : {}),
      ...(b.rightIndent !== undefined && b.rightIndent !== s.rightIndent ? { indent: { right: twips(b.rightIndent) } } : {}),
    });
  };

  const table = (t: TableIR, keepTogether: boolean): (Table | Paragraph)[] => {
    const border = { style: BorderStyle.SINGLE, size: Math.round(t.style.border * 8), color: '000000' };
    const heavy = t.headerRule ? { ...border, size: Math.round(t.headerRule * 8) } : undefined;
    const shrunk = t.style.size !== ir.tableStyle.size;
    const pad = twips(t.style.padding);
    const rows = Array.from({ length: t.rowCount }, (_, r) => {
      const cells = t.cells
        .filter((c) => c.r === r)
        .map(
          (c) =>
            new TableCell({
              rowSpan: c.rs > 1 ? c.rs : undefined,
              columnSpan: c.cs > 1 ? c.cs : undefined,
              verticalAlign: c.vAlign === 'middle' ? VerticalAlignTable.CENTER : VerticalAlignTable.TOP,
              // The template's shaded cells (第二十条 rows): a clear pattern filled with the colour.
              ...(c.shade ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: c.shade } } : {}),
              // The heavier rule under the header rows: on the cells that end there.
              ...(heavy && c.r + c.rs === t.headerRows ? { borders: { bottom: heavy } } : {}),
              width: { size: twips(t.columns.slice(c.c, c.c + c.cs).reduce((a, b) => a + b, 0)), type: WidthType.DXA },
              children: [
                new Paragraph({
                  // A table kept on one page: every row keeps with the next, as Word users do it
                  // by hand (here through the style, not on each of its paragraphs).
                  style: keepTogether && r < t.rowCount - 1 ? TABLE_KEEP_STYLE.id : TABLE_STYLE.id,
                  // Centred by the style; set only where a cell is not.
                  ...(c.align !== 'center' ? { alignment: ALIGN[c.align] } : {}),
                  // A table the layout set smaller to keep it on one page is smaller here too.
                  ...(shrunk ? { spacing: exact(t.style.linePitch) } : {}),
                  // The cell's text as one run: the office suite wraps it in its column.
                  children: [
                    new TextRun({
                      text: c.text,
                      ...(shrunk ? { size: halfPoints(t.style.size), sizeComplexScript: halfPoints(t.style.size) } : {}),
                    }),
                  ],
                }),
              ],
            }),
        );
      return new TableRow({
        children: cells,
        ...(t.cantSplitRows ? { cantSplit: true } : {}),
        ...(r < t.headerRows ? { tableHeader: true } : {}),
      });
    });
    const width = t.columns.reduce((a, b) => a + b, 0);
    const after = t.spaceAfter ? [new Paragraph({ style: TABLE_STYLE.id, spacing: exact(t.spaceAfter), children: [] })] : [];
    return [
      new Table({
        rows,
        columnWidths: t.columns.map(twips),
        width: { size: twips(width), type: WidthType.DXA },
        layout: TableLayoutType.FIXED,
        margins: { top: pad, bottom: pad, left: pad, right: pad },
        borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
      }),
      ...after,
    ];
  };

  const block = (b: Block, keepTogether = false): (Paragraph | Table)[] => {
    switch (b.type) {
      case 'paragraph':
        return [paragraph(b)];
      case 'table':
        return table(b, keepTogether);
      case 'group': {
        const inner = b.blocks.flatMap((x) => block(x, true));
        return b.spaceAfter ? [...inner, new Paragraph({ style: TABLE_STYLE.id, spacing: exact(b.spaceAfter), children: [] })] : inner;
      }
    }
  };

  const f = ir.footer;
  const footer = (odd: boolean) =>
    new Footer({
      children: [
        new Paragraph({
          style: FOOTER_STYLE.id,
          alignment: odd ? AlignmentType.RIGHT : AlignmentType.LEFT,
          indent: odd ? { right: twips(f.indent) } : { left: twips(f.indent) },
          children: [new TextRun({ children: [f.prefix, PageNumber.CURRENT, f.suffix] })],
        }),
      ],
    });
  const draftHeader = () =>
    new Header({
      children: [
        new Paragraph({
          alignment: AlignmentType.CENTER,
          children: [
            new TextRun({
              text: ir.draft?.text ?? '',
              color: ir.draft?.color,
              ...run(ir.draft?.role ?? 'body', ir.draft?.headerSize ?? 0),
            }),
          ],
        }),
      ],
    });

  // The 22 × 28 grid as 公文 templates declare it: lines of `linePitch` twips, and characters whose
  // pitch is the Normal style's size plus `charSpace` / 4096 pt, the largest that puts
  // `grid.chars` characters in the text width as Word counts it (in twips).
  const textTwips = twips(page.width) - twips(page.margins.left) - twips(page.margins.right);
  const charSpace = Math.floor((textTwips / 20 / page.grid.chars - ir.styles.body.size) * 4096);
  const docGrid = { type: DocumentGridType.LINES_AND_CHARS, linePitch: twips(page.grid.linePitch), charSpace };
  const footerDistance = page.margins.bottom - f.gap - f.lineHeight; // from the page's foot to the line's foot
  const embedded = mode === 'embed' ? embeddedFaces(ir, fonts) : [];

  const doc = new Document({
    title: ir.meta.title,
    creator: ir.meta.author,
    lastModifiedBy: ir.meta.author,
    subject: ir.meta.subject,
    keywords: ir.meta.keywords.join(', '),
    revision: 1,
    evenAndOddHeaderAndFooters: true,
    theme: {
      fonts: {
        headings: { latin: familyOf('heading1'), eastAsia: familyOf('heading1') },
        body: { latin: familyOf('body'), eastAsia: familyOf('body') },
      },
    },
    // docx deflates (in JavaScript) and obfuscates with a random key whatever font bytes it is
    // given; packing puts each font in with a key derived from its bytes, so docx gets a stand-in.
    fonts: embedded.map((e) => ({ name: e.family, data: FONT_STAND_IN, characterSet: CharacterSet.GB_2312 })),
    styles: {
      default: {
        document: {
          // Latin text in English, Han in Chinese, as Chinese Word sets it: an office suite breaks
          // Latin words and numbers by English rules (LibreOffice 7.4 breaks `223001` and `AVATAR`
          // anywhere when they are tagged zh-CN).
          run: { ...run(ir.styles.body.role, ir.styles.body.size), language: { value: 'en-US', eastAsia: 'zh-CN' } },
          paragraph: { spacing: { before: 0, after: 0 } },
        },
      },
      paragraphStyles: [
        ...(Object.keys(STYLE_IDS) as StyleName[]).map((name) => paragraphStyle(name, ir.styles[name])),
        {
          ...TABLE_STYLE,
          basedOn: 'Normal',
          quickFormat: true,
          // Off the character grid: a cell's text is set at the font's own pitch in every suite.
          run: { ...run(ir.tableStyle.role, ir.tableStyle.size), characterSpacing: 0, snapToGrid: false },
          paragraph: {
            alignment: AlignmentType.CENTER,
            indent: { firstLine: 0, left: 0, right: 0 },
            spacing: { before: 0, after: 0, ...exact(ir.tableStyle.linePitch) },
          },
        },
        { ...TABLE_KEEP_STYLE, basedOn: TABLE_STYLE.id, paragraph: { keepNext: true } },
        {
          ...FOOTER_STYLE,
          basedOn: 'Normal',
          run: { ...run(f.role, f.size), characterSpacing: 0 },
          paragraph: { indent: { firstLine: 0 }, spacing: { before: 0, after: 0, ...exact(f.lineHeight) } },
        },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: twips(page.width), height: twips(page.height) },
            margin: {
              top: twips(page.margins.top),
              right: twips(page.margins.right),
              bottom: twips(page.margins.bottom),
              left: twips(page.margins.left),
              header: twips(ir.headerDistance),
              footer: twips(footerDistance),
              gutter: 0,
            },
          },
          grid: docGrid,
        },
        footers: { default: footer(true), even: footer(false) },
        ...(ir.draft ? { headers: { default: draftHeader(), even: draftHeader() } } : {}),
        children: ir.blocks.flatMap((b) => block(b)),
      },
    ],
  });
  return packReproducibly(doc, { date: ir.meta.date, fonts: embedded });
}
