/**
 * What the PDF writer does to pdfkit that pdfkit does not offer: pdfkit (0.19) writes the XMP
 * packet from the document's info strings without escaping them, so an agency 某某A&B中心 or a
 * title with < or > made the packet malformed XML (and the PDF/A claim false); its packet has no
 * xmp:ModifyDate for the Info dictionary's ModDate (ISO 19005-2 6.6.2.3.1: every Info entry and
 * its XMP equivalent agree); and the metadata stream's dictionary carries a stray lower-case
 * `/length` beside its `/Length`. pdfkit has no public way to set the XMP; it builds the Info
 * dictionary from `doc.info` first and the XMP last, in its `endMetadata` method (through
 * `_addInfo`, `appendXML` and `ref`). That method is replaced here, on one document only, and
 * nowhere else; test/pdfkit-xmp.test.ts checks on a plain pdfkit document that the packet then
 * parses, holds the strings exactly and a ModifyDate equal to ModDate, that the stream's
 * dictionary has no `/length`, and that the Info dictionary keeps the strings as they are (a pdfkit
 * that changes any of this fails there).
 */

/** What we touch of the pdfkit document that pdfmake's getStream() gives, before it ends. */
export type PdfKitDocument = {
  info: Record<string, unknown>;
  endMetadata?: () => void;
  _addInfo?: () => void;
  appendXML?: (xml: string, newline?: boolean) => void;
  ref?: (data: Record<string, unknown>) => unknown;
};

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
/** Text for XML 1.0 character data: markup escaped, characters XML cannot hold dropped. */
export const xmlText = (s: string): string =>
  s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/gu, '').replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!);

/** An XMP date as pdfkit writes xmp:CreateDate: UTC, to the second. */
const xmpDate = (d: Date): string => `${d.toISOString().split('.')[0]}Z`;

/**
 * On this document only: pdfkit's endMetadata sees the info strings escaped for XML, and the
 * Info dictionary (written before) keeps them as they are; the packet gains xmp:ModifyDate (the
 * Info dictionary's ModDate); the metadata stream's dictionary loses pdfkit's `length` entry.
 */
export function escapeXmp(doc: PdfKitDocument): void {
  const endMetadata = doc.endMetadata;
  if (typeof endMetadata !== 'function') return;
  doc.endMetadata = function (this: PdfKitDocument) {
    const info = this.info;
    const { _addInfo: addInfo, ref } = this;
    const own = { addInfo: Object.hasOwn(this, '_addInfo'), ref: Object.hasOwn(this, 'ref') };
    this.info = Object.fromEntries(Object.entries(info).map(([k, v]) => [k, typeof v === 'string' ? xmlText(v) : v]));
    if (typeof addInfo === 'function')
      this._addInfo = function (this: PdfKitDocument) {
        addInfo.call(this);
        const modified = info.ModDate;
        if (modified instanceof Date && typeof this.appendXML === 'function')
          this.appendXML(
            `<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:ModifyDate>${xmpDate(modified)}</xmp:ModifyDate></rdf:Description>`,
          );
      };
    if (typeof ref === 'function')
      this.ref = function (this: PdfKitDocument, data: Record<string, unknown>) {
        if (data?.Type === 'Metadata') delete data.length;
        return ref.call(this, data);
      };
    try {
      endMetadata.call(this);
    } finally {
      this.info = info;
      // Back to pdfkit's own methods (the prototype's, unless the document had its own).
      if (own.addInfo) this._addInfo = addInfo;
      else delete this._addInfo;
      if (own.ref) this.ref = ref;
      else delete this.ref;
    }
  };
}
