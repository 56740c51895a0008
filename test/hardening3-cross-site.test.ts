/**
 * Issue 27, class 3: cross-site requests. A page on another origin (a second local server on
 * another port) auto-submits text/plain forms to `xxgk serve` in a real Chromium: nothing is
 * rendered, imported or downloaded, and the server logs each refusal. Over raw HTTP: a foreign
 * Origin is 403, a body type a form can send is 415, and only exact loopback names (or the
 * configured host) are served.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/reports.js';
import { rawRequest, serve, type Served } from './helpers/serve.js';

const CHROMIUM = '/usr/bin/chromium';
const sample = readFileSync(join(ROOT, 'samples/huaian-2024.json'), 'utf8');

let server: Served;
let evil: Server;
let evilUrl: string;
beforeAll(async () => {
  server = await serve();
  const target = new URL(server.url);
  // The attacker's page: three forms, each posting text/plain to the editor's server, submitted on load.
  const form = (name: string, action: string) =>
    `<form id="${name}" method="POST" enctype="text/plain" target="${name}-frame" action="${new URL(action, target)}">` +
    `<input name='${sample.slice(0, -2).replace(/'/g, '&#39;')}, "x":"' value='"}'></form><iframe name="${name}-frame"></iframe>`;
  const page =
    `<!doctype html><html><body>${form('render', '/api/render?format=docx')}${form('import', '/api/import?filename=a.json')}` +
    `${form('validate', '/api/validate')}<script>for (const f of document.forms) f.submit();` +
    `fetch(${JSON.stringify(new URL('/api/import?filename=b.json', target).href)}, {method:'POST', mode:'no-cors', body: new Blob(['{}'])}).catch(()=>{});</script></body></html>`;
  evil = createServer((_, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(page);
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
  evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  evil?.close();
  expect(await server.stop()).toBe(0);
});

describe('a page on another origin cannot use the server through the browser', () => {
  it.skipIf(!existsSync(CHROMIUM))(
    'auto-submitted text/plain forms and a no-cors fetch are refused (403), nothing downloads',
    { timeout: 60_000 },
    async () => {
      const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      try {
        const context = await browser.newContext({ acceptDownloads: true });
        const page = await context.newPage();
        const downloads: string[] = [];
        page.on('download', (d) => downloads.push(d.suggestedFilename()));
        const answers: { url: string; status: number }[] = [];
        page.on('response', (r) => {
          if (r.url().startsWith(server.url)) answers.push({ url: r.url(), status: r.status() });
        });
        await page.goto(evilUrl);
        await expect.poll(() => answers.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
        await new Promise((r) => setTimeout(r, 1_000));
        expect(downloads).toEqual([]);
        for (const a of answers) expect(a.status, a.url).toBe(403);
        const log = server.output();
        for (const path of ['/api/render?format=docx', '/api/import?filename=a.json', '/api/validate', '/api/import?filename=b.json'])
          expect(log).toContain(`拒绝 POST ${path}（403 CROSS_SITE`);
        // The server is alive and still serves its own page.
        expect((await fetch(new URL('/api/info', server.url))).status).toBe(200);
      } finally {
        await browser.close();
      }
    },
  );
});

describe('over HTTP: Origin, content types, host names', () => {
  const req = (path: string, headers: Record<string, string>, body = sample) => {
    const lines = Object.entries({
      Host: new URL(server.url).host,
      Connection: 'close',
      'Content-Length': String(Buffer.byteLength(body)),
      ...headers,
    })
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n');
    return rawRequest(server.url, `POST ${path} HTTP/1.1\r\n${lines}\r\n\r\n${body}`, { waitMs: 5_000 });
  };

  it('a foreign Origin, a null Origin or a cross-site Sec-Fetch-Site is 403 and gets no PDF', { timeout: 30_000 }, async () => {
    const cases: Record<string, string>[] = [
      { Origin: 'http://evil.example', 'Content-Type': 'text/plain' },
      { Origin: 'http://evil.example', 'Content-Type': 'application/json' },
      { Origin: 'null', 'Content-Type': 'application/json' },
      { Origin: `http://127.0.0.1:1`, 'Content-Type': 'application/json' },
      { 'Sec-Fetch-Site': 'cross-site', 'Content-Type': 'application/json' },
      { 'Sec-Fetch-Site': 'same-site', 'Content-Type': 'application/json' },
    ];
    for (const headers of cases) {
      const r = await req('/api/render?format=pdf', headers);
      expect(r.status, JSON.stringify(headers)).toBe(403);
      expect(r.text).not.toContain('%PDF-');
      expect(r.text).toContain('CROSS_SITE');
    }
  });

  it('the server’s own Origin with application/json renders', { timeout: 30_000 }, async () => {
    const r = await req('/api/render?format=pdf', {
      Origin: new URL(server.url).origin,
      'Content-Type': 'application/json',
      'Sec-Fetch-Site': 'same-origin',
    });
    expect(r.status).toBe(200);
    expect(r.text).toContain('%PDF-');
  });

  it('a body type an HTML form can send is 415 on every API, even without an Origin', { timeout: 30_000 }, async () => {
    for (const path of ['/api/render?format=pdf', '/api/validate', '/api/next-year', '/api/import?filename=a.json'])
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const r = await req(path, { 'Content-Type': type });
        expect(r.status, `${path} ${type}`).toBe(415);
        expect(r.text).toContain('CONTENT_TYPE');
      }
    // The import takes a file as its own body: a reader's type, octet-stream or none.
    for (const type of ['application/json', 'application/octet-stream'])
      expect((await req('/api/import?filename=a.json', { 'Content-Type': type })).status, type).toBe(200);
  });

  it('only exact loopback host names are served', { timeout: 30_000 }, async () => {
    const port = new URL(server.url).port;
    for (const host of [
      '127.evil.example',
      '127.0.0.1.nip.io',
      `127.0.0.1.nip.io:${port}`,
      'evil.example',
      'localhost.evil.example',
      '127.1',
    ])
      expect((await rawRequest(server.url, `GET /api/info HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)).status, host).toBe(403);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost', `[::1]:${port}`])
      expect((await rawRequest(server.url, `GET /api/info HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)).status, host).toBe(200);
  });
});
