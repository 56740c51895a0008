import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseReport, renderDocx, renderPdf, ReportError, validate } from '../src/index.js';
import { blank, ROOT } from './helpers/reports.js';

describe('library API', () => {
  it('parses text, checks and renders both formats', async () => {
    const report = parseReport(readFileSync(`${ROOT}samples/qingjiang-bureau-2024.json`, 'utf8'));
    expect(validate(report)).toEqual([]);
    const pdf = await renderPdf(report);
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    const docx = await renderDocx(report);
    expect(Buffer.from(docx.subarray(0, 2)).toString()).toBe('PK');
  });

  it('throws ReportError with diagnostics for bad input and for a rule error', async () => {
    expect(() => parseReport('{')).toThrow(ReportError);
    try {
      parseReport({ agency: 'x' });
    } catch (e) {
      expect(e).toBeInstanceOf(ReportError);
      expect((e as ReportError).exitCode).toBe(2);
      expect((e as ReportError).diagnostics.map((d) => d.path)).toContain('year');
    }
    const b = blank();
    b.reviewsAndLawsuits.review.total = 9;
    const report = parseReport(b);
    await expect(renderPdf(report)).rejects.toMatchObject({ exitCode: 1, diagnostics: [expect.objectContaining({ code: 'R4' })] });
    expect((await renderPdf(report, { draft: true })).length).toBeGreaterThan(1000);
  });
});
