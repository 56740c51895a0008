/**
 * Hostile inputs for issue 27, generated small (none is committed): documents whose structure
 * makes a naive reader spend time, memory or stack without bound.
 */
import { deflateSync } from 'node:zlib';
import { zipSync, strToU8 } from 'fflate';

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

/** A DOCX package with the given body XML (and numbering part, if any). */
export function docx(body: string, numbering?: string): Uint8Array {
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
    ),
    'word/document.xml': strToU8(`<?xml version="1.0"?><w:document ${W}><w:body>${body}</w:body></w:document>`),
  };
  if (numbering) files['word/numbering.xml'] = strToU8(`<?xml version="1.0"?><w:numbering ${W}>${numbering}</w:numbering>`);
  return zipSync(files, { level: 9 });
}

const p = (t: string) => `<w:p><w:r><w:t>${t}</w:t></w:r></w:p>`;

/** A table whose cells span (gridSpan) or skip (gridBefore) far more columns than it has. */
export function docxSpans(which: 'gridSpan' | 'gridBefore', n = 100_000_000): Uint8Array {
  // Cells with the official labels, so that a mapper looks at the table.
  const tc = (span: boolean) =>
    `<w:tc>${span && which === 'gridSpan' ? `<w:tcPr><w:gridSpan w:val="${n}"/></w:tcPr>` : ''}${p(span ? '信息内容' : '本年制发件数')}</w:tc>`;
  const tr = (i: number) =>
    `<w:tr>${which === 'gridBefore' ? `<w:trPr><w:gridBefore w:val="${n}"/></w:trPr>` : ''}${tc(i === 0)}${tc(false)}</w:tr>`;
  return docx(`<w:tbl>${Array.from({ length: 20 }, (_, i) => tr(i)).join('')}</w:tbl>${p('信息公开')}`);
}

/** Tables nested `depth` deep. */
export function docxNested(depth = 5_000): Uint8Array {
  return docx(`${'<w:tbl><w:tr><w:tc>'.repeat(depth)}${p('x')}${'</w:tc></w:tr></w:tbl>'.repeat(depth)}`);
}

/** A numbered paragraph whose numbering level is `ilvl`. */
export function docxLevel(ilvl: string): Uint8Array {
  const numbering = `<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="${ilvl}"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>`;
  return docx(
    `<w:p><w:pPr><w:numPr><w:ilvl w:val="${ilvl}"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>一、总体情况</w:t></w:r></w:p>`,
    numbering,
  );
}

/** 66 KB of HTML whose cells claim thousands of rows and columns. */
export function htmlSpans(rows = 120, cols = 60): string {
  const td = '<td rowspan="9999" colspan="999">1</td>';
  return `<!doctype html><html><body><table>${`<tr>${td.repeat(cols)}</tr>`.repeat(rows)}</table></body></html>`;
}

export const htmlNested = (depth = 20_000): string =>
  `<!doctype html><html><body>${'<div>'.repeat(depth)}x${'</div>'.repeat(depth)}</body></html>`;

/** A PDF from its objects (1-based, `n 0 obj` added), with a correct cross-reference table. */
export function pdf(objects: (string | Uint8Array)[]): Uint8Array {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let size = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(size);
    const b = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`),
      typeof o === 'string' ? Buffer.from(o, 'latin1') : Buffer.from(o),
      Buffer.from('\nendobj\n'),
    ]);
    parts.push(b);
    size += b.length;
  });
  const xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${size}\n%%EOF\n`));
  return Buffer.concat(parts);
}

const stream = (dict: string, data: Uint8Array, compress = true): Uint8Array => {
  const body = compress ? deflateSync(data) : data;
  return Buffer.concat([
    Buffer.from(`<< ${dict} /Length ${body.length}${compress ? ' /Filter /FlateDecode' : ''} >>\nstream\n`),
    Buffer.from(body),
    Buffer.from('\nendstream'),
  ]);
};

/** One page with the given content stream (and resources). */
const TEXT = 'BT /F1 12 Tf 72 780 Td (Annual report of government information disclosure) Tj ET\n';
const FONT = '/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>';

export function pdfPage(content: string, resources = `<< ${FONT} >>`, extra: (string | Uint8Array)[] = []): Uint8Array {
  return pdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources ${resources} >>`,
    stream('', Buffer.from(content, 'latin1')),
    ...extra,
  ]);
}

// Text inside, so that the page is not taken for a scan before the nesting costs anything.
export const pdfNestedQ = (n = 20_000): Uint8Array => pdfPage(`${'q 1 0 0 1 0 0 cm\n'.repeat(n)}${TEXT}${'Q\n'.repeat(n)}`);

/** `n` horizontal and `n` vertical ruling lines on one page. */
export function pdfLines(n = 2_000): Uint8Array {
  const ops: string[] = [];
  for (let i = 0; i < n; i++) ops.push(`50 ${50 + (i * 700) / n} m 545 ${50 + (i * 700) / n} l`);
  for (let i = 0; i < n; i++) ops.push(`${50 + (i * 495) / n} 50 m ${50 + (i * 495) / n} 750 l`);
  return pdfPage(`${TEXT}0.1 w\n${ops.join('\n')}\nS\n`);
}

/** One image of side × side pixels (1 bit, all white), drawn on the page. */
export function pdfImage(side = 30_000): Uint8Array {
  const row = Math.ceil(side / 8);
  const data = Buffer.alloc(row * side, 0xff);
  return pdfPage('q 500 0 0 700 40 60 cm /Im1 Do Q', '<< /XObject << /Im1 5 0 R >> >>', [
    stream(`/Type /XObject /Subtype /Image /Width ${side} /Height ${side} /ColorSpace /DeviceGray /BitsPerComponent 1`, data),
  ]);
}

/** A page tree of `n` pages, every Kid the same page object. */
export function pdfPages(n = 30_000): Uint8Array {
  return pdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${'3 0 R '.repeat(n)}] /Count ${n} >>`,
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>',
    stream('', Buffer.from('BT /F1 12 Tf 72 700 Td (x) Tj ET')),
  ]);
}

/** A page tree that contains itself. */
export function pdfCycle(): Uint8Array {
  return pdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>',
  ]);
}

/** An HTML page with `%PDF-` in its first kilobyte (in the text of an article about PDFs). */
export const htmlMentioningPdf = (): string =>
  `<!doctype html><html><head><title>%PDF-1.7 文件头</title></head><body><p>文件以 %PDF- 开头。</p></body></html>`;
