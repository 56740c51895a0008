/**
 * Issue 27, class 6: every command stops within 1.5 s of SIGINT or SIGTERM, including while it
 * waits on a FIFO that has no writer and while it cannot make its output folder (`-o /proc/x`,
 * where Node's recursive mkdir spun at full CPU).
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, ROOT } from './helpers/reports.js';

const dir = mkdtempSync(join(tmpdir(), 'xxgk-h3s-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fifo = join(dir, 'fifo');
execFileSync('mkfifo', [fifo]);
symlinkSync(fifo, join(dir, 'fifo.json'));
const sample = join(ROOT, 'samples/huaian-2024.json');

/** Start the command, signal it after `afterMs`, and measure how long it takes to go. */
function stopTime(
  args: string[],
  signal: NodeJS.Signals,
  afterMs = 1_000,
): Promise<{ ms: number; code: number | null; signal: string | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve) => {
    let sent = 0;
    const kill = setTimeout(() => child.kill('SIGKILL'), afterMs + 5_000);
    child.on('exit', (code, sig) => {
      clearTimeout(kill);
      resolve({ ms: sent ? performance.now() - sent : -1, code, signal: sig, stderr });
    });
    setTimeout(() => {
      sent = performance.now();
      child.kill(signal);
    }, afterMs);
  });
}

describe('class 6: every command stops within 1.5 s', () => {
  const cases: [string, string[]][] = [
    ['validate a FIFO with no writer', ['validate', 'fifo']],
    ['import a FIFO with no writer', ['import', 'fifo.json']],
    ['render a FIFO with no writer', ['render', 'fifo.json', '-o', 'out']],
    ['sum a FIFO with no writer', ['sum', 'fifo.json', '--agency', '某县人民政府', '-o', 's.json']],
    ['batch a FIFO with no writer', ['batch', 'fifo.json', '-o', 'bout']],
    ['review a FIFO with no writer', ['review', 'fifo.json', '-o', 'rout']],
    ['init --from a FIFO with no writer', ['init', '--from', 'fifo.json']],
  ];
  for (const [name, args] of cases)
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      it(`${name}: ${signal}`, { timeout: 15_000 }, async () => {
        const r = await stopTime(args, signal);
        if (r.ms < 0) {
          // Done before the signal came (a worker reads a FIFO without waiting: empty): refused,
          // exit 2 (a batch lists the failed input and exits 1).
          expect([1, 2], r.stderr).toContain(r.code);
          expect(r.stderr).toMatch(/[\u4e00-\u9fff]/u);
        } else expect(r.ms, r.stderr).toBeLessThan(1_500);
        expect(r.signal ?? String(r.code), r.stderr).not.toBe('SIGKILL');
        expect(r.stderr).not.toMatch(/\n\s+at /u);
      });

  it('render -o /proc/x without a signal: refused at once, exit 2', { timeout: 15_000 }, async () => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI, 'render', sample, '-o', '/proc/x'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, stderr).toBe(2);
    expect(stderr).toContain('/proc/x');
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});
