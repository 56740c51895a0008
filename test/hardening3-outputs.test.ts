/**
 * Issue 27, classes 4, 5 and the output half of 9: no run writes over what it reads, through a
 * link, onto a device, or one output over another; summaries are marked and never summed again;
 * a summary and its workbook are written together or not at all. Every refusal is exit 2 before
 * any work, with the file named, and the files involved are left as they were.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { CLI, ROOT, runCli } from './helpers/reports.js';

const root = mkdtempSync(join(tmpdir(), 'xxgk-h3o-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const sample = JSON.parse(readFileSync(join(ROOT, 'samples/huaian-2024.json'), 'utf8'));
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

let dir: string;
let m: string;
let n = 0;
beforeEach(() => {
  dir = join(root, `case-${n++}`);
  m = join(dir, 'm');
  mkdirSync(m, { recursive: true });
  for (let i = 1; i <= 3; i++) writeFileSync(join(m, `unit${i}.json`), JSON.stringify({ ...sample, agency: `测试县第${i}局` }, null, 2));
});

const AGENCY = ['--agency', '测试县人民政府办公室'];

/** Exit 2, the refusal named, and every file given left byte for byte as it was. */
function refusedUnchanged(args: string[], files: string[], words: string[]) {
  const before = files.map((f) => (existsSync(f) ? sha(f) : undefined));
  const r = runCli(args, { cwd: dir });
  expect(r.code, r.stderr).toBe(2);
  for (const w of words) expect(r.stderr).toContain(w);
  expect(r.stderr).not.toMatch(/\n\s+at /u);
  expect(files.map((f) => (existsSync(f) ? sha(f) : undefined))).toEqual(before);
  return r;
}

describe('class 4: an output is never an input, a link, a device or another output', () => {
  it('sum m -o m/unit2.json: refused, the member kept', () => {
    refusedUnchanged(['sum', m, ...AGENCY, '-o', join(m, 'unit2.json')], [join(m, 'unit2.json')], ['[OUTPUT_CLASH]', '也是输入文件']);
  });

  it('batch m --xlsx m/unit3.json: refused before rendering anything', () => {
    const out = join(dir, 'out');
    refusedUnchanged(['batch', m, '-o', out, '--pdf', '--xlsx', join(m, 'unit3.json')], [join(m, 'unit3.json')], ['[OUTPUT_CLASH]']);
    expect(existsSync(join(out, 'unit1.pdf'))).toBe(false);
  });

  it('sum -o prev.json --previous prev.json: last year’s summary kept', () => {
    const prev = join(dir, 'prev.json');
    writeFileSync(prev, JSON.stringify({ ...sample, year: 2023, agency: '测试县人民政府办公室' }));
    refusedUnchanged(['sum', m, ...AGENCY, '-o', prev, '--previous', prev], [prev], ['[OUTPUT_CLASH]', 'prev.json']);
  });

  it('-o same --xlsx same: one output over the other is refused', () => {
    const same = join(dir, 'same');
    refusedUnchanged(['sum', m, ...AGENCY, '-o', same, '--xlsx', same], [], ['[OUTPUT_CLASH]', '是同一个文件']);
    expect(existsSync(same)).toBe(false);
  });

  it('a batch whose input is its own batch-report.json', () => {
    const out = join(dir, 'out');
    mkdirSync(out);
    const own = join(out, 'batch-report.json');
    writeFileSync(own, JSON.stringify(sample));
    refusedUnchanged(['batch', own, '-o', out, '--pdf'], [own], ['[OUTPUT_CLASH]']);
  });

  it('a link as an output (to a member, to another file, to a device) is refused; a device is never replaced', () => {
    const toMember = join(dir, 'link-member.json');
    symlinkSync(join(m, 'unit1.json'), toMember);
    refusedUnchanged(['sum', m, ...AGENCY, '-o', toMember], [join(m, 'unit1.json')], ['[OUTPUT_CLASH]']);
    const other = join(dir, 'other.json');
    writeFileSync(other, 'keep me');
    const toOther = join(dir, 'link-other.json');
    symlinkSync(other, toOther);
    refusedUnchanged(['sum', m, ...AGENCY, '-o', toOther], [other], ['[OUTPUT_CLASH]', '符号链接']);
    expect(lstatSync(toOther).isSymbolicLink()).toBe(true);
    const toNull = join(dir, 'null.json');
    symlinkSync('/dev/null', toNull);
    refusedUnchanged(['sum', m, ...AGENCY, '-o', toNull], [], ['[OUTPUT_CLASH]']);
    refusedUnchanged(['sum', m, ...AGENCY, '-o', join(dir, 's.json'), '--xlsx', '/dev/null'], [], ['[OUTPUT_CLASH]', '不是普通文件']);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(existsSync(join(dir, 's.json'))).toBe(false);
  });

  it('render and import: an output that is an input or a link is refused', () => {
    const out = join(dir, 'r');
    mkdirSync(out);
    const victim = join(dir, 'victim.pdf');
    writeFileSync(victim, 'keep me');
    symlinkSync(victim, join(out, 'unit1.pdf'));
    refusedUnchanged(['render', join(m, 'unit1.json'), '-o', out, '--pdf'], [victim], ['[OUTPUT_CLASH]', '符号链接']);
    refusedUnchanged(['import', join(m, 'unit1.json'), '-o', join(m, 'unit1.json')], [join(m, 'unit1.json')], ['[OUTPUT_CLASH]']);
  });

  it('review -o m, where m holds a review.json among the reports', () => {
    writeFileSync(join(m, 'review.json'), JSON.stringify({ ...sample, agency: '测试县第9局' }));
    refusedUnchanged(['review', m, '-o', m], [join(m, 'review.json')], ['[OUTPUT_CLASH]']);
  });

  it('a new name and an existing regular output file still work', () => {
    const s = join(dir, 's.json');
    expect(runCli(['sum', m, ...AGENCY, '-o', s], { cwd: dir }).code).toBe(0);
    expect(runCli(['sum', m, ...AGENCY, '-o', s], { cwd: dir }).code).toBe(0);
  });
});

describe('class 5: a summary is never summed again', () => {
  it('the summary is marked, and a marked member or one of the summing agency is refused', () => {
    const s = join(dir, 's.json');
    expect(runCli(['sum', m, ...AGENCY, '-o', s], { cwd: dir }).code).toBe(0);
    const summary = JSON.parse(readFileSync(s, 'utf8'));
    expect(summary.summaryOf).toEqual({ members: 3 });
    // The marked summary validates like any report: a skeleton whose text is still to be written
    // (EMPTY_TEXT), and no other error.
    const checked = runCli(['validate', s, '--json']);
    const errors = (JSON.parse(checked.stdout).diagnostics as { code: string; severity: string }[]).filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.filter((d) => d.code !== 'EMPTY_TEXT')).toEqual([]);
    // Copied (renamed) into the member folder: refused, even with --draft.
    writeFileSync(join(m, 'zz-copy.json'), JSON.stringify({ ...summary, agency: '别的名称' }));
    for (const extra of [[], ['--draft']]) {
      const r = runCli(['sum', m, ...AGENCY, '-o', join(dir, 's2.json'), ...extra], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('[SUM_OF_SUM]');
      expect(r.stderr).toContain('是汇总报告');
      expect(existsSync(join(dir, 's2.json'))).toBe(false);
    }
    rmSync(join(m, 'zz-copy.json'));
    // The office's own report among its members, unmarked.
    writeFileSync(join(m, 'own.json'), JSON.stringify({ ...sample, agency: '测试县人民政府办公室' }));
    const own = runCli(['sum', m, ...AGENCY, '-o', join(dir, 's3.json')], { cwd: dir });
    expect(own.code).toBe(2);
    expect(own.stderr).toContain('机关名称与汇总机关“测试县人民政府办公室”相同');
  });
});

describe('class 9: a summary and its workbook are committed together', () => {
  it('when the workbook cannot be written, the summary is not left either', () => {
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'x');
    const s = join(dir, 'ok', 's.json');
    const r = runCli(['sum', m, ...AGENCY, '-o', s, '--xlsx', join(blocker, 'wb.xlsx')], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not-a-folder');
    expect(existsSync(s)).toBe(false);
  });

  it('sum --draft with rule errors exits 1, as render --draft does', () => {
    writeFileSync(join(m, 'unit1.json'), readFileSync(join(ROOT, 'samples/invalid/huaian-2024-r1.json')));
    const r = runCli(['sum', m, ...AGENCY, '-o', join(dir, 'd.json'), '--draft'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(existsSync(join(dir, 'd.json'))).toBe(true);
  });
});

describe('class 9: batch --xlsx reads each input once', () => {
  it.skipIf(!existsSync('/usr/bin/strace'))(
    'each input is opened once, by the render; the workbook shows what it read',
    { timeout: 60_000 },
    () => {
      const trace = join(dir, 'trace.txt');
      execFileSync(
        '/usr/bin/strace',
        ['-f', '-e', 'trace=openat', '-o', trace, process.execPath, CLI, 'batch', 'm', '-o', 'out', '--pdf', '--xlsx', 'out/w.xlsx'],
        {
          cwd: dir,
          stdio: 'ignore',
        },
      );
      expect(existsSync(join(dir, 'out', 'w.xlsx'))).toBe(true);
      const opens = readFileSync(trace, 'utf8')
        .split('\n')
        .filter((l) => /openat\(.*"m\/unit\d\.json"/u.test(l) && !l.includes('O_DIRECTORY'));
      expect(opens.map((l) => /unit\d/u.exec(l)![0]).sort()).toEqual(['unit1', 'unit2', 'unit3']);
    },
  );
});
