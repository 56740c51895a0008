/**
 * The DOCX writer: document IR in, bytes out, through docx 9. It knows nothing of the report
 * model. Word-specific translation only: named styles for the IR's paragraph styles, the page
 * grid as a `linesAndChars` document grid, tables as real Word tables with spans.
 */
import {
  AlignmentType,
  BorderStyle,
  CharacterSet,
  Document,
  DocumentGridType,
  Footer,
  Header,
  HeightRule,
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

/**
 * LibreOffice (7.4) puts a fifth of the font size between a Han character and a Latin letter or
 * digit next to it and reads no DOCX setting that turns this off (it ignores w:autoSpaceDE/DN,
 * which Word honours); it adds none where either side is not a letter or digit. A WORD JOINER
 * (U+2060: invisible, zero width, no break opportunity) between them keeps its lines as wide as
 * the layout's.
 */
const HAN_LATIN = /(?<=[\u3400-\u9fff\uf900-\ufaff])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[\u3400-\u9fff\uf900-\ufaff])/gu;
const glue = (text: string) => text.replace(HAN_LATIN, '\u2060');
const halfPoints = (pt: number) => Math.round(pt * 2);

/** Word's names for the IR's styles: built-in ids where Word has them (the navigation pane reads 标题 1/2). */
const STYLE_IDS: Record<StyleName, { id: string; name: string }> = {
  title: { id: 'Title', name: 'Title' },
  body: { id: 'Normal', name: 'Normal' },
  heading1: { id: 'Heading1', name: 'heading 1' },
  heading2: { id: 'Heading2', name: 'heading 2' },
  signature: { id: 'Signature', name: 'Signature' },
};
const TABLE_STYLE = { id: 'TableText', name: 'Table Text' };
/** A cell's paragraph in a table the layout keeps on one page: kept with the next row's. */
const TABLE_KEEP_STYLE = { id: 'TableTextKeep', name: 'Table Text Keep' };
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
  // Characters are spaced by the IR's letter spacing (already in twentieths of a point).
  const run = (role: FontRole, size: number, letterSpacing = 0): IRunOptions => ({
    font: font(role),
    size: halfPoints(size),
    sizeComplexScript: halfPoints(size),
    bold: false,
    snapToGrid: false,
    ...(letterSpacing ? { characterSpacing: Math.round(letterSpacing * 20) } : {}),
    language: { value: 'zh-CN', eastAsia: 'zh-CN' },
  });
  const exact = (pitch: number) => ({ line: twips(pitch), lineRule: LineRuleType.EXACT });

  const paragraphStyle = (name: StyleName, s: ParagraphStyle): IParagraphStyleOptions => ({
    ...STYLE_IDS[name],
    basedOn: name === 'body' ? undefined : 'Normal',
    next: 'Normal',
    quickFormat: true,
    run: run(s.role, s.size, s.letterSpacing),
    paragraph: {
      alignment: ALIGN[s.align],
      indent: { firstLine: twips(s.firstLineIndent), right: twips(s.rightIndent), left: 0 },
      spacing: { before: twips(s.spaceBefore), after: twips(s.spaceAfter), ...exact(s.linePitch) },
      keepNext: s.keepWithNext ?? false,
      ...(s.outlineLevel !== undefined && s.outlineLevel > 0 ? { outlineLevel: s.outlineLevel - 1 } : {}),
    },
  });

  /**
   * A paragraph of the flow. The layout's forced line breaks: every line of the title; after a
   * line an office suite could break elsewhere (Latin, numbers, URLs, room for one more
   * character); elsewhere Han text is left to reflow. Where the layout starts a page inside the
   * paragraph, the paragraph is cut there into two, the second starting a page without an indent
   * and the first justifying its last line too (`distribute`): a page break inside a paragraph
   * would do in Word, but LibreOffice turns it into a new paragraph with a first-line indent.
   */
  const paragraph = (b: ParagraphBlock): Paragraph[] => {
    const s = ir.styles[b.style];
    const lineBreaks = new Set(b.hardBreaks ? b.lines.map((_, i) => i) : (b.fixedBreaks ?? []));
    const starts = [0, ...(b.pageStarts ?? []).filter((i) => i > 0), b.lines.length];
    const parts = starts.slice(1).map((end, k) => ({ from: starts[k]!, to: end }));
    return parts.map(({ from, to }, k) => {
      const lines = b.lines.slice(from, to);
      const children: TextRun[] = [];
      if (parts.length === 1 && !lineBreaks.size) children.push(new TextRun({ text: glue(b.text) }));
      else {
        let text = '';
        lines.forEach((l, i) => {
          text += l.text;
          if (i < lines.length - 1 && !lineBreaks.has(from + i)) return;
          children.push(new TextRun({ text: glue(text), break: children.length ? 1 : undefined }));
          text = '';
        });
      }
      const first = k === 0;
      const last = k === parts.length - 1;
      const keep = b.keepWithNext ?? s.keepWithNext;
      return new Paragraph({
        style: STYLE_IDS[b.style].id,
        children,
        // The layout broke the page before this paragraph (or this part of it).
        ...((first && b.pageStarts?.includes(0)) || !first ? { pageBreakBefore: true } : {}),
        ...(!first ? { indent: { firstLine: 0 } } : {}),
        ...(!last && s.align === 'justify' ? { alignment: AlignmentType.DISTRIBUTE } : {}),
        ...(first && b.spaceBefore !== undefined ? { spacing: { before: twips(b.spaceBefore) } } : {}),
        ...(!last && keep ? { keepNext: false } : last && b.keepWithNext !== undefined ? { keepNext: b.keepWithNext } : {}),
      });
    });
  };

  const table = (t: TableIR, keepTogether: boolean): (Table | Paragraph)[] => {
    const border = { style: BorderStyle.SINGLE, size: Math.round(t.style.border * 8), color: '000000' };
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
                  // The cell's lines as the layout broke them (a label breaks where the PDF's does).
                  children: c.lines.map(
                    (l, i) =>
                      new TextRun({
                        text: glue(l.text),
                        break: i > 0 ? 1 : undefined,
                        ...(shrunk ? { size: halfPoints(t.style.size), sizeComplexScript: halfPoints(t.style.size) } : {}),
                      }),
                  ),
                }),
              ],
            }),
        );
      return new TableRow({
        children: cells,
        ...(t.cantSplitRows ? { cantSplit: true } : {}),
        ...(r < t.headerRows ? { tableHeader: true } : {}),
        height: { value: twips(t.rowHeights[r]!), rule: HeightRule.ATLEAST },
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
        return paragraph(b);
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

  const { page } = ir;
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
          run: run(ir.styles.body.role, ir.styles.body.size),
          paragraph: { spacing: { before: 0, after: 0 } },
        },
      },
      paragraphStyles: [
        ...(Object.keys(STYLE_IDS) as StyleName[]).map((name) => paragraphStyle(name, ir.styles[name])),
        {
          ...TABLE_STYLE,
          basedOn: 'Normal',
          quickFormat: true,
          run: run(ir.tableStyle.role, ir.tableStyle.size),
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
          run: run(f.role, f.size),
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
          // The 22 × 28 grid is kept by exact 28.95 pt line spacing and letter spacing in the styles,
          // which Word, WPS and LibreOffice all honour. A `lines`/`linesAndChars` document grid is not
          // declared: LibreOffice adds a ruby band at the top of every page under it (14–22 pt, a
          // line a page) and gives each 16 pt character two 15.79 pt cells.
          grid: { type: DocumentGridType.DEFAULT, linePitch: twips(page.grid.linePitch) },
        },
        footers: { default: footer(true), even: footer(false) },
        ...(ir.draft ? { headers: { default: draftHeader(), even: draftHeader() } } : {}),
        children: ir.blocks.flatMap((b) => block(b)),
      },
    ],
  });
  return packReproducibly(doc, { date: ir.meta.date, fonts: embedded });
}
