/**
 * `xxgk review` from the outside: a region's folder of reports in every form (a PDF that
 * LibreOffice made from the official template, a DOCX, an HTML page, JSON, a broken file) with
 * planted problems, last year's reports and a roster; the exit code, the findings as JSON, and the
 * three files an office reads.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReport, renderDocx, renderHtml } from '../src/index.js';
import { ROOT, readJson, runCli } from './helpers/reports.js';
import { requireTool } from './helpers/tools.js';

const dir = mkdtempSync(join(tmpdir(), 'xxgk-review-'));
const cur = join(dir, 'cur');
const prev = join(dir, 'prev');
const out = join(dir, 'out');
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

interface Finding {
  unit: string;
  file: string;
  code: string;
  severity: string;
  message: string;
}

let copied = '';

beforeAll(async () => {
  mkdirSync(cur);
  mkdirSync(prev);
  // 淮安市人民政府 2024: a PDF made by LibreOffice from the official template (not by us).
  copyFileSync(join(ROOT, 'test/fixtures/import/template-filled.pdf'), join(cur, '淮安市人民政府2024年报.pdf'));
  copyFileSync(join(ROOT, 'samples/huaian-2023.json'), join(prev, '淮安市人民政府2023.json'));
  // 清江浦区市场监督管理局: a DOCX whose 五 copies a passage of 淮安市人民政府's report.
  const huaian = readJson('samples/huaian-2024.json');
  const q = clone(readJson('samples/qingjiang-bureau-2024.json'));
  copied = huaian.problems[1].replaceAll('我市', '我局');
  q.problems = [copied];
  writeFileSync(join(cur, 'qingjiang.docx'), await renderDocx(parseReport(q)));
  // 羊山镇: an HTML page with 五 saying nothing, signed after the deadline.
  const y = clone(readJson('samples/yangshan-2024.json'));
  y.problems = ['无。'];
  y.signature = { name: y.agency, date: '2025-02-20' };
  writeFileSync(join(cur, 'yangshan.html'), await renderHtml(parseReport(y)));
  // A file that claims to be a DOCX and is not.
  writeFileSync(join(cur, 'broken.docx'), 'not a zip at all');
  writeFileSync(join(dir, 'roster.txt'), '单位名称\n淮安市政府\n淮安市清江浦区市场监督管理局\n金乡县羊山镇人民政府\n淮安市教育局\n');
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('xxgk review of a folder with planted problems', () => {
  let findings: Finding[] = [];
  let code: number | null = null;

  beforeAll(() => {
    const r = runCli(['review', cur, '--previous', prev, '--roster', join(dir, 'roster.txt'), '-o', out, '--json']);
    code = r.code;
    findings = JSON.parse(r.stdout);
    expect(r.stderr).toContain('审核了 4 份报告');
  }, 120_000);

  it('exits 1 and lists each planted problem under its unit', () => {
    expect(code).toBe(1);
    const has = (unit: string, c: string) => findings.some((f) => f.unit === unit && f.code === c);
    expect(has('淮安市教育局', 'MISSING_UNIT')).toBe(true);
    expect(findings.find((f) => f.code === 'UNREADABLE')).toMatchObject({
      file: expect.stringContaining('broken.docx'),
      severity: 'error',
    });
    expect(has('淮安市人民政府', 'CROSS_UNIT_COPY')).toBe(true);
    expect(has('淮安市清江浦区市场监督管理局', 'CROSS_UNIT_COPY')).toBe(true);
    expect(has('金乡县羊山镇人民政府', 'EMPTY_PART')).toBe(true);
    const late = findings.filter((f) => f.code === 'LATE');
    // Our HTML page carries the portal's PubDate (the signature date): the review reads it there.
    expect(late.find((f) => f.unit === '金乡县羊山镇人民政府')?.message).toBe(
      '发布日期 2025-02-20（取自网页的发布日期（PubDate））晚于截止日期 2025-01-31',
    );
    // LibreOffice wrote the template's PDF long after January: its creation date is what it states.
    expect(late.find((f) => f.unit === '淮安市人民政府')?.message).toMatch(
      /^发布日期 \d{4}-\d{2}-\d{2}（取自PDF 的创建日期）晚于截止日期 2025-01-31$/u,
    );
    for (const f of findings) {
      expect(Object.keys(f)).toEqual(expect.arrayContaining(['unit', 'file', 'code', 'severity', 'message']));
      expect(['error', 'warning']).toContain(f.severity);
    }
  });

  it('reads the PDF LibreOffice made from the template, and finds where its text and tables disagree', () => {
    // fill-template --distinct gave every cell its own number; the text is huaian-2024's (test/fixtures/import/README.md).
    const tables = readJson('test/fixtures/import/template-filled.json');
    const received = Object.entries(tables.applications.received as Record<string, number>).reduce(
      (s, [k, v]) => (k === 'total' ? s : s + v),
      0,
    );
    const own = findings.filter((f) => f.unit === '淮安市人民政府');
    const tt = own.filter((f) => f.code === 'TEXT_TABLE');
    expect(tt.map((f) => f.message)).toContainEqual(
      `一、总体情况 （二）依申请公开 第1段写“全年新收政府信息公开申请417件”（417 件），表三 一、本年新收政府信息公开申请数量 / 总计 为 ${received}：文字与表格不一致`,
    );
    // Matched to last year's report by its agency: the cross-year rules ran.
    expect(own.some((f) => f.code === 'R5')).toBe(true);
    const json = JSON.parse(readFileSync(join(out, 'review.json'), 'utf8'));
    expect(json.units.find((u: { unit: string }) => u.unit === '淮安市人民政府')).toMatchObject({
      rosterName: '淮安市政府',
      previousFile: expect.stringContaining('淮安市人民政府2023.json'),
      status: 'error',
    });
  });

  it('writes a page that shows the worst units first and marks the copied passage', () => {
    const html = readFileSync(join(out, 'review.html'), 'utf8');
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).not.toMatch(/<script|<link|src=/u);
    const order = ['淮安市教育局', 'broken.docx', '金乡县羊山镇人民政府'].map((u) => html.indexOf(`. ${u}</h3>`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const marks = [...html.matchAll(/<mark>([^<]+)<\/mark>/gu)].map((m) => m[1]!);
    expect(marks.some((m) => m.length >= 50 && copied.includes(m))).toBe(true);
  });

  it('writes a workbook with a sheet of units and a sheet of findings, filtered and frozen', async () => {
    const { default: excel } = await import('exceljs');
    const wb = new excel.Workbook();
    await wb.xlsx.load(readFileSync(join(out, 'review.xlsx')) as unknown as ArrayBuffer);
    const units = wb.getWorksheet('单位')!;
    const sheet = wb.getWorksheet('问题')!;
    expect(sheet.rowCount).toBe(findings.length + 1);
    expect(sheet.getRow(1).values).toEqual([undefined, '单位', '文件', '代码', '类别', '级别', '位置', '说明']);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBeTruthy();
    expect(units.getColumn(1).values).toContain('淮安市教育局');
    const missing = units.getColumn(3).values;
    expect(missing).toContain('未报送');
  });
});

describe('xxgk review refuses what it cannot use', () => {
  it('exits 2 for a folder with no report, a bad deadline or a bad threshold, writing nothing', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const none = runCli(['review', empty, '-o', join(dir, 'o1')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('没有找到报告文件');
    const date = runCli(['review', cur, '-o', join(dir, 'o2'), '--deadline', '2025-02-30']);
    expect(date.code).toBe(2);
    expect(date.stderr).toContain('截止日期“2025-02-30”无法识别');
    const repeat = runCli(['review', cur, '-o', join(dir, 'o3'), '--repeat', '50%']);
    expect(repeat.code).toBe(2);
    expect(repeat.stderr).toContain('--repeat 应为 0 与 1 之间的小数');
    expect(() => readFileSync(join(dir, 'o2', 'review.json'))).toThrow();
  });

  it('exits 0 for clean reports (warnings only)', () => {
    const clean = join(dir, 'clean');
    mkdirSync(clean);
    for (const n of ['huaian-2024', 'jiangsu-long-2024', 'yangshan-2024'])
      copyFileSync(join(ROOT, `samples/${n}.json`), join(clean, `${n}.json`));
    const r = runCli(['review', clean, '-o', join(dir, 'o4')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('错误 0 个');
  });
});

const chromium = requireTool('chromium', 'chromium', 'Chromium');

describe.skipIf(!chromium)('review.html in a browser', () => {
  it('reads on a desktop and on a phone without sideways scrolling, and axe-core finds no WCAG 2.1 AA violation', async () => {
    const out4 = join(dir, 'browser');
    expect(runCli(['review', cur, '--previous', prev, '--roster', join(dir, 'roster.txt'), '-o', out4]).code).toBe(1);
    const { chromium: browserType } = await import('playwright-core');
    const browser = await browserType.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    try {
      for (const viewport of [
        { width: 1280, height: 900 },
        { width: 390, height: 844 },
      ]) {
        // The page's CSP allows no script: axe is injected around it, as a reader's extension would be.
        const page = await browser.newPage({ viewport, bypassCSP: true });
        await page.goto(`file://${join(out4, 'review.html')}`);
        const widths = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
        expect(widths[0], `${viewport.width}`).toBeLessThanOrEqual(widths[1]!);
        // The worst unit is first in the table, and its row's status is visible without scrolling.
        expect(await page.locator('tbody tr').first().innerText()).toContain('淮安市教育局');
        await page.evaluate(axe);
        const violations = await page.evaluate(async () => {
          const a = (window as unknown as { axe: { run: (d: Document, o: unknown) => Promise<{ violations: { id: string }[] }> } }).axe;
          const r = await a.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
          return r.violations.map((v) => v.id);
        });
        expect(violations, `${viewport.width}`).toEqual([]);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  }, 120_000);
});

describe('xxgk review of a portal page by its URL', () => {
  it('reads the page from a local server and dates it by its PubDate', async () => {
    // A CMS page (the import corpus's, not our writer's) with the portal's publication date.
    const page = readFileSync(join(ROOT, 'test/fixtures/import-corpus/cms-department.html'), 'utf8').replace(
      '<meta name="ColumnName"',
      '<meta name="PubDate" content="2025-02-10 09:30"><meta name="ColumnName"',
    );
    const server = createServer((req, res) => {
      if (req.url === '/2025/ndbg.html') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      else res.writeHead(404).end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/2025/ndbg.html`;
      const { execFile } = await import('node:child_process');
      const r = await new Promise<{ code: number | null; stdout: string }>((done) =>
        execFile(process.execPath, [join(ROOT, 'dist/cli/xxgk.js'), 'review', url, '-o', join(dir, 'url-out'), '--json'], (e, stdout) =>
          done({ code: e ? ((e as { code?: number }).code ?? null) : 0, stdout }),
        ),
      );
      const findings = JSON.parse(r.stdout) as Finding[];
      expect(findings.filter((f) => f.code === 'UNREADABLE')).toEqual([]);
      expect(findings.find((f) => f.code === 'LATE')).toMatchObject({
        unit: '淮安市人民政府',
        file: url,
        message: '发布日期 2025-02-10（取自网页的发布日期（PubDate））晚于截止日期 2025-01-31',
      });
      expect(r.code).toBe(1);
    } finally {
      server.close();
    }
  }, 60_000);
});
