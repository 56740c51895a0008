/**
 * A short load on the loopback address (the bench runs the full 200 clerks and 10 reviewers for
 * 60 s, scripts/bench.ts): clerks autosaving and reviewers reading at once, on the embedded engine
 * and on PostgreSQL. No acknowledged save may be lost, none may fail, and the embedded engine's p95
 * save latency stays within the 200 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLoad } from '../scripts/collection-load.js';
import { havePostgres, startCluster, type TestCluster } from './helpers/postgres.js';

const dir = mkdtempSync(join(tmpdir(), 'xxgk-load-'));
let cluster: TestCluster | undefined;
afterAll(() => {
  cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the collection under load', { timeout: 180_000 }, () => {
  it('embedded: 40 clerks saving and 4 reviewers reading for 10 s lose nothing, p95 save ≤ 200 ms', async () => {
    const r = await runLoad({ where: ['--data', join(dir, 'data')], clerks: 40, reviewers: 4, seconds: 10 });
    console.log(`load (embedded): ${JSON.stringify(r)}`);
    expect(r.lost).toEqual([]);
    expect(r.failures).toBe(0);
    expect(r.conflicts).toBe(0);
    expect(r.saves).toBeGreaterThan(40 * 5);
    expect(r.reads).toBeGreaterThan(4 * 10);
    expect(r.saveP95).toBeLessThanOrEqual(200);
  });

  it.skipIf(!havePostgres())('PostgreSQL: the same load loses nothing', async () => {
    cluster = await startCluster();
    const r = await runLoad({ where: ['--database', cluster.newDatabase()], clerks: 40, reviewers: 4, seconds: 10 });
    console.log(`load (postgres): ${JSON.stringify(r)}`);
    expect(r.lost).toEqual([]);
    expect(r.failures).toBe(0);
    expect(r.saves).toBeGreaterThan(40 * 5);
  });
});
