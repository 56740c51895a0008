import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blank, runCli } from './helpers/reports.js';

const dir = mkdtempSync(join(tmpdir(), 'xxgk-cli-'));
const write = (name: string, content: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};

describe('xxgk validate', () => {
  it('exits 0 for a valid report', () => {
    const r = runCli(['validate', write('ok.json', blank())]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('检查通过');
  });

  it('exits 1 and prints every rule error', () => {
    const b = blank();
    b.applications.received.naturalPerson = 5;
    b.applications.received.total = 5;
    b.reviewsAndLawsuits.review.total = 2;
    const r = runCli(['validate', write('rule.json', b)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('错误 [R1] 表三 自然人 列：第一项加第二项之和 5 ≠ 第三项加第四项之和 0');
    expect(r.stdout).toContain('错误 [R4] 表四 行政复议：总计 2');
    expect(r.stdout).toContain('未通过：3 个错误');
  });

  it('--json prints the diagnostics as JSON', () => {
    const b = blank();
    b.reviewsAndLawsuits.review.total = 2;
    const r = runCli(['validate', '--json', write('rule-json.json', b)]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(false);
    expect(out.diagnostics).toEqual([expect.objectContaining({ code: 'R4', severity: 'error', path: 'reviewsAndLawsuits.review.total' })]);
  });

  it('exits 2 for a schema error, naming the path and the label, without a stack trace', () => {
    const b = blank();
    b.applications.granted.research = -1;
    const r = runCli(['validate', write('schema.json', b)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('applications.granted.research');
    expect(r.stderr).toContain('表三 三、本年度办理结果 （一）予以公开 / 申请人情况 法人或其他组织 科研机构');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 for a character no font has, and names the option that takes other fonts', () => {
    const b = blank();
    b.problems = ['表情😀'];
    const r = runCli(['validate', write('glyph.json', b)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/错误 \[GLYPH\] .*😀.*--fonts/);
  });

  it('exits 2 for unreadable input', () => {
    expect(runCli(['validate', join(dir, 'missing.json')]).stderr).toContain('文件不存在');
    expect(runCli(['validate', join(dir, 'missing.json')]).code).toBe(2);
    const r = runCli(['validate', write('broken.json', '{"agency": "x",\n}')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('第 2 行第 1 列');
  });

  it('checks against last year with --previous', () => {
    const now = blank();
    now.applications.carriedOver.other = 1;
    now.applications.carriedOver.total = 1;
    now.applications.carriedForward.other = 1;
    now.applications.carriedForward.total = 1;
    const last = blank('测试县人民政府', 2023);
    const r = runCli(['validate', write('now.json', now), '--previous', write('last.json', last)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('错误 [R5] 表三 其他 列');
    const wrongYear = runCli(['validate', write('now2.json', blank()), '--previous', write('old.json', blank('测试县人民政府', 2021))]);
    expect(wrongYear.code).toBe(1);
    expect(wrongYear.stdout).toContain('上年报告的报告年度为 2021 年，应为 2023 年');
  });
});

describe('xxgk schema and init', () => {
  it('prints the JSON Schema of the model', () => {
    const r = runCli(['schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['agency', 'year', 'applications', 'reviewsAndLawsuits']));
    expect(schema.required).toEqual(expect.arrayContaining(['agency', 'year', 'proactive']));
  });

  it('prints a blank report that validates but for the text still to write (EMPTY_TEXT)', () => {
    const r = runCli(['init', '--agency', '某某镇人民政府', '--year', '2025']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.overview.sections.map((s: { heading: string }) => s.heading)).toEqual([
      '主动公开',
      '依申请公开',
      '政府信息管理',
      '政府信息公开平台建设',
      '监督保障',
    ]);
    // A blank is not a final report: its only errors are the parts with no text yet.
    const v = runCli(['validate', write('init.json', r.stdout), '--json']);
    expect(v.code).toBe(1);
    const errors = JSON.parse(v.stdout).diagnostics.filter((d: { severity: string }) => d.severity === 'error');
    expect(errors.map((d: { code: string; path: string }) => `${d.code} ${d.path}`)).toEqual([
      'EMPTY_TEXT overview.sections',
      'EMPTY_TEXT problems',
      // 六 has the fee's heading and no sentence: the clerk writes it (nothing pre-filled that may be false).
      'EMPTY_TEXT other',
    ]);
  });

  it('refuses a bad year for init', () => {
    const r = runCli(['init', '--agency', '某某镇人民政府', '--year', '25']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('报告年度应为');
  });
});
