/** PDF table cells from the geometry, on a hand-written PDF: one text run across two cells. */
import { describe, expect, it } from 'vitest';
import { readDocument } from '../src/readers/index.js';
import { cellValue } from '../src/import/text.js';

/** A one-page PDF with a content stream of our own (Helvetica, no embedding). */
function pdf(content: string): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 300] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

describe('PDF table geometry', () => {
  it('a text run crossing a column line is cut at the line: two cells, two numbers', async () => {
    // A 2 × 2 grid (x 50–150–250, y 200–230–260) and one run "1234      5678" across the middle line.
    const grid =
      '0.5 w 50 200 m 250 200 l S 50 230 m 250 230 l S 50 260 m 250 260 l S 50 200 m 50 260 l S 150 200 m 150 260 l S 250 200 m 250 260 l S';
    const text =
      'BT /F1 12 Tf 60 240 Td (Label A) Tj ET BT /F1 12 Tf 160 240 Td (Label B) Tj ET BT /F1 12 Tf 90 210 Td (1234                     5678) Tj ET';
    const { blocks } = await readDocument(pdf(`${grid} ${text}`), 'runs.pdf');
    const table = blocks.find((b) => b.kind === 'table');
    expect(table?.kind === 'table' && table.cells.map((c) => [c.r, c.c, c.text])).toEqual([
      [0, 0, 'Label A'],
      [0, 1, 'Label B'],
      [1, 0, '1234'],
      [1, 1, '5678'],
    ]);
  });

  it('two numbers in one cell are not one number', () => {
    expect(cellValue('12 34').kind).toBe('text');
    expect(cellValue('２３　').kind).toBe('number');
    expect(cellValue('1,234')).toEqual({ kind: 'number', text: '1234' });
  });
});
