/** Font files made for tests. */

/** A one-face .ttc collection made from a TrueType face (table offsets moved past the header). */
export function collectionOf(ttf: Buffer): Buffer {
  const header = Buffer.alloc(16);
  header.write('ttcf', 0, 'latin1');
  header.writeUInt32BE(0x00010000, 4);
  header.writeUInt32BE(1, 8);
  header.writeUInt32BE(16, 12);
  const font = Buffer.from(ttf);
  const tables = font.readUInt16BE(4);
  for (let i = 0; i < tables; i++) font.writeUInt32BE(font.readUInt32BE(12 + 16 * i + 8) + 16, 12 + 16 * i + 8);
  return Buffer.concat([header, font]);
}
