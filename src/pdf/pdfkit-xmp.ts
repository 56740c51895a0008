/**
 * What the PDF writer does to pdfkit that pdfkit does not offer: pdfkit (0.19) writes the XMP
 * packet from the document's info strings without escaping them, so an agency 某某A&B中心 or a
 * title with < or > made the packet malformed XML (and the PDF/A claim false). pdfkit has no
 * public way to set or escape the XMP; it builds the Info dictionary from `doc.info` first and the
 * XMP last, in its `endMetadata` method. That method is replaced here, on one document only, and
 * nowhere else; test/pdfkit-xmp.test.ts checks on a plain pdfkit document that the packet then
 * parses and holds the strings exactly, and that the Info dictionary keeps them as they are (a
 * pdfkit that escapes by itself, or renames the method, fails there).
 */

/** What we touch of the pdfkit document that pdfmake's getStream() gives, before it ends. */
export type PdfKitDocument = { info: Record<string, unknown>; endMetadata?: () => void };

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
/** Text for XML 1.0 character data: markup escaped, characters XML cannot hold dropped. */
export const xmlText = (s: string): string =>
  s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/gu, '').replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!);

/**
 * On this document only, pdfkit's endMetadata sees the info strings escaped for XML, and the
 * Info dictionary (written before) keeps them as they are.
 */
export function escapeXmp(doc: PdfKitDocument): void {
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
