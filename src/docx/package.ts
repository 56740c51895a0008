/**
 * Packing a DOCX reproducibly, and the few settings docx 9 cannot express.
 *
 * docx writes the clock into docProps/core.xml and a random key into each embedded font, and its
 * paragraph options cannot say `autoSpaceDE`, `overflowPunct` off or `snapToGrid` off. One
 * post-processing step, on the parsed XML (@xmldom/xmldom: an element is found by its name and
 * namespace and inserted in schema order, not matched by a regular expression), sets them:
 * - word/styles.xml: the document's default paragraph properties (w:docDefaults/w:pPrDefault)
 *   switch off widow control (the layout allows widows), automatic space between Han and
 *   Latin/digits, punctuation hanging into the margin and snapping to a character grid, so that
 *   Word breaks lines and pages as the layout did;
 * - docProps/core.xml: created/modified from the report's date;
 * - word/fontTable.xml: each embedded font's key derived from the font's bytes, and the font
 *   (docx was given a stand-in) obfuscated with that key into word/fonts (ECMA-376 Part 2 §11.1).
 */
import { createHash } from 'node:crypto';
import { crc32, deflateRawSync } from 'node:zlib';
import { DOMParser, XMLSerializer, type Element } from '@xmldom/xmldom';
import { Packer, type Document } from 'docx';
import { strFromU8, strToU8, unzipSync, Zip, type ZipInputFile } from 'fflate';
import type { EmbeddedFace } from './embed.js';

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const DCTERMS = 'http://purl.org/dc/terms/';

/** CT_PPrBase children in schema order (ECMA-376 Part 1 §17.3.1.26). */
const PPR_ORDER = [
  'pStyle',
  'keepNext',
  'keepLines',
  'pageBreakBefore',
  'framePr',
  'widowControl',
  'numPr',
  'suppressLineNumbers',
  'pBdr',
  'shd',
  'tabs',
  'suppressAutoHyphens',
  'kinsoku',
  'wordWrap',
  'overflowPunct',
  'topLinePunct',
  'autoSpaceDE',
  'autoSpaceDN',
  'bidi',
  'adjustRightInd',
  'snapToGrid',
  'spacing',
  'ind',
  'contextualSpacing',
  'mirrorIndents',
  'suppressOverlap',
  'jc',
  'textDirection',
  'textAlignment',
  'textboxTightWrap',
  'outlineLvl',
  'divId',
  'cnfStyle',
  'rPr',
  'sectPr',
  'pPrChange',
];

/**
 * Paragraph properties every paragraph gets by default (docs/docx.md gives what each does in
 * LibreOffice 7.4, measured):
 * - widowControl on: no paragraph leaves a single line at the foot or the top of a page;
 * - overflowPunct off: punctuation does not hang into the margin (the PDF never does);
 * - autoSpaceDE/autoSpaceDN off: no extra space between Han and Latin letters or digits, as in the
 *   PDF (Word and WPS honour it; LibreOffice 7.4 ignores it and adds its own);
 * - snapToGrid off: the paragraph does not snap to the document grid's lines (its exact line
 *   spacing already is the grid's pitch). LibreOffice also drops the character grid for it, which
 *   it otherwise applies by giving every 16 pt character two 15.8 pt cells (14 a line).
 */
export const PARAGRAPH_DEFAULTS: Readonly<Record<string, boolean>> = {
  widowControl: true,
  overflowPunct: false,
  autoSpaceDE: false,
  autoSpaceDN: false,
  snapToGrid: false,
};

const parse = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml');
const serialize = (doc: ReturnType<typeof parse>) => new XMLSerializer().serializeToString(doc);

function child(parent: Element, ns: string, name: string): Element | undefined {
  for (let n = parent.firstChild; n; n = n.nextSibling)
    if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === name) return n as Element;
  return undefined;
}

function ensure(parent: Element, name: string, order: readonly string[] = []): Element {
  const found = child(parent, W, name);
  if (found) return found;
  const el = parent.ownerDocument!.createElementNS(W, `w:${name}`);
  const rank = order.indexOf(name);
  let before: Element | undefined;
  for (let n = parent.firstChild; n && rank >= 0; n = n.nextSibling)
    if (n.nodeType === 1 && order.indexOf((n as Element).localName!) > rank) {
      before = n as Element;
      break;
    }
  parent.insertBefore(el, before ?? null);
  return el;
}

/** styles.xml: set the given default paragraph properties on (`1`) or off (`0`), creating what is missing. */
export function setParagraphDefaults(stylesXml: string, values: Readonly<Record<string, boolean>>): string {
  const doc = parse(stylesXml);
  const styles = doc.documentElement!;
  const defaults = ensure(styles, 'docDefaults');
  const pPr = ensure(ensure(defaults, 'pPrDefault'), 'pPr');
  for (const [name, on] of Object.entries(values)) ensure(pPr, name, PPR_ORDER).setAttributeNS(W, 'w:val', on ? '1' : '0');
  return serialize(doc);
}

/** core.xml: created and modified at the given time. */
export function setCoreDates(coreXml: string, iso: string): string {
  const doc = parse(coreXml);
  for (const name of ['created', 'modified']) {
    const el = doc.getElementsByTagNameNS(DCTERMS, name)[0];
    if (el) el.textContent = iso;
  }
  return serialize(doc);
}

/** fontTable.xml: each embedded font's key from `keyOf(relationship id)`. */
export function setFontKeys(tableXml: string, keyOf: (rid: string) => string): string {
  const doc = parse(tableXml);
  for (const tag of ['embedRegular', 'embedBold', 'embedItalic', 'embedBoldItalic']) {
    const list = doc.getElementsByTagNameNS(W, tag);
    for (let i = 0; i < list.length; i++) {
      const el = list[i]!;
      el.setAttributeNS(W, 'w:fontKey', `{${keyOf(el.getAttributeNS(R, 'id') ?? '')}}`);
    }
  }
  return serialize(doc);
}

/** ECMA-376 Part 2 §11.1: XOR the first 32 bytes with the key's bytes, reversed. */
function obfuscate(data: Uint8Array, key: string): Uint8Array<ArrayBuffer> {
  const bytes = key
    .replace(/[{}-]/g, '')
    .match(/../g)!
    .map((h) => parseInt(h, 16))
    .reverse();
  const out = new Uint8Array(data.length);
  out.set(data);
  for (let i = 0; i < 32 && i < out.length; i++) out[i] = out[i]! ^ bytes[i % 16]!;
  return out;
}

const guidOf = (data: Uint8Array): string => {
  const h = createHash('sha256').update(data).digest('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

/** Pack a document reproducibly: dates from the report, font keys from the fonts' bytes. */
export async function packReproducibly(doc: Document, options: { date: string; fonts: EmbeddedFace[] }): Promise<Uint8Array> {
  // docx zips with its own clock; unzip and zip again with fixed times (a few ms for a report).
  const files = unzipSync(new Uint8Array(await Packer.toBuffer(doc)));
  const edit = (name: string, fn: (xml: string) => string) => {
    const data = files[name];
    if (data) files[name] = strToU8(fn(strFromU8(data)));
  };
  edit('word/styles.xml', (xml) => setParagraphDefaults(xml, PARAGRAPH_DEFAULTS));
  const iso = new Date(options.date).toISOString().replace(/\.\d{3}Z$/, 'Z');
  edit('docProps/core.xml', (xml) => setCoreDates(xml, iso));
  if (options.fonts.length) {
    // The Nth embedded font is word/fonts/font<N>.odttf, related as rId<N> in the font table.
    edit('word/fontTable.xml', (xml) =>
      setFontKeys(xml, (rid) => {
        const n = Number(/^rId(\d+)$/.exec(rid)?.[1]);
        const face = options.fonts[n - 1];
        if (!face || !files[`word/fonts/font${n}.odttf`]) throw new Error(`fontTable.xml: no embedded font for ${rid}`);
        const key = guidOf(face.data);
        files[`word/fonts/font${n}.odttf`] = obfuscate(face.data, key);
        return key;
      }),
    );
  }
  return zipFiles(files, new Date(options.date));
}

/**
 * Zip with every entry's time fixed. fflate writes the container; Node's zlib compresses (native:
 * several times faster than fflate's JavaScript deflate on a cold start) and gives the CRC.
 */
function zipFiles(files: Record<string, Uint8Array>, mtime: Date): Uint8Array {
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) failure = err;
    else chunks.push(chunk);
  });
  for (const [filename, data] of Object.entries(files)) {
    const entry: ZipInputFile = { filename, size: data.length, crc: crc32(data), compression: 8, mtime };
    zip.add(entry);
    entry.ondata!(null, deflateRawSync(data, { level: 6 }), true);
  }
  zip.end();
  if (failure) throw failure;
  return Buffer.concat(chunks);
}
