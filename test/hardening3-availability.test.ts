/**
 * Issue 27, class 8: availability. Hundreds of idle or half-open connections do not lock new
 * clients out; a large JSON body of unknown keys is refused early and parsed off the server's
 * main thread (other requests are answered meanwhile); `validate` refuses it at once too.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/reports.js';
import { serve, type Served } from './helpers/serve.js';

const dir = mkdtempSync(join(tmpdir(), 'xxgk-h3a-'));
const sample = JSON.parse(readFileSync(join(ROOT, 'samples/huaian-2024.json'), 'utf8'));
/** A report with 250,000 unknown keys (about 3 MB, under the 5 MB body limit). */
const manyKeys = (() => {
  const r = structuredClone(sample);
  for (let i = 0; i < 250_000; i++) r.proactive[`k${i}`] = 1;
  return JSON.stringify(r);
})();

let server: Served;
beforeAll(async () => {
  server = await serve();
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
  rmSync(dir, { recursive: true, force: true });
});

const timed = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const v = await f();
  return [v, performance.now() - t0];
};

describe('class 8: availability', () => {
  it('300 idle and 300 half-open connections: a new client is still answered within 2 s', { timeout: 60_000 }, async () => {
    const { hostname, port } = new URL(server.url);
    const sockets: Socket[] = [];
    const open = (partial: boolean) =>
      new Promise<void>((resolve) => {
        const s = connect(Number(port), hostname, () => {
          if (partial) s.write('POST /api/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le');
          resolve();
        });
        s.on('error', () => resolve());
        sockets.push(s);
      });
    try {
      for (let i = 0; i < 300; i++) await open(false);
      for (let i = 0; i < 300; i++) await open(true);
      const [res, ms] = await timed(() => fetch(new URL('/api/info', server.url), { signal: AbortSignal.timeout(5_000) }));
      expect(res.status).toBe(200);
      expect(ms).toBeLessThan(2_000);
      const [render, rms] = await timed(() =>
        fetch(new URL('/api/validate', server.url), {
          method: 'POST',
          body: JSON.stringify(sample),
          headers: { 'content-type': 'application/json' },
        }),
      );
      expect(render.status).toBe(200);
      expect(rms).toBeLessThan(5_000);
    } finally {
      for (const s of sockets) s.destroy();
    }
  });

  it('250,000 unknown keys: 400 at once, and the server answers others meanwhile', { timeout: 60_000 }, async () => {
    const pending = timed(() =>
      fetch(new URL('/api/validate', server.url), { method: 'POST', body: manyKeys, headers: { 'content-type': 'application/json' } }),
    );
    // While it is read, other requests are answered.
    await new Promise((r) => setTimeout(r, 200));
    const [info, infoMs] = await timed(() => fetch(new URL('/api/info', server.url)));
    expect(info.status).toBe(200);
    expect(infoMs).toBeLessThan(1_000);
    const [res, ms] = await pending;
    expect(res.status).toBe(400);
    expect((await res.json()).diagnostics[0].message).toContain('字段过多');
    expect(ms).toBeLessThan(5_000);
  });

  it('xxgk validate refuses the same file in well under 10 s, exit 2', () => {
    const file = join(dir, 'keys.json');
    writeFileSync(file, manyKeys);
    const t0 = performance.now();
    const r = runCli(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('字段过多');
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});
