/**
 * A format is one module: a made-up format (test/fixtures/formats/mini), registered from this
 * test only, goes through parsing, the rules, the PDF, DOCX and HTML writers, the importer and the
 * sum — and nothing in src/ names it. The expected cell texts are written out here by hand.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatIds, registerFormat } from '../layouts/index.js';
import { importReport, parseReport, ReportError, renderDocx, renderHtml, renderPdf, sumReports, validate } from '../src/index.js';
import type { Report } from '../src/model/schema.js';
import { mini, MINI } from './fixtures/formats/mini/index.js';
import { docxParts, wordTables } from './helpers/docx.js';
import { info, pageTexts } from './helpers/pdf.js';
import { ROOT } from './helpers/reports.js';

beforeAll(() => registerFormat(mini));

const input = (counts: Record<string, unknown>, agency = '测试市信访局') => ({
  format: MINI,
  agency,
  year: 2025,
  preface: ['本简报统计2025年度咨询和投诉的办理情况。'],
  summary: ['全年咨询和投诉均按时办结。'],
  counts,
});
const good = input({ consult: { online: 12, offline: 3 }, complaint: { online: 5, offline: 7 } });
/** The table as printed: header, 咨询, 投诉, 总计 (totals computed: 12 + 3, 5 + 7, 12 + 5 …). */
const EXPECTED = [
  ['事项', '线上', '线下', '合计'],
  ['咨询', '12', '3', '15'],
  ['投诉', '5', '7', '12'],
  ['总计', '17', '10', '27'],
];

const errorsOf = (r: Report) => validate(r).filter((d) => d.severity === 'error');

describe('a made-up format registered from a test', () => {
  it('is known to the parser by its format value, and parses with its own schema', () => {
    expect(formatIds()).toContain(MINI);
    const r = parseReport(good) as unknown as { format: string; counts: unknown };
    expect(r.format).toBe(MINI);
    expect(errorsOf(r as unknown as Report)).toEqual([]);
    // Its own schema: a gov-2021 field is unknown here, and a cell is named by its labels.
    const bad = () => parseReport({ ...good, overview: { sections: [] }, counts: { ...good.counts, consult: { online: -1, offline: 3 } } });
    expect(bad).toThrow(ReportError);
    try {
      bad();
    } catch (e) {
      const messages = (e as ReportError).diagnostics.map((d) => d.message);
      expect(messages).toContainEqual(expect.stringContaining('未知字段 "overview"'));
      expect(messages).toContainEqual('简表 咨询 / 线上：应为非负整数，实际为 -1（counts.consult.online）');
    }
  });

  it('checks its sums, naming the cells by their labels', () => {
    const wrong = parseReport(
      input({ consult: { online: 12, offline: 3, total: 16 }, complaint: { online: 5, offline: 7 }, total: { online: 18, offline: 10 } }),
    );
    expect(errorsOf(wrong).map((d) => [d.code, d.path, d.message])).toEqual([
      ['M1', 'counts.consult.total', '简表 咨询 行：合计 16 ≠ 线上、线下之和 15'],
      ['M2', 'counts.total.online', '简表 线上 列：总计 18 ≠ 各项之和 17'],
    ]);
  });

  it('renders PDF, DOCX and HTML with its table filled in', async () => {
    const report = parseReport(good);
    const dir = mkdtempSync(join(tmpdir(), 'xxgk-mini-'));
    const pdf = join(dir, 'mini.pdf');
    writeFileSync(pdf, await renderPdf(report));
    const text = (await pageTexts(pdf)).join('\n');
    // The default title, set on two lines (agency, then the rest).
    expect(text).toContain('测试市信访局\n2025年度咨询投诉办理情况简报');
    expect(text).toContain('二、办理情况统计');
    for (const row of EXPECTED) expect(text).toContain(row.join(' '));
    expect((await info(pdf)).Subject).toBe('2025年度咨询投诉办理情况简报');

    const xml = docxParts(await renderDocx(report, { docxFonts: 'none' }))['word/document.xml']!;
    const [table, ...more] = wordTables(xml);
    expect(more).toEqual([]);
    const grid = EXPECTED.map((row, r) => row.map((_, c) => table!.cells.find((x) => x.r === r && x.c === c)?.text));
    expect(grid).toEqual(EXPECTED);

    const html = await renderHtml(report);
    const rows = [...html.matchAll(/<tr>(.*?)<\/tr>/gs)].map(([, tr]) =>
      [...tr!.matchAll(/<t[dh][^>]*>([^<]*)<\/t[dh]>/g)].map((m) => m[1]),
    );
    expect(rows).toEqual(EXPECTED);
  });

  it.each(['docx', 'html', 'pdf'] as const)('imports its own %s back to the same numbers', async (kind) => {
    const report = parseReport(good);
    const bytes =
      kind === 'docx'
        ? await renderDocx(report, { docxFonts: 'none' })
        : kind === 'pdf'
          ? await renderPdf(report)
          : new TextEncoder().encode(await renderHtml(report));
    const imported = await importReport(bytes, `mini.${kind}`);
    expect(imported.gaps).toEqual([]);
    const r = imported.report as unknown as Record<string, unknown>;
    expect(r.format).toBe(MINI);
    expect(r.agency).toBe('测试市信访局');
    expect(r.year).toBe(2025);
    expect(r.summary).toEqual(good.summary);
    expect(r.counts).toEqual({
      consult: { online: 12, offline: 3, total: 15 },
      complaint: { online: 5, offline: 7, total: 12 },
      total: { online: 17, offline: 10, total: 27 },
    });
  });

  it('sums two reports of it, every total recomputed', () => {
    const other = parseReport(input({ consult: { online: 1, offline: 2 }, complaint: { online: 30, offline: 40 } }, '测试市市场监管局'));
    const { report, diagnostics } = sumReports([parseReport(good), other], { agency: '测试市人民政府' });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const r = report as unknown as Record<string, unknown>;
    expect(r.format).toBe(MINI);
    expect(r.counts).toEqual({
      consult: { online: 13, offline: 5, total: 18 },
      complaint: { online: 35, offline: 47, total: 82 },
      total: { online: 48, offline: 52, total: 100 },
    });
    expect(r.preface).toEqual(['本简报统计2025年度咨询和投诉的办理情况。']);
  });

  it('is named nowhere in src/', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
    const named = files(join(ROOT, 'src')).filter((f) => /mini-2025|consult|complaint|简表/.test(readFileSync(f, 'utf8')));
    expect(named).toEqual([]);
  });
});
