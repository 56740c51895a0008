import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gov2021 } from '../layouts/gov-2021/index.js';
import { parseReport, renderDocx, renderPdf, ReportError, validate } from '../src/index.js';
import { docxParts, wordTables } from './helpers/docx.js';
import { info, streamText } from './helpers/pdf.js';
import { blank, ROOT } from './helpers/reports.js';

const dir = mkdtempSync(join(tmpdir(), 'xxgk-api-'));

/** What `fn` throws; the test fails if it throws nothing. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return expect.unreachable('expected an error, nothing was thrown');
}

describe('library API', () => {
  it('parses text, checks and renders both formats', async () => {
    const report = parseReport(readFileSync(`${ROOT}samples/qingjiang-bureau-2024.json`, 'utf8'));
    expect(validate(report)).toEqual([]);

    const file = join(dir, 'qingjiang.pdf');
    writeFileSync(file, await renderPdf(report));
    expect(Number((await info(file)).Pages)).toBeGreaterThan(0);
    const text = await streamText(file);
    expect(text).toContain(report.agency);
    expect(text).toContain('政府信息公开工作年度报告');

    const parts = docxParts(await renderDocx(report));
    expect(parts['word/document.xml']).toContain(report.agency);
    const tables = wordTables(parts['word/document.xml']!);
    expect(tables).toHaveLength(3);
    // Tables 2, 3 and 4 of the official format, in order, each starting with its first header label.
    [gov2021.tables.table2!, gov2021.tables.table3!, gov2021.tables.table4!].forEach((spec, i) => {
      expect(tables[i]!.cells.find((c) => c.r === 0)?.text).toBe(spec.rows[0]!.cells.find((c) => c.text)!.text);
    });
  });

  it('throws ReportError with diagnostics for bad input and for a rule error', async () => {
    expect(() => parseReport('{')).toThrow(ReportError);
    const e = thrown(() => parseReport({ agency: 'x' }));
    expect(e).toBeInstanceOf(ReportError);
    expect((e as ReportError).kind).toBe('input');
    expect((e as ReportError).diagnostics.map((d) => d.path)).toContain('year');
    const b = blank();
    b.reviewsAndLawsuits.review.total = 9;
    const report = parseReport(b);
    await expect(renderPdf(report)).rejects.toMatchObject({ kind: 'rule', diagnostics: [expect.objectContaining({ code: 'R4' })] });
    expect((await renderPdf(report, { draft: true })).length).toBeGreaterThan(1000);
  });
});

describe('documents made at the same time in one process', () => {
  it('get the same bytes as made one after another (each keeps its own font cuts)', async () => {
    const parsed = ['huaian-2024', 'yangshan-2024', 'jiangsu-long-2024'].map((n) =>
      parseReport(readFileSync(join(ROOT, 'samples', `${n}.json`), 'utf8')),
    );
    const sequential: Uint8Array[] = [];
    for (const r of parsed) sequential.push(await renderPdf(r));
    const concurrent = await Promise.all([...parsed, ...parsed].map((r) => renderPdf(r)));
    concurrent.forEach((bytes, i) =>
      expect(Buffer.from(bytes).equals(Buffer.from(sequential[i % parsed.length]!)), `report ${i}`).toBe(true),
    );
    // Different reports print different characters: their PDFs differ.
    expect(Buffer.from(sequential[0]!).equals(Buffer.from(sequential[1]!))).toBe(false);
  });
});
