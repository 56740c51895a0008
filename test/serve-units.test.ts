/** The server's small parts, in process: body limits and timeouts, file names, what a file is. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputFormat } from '../src/serve/formats.js';
import { contentDisposition, HttpError, readBody } from '../src/serve/http.js';
import { importFile } from '../src/serve/import.js';
import { pickReader } from '../src/readers/index.js';
import { rawRequest } from './helpers/serve.js';

describe('readBody', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      readBody(req, 100, 400).then(
        (b) => res.end(`got ${b.length}`),
        (e: unknown) => {
          res.writeHead(e instanceof HttpError ? e.status : 500, { Connection: 'close' });
          res.end();
        },
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('reads a body within the limit', async () => {
    expect(await (await fetch(url, { method: 'POST', body: 'x'.repeat(100) })).text()).toBe('got 100');
  });

  it('stops at the limit: 413, declared or not', async () => {
    expect((await rawRequest(url, `POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n`)).status).toBe(413);
    const chunked = `POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n65\r\n${'x'.repeat(101)}\r\n`;
    expect((await rawRequest(url, chunked)).status).toBe(413);
  });

  it('cuts off a client that sends too slowly: 408', async () => {
    const t0 = performance.now();
    const r = await rawRequest(url, `POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 50\r\n\r\n{"a"`);
    expect(r.status).toBe(408);
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});

describe('download names', () => {
  it('gives the Chinese name as RFC 5987 filename* and an ASCII fallback', () => {
    const cd = contentDisposition('某县人民政府2024年度报告 (草稿).pdf', 'xxgk-report-2024.pdf');
    expect(cd).toBe(
      `attachment; filename="xxgk-report-2024.pdf"; filename*=UTF-8''${encodeURIComponent('某县人民政府2024年度报告 ').replace(/%20/g, '%20')}%28%E8%8D%89%E7%A8%BF%29.pdf`,
    );
    expect(contentDisposition('a/b"c.pdf', 'a"b.pdf')).toBe(`attachment; filename="a_b.pdf"; filename*=UTF-8''a_b_c.pdf`);
  });
});

describe('formats and imports', () => {
  it('knows pdf, docx and html, anything else is unknown', () => {
    expect(outputFormat('pdf')).toMatchObject({ ok: true });
    expect(outputFormat('html')).toMatchObject({ ok: true, format: { extension: '.html', mediaType: 'text/html; charset=utf-8' } });
    expect(outputFormat('odt')).toMatchObject({ ok: false, status: 400 });
    expect(outputFormat('toString')).toMatchObject({ ok: false, status: 400 });
    expect(outputFormat(null)).toMatchObject({ ok: false, status: 400 });
  });

  it('tells a file by its name, its type, then its first bytes', () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    const zip = new Uint8Array([0x50, 0x4b, 3, 4]);
    const kind = (b: Uint8Array, name: string, contentType?: string) => pickReader(b, name, { contentType, otherwise: 'sniff' }).kind;
    expect(kind(zip, 'a.DOCX')).toBe('docx');
    expect(kind(bytes('%PDF-1.7'), '', 'application/pdf')).toBe('pdf');
    expect(kind(bytes('%PDF-1.7'), '', 'application/octet-stream')).toBe('pdf');
    expect(kind(zip, '')).toBe('docx');
    expect(kind(bytes('\uFEFF {"agency":1}'), '')).toBe('json');
    expect(kind(bytes('<!DOCTYPE html><html>'), 'page.xhtml')).toBe('html');
    expect(kind(bytes('<!DOCTYPE html><html>'), '')).toBe('html');
    // The name wins over the type; a document that is not what its name or type says is refused.
    expect(kind(bytes('{}'), 'a.json', 'application/pdf')).toBe('json');
    expect(() => kind(bytes('x'), 'a.DOCX')).toThrow('文件扩展名为 .docx，但内容不是DOCX 文档（实际是无法识别的内容）');
    expect(() => kind(bytes('x'), '', 'application/pdf')).toThrow('文件类型为 application/pdf，但内容不是PDF');
    expect(() => kind(bytes('hello'), '')).toThrow('无法识别的文件类型');
  });

  it('dispatches everything but JSON to the importer: a broken DOCX is refused with its message', async () => {
    const answer = await importFile(new Uint8Array([0x50, 0x4b, 3, 4]), 'last.docx', undefined);
    expect(answer.status).toBe(422);
    expect(answer.diagnostics[0]!.message).toMatch(/DOCX|docx|文件/);
    expect((await importFile(new TextEncoder().encode('hello'), undefined, undefined)).status).toBe(415);
  });
});
