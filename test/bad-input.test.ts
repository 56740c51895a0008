/**
 * The corpus of bad inputs (test/fixtures/bad/cases.json): every case gets the same answer from
 * validate and render — its exit code, a message with the words it must contain, no stack trace
 * and no output file — and a batch names each one and still writes the good report.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/reports.js';

interface Case {
  file: string;
  exit: number;
  contains: string[];
  previous?: string;
  fonts?: string;
}

const FIX = join(ROOT, 'test/fixtures/bad');
const cases: Case[] = JSON.parse(readFileSync(join(FIX, 'cases.json'), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'xxgk-bad-'));
const extra = (c: Case) => [
  ...(c.previous ? ['--previous', join(FIX, c.previous)] : []),
  ...(c.fonts ? ['--fonts', join(FIX, c.fonts)] : []),
];
const name = (c: Case) => `${c.file}${c.fonts ? ` with ${c.fonts}` : ''}`;

describe('bad inputs: one rule for validate and render', () => {
  it('has at least 30 cases', () => expect(cases.length).toBeGreaterThanOrEqual(30));

  it.each(cases.map((c) => [name(c), c] as const))('%s', (_, c) => {
    const input = join(FIX, c.file);
    const v = runCli(['validate', input, ...extra(c)]);
    const out = join(dir, `out-${name(c).replace(/\W+/g, '_')}`);
    const r = runCli(['render', input, '-o', out, ...extra(c)]);
    for (const [cmd, res] of [
      ['validate', v],
      ['render', r],
    ] as const) {
      const text = res.stdout + res.stderr;
      expect(res.code, `${cmd}: ${text}`).toBe(c.exit);
      for (const word of c.contains) expect(text, cmd).toContain(word);
      expect(text, cmd).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
      expect(text, cmd).not.toContain('内部错误');
    }
    let written: string[] = [];
    try {
      written = readdirSync(out);
    } catch {
      written = [];
    }
    expect(written).toEqual([]);
  });
});

describe('bad inputs in a batch', () => {
  it('names every broken report, writes the good one and records all in batch-report.json', () => {
    const input = join(dir, 'batch-in');
    mkdirSync(input);
    const plain = cases.filter((c) => !c.previous && !c.fonts);
    for (const c of plain) copyFileSync(join(FIX, c.file), join(input, c.file));
    copyFileSync(join(ROOT, 'samples/yangshan-2024.json'), join(input, 'good.json'));
    const out = join(dir, 'batch-out');
    const r = runCli(['batch', input, '-o', out, '--jobs', '2']);
    expect(r.code).toBe(1);
    for (const c of plain) expect(r.stderr).toContain(c.file);
    const report = JSON.parse(readFileSync(join(out, 'batch-report.json'), 'utf8'));
    expect(report.summary).toMatchObject({ inputs: plain.length + 1, written: 1, failed: plain.length });
    const good = report.entries.find((e: { input: string }) => e.input.endsWith('good.json'));
    expect(good.status).toBe('written');
    expect(readdirSync(out).sort()).toEqual(['batch-report.json', 'good.docx', 'good.pdf']);
  });
});

describe('batch inputs with one name', () => {
  it('writes the first and fails the others instead of overwriting', () => {
    const a = join(dir, 'dup-a');
    const b = join(dir, 'dup-b');
    mkdirSync(a);
    mkdirSync(b);
    copyFileSync(join(ROOT, 'samples/yangshan-2024.json'), join(a, 'report.json'));
    copyFileSync(join(ROOT, 'samples/qingjiang-bureau-2024.json'), join(b, 'report.json'));
    const out = join(dir, 'dup-out');
    const r = runCli(['batch', a, b, '-o', out, '--pdf', '--jobs', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('输出文件名与');
    const report = JSON.parse(readFileSync(join(out, 'batch-report.json'), 'utf8'));
    expect(report.entries.map((e: { status: string }) => e.status)).toEqual(['written', 'failed']);
  });
});

describe('limits and faults', () => {
  it('refuses a file over 5 MB without reading it whole', () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, `{"agency": "${'长'.repeat(2_000_000)}"}`);
    const r = runCli(['validate', big]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('文件过大');
  });

  it('renders a long but reasonable report (300 paragraphs)', () => {
    const report = JSON.parse(readFileSync(join(ROOT, 'samples/huaian-2024.json'), 'utf8'));
    report.problems = Array.from(
      { length: 300 },
      (_, i) => `第${i + 1}条：持续推进政务公开标准化规范化建设，进一步提升政府信息公开工作质量。`,
    );
    const file = join(dir, 'long.json');
    writeFileSync(file, JSON.stringify(report));
    const out = join(dir, 'long-out');
    const r = runCli(['render', file, '-o', out, '--pdf']);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out)).toEqual(['long.pdf']);
  });

  it('reports an output folder that cannot be written, leaving nothing behind', () => {
    const r = runCli(['render', 'samples/yangshan-2024.json', '-o', '/dev/null/out']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('无法写入输出文件夹');
  });
});

describe('faults', () => {
  // A 96 KB tmpfs: too small for a report, so the write fails with ENOSPC. Needs root to mount.
  const tiny = join(dir, 'tiny');
  mkdirSync(tiny, { recursive: true });
  let mounted = false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=96k', 'tmpfs', tiny], { stdio: 'ignore' });
    mounted = true;
  } catch {
    mounted = false;
  }
  afterAll(() => {
    if (mounted) execFileSync('umount', [tiny], { stdio: 'ignore' });
  });

  it.skipIf(!mounted)('a full disk gives a clear error and leaves no partial file', () => {
    const r = runCli(['render', 'samples/jiangsu-long-2024.json', '-o', tiny]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('磁盘空间不足');
    expect(readdirSync(tiny)).toEqual([]);
  });

  it('a batch stopped with SIGINT leaves only whole files and says so in batch-report.json', async () => {
    const input = join(dir, 'sigint-in');
    mkdirSync(input);
    for (let i = 0; i < 40; i++) copyFileSync(join(ROOT, 'samples/huaian-2024.json'), join(input, `r${String(i).padStart(2, '0')}.json`));
    const out = join(dir, 'sigint-out');
    const child = spawn(process.execPath, [join(ROOT, 'dist/cli/xxgk.js'), 'batch', input, '-o', out, '--jobs', '2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (/\[3\/40\]/.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((res) => child.on('close', res));
    expect(code).toBe(130);
    const files = readdirSync(out);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const report = JSON.parse(readFileSync(join(out, 'batch-report.json'), 'utf8'));
    expect(report.summary.interrupted).toBe(true);
    expect(report.summary.notStarted).toBeGreaterThan(0);
    for (const e of report.entries.filter((x: { status: string }) => x.status === 'written'))
      for (const o of e.outputs) {
        const bytes = readFileSync(o.file);
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(o.sha256);
      }
    expect(files.filter((f) => f.endsWith('.pdf')).length).toBe(report.summary.written);
  });
});
