/**
 * The one render pool (src/app/pool.ts), as the built package runs it (worker threads need the
 * compiled worker: `npm run build` first): a report file (render, batch) and a report in memory
 * (serve) are the same job to it, a full queue says so, and a job past its deadline fails without
 * taking the pool down.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/reports.js';

const lib = (await import(`${ROOT}dist/src/index.js`)) as typeof import('../src/index.js');
const file = `${ROOT}samples/qingjiang-bureau-2024.json`;
const report = lib.parseReport(readFileSync(file));
const pools: InstanceType<typeof lib.WorkerPool>[] = [];
afterAll(() => Promise.all(pools.map((p) => p.close())));
const pool = (options: ConstructorParameters<typeof lib.WorkerPool>[0]) => {
  const p = new lib.WorkerPool(options);
  pools.push(p);
  return p;
};

describe('the render pool', () => {
  it('renders a file and the same report in memory to the same bytes, as the library does', async () => {
    const p = pool({ threads: 2, jobs: { formats: ['html'] } });
    const [fromFile, fromMemory] = await Promise.all([
      p.submit({ input: file }),
      p.submit({ input: 'memory', stem: 'q', report }, { formats: ['html'] }),
    ]);
    if (!fromFile.ok || !fromMemory.ok) throw new Error(JSON.stringify([fromFile.diagnostics, fromMemory.diagnostics]));
    expect(fromFile.outputs.map((o) => o.name)).toEqual(['qingjiang-bureau-2024.html']);
    expect(fromMemory.outputs.map((o) => o.name)).toEqual(['q.html']);
    const page = new TextEncoder().encode(await lib.renderHtml(report));
    expect(Buffer.from(fromFile.outputs[0]!.bytes).equals(Buffer.from(page))).toBe(true);
    expect(Buffer.from(fromMemory.outputs[0]!.bytes).equals(Buffer.from(page))).toBe(true);
  }, 60_000);

  it('a bad file fails as its own job, named, and the pool goes on', async () => {
    const p = pool({ threads: 1, jobs: { formats: ['html'] } });
    const bad = await p.submit({ input: `${ROOT}samples/invalid/huaian-2024-r1.json` });
    expect(bad.ok).toBe(false);
    expect(bad.diagnostics.map((d) => d.code)).toContain('R1');
    expect((await p.submit({ input: file })).ok).toBe(true);
  }, 60_000);

  it('refuses a job when every thread is busy and the queue is full', async () => {
    const p = pool({ threads: 1, queue: 1, jobs: { formats: ['pdf'] } });
    const running = p.submit({ input: file });
    const waiting = p.submit({ input: file });
    expect(() => p.submit({ input: file })).toThrow(lib.PoolBusy);
    expect((await running).ok).toBe(true);
    expect((await waiting).ok).toBe(true);
  }, 60_000);

  it('fails a job past its deadline and replaces its thread', async () => {
    const p = pool({ threads: 1, jobTimeoutMs: 1, jobs: { formats: ['pdf', 'docx'] } });
    const late = await p.submit({ input: file });
    expect(late.ok).toBe(false);
    expect(late.diagnostics[0]!.message).toContain('生成超时');
  }, 60_000);
});
