/** Our own PDF and DOCX of every sample read back: import(render(r)) holds all of r. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importReport } from '../src/readers/index.js';
import { parseReport } from '../src/index.js';
import { renderDocx, renderPdf } from '../src/app/render.js';
import { expectAllNumbers, expectSameText } from './helpers/import.js';
import { ROOT } from './helpers/reports.js';

const samples = readdirSync(`${ROOT}samples`).filter((f) => f.endsWith('.json'));

describe.each(samples)('round trip of samples/%s', (file) => {
  const source = JSON.parse(readFileSync(`${ROOT}samples/${file}`, 'utf8'));
  const report = parseReport(source);

  it.each(['pdf', 'docx'] as const)('%s: all 200 numbers, agency, year, every paragraph, signature', async (kind) => {
    const bytes = kind === 'pdf' ? await renderPdf(report) : await renderDocx(report, { docxFonts: 'none' });
    const imported = await importReport(bytes, `${file}.${kind}`);
    expect(imported.gaps).toEqual([]);
    expect(imported.diagnostics.filter((d) => d.code === 'IMPORT')).toEqual([]);
    expect(expectAllNumbers(imported.report, source)).toBe(200);
    expectSameText(imported.report as any, source);
  });
});
