/**
 * Contract of src/import/pdfjs-adapter.ts with pdf.js: a PDF written here by hand (a rectangle, a
 * line, curves, a form XObject with its own matrix) is read with pdf.js's public operator list,
 * and the adapter's decoding of the constructPath and paintFormXObjectBegin arguments must give
 * the paths the content stream draws. The expectations are the PDF operators' meaning (PDF 32000-1
 * §8.5.2), not pdf.js's output.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { decodePath, formMatrix, type Matrix, type PathOp } from '../src/import/pdfjs-adapter.js';

/** A one-page PDF with the given page content and one form XObject /F1, its xref table exact. */
function handWrittenPdf(content: string, form: { matrix: Matrix; content: string }): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] /Contents 4 0 R /Resources << /XObject << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    `<< /Type /XObject /Subtype /Form /BBox [0 0 50 50] /Matrix [${form.matrix.join(' ')}] /Length ${form.content.length} >>\nstream\n${form.content}\nendstream`,
  ];
  let pdf = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) pdf += `${String(o).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(pdf);
}

const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

/** The page's paths and form matrices, in operator order, through the adapter. */
async function decoded(bytes: Uint8Array): Promise<({ path: PathOp } | { form: Matrix | undefined })[]> {
  const doc = await getDocument({
    data: bytes,
    verbosity: 0,
    isEvalSupported: false,
    useSystemFonts: false,
    standardFontDataUrl: join(pdfjsRoot, 'standard_fonts/'),
  }).promise;
  try {
    const ops = await (await doc.getPage(1)).getOperatorList();
    const out: ({ path: PathOp } | { form: Matrix | undefined })[] = [];
    ops.fnArray.forEach((fn, i) => {
      if (fn === OPS.constructPath) out.push({ path: decodePath(ops.argsArray[i])! });
      else if (fn === OPS.paintFormXObjectBegin) out.push({ form: formMatrix(ops.argsArray[i]) });
    });
    return out;
  } finally {
    await doc.destroy();
  }
}

describe('pdf.js path decoding (src/import/pdfjs-adapter.ts)', () => {
  it('gives the subpaths a hand-written content stream draws, and the form matrix', async () => {
    const content = [
      '1 w',
      '10 20 100 50 re S', // a rectangle, stroked: four corners and back to the start
      '30 40 m 200 40 l S', // a line
      '50 60 m 60 70 70 80 90 100 c h f', // a Bézier curve (its end point), closed, filled
      '0 300 m 20 300 l 25 305 20 320 v 5 315 0 320 y h B', // v and y curves, closed, filled and stroked
      '5 5 m 6 5 l 6 6 l 5 6 l h 8 8 m 9 8 l S', // two subpaths in one path
      '/F1 Do',
    ].join('\n');
    const ops = await decoded(handWrittenPdf(content, { matrix: [2, 0, 0, 2, 5, 5], content: '0 0 m 10 0 l S' }));
    expect(ops).toEqual([
      {
        path: {
          paint: OPS.stroke,
          subpaths: [
            [
              [10, 20],
              [110, 20],
              [110, 70],
              [10, 70],
              [10, 20],
            ],
          ],
        },
      },
      {
        path: {
          paint: OPS.stroke,
          subpaths: [
            [
              [30, 40],
              [200, 40],
            ],
          ],
        },
      },
      {
        path: {
          paint: OPS.fill,
          subpaths: [
            [
              [50, 60],
              [90, 100],
              [50, 60],
            ],
          ],
        },
      },
      {
        path: {
          paint: OPS.fillStroke,
          subpaths: [
            [
              [0, 300],
              [20, 300],
              [20, 320],
              [0, 320],
              [0, 300],
            ],
          ],
        },
      },
      {
        path: {
          paint: OPS.stroke,
          subpaths: [
            [
              [5, 5],
              [6, 5],
              [6, 6],
              [5, 6],
              [5, 5],
            ],
            [
              [8, 8],
              [9, 8],
            ],
          ],
        },
      },
      { form: [2, 0, 0, 2, 5, 5] },
      {
        path: {
          paint: OPS.stroke,
          subpaths: [
            [
              [0, 0],
              [10, 0],
            ],
          ],
        },
      },
    ]);
  });

  it('refuses arguments that are not a path', () => {
    expect(decodePath(undefined)).toBeUndefined();
    expect(decodePath([OPS.stroke])).toBeUndefined();
    expect(decodePath([OPS.stroke, []])).toBeUndefined();
    expect(formMatrix([null, [0, 0, 1, 1]])).toBeUndefined();
  });
});
