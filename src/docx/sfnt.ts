/**
 * Table order of a TrueType file. harfbuzz's subsetter writes the small tables first and glyf
 * last; LibreOffice then prints some glyphs of an embedded font blank (seen with the bundled
 * faces: 包, 括, 到 …). Rewriting the same tables in the order the OpenType spec recommends for
 * TrueType outlines fixes it; the tables' bytes and checksums are unchanged.
 */
const ORDER = ['head', 'hhea', 'maxp', 'OS/2', 'hmtx', 'LTSH', 'VDMX', 'hdmx', 'cmap', 'fpgm', 'prep', 'cvt ', 'loca', 'glyf', 'kern', 'name', 'post', 'gasp', 'PCLT', 'DSIG'];

const sum32 = (view: DataView, offset: number, length: number): number => {
  let sum = 0;
  for (let i = 0; i < length; i += 4) sum = (sum + view.getUint32(offset + i)) >>> 0;
  return sum;
};

export function reorderTables(font: Uint8Array): Buffer {
  const src = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const count = src.getUint16(4);
  const tables = Array.from({ length: count }, (_, i) => {
    const at = 12 + 16 * i;
    const tag = String.fromCharCode(...font.subarray(at, at + 4));
    return { tag, checksum: src.getUint32(at + 4), data: font.subarray(src.getUint32(at + 8), src.getUint32(at + 8) + src.getUint32(at + 12)) };
  });
  const rank = (t: string) => (ORDER.includes(t) ? ORDER.indexOf(t) : ORDER.length);
  const placed = [...tables].sort((a, b) => rank(a.tag) - rank(b.tag) || (a.tag < b.tag ? -1 : 1));
  const padded = (n: number) => (n + 3) & ~3;
  const size = 12 + 16 * count + placed.reduce((s, t) => s + padded(t.data.length), 0);
  const out = Buffer.alloc(size);
  out.set(font.subarray(0, 12), 0);
  let offset = 12 + 16 * count;
  const offsets = new Map<string, number>();
  for (const t of placed) {
    offsets.set(t.tag, offset);
    out.set(t.data, offset);
    offset += padded(t.data.length);
  }
  // The directory stays sorted by tag, as the spec requires.
  tables.forEach((t, i) => {
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
