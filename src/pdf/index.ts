/**
 * The PDF writer: the layout's page frames in, bytes out, through pdfmake 0.3. It makes no
 * decision: every run is placed where the frame says (`absolutePosition`, `font`, `fontSize`,
 * `characterSpacing`), each page starts with an explicit `pageBreak`, table rules are one
 * `canvas` per page. pdfmake's page margins are zero so that nothing it measures can move a run
 * to another page; the frame's coordinates are the page's.
 */
import { createRequire } from 'node:module';
import type { Content, TDocumentDefinitions, TFontDictionary } from 'pdfmake/interfaces.js';
import { ROLES, type Face, type FontSet } from '../fonts/index.js';
import { documentFaces, type DocumentIR, type PageFrame, type TextItem } from '../layout/ir.js';
import { escapeXmp, type PdfKitDocument } from './pdfkit-xmp.js';

const require = createRequire(import.meta.url);
type PdfMake = {
  virtualfs: { writeFileSync(name: string, data: Buffer): void };
  setFonts(fonts: TFontDictionary): void;
  setUrlAccessPolicy(cb: (url: string) => boolean): void;
  setLocalAccessPolicy(cb: (path: string) => boolean): void;
  createPdf(doc: TDocumentDefinitions): { getStream(): Promise<PdfKitDocument>; getBuffer(): Promise<Buffer> };
};
const pdfmake = require('pdfmake') as PdfMake;

export interface PdfOptions {
  /** PDF/A-2b for the archive. */
  pdfa?: boolean;
}

/**
 * pdfkit 0.19 parses every font anew for each document (pdfmake 0.3.11 offers no way to hand it a
 * parsed one) and decodes some tables whole, so it is given each face cut to the document's
 * characters (documentFaces in src/layout/ir.ts: the cuts the DOCX embeds too), a few hundred
 * glyphs instead of 9,400. They reach pdfmake through its virtual file system, under names taken
 * from a pool for the time one document is made: concurrent documents never share a name, and a
 * long-running process keeps as many entries as it ever made documents at once.
 */
const freeNames: string[] = [];
let nameCount = 0;
const takeName = (): string => freeNames.pop() ?? `xxgk-font-${++nameCount}`;
const EMPTY = Buffer.alloc(1);
function releaseNames(names: string[]): void {
  for (const name of names) {
    pdfmake.virtualfs.writeFileSync(name, EMPTY);
    freeNames.push(name);
  }
}

function fontTable(ir: DocumentIR, fonts: FontSet, names: string[]): TFontDictionary {
  const cuts = documentFaces(ir, fonts);
  const byFace = new Map<Face, string>();
  const table: TFontDictionary = {};
  for (const role of ROLES) {
    const face = fonts.faces[role];
    let name = byFace.get(face);
    if (!name) {
      name = takeName();
      names.push(name);
      pdfmake.virtualfs.writeFileSync(name, cuts.get(face)?.data ?? face.data);
      byFace.set(face, name);
    }
    table[role] = { normal: name, bold: name, italics: name, bolditalics: name };
  }
  return table;
}

export async function writePdf(ir: DocumentIR, fonts: FontSet, options: PdfOptions = {}): Promise<Uint8Array> {
  const names: string[] = [];
  try {
    return await render(ir, fonts, options, names);
  } finally {
    releaseNames(names);
  }
}

async function render(ir: DocumentIR, fonts: FontSet, options: PdfOptions, names: string[]): Promise<Uint8Array> {
  pdfmake.setFonts(fontTable(ir, fonts, names));
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
    // Shaded cells are filled inside their box, under the rules.
    const fills = p.cells.flatMap((c) =>
      c.shade ? [{ type: 'rect', x: c.x, y: c.y, w: c.width, h: c.height, color: `#${c.shade}`, lineWidth: 0 }] : [],
    );
    if (p.rules.length || fills.length)
      nodes.push({
        canvas: [...fills, ...p.rules.map((r) => ({ type: 'line', x1: r.x1, y1: r.y1, x2: r.x2, y2: r.y2, lineWidth: r.width }))],
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
