/**
 * Same report, same bytes: the docx package stamps the clock into docProps/core.xml, the zip
 * entries and a random key into each embedded font. Re-pack with dates from the report and a
 * font key derived from the font's bytes.
 */
import { createHash } from 'node:crypto';
import { Packer, type Document } from 'docx';
import { strFromU8, strToU8, unzipSync, Zip, type ZipInputFile } from 'fflate';
import { crc32, deflateRawSync } from 'node:zlib';
import type { EmbeddedFace } from './subset.js';

/** ECMA-376 Part 2 §11.1: XOR the first 32 bytes with the key's bytes, reversed. */
function obfuscate(data: Uint8Array, key: string): Uint8Array<ArrayBuffer> {
  const bytes = key.replace(/[{}-]/g, '').match(/../g)!.map((h) => parseInt(h, 16)).reverse();
  const out = new Uint8Array(data.length);
  out.set(data);
  for (let i = 0; i < 32 && i < out.length; i++) out[i] = out[i]! ^ bytes[i % 16]!;
  return out;
}

const guidOf = (data: Uint8Array): string => {
  const h = createHash('sha256').update(data).digest('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

/**
 * What docx 9 cannot say in a style's paragraph properties, so that Word, WPS and LibreOffice
 * break lines and pages as the PDF does: no widow control (the PDF has none), no automatic space
 * between Han characters and Latin or digits (the PDF adds none), no punctuation hanging into the
 * margin (the PDF moves it to the next line), no snapping to a character grid.
 * Schema order puts these right before w:spacing in our styles.
 */
function styleFixes(xml: string): string {
  return xml.replace(
    /(<w:pPr>(?:(?!<\/w:pPr>).)*?)(<w:spacing )/g,
    '$1<w:widowControl w:val="0"/><w:overflowPunct w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:snapToGrid w:val="0"/>$2',
  );
}

/** The package's files as docx compiles them, before it zips them (saves a zip and an unzip). */
export function compileFiles(doc: Document): Record<string, Uint8Array> | undefined {
  const compiler = (Packer as unknown as { compiler?: { compile(doc: Document): Map<string, string | Uint8Array> } }).compiler;
  if (typeof compiler?.compile !== 'function') return undefined;
  const files: Record<string, Uint8Array> = {};
  for (const [path, data] of compiler.compile(doc)) files[path] = typeof data === 'string' ? strToU8(data) : data;
  return files;
}

/** Pack a document reproducibly: dates from the report, font keys from the fonts' bytes. */
export async function packReproducibly(doc: Document, options: { date: string; fonts: EmbeddedFace[] }): Promise<Uint8Array> {
  return reproducible(compileFiles(doc) ?? unzipSync(new Uint8Array(await Packer.toBuffer(doc))), options);
}

function reproducible(files: Record<string, Uint8Array>, options: { date: string; fonts: EmbeddedFace[] }): Uint8Array {
  const styles = files['word/styles.xml'];
  if (styles) files['word/styles.xml'] = strToU8(styleFixes(strFromU8(styles)));
  const iso = new Date(options.date).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const core = files['docProps/core.xml'];
  if (core)
    files['docProps/core.xml'] = strToU8(
      strFromU8(core)
        .replace(/(<dcterms:created[^>]*>)[^<]*(<\/dcterms:created>)/, `$1${iso}$2`)
        .replace(/(<dcterms:modified[^>]*>)[^<]*(<\/dcterms:modified>)/, `$1${iso}$2`),
    );
  // Embedded fonts: the Nth font is word/fonts/font<N>.odttf, related as rId<N> in the font table.
  const table = files['word/fontTable.xml'];
  if (table && options.fonts.length) {
    let xml = strFromU8(table);
    xml = xml.replace(/<w:embedRegular r:id="rId(\d+)" w:fontKey="\{[0-9A-Fa-f-]+\}"\/>/g, (_, n: string) => {
      const face = options.fonts[Number(n) - 1]!;
      const key = guidOf(face.data);
      files[`word/fonts/font${n}.odttf`] = obfuscate(face.data, key);
      return `<w:embedRegular r:id="rId${n}" w:fontKey="{${key}}"/>`;
    });
    files['word/fontTable.xml'] = strToU8(xml);
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
