/**
 * `xxgk import https://…`: a page or an attachment fetched with bounded time, size and redirects,
 * and read like a file; a notice page followed to the report it attaches. Everything is served by
 * a local HTTP server on 127.0.0.1 from the corpus fixtures — never a real site.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FETCH_LIMITS, fetchDocument, readUrl } from '../src/app/fetch.js';
import { expectAllNumbers } from './helpers/import.js';
import { CLI, ROOT } from './helpers/reports.js';

const CORPUS = `${ROOT}test/fixtures/import-corpus/`;
const file = (name: string) => readFileSync(`${CORPUS}${name}`);
const expected = (name: string) => JSON.parse(readFileSync(`${CORPUS}${name}.expected.json`, 'utf8'));

const notice = (href: string) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>关于公布2024年度政府信息公开工作年度报告的通知</title></head><body>
<p>根据《中华人民共和国政府信息公开条例》规定，现将我市2024年度政府信息公开工作年度报告予以公布。</p>
<p>附件：<a href="/files/guide.pdf">政府信息公开指南.pdf</a>&nbsp;<a href="${href}">淮安市人民政府2024年度政府信息公开工作年度报告.pdf</a></p>
</body></html>`;

let server: Server;
let base: string;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = decodeURIComponent(req.url ?? '/');
    hits.push(path);
    const send = (type: string, body: string | Buffer) => res.writeHead(200, { 'content-type': type }).end(body);
    if (path === '/cms/department.html') send('text/html; charset=utf-8', file('cms-department.html'));
    else if (path === '/notice.html') send('text/html; charset=utf-8', notice('/files/2024年报.pdf'));
    else if (path === '/files/2024年报.pdf') send('application/pdf', file('lo-department.pdf'));
    else if (path === '/download?id=7') send('application/pdf', file('lo-department.pdf'));
    else if (path === '/cms-notice.html')
      send('text/html; charset=utf-8', notice('/module/download/downfile.jsp?classid=0&filename=2024ndbg.pdf'));
    else if (path === '/module/download/downfile.jsp?classid=0&filename=2024ndbg.pdf')
      send('application/octet-stream', file('lo-department.pdf'));
    else if (path === '/moved') res.writeHead(302, { location: '/cms/department.html' }).end();
    else if (path.startsWith('/loop')) res.writeHead(302, { location: `/loop${path.length}` }).end();
    else if (path === '/big.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf' });
      const chunk = Buffer.alloc(1 << 20, 0x20);
      let n = 0;
      const more = () => {
        while (n < 8 && res.write(chunk)) n++;
        if (n >= 8) res.end();
        else res.once('drain', () => more());
      };
      more();
    } else if (path === '/slow.html')
      res.writeHead(200, { 'content-type': 'text/html' }).write('<html>'); // never ends
    else res.writeHead(404).end('not found');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

describe('reading a report at a URL', () => {
  it('a portal page is read like a file', async () => {
    const { read, url } = await readUrl(`${base}/cms/department.html`);
    expect(read.kind).toBe('html');
    expect(read.gaps).toEqual([]);
    expect(url).toBe(`${base}/cms/department.html`);
    expect(expectAllNumbers(read.report, expected('cms-department'))).toBe(200);
  });

  it('a notice page is followed to the report it attaches, said in a note', async () => {
    const { read, url, via } = await readUrl(`${base}/notice.html`);
    expect(read.kind).toBe('pdf');
    expect(read.gaps).toEqual([]);
    expect(url).toBe(`${base}/files/${encodeURI('2024年报.pdf')}`);
    expect(via).toBe(`${base}/notice.html`);
    expect(expectAllNumbers(read.report, expected('lo-department'))).toBe(200);
    expect(read.notes[0]!.message).toContain('中没有报告的表格，已读取其附件');
    expect(hits).not.toContain('/files/guide.pdf'); // the link that says it is the report, not the first one
  });

  it('a CMS download link (file name in the query, served as octet-stream) is followed and read by its content', async () => {
    const { read, via } = await readUrl(`${base}/cms-notice.html`);
    expect(via).toBe(`${base}/cms-notice.html`);
    expect(read.kind).toBe('pdf');
    expect(read.gaps).toEqual([]);
  });

  it('an attachment without an extension is read by its media type; a redirect is followed', async () => {
    expect((await readUrl(`${base}/download?id=7`)).read.kind).toBe('pdf');
    expect((await readUrl(`${base}/moved`)).read.gaps).toEqual([]);
  });

  it('refuses too many redirects, a body over 5 MB, a server that does not finish, an HTTP error, a refused connection', async () => {
    const refusal = (p: Promise<unknown>, text: string) =>
      expect(p).rejects.toMatchObject({
        kind: 'input',
        diagnostics: [expect.objectContaining({ code: 'FETCH', message: expect.stringContaining(text) })],
      });
    await refusal(fetchDocument(`${base}/loop`), '重定向超过 5 次');
    await refusal(fetchDocument(`${base}/big.pdf`), '文件过大');
    const started = Date.now();
    await refusal(fetchDocument(`${base}/slow.html`, { ...FETCH_LIMITS, timeoutMs: 400 }), '超过');
    expect(Date.now() - started).toBeLessThan(3000);
    await refusal(fetchDocument(`${base}/nothing.html`), 'HTTP 404');
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    await refusal(fetchDocument(`http://127.0.0.1:${port}/x.html`), '连接被拒绝');
  });

  it('xxgk import <url> writes the report JSON; a failing URL exits 2 with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xxgk-url-'));
    const run = (args: string[]) =>
      new Promise<{ code: number; stderr: string }>((done) =>
        execFile(process.execPath, [CLI, ...args], { cwd: dir }, (err, _out, stderr) =>
          done({ code: err ? (err.code as number) : 0, stderr }),
        ),
      );
    const ok = await run(['import', `${base}/notice.html`, '-o', dir]);
    expect(ok.code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'notice.json'), 'utf8'));
    expect(expectAllNumbers(report, expected('lo-department'))).toBe(200);
    const bad = await run(['import', `${base}/nothing.html`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('服务器返回 HTTP 404');
  });
});
