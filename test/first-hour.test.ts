/**
 * Issue 26, "a clerk's first hour", outside the browser: the blank and next year's skeleton write
 * no totals and state nothing that may be false, a stale total says how to fix it, empty text is
 * an error for a final render, the preface's gap is flagged, and `--name title` names the CLI's
 * outputs as the editor names its downloads. (The editor's items: test/editor-first-hour.test.ts.)
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blankReport } from '../src/model/blank.js';
import { runRules } from '../src/rules/index.js';
import { blank, parsed, ROOT, runCli } from './helpers/reports.js';

const dir = mkdtempSync(join(tmpdir(), 'xxgk-first-hour-'));
const write = (name: string, content: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
};
const TITLE = '淮安市人民政府2024年度政府信息公开工作年度报告';

describe('3. init writes no totals; a stale total says how to fix it', () => {
  it('init --from writes no "total", and filling the numbers in gives no false R1/R2/R3', () => {
    const r = runCli(['init', '--from', join(ROOT, 'samples/huaian-2023.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('"total"');
    const next = JSON.parse(r.stdout);
    // The clerk fills in one consistent column: 10 received, 12 carried over, 15 granted, 7 carried forward.
    next.applications.received.naturalPerson = 10;
    next.applications.granted.naturalPerson = 15;
    next.applications.carriedForward.naturalPerson = 7;
    const codes = JSON.parse(runCli(['validate', write('filled.json', next), '--json']).stdout).diagnostics.map(
      (d: { code: string }) => d.code,
    );
    expect(codes.filter((c: string) => /^R[1-4]$/.test(c))).toEqual(
      // The other carried columns (商业企业 2, 法律服务机构 1) are not handled yet: R1 for them and for 总计.
      ['R1', 'R1', 'R1'],
    );
  });

  it('init (blank) writes no "total" either', () => {
    const r = runCli(['init', '--agency', '某某镇人民政府', '--year', '2025']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('"total"');
  });

  it('a stale total names the fix: delete it and let the program add up', () => {
    const b = blank();
    b.applications.received.naturalPerson = 3; // 总计 of the row still says 0
    const ds = runRules(parsed(b)).filter((d) => d.code === 'R3');
    expect(ds[0]!.message).toBe(
      '表三 一、本年新收政府信息公开申请数量 行：总计 0 ≠ 自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他之和 3（合计与明细不符：可删除 total 让程序计算）',
    );
  });
});

describe('4. nothing pre-filled that may be false', () => {
  it('the blank has the fee heading and no sentence; the fee check fires until one is written', () => {
    const b = blankReport('某某镇人民政府', 2025);
    expect(JSON.stringify(b)).not.toContain('未收取');
    const filled = blank();
    filled.other[0].paragraphs = [];
    expect(runRules(parsed(filled)).map((d) => d.code)).toContain('FEE_SECTION');
  });
});

describe('5. empty text', () => {
  it('a report with no text at all: each empty part an error naming it; validate exits 1, render refuses, a draft renders', () => {
    const b = blank();
    for (const s of b.overview.sections) s.paragraphs = [];
    b.problems = [];
    b.other = [];
    const ds = runRules(parsed(b)).filter((d) => d.code === 'EMPTY_TEXT');
    expect(ds.map((d) => [d.severity, d.path, d.message])).toEqual([
      ['error', 'overview.sections', '一、总体情况 没有任何文字：正式报告须填写这一部分（草稿可以暂时空着）'],
      ['error', 'problems', '五、存在的主要问题及改进情况 没有任何文字：正式报告须填写这一部分（草稿可以暂时空着）'],
      ['error', 'other', '六、其他需要报告的事项 没有任何文字：正式报告须填写这一部分（草稿可以暂时空着）'],
    ]);
    const file = write('empty.json', b);
    expect(runCli(['validate', file]).code).toBe(1);
    const out = join(dir, 'empty-out');
    const final = runCli(['render', file, '-o', out, '--pdf']);
    expect(final.code).toBe(1);
    expect(final.stderr).toContain('一、总体情况 没有任何文字');
    expect(existsSync(join(out, 'empty.pdf'))).toBe(false);
    const draft = runCli(['render', file, '-o', out, '--pdf', '--draft']);
    expect(draft.code).toBe(1);
    expect(existsSync(join(out, 'empty.pdf'))).toBe(true);
  });

  it('whitespace is no text; a single empty section is a warning that names it', () => {
    const b = blank();
    b.overview.sections[3].paragraphs = ['  '];
    const ds = runRules(parsed(b));
    expect(ds).toEqual([
      {
        code: 'EMPTY_SECTION',
        severity: 'warning',
        path: 'overview.sections[3].paragraphs',
        message: '一、总体情况 （四）政府信息公开平台建设 只有小标题，没有文字：请补充，或删除这一小节',
      },
    ]);
  });

  it('the published samples (some with empty sections) have no EMPTY_TEXT error', () => {
    for (const name of readdirSync(join(ROOT, 'samples')).filter((n) => n.endsWith('.json'))) {
      const json = JSON.parse(readFileSync(join(ROOT, 'samples', name), 'utf8'));
      expect(runRules(parsed(json)).filter((d) => d.severity === 'error')).toEqual([]);
    }
  });
});

describe('1. the preface names the agency', () => {
  it('flags the gap of a preface written before the agency was known', () => {
    const b = blank();
    b.preface = blankReport('', 2024).preface;
    expect(b.preface[0]).toContain('本报告由按照');
    const ds = runRules(parsed(b)).filter((d) => d.code === 'PREFACE_AGENCY');
    expect(ds).toEqual([
      {
        code: 'PREFACE_AGENCY',
        severity: 'warning',
        path: 'preface[0]',
        message: '前言第 1 段“本报告由按照……”缺少机关名称：请在“由”和“按照”之间填写编制本报告的机关',
      },
    ]);
    expect(runRules(parsed(blank())).filter((d) => d.code === 'PREFACE_AGENCY')).toEqual([]);
  });
});

describe('8. --name title', () => {
  it('render and batch name outputs after the title, as the editor does; file names by default', () => {
    const sample = join(ROOT, 'samples/huaian-2024.json');
    const out = join(dir, 'named');
    const r = runCli(['render', sample, '-o', out, '--html', '--name', 'title']);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out)).toEqual([`${TITLE}.html`]);
    const byFile = runCli(['render', sample, '-o', join(dir, 'by-file'), '--html']);
    expect(byFile.code).toBe(0);
    expect(readdirSync(join(dir, 'by-file'))).toEqual(['huaian-2024.html']);

    // A report with its own title, with a character no file name may hold.
    const titled = { ...JSON.parse(readFileSync(sample, 'utf8')), title: '淮安市人民政府2024年度/政府信息公开工作年度报告' };
    const batchOut = join(dir, 'batch-named');
    const b = runCli(['batch', sample, write('titled.json', titled), '-o', batchOut, '--html', '--name', 'title']);
    expect(b.code, b.stderr).toBe(0);
    expect(readdirSync(batchOut).sort()).toEqual(
      ['batch-report.json', `${TITLE}.html`, '淮安市人民政府2024年度_政府信息公开工作年度报告.html'].sort(),
    );
  });

  it('two reports with one title would overwrite each other: render refuses, batch writes the first only', () => {
    const sample = join(ROOT, 'samples/huaian-2024.json');
    const copy = write('copy.json', readFileSync(sample, 'utf8'));
    const r = runCli(['render', sample, copy, '-o', join(dir, 'clash'), '--html', '--name', 'title']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`输出文件名相同（${TITLE}）`);
    const out = join(dir, 'clash-batch');
    const b = runCli(['batch', sample, copy, '-o', out, '--html', '--name', 'title']);
    expect(b.code).toBe(1);
    expect(readdirSync(out).sort()).toEqual(['batch-report.json', `${TITLE}.html`].sort());
    expect(runCli(['render', sample, '--name', 'x']).stderr).toContain('title');
  });
});
