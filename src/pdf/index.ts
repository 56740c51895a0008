/**
 * The PDF writer: document IR in, bytes out, through pdfmake 0.3. It knows nothing of the report
 * model; every decision (breaks, spans, sizes, fonts by role) is already in the IR.
 */
import { createRequire } from 'node:module';
import type { Content, ContentTable, TableCell, TDocumentDefinitions, TFontDictionary } from 'pdfmake/interfaces.js';
import type { FontSet } from '../fonts/index.js';
import type { Block, DocumentIR, FontRole, ParagraphBlock, TableIR } from '../layout/ir.js';
import './fontcache.js';
import './letterspacing.js';

const require = createRequire(import.meta.url);
type PdfMake = {
  virtualfs: { writeFileSync(name: string, data: Buffer): void };
  setFonts(fonts: TFontDictionary): void;
  setUrlAccessPolicy(cb: (url: string) => boolean): void;
  setLocalAccessPolicy(cb: (path: string) => boolean): void;
  createPdf(doc: TDocumentDefinitions): { getStream(): Promise<PdfKitDocument>; getBuffer(): Promise<Buffer> };
};
/** What we touch of the pdfkit document that pdfmake's getStream() gives, before it ends. */
type PdfKitDocument = { info: Record<string, unknown>; endMetadata?: () => void };
const pdfmake = require('pdfmake') as PdfMake;

const FOOTER_ID = 'xxgk-page-number';
type NodeInfo = { headlineLevel?: number; id?: string; stack?: boolean };

export interface PdfOptions {
  /** PDF/A-2b for the archive. */
  pdfa?: boolean;
}

/** pdfkit's line box is (ascent − descent) × size; lineHeight scales it to the wanted pitch. */
function lineHeightFor(fonts: FontSet, role: FontRole, size: number, pitch: number): number {
  const f = fonts.faces[role];
  return pitch / (((f.ascent - f.descent) / f.unitsPerEm) * size);
}

/**
 * The font table: each face's bytes go into pdfmake's virtual file system once, so pdfkit gets the
 * very Buffer we parsed (no disk read, and the font cache recognises it by identity).
 */
const vfsNames = new WeakMap<Buffer, string>();
let vfsCount = 0;
function fontTable(fonts: FontSet): TFontDictionary {
  const table: TFontDictionary = {};
  for (const [role, face] of Object.entries(fonts.faces)) {
    let name = vfsNames.get(face.data);
    if (!name) {
      name = `xxgk-font-${++vfsCount}`;
      pdfmake.virtualfs.writeFileSync(name, face.data);
      vfsNames.set(face.data, name);
    }
    // A fresh array per document: pdfmake mutates [file, name] pairs.
    const src = () => (face.source.postscriptName ? [name, face.source.postscriptName] : name) as string;
    table[role] = { normal: src(), bold: src(), italics: src(), bolditalics: src() };
  }
  return table;
}

export async function writePdf(ir: DocumentIR, fonts: FontSet, options: PdfOptions = {}): Promise<Uint8Array> {
  pdfmake.setFonts(fontTable(fonts));
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy(() => false);

  // The layout has broken and justified the lines: each is one unbreakable run, which also makes
  // pdfmake's work per line rather than per character.
  const paragraph = (block: ParagraphBlock): Content => {
    const s = ir.styles[block.style];
    // Keep-with-next holds on the last line (every line of a heading), so that a long paragraph
    // is not pushed whole onto the next page.
    const keep = block.keepWithNext ?? s.keepWithNext;
    const lines = block.lines.map((l, i) => {
      const line: Content & Record<string, unknown> = {
        text: l.runs.map((r) => ({ text: r.text, characterSpacing: r.spacing })),
        noWrap: true,
        alignment: s.align === 'justify' ? 'left' : s.align,
        margin: [i === 0 && s.align !== 'center' ? s.firstLineIndent : 0, 0, 0, 0],
        headlineLevel: keep && (s.outlineLevel !== undefined || i === block.lines.length - 1) ? 1 : undefined,
      };
      if (i === 0 && s.outlineLevel === 1) {
        line.outline = true;
        line.outlineText = block.text;
      }
      return line;
    });
    return {
      stack: lines,
      font: s.role,
      fontSize: s.size,
      lineHeight: lineHeightFor(fonts, s.role, s.size, s.linePitch),
      margin: [0, block.spaceBefore ?? s.spaceBefore, s.rightIndent, s.spaceAfter],
    } as Content;
  };

  const table = (t: TableIR): Content => {
    const lineHeight = lineHeightFor(fonts, t.style.role, t.style.size, t.style.linePitch);
    const body: TableCell[][] = Array.from({ length: t.rowCount }, () => t.columns.map(() => ({}) as TableCell));
    for (const cell of t.cells) {
      // pdfmake's vertical alignment misplaces row-spanning cells (and loses them across a page
      // break): centre with a top margin computed from the IR's row heights instead.
      const span = t.rowHeights.slice(cell.r, cell.r + cell.rs).reduce((a, b) => a + b, 0) + (cell.rs - 1) * t.style.border;
      const offset = cell.vAlign === 'middle' ? Math.max(0, (span - cell.lines.length * t.style.linePitch - 2 * t.style.padding) / 2) : 0;
      body[cell.r]![cell.c] = {
        // The lines as the layout broke them: pdfmake must not break them differently.
        stack: cell.lines.map((line) => ({ text: line, noWrap: true, alignment: cell.align })),
        rowSpan: cell.rs > 1 ? cell.rs : undefined,
        colSpan: cell.cs > 1 ? cell.cs : undefined,
        alignment: cell.align,
        margin: [0, offset, 0, 0],
      } as TableCell;
    }
    const node: ContentTable = {
      table: {
        // pdfmake's widths exclude the cell padding and the left border; the last column also
        // carries the table's right border.
        widths: t.columns.map((w, i) => w - 2 * t.style.padding - t.style.border * (i === t.columns.length - 1 ? 2 : 1)),
        headerRows: t.headerRows || undefined,
        heights: t.rowHeights.map((h) => h - 2 * t.style.padding),
        dontBreakRows: t.cantSplitRows,
        body,
      },
      layout: {
        hLineWidth: () => t.style.border,
        vLineWidth: () => t.style.border,
        paddingLeft: () => t.style.padding,
        paddingRight: () => t.style.padding,
        paddingTop: () => t.style.padding,
        paddingBottom: () => t.style.padding,
      },
      font: t.style.role,
      fontSize: t.style.size,
      lineHeight,
      margin: [0, 0, 0, t.spaceAfter],
    };
    return node;
  };

  const block = (b: Block): Content => {
    switch (b.type) {
      case 'paragraph':
        return paragraph(b);
      case 'table':
        return table(b);
      case 'group':
        return { stack: b.blocks.map(block), unbreakable: true, margin: [0, 0, 0, b.spaceAfter] };
    }
  };

  const { margins, width, height } = ir.page;
  const f = ir.footer;
  const date = new Date(ir.meta.date);
  const doc: TDocumentDefinitions & Record<string, unknown> = {
    pageSize: { width, height },
    pageMargins: [margins.left, margins.top, margins.right, margins.bottom],
    info: {
      title: ir.meta.title,
      author: ir.meta.author,
      subject: ir.meta.subject,
      keywords: ir.meta.keywords.join(', '),
      creator: 'xxgk-report',
      producer: 'xxgk-report (pdfmake)',
      creationDate: date,
      modDate: date,
    },
    language: ir.meta.language,
    displayTitle: true,
    ...(options.pdfa ? { version: '1.7', subset: 'PDF/A-2b' } : { version: '1.7' }),
    defaultStyle: { font: 'body' },
    content: ir.blocks.map(block),
    // Keep-with-next: a heading with nothing but headings after it on its page moves to the next.
    // (The footer is among a page's nodes, and so are the stacks that hold paragraphs: leave them out.)
    pageBreakBefore: (node: NodeInfo, q: { getFollowingNodesOnPage(): NodeInfo[] }) =>
      Boolean(node.headlineLevel) && q.getFollowingNodesOnPage().every((n) => n.headlineLevel || n.id === FOOTER_ID || n.stack),
    footer: (page: number) => {
      const odd = page % 2 === 1;
      return {
        id: FOOTER_ID,
        text: `${f.prefix}${page}${f.suffix}`,
        font: f.role,
        fontSize: f.size,
        lineHeight: 1,
        alignment: odd ? f.odd : f.even,
        margin: [margins.left + (odd ? 0 : f.indent), f.gap, margins.right + (odd ? f.indent : 0), 0],
      };
    },
    ...(ir.draft
      ? {
          watermark: {
            text: ir.draft.text,
            font: ir.draft.role,
            fontSize: ir.draft.size,
            color: `#${ir.draft.color}`,
            opacity: ir.draft.opacity,
            // pdfkit turns clockwise in its y-down space.
            angle: -ir.draft.angle,
          },
        }
      : {}),
  };
  const output = pdfmake.createPdf(doc);
  escapeXmp(await output.getStream());
  const buffer = await output.getBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
/** Text for XML 1.0 character data: markup escaped, characters XML cannot hold dropped. */
export const xmlText = (s: string): string =>
  s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/gu, '').replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!);

/**
 * pdfkit (0.19) writes the XMP packet from the info strings without escaping them, so an agency
 * 某某A&B中心 or a title with < or > made the packet malformed XML (and the PDF/A claim false).
 * pdfkit has no public way to set or escape the XMP; it builds the Info dictionary from
 * `doc.info` first and the XMP last, in endMetadata. So, on this document only, endMetadata sees
 * the info strings escaped for XML, and the Info dictionary keeps them as they are. (The test
 * parses the XMP with an XML parser: a pdfkit that escapes by itself would show up there.)
 */
function escapeXmp(doc: PdfKitDocument): void {
  const endMetadata = doc.endMetadata;
  if (typeof endMetadata !== 'function') return;
  doc.endMetadata = function (this: PdfKitDocument) {
    const info = this.info;
    this.info = Object.fromEntries(Object.entries(info).map(([k, v]) => [k, typeof v === 'string' ? xmlText(v) : v]));
    try {
      endMetadata.call(this);
    } finally {
      this.info = info;
    }
  };
}
