/**
 * The PDF writer: the layout's page frames in, bytes out, through pdfmake 0.3. It makes no
 * decision: every run is placed where the frame says (`absolutePosition`, `font`, `fontSize`,
 * `characterSpacing`), each page starts with an explicit `pageBreak`, table rules are one
 * `canvas` per page. pdfmake's page margins are zero so that nothing it measures can move a run
 * to another page; the frame's coordinates are the page's.
 */
import { createRequire } from 'node:module';
import type { Content, TDocumentDefinitions, TFontDictionary } from 'pdfmake/interfaces.js';
import type { FontSet } from '../fonts/index.js';
import type { DocumentIR, PageFrame, TextItem } from '../layout/ir.js';

const require = createRequire(import.meta.url);
type PdfMake = {
  virtualfs: { writeFileSync(name: string, data: Buffer): void; existsSync(name: string): boolean };
  setFonts(fonts: TFontDictionary): void;
  setUrlAccessPolicy(cb: (url: string) => boolean): void;
  setLocalAccessPolicy(cb: (path: string) => boolean): void;
  createPdf(doc: TDocumentDefinitions): { getStream(): Promise<PdfKitDocument>; getBuffer(): Promise<Buffer> };
};
/** What we touch of the pdfkit document that pdfmake's getStream() gives, before it ends. */
type PdfKitDocument = { info: Record<string, unknown>; endMetadata?: () => void };
const pdfmake = require('pdfmake') as PdfMake;

export interface PdfOptions {
  /** PDF/A-2b for the archive. */
  pdfa?: boolean;
}

/**
 * The font table: each face's drawing bytes (src/fonts: one font, no layout tables) go into
 * pdfmake's virtual file system once (no disk read per document). pdfkit still parses them for
 * each document: pdfkit 0.19 opens fonts only from a path or bytes, and pdfmake 0.3.11 offers no
 * way to hand it a parsed font.
 */
const vfsNames = new WeakMap<Buffer, string>();
let vfsCount = 0;
function fontTable(fonts: FontSet): TFontDictionary {
  const table: TFontDictionary = {};
  for (const [role, face] of Object.entries(fonts.faces)) {
    const data = face.data;
    let name = vfsNames.get(data);
    if (!name) {
      name = `xxgk-font-${++vfsCount}`;
      pdfmake.virtualfs.writeFileSync(name, data);
      vfsNames.set(data, name);
    }
    table[role] = { normal: name, bold: name, italics: name, bolditalics: name };
  }
  return table;
}

export async function writePdf(ir: DocumentIR, fonts: FontSet, options: PdfOptions = {}): Promise<Uint8Array> {
  pdfmake.setFonts(fontTable(fonts));
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy(() => false);

  // pdfkit draws a run with its top (the font's ascender) at the y it is given.
  const ascent = (t: TextItem) => (fonts.faces[t.role].ascent / fonts.faces[t.role].unitsPerEm) * t.size;
  const run = (t: TextItem): Content =>
    ({
      text: t.text,
      absolutePosition: { x: t.x, y: t.y - ascent(t) },
      font: t.role,
      fontSize: t.size,
      ...(t.spacing ? { characterSpacing: t.spacing } : {}),
      lineHeight: 1,
      noWrap: true,
      ...(t.outline ? { outline: true, outlineText: t.outline } : {}),
    }) as Content;

  const page = (p: PageFrame): Content[] => {
    const nodes: Content[] = [];
    if (p.rules.length)
      nodes.push({
        canvas: p.rules.map((r) => ({ type: 'line', x1: r.x1, y1: r.y1, x2: r.x2, y2: r.y2, lineWidth: r.width })),
        absolutePosition: { x: 0, y: 0 },
      } as Content);
    nodes.push(...p.texts.map(run), ...p.cells.flatMap((c) => c.lines.map(run)), ...p.footer.map(run));
    if (p.number > 1) Object.assign(nodes[0] as object, { pageBreak: 'before' });
    return nodes;
  };

  const { width, height } = ir.page;
  const date = new Date(ir.meta.date);
  const doc: TDocumentDefinitions & Record<string, unknown> = {
    pageSize: { width, height },
    pageMargins: [0, 0, 0, 0],
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
    content: ir.pages.flatMap(page),
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
