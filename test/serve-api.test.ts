/** `xxgk serve`'s HTTP API against a real running server (dist/ build). */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, blank, runCli } from './helpers/reports.js';
import { rawRequest, serve, type Served } from './helpers/serve.js';

const sample = readFileSync(join(ROOT, 'samples/huaian-2024.json'));
const r1 = readFileSync(join(ROOT, 'samples/invalid/huaian-2024-r1.json'));
const title = '淮安市人民政府2024年度政府信息公开工作年度报告';

let server: Served;
beforeAll(async () => {
  server = await serve();
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

// A string body is sent as application/json (fetch would say text/plain, which no API takes: issue 27).
const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
  fetch(new URL(path, server.url), {
    method: 'POST',
    body,
    headers: typeof body === 'string' ? { 'content-type': 'application/json', ...headers } : headers,
  });

describe('POST /api/validate', () => {
  it('answers 200 with the rule diagnostics, as the CLI words them', async () => {
    const ok = await post('/api/validate', sample);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ diagnostics: [] });
    const bad = await post('/api/validate', r1);
    expect(bad.status).toBe(200);
    const { diagnostics } = await bad.json();
    expect(diagnostics).toContainEqual({
      code: 'R1',
      severity: 'error',
      path: 'applications.*.naturalPerson',
      message: expect.stringContaining('表三 自然人 列：第一项加第二项之和 376 ≠ 第三项加第四项之和 375'),
    });
    const cli = runCli(['validate', '--json', join(ROOT, 'samples/invalid/huaian-2024-r1.json')]);
    expect(diagnostics).toEqual(JSON.parse(cli.stdout).diagnostics);
  });

  it('answers 400 for unreadable JSON and for schema errors, with the path and the label', async () => {
    const broken = await post('/api/validate', '{"agency": "x",\n}');
    expect(broken.status).toBe(400);
    expect((await broken.json()).diagnostics[0]).toMatchObject({ code: 'JSON', message: expect.stringContaining('第 2 行第 1 列') });
    const b = blank();
    b.applications.granted.research = -1;
    const schema = await post('/api/validate', JSON.stringify(b));
    expect(schema.status).toBe(400);
    expect((await schema.json()).diagnostics[0]).toMatchObject({ code: 'R7', path: 'applications.granted.research' });
  });

  it('reports a character no font has (GLYPH)', async () => {
    const b = blank();
    b.problems = ['表情😀'];
    const { diagnostics } = await (await post('/api/validate', JSON.stringify(b))).json();
    expect(diagnostics.map((d: { code: string }) => d.code)).toContain('GLYPH');
    // The editor's people have no command line: no CLI flag in what they are told.
    const glyph = diagnostics.find((d: { code: string }) => d.code === 'GLYPH');
    expect(glyph.message).toContain('😀');
    expect(glyph.message).not.toMatch(/--[a-z]/);
    expect(glyph.hint).toBe('fonts');
  });
});

describe('POST /api/render', () => {
  it('returns the PDF with its type and the Chinese file name (RFC 5987) plus an ASCII fallback', async () => {
    const res = await post('/api/render?format=pdf', sample);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const cd = res.headers.get('content-disposition')!;
    expect(cd).toMatch(/^attachment; filename="xxgk-report-2024\.pdf"; filename\*=UTF-8''/);
    expect(decodeURIComponent(cd.split("UTF-8''")[1]!)).toBe(`${title}.pdf`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('returns the DOCX', async () => {
    const res = await post('/api/render?format=docx', sample);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(decodeURIComponent(res.headers.get('content-disposition')!.split("UTF-8''")[1]!)).toBe(`${title}.docx`);
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
  });

  it('answers 422 naming R1 for a rule error; draft=1 renders it anyway', async () => {
    const res = await post('/api/render?format=pdf', r1);
    expect(res.status).toBe(422);
    const { diagnostics } = await res.json();
    expect(diagnostics.map((d: { code: string }) => d.code)).toContain('R1');
    const draft = await post('/api/render?format=pdf&draft=1', r1);
    expect(draft.status).toBe(200);
    expect(Number(draft.headers.get('x-xxgk-errors'))).toBeGreaterThan(0);
  });

  it('answers 400 for an unknown format, bad JSON or a schema error; HTML is the portal page', async () => {
    expect((await post('/api/render?format=odt', sample)).status).toBe(400);
    expect((await post('/api/render', sample)).status).toBe(400);
    expect((await post('/api/render?format=pdf', '{')).status).toBe(400);
    expect((await post('/api/render?format=pdf', '{"agency": 1}')).status).toBe(400);
    const html = await post('/api/render?format=html', sample);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-disposition')).toMatch(/\.html/);
    const page = await html.text();
    expect(page).toContain('<html lang="zh-CN"');
    expect(page).toContain(JSON.parse(sample.toString('utf8')).agency);
    // The same page as `xxgk render --html` writes.
    const out = mkdtempSync(join(tmpdir(), 'xxgk-serve-html-'));
    expect(runCli(['render', 'samples/huaian-2024.json', '--html', '-o', out]).code).toBe(0);
    expect(page).toBe(readFileSync(join(out, 'huaian-2024.html'), 'utf8'));
  });

  it('answers 413 for a body over 5 MB', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024 + 1, 0x20);
    const res = await post('/api/render?format=pdf', big);
    expect(res.status).toBe(413);
    expect((await res.json()).diagnostics[0].code).toBe('TOO_LARGE');
  });

  it('answers 413 from the declared length, without waiting for the body', async () => {
    const r = await rawRequest(server.url, `POST /api/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 6000000\r\n\r\n{`);
    expect(r.status).toBe(413);
  });

  it('16 renders at once give the same bytes, and the same as xxgk render', { timeout: 180_000 }, async () => {
    const all = await Promise.all(Array.from({ length: 16 }, () => post('/api/render?format=pdf', sample)));
    expect(all.map((r) => r.status)).toEqual(new Array(16).fill(200));
    const bodies = await Promise.all(all.map(async (r) => Buffer.from(await r.arrayBuffer())));
    for (const b of bodies) expect(b.equals(bodies[0]!)).toBe(true);
    const out = mkdtempSync(join(tmpdir(), 'xxgk-serve-'));
    expect(runCli(['render', join(ROOT, 'samples/huaian-2024.json'), '-o', out, '--pdf']).code).toBe(0);
    expect(readFileSync(join(out, 'huaian-2024.pdf')).equals(bodies[0]!)).toBe(true);
  });

  it('a client stuck sending its body holds no worker: others are served meanwhile', async () => {
    const stuck = rawRequest(
      server.url,
      `POST /api/render?format=pdf HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{"agency"`,
      { waitMs: 3000 },
    );
    const stuck2 = rawRequest(
      server.url,
      `POST /api/render?format=pdf HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{"agency"`,
      { waitMs: 3000 },
    );
    const res = await post('/api/render?format=pdf', sample);
    expect(res.status).toBe(200);
    await Promise.all([stuck, stuck2]);
  });
});

describe('POST /api/import and /api/next-year', () => {
  it('imports a JSON report (by type, by ?filename= or by its first bytes)', async () => {
    for (const [path, headers] of [
      ['/api/import', { 'content-type': 'application/json' }],
      ['/api/import?filename=2024.json', {}],
      ['/api/import', {}],
    ] as const) {
      const res = await post(path, sample, headers);
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.report.agency).toBe('淮安市人民政府');
      expect(body.diagnostics).toEqual([]);
    }
    const bad = await post('/api/import?filename=x.json', '{"agency": 1}');
    expect(bad.status).toBe(400);
  });

  it('imports a filled official template as DOCX, PDF and HTML; refuses a file that is not what its name says', {
    timeout: 120_000,
  }, async () => {
    const expected = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/import/template-filled.json'), 'utf8'));
    for (const ext of ['docx', 'pdf', 'html']) {
      const res = await post(
        `/api/import?filename=template-filled.${ext}`,
        readFileSync(join(ROOT, `test/fixtures/import/template-filled.${ext}`)),
      );
      expect(res.status, ext).toBe(200);
      const body = await res.json();
      expect(body.gaps, ext).toEqual([]);
      expect(body.report.agency, ext).toBe(expected.agency);
      expect(body.report.applications.received, ext).toMatchObject(expected.applications.received);
      expect(body.report.reviewsAndLawsuits, ext).toMatchObject(expected.reviewsAndLawsuits);
    }
    const fake = await post('/api/import?filename=a.pdf', 'x');
    expect(fake.status).toBe(422);
    expect((await fake.json()).diagnostics[0].message).toMatch(/PDF/);
  });

  it('gives next year’s skeleton', async () => {
    const res = await post('/api/next-year', readFileSync(join(ROOT, 'samples/huaian-2023.json')));
    expect(res.status).toBe(200);
    const { report } = await res.json();
    expect(report.year).toBe(2024);
    // The carried numbers without their 总计 (computed, never written: issue 26, item 3).
    expect(report.applications.carriedOver).toEqual({
      naturalPerson: 12,
      commercial: 2,
      research: 0,
      publicInterest: 0,
      legalService: 1,
      other: 0,
    });
    expect(report.proactive.regulations).toEqual({ issued: 0, repealed: 0, inForce: 37 });
  });
});

describe('routing and limits', () => {
  it('answers 404 for unknown paths and any path traversal, 405 for the wrong method', async () => {
    expect((await fetch(new URL('/nothing', server.url))).status).toBe(404);
    expect((await fetch(new URL('/api/nothing', server.url))).status).toBe(404);
    for (const path of [
      '/../package.json',
      '/%2e%2e/',
      '/%2e%2e/package.json',
      '/..%2fpackage.json',
      '/./index.html',
      '//etc/passwd',
      '/app.js/..',
    ])
      expect((await rawRequest(server.url, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`)).status, path).toBe(404);
    const get = await fetch(new URL('/api/validate', server.url));
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    const r = await rawRequest(server.url, `GET /api/info HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`);
    expect(r.status).toBe(403);
  });

  it('serves the editor from memory, gzip-compressed when asked, with a strict Content-Security-Policy', async () => {
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<form id="report"');
    const js = await fetch(new URL('/app.js', server.url), { headers: { 'accept-encoding': 'gzip' } });
    expect(js.headers.get('content-encoding')).toBe('gzip');
    expect((await js.text()).length).toBeGreaterThan(10_000);
    const again = await fetch(new URL('/app.js', server.url), { headers: { 'if-none-match': js.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('tells what it can render', async () => {
    expect(await (await fetch(new URL('/api/info', server.url))).json()).toMatchObject({ formats: ['pdf', 'docx', 'html'] });
  });

  it('answers 503 with Retry-After when the queue is full', { timeout: 180_000 }, async () => {
    const all = await Promise.all(Array.from({ length: 40 }, () => post('/api/render?format=pdf', sample)));
    const statuses = all.map((r) => r.status);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 503 && s !== 200)).toEqual([]);
    const busy = all.find((r) => r.status === 503)!;
    expect(busy.headers.get('retry-after')).toBe('5');
    await Promise.all(all.map((r) => r.arrayBuffer()));
  });
});

describe('start-up', () => {
  it('says in Chinese when the port is taken, and exits 2', async () => {
    const port = new URL(server.url).port;
    const r = runCli(['serve', '--port', port]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`端口 ${port} 已被占用`);
    expect(runCli(['serve', '--port', 'x']).code).toBe(2);
  });
});

describe('shutdown', () => {
  it('SIGTERM lets the request in flight finish and exits 0', async () => {
    const s = await serve();
    // Warm (fonts parsed), then a render in flight when the signal comes.
    expect(
      (await fetch(new URL('/api/validate', s.url), { method: 'POST', body: sample, headers: { 'content-type': 'application/json' } }))
        .status,
    ).toBe(200);
    const pending = fetch(new URL('/api/render?format=pdf', s.url), {
      method: 'POST',
      body: sample,
      headers: { 'content-type': 'application/json' },
    });
    await new Promise((r) => setTimeout(r, 150));
    const code = s.stop();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect(await code).toBe(0);
  });
});
