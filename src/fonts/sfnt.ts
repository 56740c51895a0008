/**
 * Writing an SFNT (TrueType/OpenType) file from tables: the faces pdfkit draws with (without the
 * OpenType layout tables) and the subsets a DOCX embeds (tables in the recommended order).
 */

/**
 * Table order of a TrueType file. harfbuzz's subsetter writes the small tables first and glyf
 * last; LibreOffice then prints some glyphs of an embedded font blank (seen with the bundled
 * faces: 包, 括, 到 …). Writing the tables in the order the OpenType spec recommends for
 * TrueType outlines fixes it; the tables' bytes and checksums are unchanged.
 */
const ORDER = [
  'head',
  'hhea',
  'maxp',
  'OS/2',
  'hmtx',
  'LTSH',
  'VDMX',
  'hdmx',
  'cmap',
  'fpgm',
  'prep',
  'cvt ',
  'loca',
  'glyf',
  'kern',
  'name',
  'post',
  'gasp',
  'PCLT',
  'DSIG',
];

export interface SfntTable {
  tag: string;
  checksum: number;
  data: Uint8Array;
}

const sum32 = (view: DataView, offset: number, length: number): number => {
  let sum = 0;
  for (let i = 0; i < length; i += 4) sum = (sum + view.getUint32(offset + i)) >>> 0;
  return sum;
};

/** Whether the bytes are a font collection (.ttc) rather than a single font. */
export const isCollection = (file: Uint8Array): boolean => String.fromCharCode(...file.subarray(0, 4)) === 'ttcf';

/** numTables and the binary-search fields after it (searchRange, entrySelector, rangeShift). */
function writeCount(out: Buffer, count: number): void {
  const power = 2 ** Math.floor(Math.log2(Math.max(count, 1)));
  out.writeUInt16BE(count, 4);
  out.writeUInt16BE(power * 16, 6);
  out.writeUInt16BE(Math.log2(power), 8);
  out.writeUInt16BE(count * 16 - power * 16, 10);
}

/** The table directory at `offset` (0 for a single font; a collection lists one per face). */
export function readDirectory(file: Uint8Array, offset: number): SfntTable[] {
  const src = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const count = src.getUint16(offset + 4);
  return Array.from({ length: count }, (_, i) => {
    const at = offset + 12 + 16 * i;
    const start = src.getUint32(at + 8);
    return {
      tag: String.fromCharCode(...file.subarray(at, at + 4)),
      checksum: src.getUint32(at + 4),
      data: file.subarray(start, start + src.getUint32(at + 12)),
    };
  });
}

/**
 * One font file from its tables: the directory sorted by tag (as the spec requires), the tables
 * laid out in the recommended order, each padded to 4 bytes, and head.checkSumAdjustment set.
 */
export function writeSfnt(version: number, tables: readonly SfntTable[]): Buffer {
  const count = tables.length;
  const byTag = [...tables].sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  const rank = (t: string) => (ORDER.includes(t) ? ORDER.indexOf(t) : ORDER.length);
  const placed = [...byTag].sort((a, b) => rank(a.tag) - rank(b.tag) || (a.tag < b.tag ? -1 : 1));
  const padded = (n: number) => (n + 3) & ~3;
  const size = 12 + 16 * count + placed.reduce((s, t) => s + padded(t.data.length), 0);
  const out = Buffer.alloc(size);
  out.writeUInt32BE(version >>> 0, 0);
  writeCount(out, count);
  let offset = 12 + 16 * count;
  const offsets = new Map<string, number>();
  for (const t of placed) {
    offsets.set(t.tag, offset);
    out.set(t.data, offset);
    offset += padded(t.data.length);
  }
  byTag.forEach((t, i) => {
    const at = 12 + 16 * i;
    out.write(t.tag, at, 'latin1');
    out.writeUInt32BE(t.checksum, at + 4);
    out.writeUInt32BE(offsets.get(t.tag)!, at + 8);
    out.writeUInt32BE(t.data.length, at + 12);
  });
  const head = offsets.get('head');
  if (head !== undefined) {
    out.writeUInt32BE(0, head + 8);
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    out.writeUInt32BE((0xb1b0afba - sum32(view, 0, size)) >>> 0, head + 8);
  }
  return out;
}

/**
 * A single font without the given tables, made in place: only the table directory is rewritten
 * (it shrinks; the dropped tables stay behind as unreferenced bytes, which the format allows),
 * so a 4 MB face is not copied. Every other byte stays as it was, head.checkSumAdjustment too
 * (the value of the font as it was; no reader checks it, and a PDF embeds what it embedded before).
 */
export function dropTablesInPlace(font: Buffer, drop: ReadonlySet<string>): Buffer {
  const count = font.readUInt16BE(4);
  const kept: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const record = font.subarray(12 + 16 * i, 28 + 16 * i);
    if (!drop.has(record.toString('latin1', 0, 4))) kept.push(Buffer.from(record));
  }
  if (kept.length === count) return font;
  writeCount(font, kept.length);
  kept.forEach((record, i) => record.copy(font, 12 + 16 * i));
  font.fill(0, 12 + 16 * kept.length, 12 + 16 * count);
  return font;
}

/** The same font with its tables in the recommended order (see ORDER). */
export function reorderTables(font: Uint8Array): Buffer {
  return writeSfnt(new DataView(font.buffer, font.byteOffset, font.byteLength).getUint32(0), readDirectory(font, 0));
}
