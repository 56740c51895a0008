/**
 * `xxgk serve`: the web editor and the HTTP API in one process, on Node's own `http` module.
 *
 * Routes (JSON in; documents or JSON out; the same checks and messages as the CLI):
 *   GET  /                 the editor (static files held in memory, see assets.ts)
 *   GET  /api/info         what this server can do (formats, limits)
 *   POST /api/validate     report → { diagnostics }
 *   POST /api/render       report → PDF / DOCX (?format=pdf|docx|html&draft=1&pdfa=1)
 *   POST /api/import       a report file (JSON, DOCX, PDF, HTML) → { report, diagnostics }
 *   POST /api/next-year    last year's report → { report } for the next year
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validate } from '../app/check.js';
import { PoolBusy, WorkerPool } from '../app/pool.js';
import { hasErrors, ReportError, type Diagnostic, type ErrorKind } from '../diagnostics.js';
import { loadFontSet } from '../fonts/index.js';
import { formFor } from '../../layouts/index.js';
import { parseReportValue } from '../model/load.js';
import { readReport, reportOf as checkedReport } from '../readers/index.js';
import { WRITER_IDS } from '../writers/index.js';
import { nextYearReport } from '../model/next-year.js';
import { LIMITS, type Report } from '../model/schema.js';
import { loadAssets, type Asset } from './assets.js';
import { availableFormats, outputFormat } from './formats.js';
import { contentDisposition, diag, HttpError, readBody, sendJson } from './http.js';
import { importFile } from './import.js';
import { createCollection } from './collection/index.js';
import type { Store } from '../store/index.js';
import type { Summariser } from './collection/publish.js';

export interface ServeOptions {
  port?: number;
  host?: string;
  /** Render threads (default 2). */
  threads?: number;
  /** Render jobs that may wait for a thread (default 16). */
  queue?: number;
  /** Time allowed for a request body to arrive (default 15 s). */
  bodyTimeoutMs?: number;
  /** Time allowed for one render (default 60 s). */
  jobTimeoutMs?: number;
  /** The office's collection (units, accounts, workflow) on this store; without it, the single-user editor. */
  collection?: { store: Store; log?: (line: string) => void; summarize?: Summariser };
}

export interface RunningServer {
  url: string;
  port: number;
  /** The editor's files were found (dist/web built). */
  editor: boolean;
  /** Stop accepting; let requests in flight finish for up to `graceMs`, then cut them off. */
  close(graceMs?: number): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const isLoopback = (host: string) => LOOPBACK.has(host) || host.startsWith('127.');

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'SAMEORIGIN',
  // Everything the editor needs is served from here; blob: is the preview and the downloads.
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; " +
    "frame-src 'self' blob:; object-src 'self' blob:; worker-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none'",
};

/** The HTTP status of each kind of failure. */
const STATUS: Record<ErrorKind, number> = { input: 400, rule: 422, glyph: 422, internal: 500 };

type Handler = (req: IncomingMessage, res: ServerResponse, query: URLSearchParams, signal: AbortSignal) => Promise<void>;

export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 15_000;
  const assets = loadAssets();
  const pool = new WorkerPool({
    threads: options.threads ?? 2,
    queue: options.queue ?? 16,
    jobTimeoutMs: options.jobTimeoutMs ?? 60_000,
    // Every writer is loaded (and the fonts readied for it) before the first request.
    jobs: { formats: WRITER_IDS },
  });

  const collection =
    options.collection &&
    createCollection({
      ...options.collection,
      bodyTimeoutMs,
      render: (report, formats, signal) => {
        const title = report.title ?? formFor(report.format).defaultTitle(report.agency, report.year);
        try {
          return pool.submit({ input: title, stem: title, report }, { formats }, signal);
        } catch (e) {
          if (e instanceof PoolBusy)
            throw new HttpError(503, [diag('BUSY', '服务器正忙：同时生成的报告过多，请稍后再试')], { 'Retry-After': '5' });
          throw e;
        }
      },
    });

  const body = (req: IncomingMessage) => readBody(req, LIMITS.fileBytes, bodyTimeoutMs);

  /**
   * A report from a request body, through the readers' table (JSON unless its Content-Type names
   * another reader); unreadable input or a schema error is a 400.
   */
  const reportOf = async (req: IncomingMessage, query: URLSearchParams): Promise<Report> => {
    const bytes = await body(req);
    try {
      const read = await readReport(bytes, query.get('filename') ?? '', { contentType: req.headers['content-type'], otherwise: 'json' });
      return checkedReport(read);
    } catch (e) {
      if (e instanceof ReportError) throw new HttpError(400, e.diagnostics);
      throw e;
    }
  };

  const api: Record<string, Handler> = {
    async '/api/validate'(req, res, query) {
      const report = await reportOf(req, query);
      sendJson(res, 200, { diagnostics: validate(report) });
    },

    async '/api/render'(req, res, query, signal) {
      const lookup = outputFormat(query.get('format'));
      if (!lookup.ok) throw new HttpError(lookup.status, [diag('FORMAT', lookup.message, 'format')]);
      const { format } = lookup;
      const report = await reportOf(req, query);
      const title = report.title ?? formFor(report.format).defaultTitle(report.agency, report.year);
      const flag = (k: string) => ['1', 'true', 'yes'].includes(query.get(k) ?? '');
      let pending;
      try {
        pending = pool.submit(
          { input: title, stem: title, report },
          { formats: [format.id], draft: flag('draft'), pdfa: flag('pdfa') },
          signal,
        );
      } catch (e) {
        if (e instanceof PoolBusy)
          throw new HttpError(503, [diag('BUSY', '服务器正忙：同时生成的报告过多，请稍后再试')], { 'Retry-After': '5' });
        throw e;
      }
      const result = await pending;
      if (signal.aborted) return;
      if (!result.ok) {
        const status = STATUS[result.kind];
        sendJson(res, status, { diagnostics: result.diagnostics });
        return;
      }
      const out = result.outputs[0]!;
      res.writeHead(200, {
        'Content-Type': format.mediaType,
        'Content-Length': out.bytes.length,
        'Content-Disposition': contentDisposition(`${title}${format.extension}`, `xxgk-report-${report.year}${format.extension}`),
        'Cache-Control': 'no-store',
        'X-Xxgk-Errors': String(result.diagnostics.filter((d) => d.severity === 'error').length),
        'X-Xxgk-Warnings': String(result.diagnostics.filter((d) => d.severity === 'warning').length),
        ...SECURITY_HEADERS,
      });
      res.end(out.bytes);
    },

    async '/api/import'(req, res, query) {
      const bytes = await body(req);
      const answer = await importFile(bytes, query.get('filename') ?? undefined, req.headers['content-type']);
      if (answer.status !== 200 || !('report' in answer)) sendJson(res, answer.status, { diagnostics: answer.diagnostics });
      else sendJson(res, 200, { report: answer.report, diagnostics: answer.diagnostics, ...(answer.gaps ? { gaps: answer.gaps } : {}) });
    },

    async '/api/next-year'(req, res, query) {
      const last = await reportOf(req, query);
      const report = nextYearReport(last);
      const parsed = parseReportValue(report);
      const diagnostics: Diagnostic[] = parsed.ok ? [] : parsed.diagnostics;
      sendJson(res, hasErrors(diagnostics) ? 422 : 200, { report, diagnostics });
    },
  };

  const info = () => ({ tool: 'xxgk-report', formats: availableFormats(), limits: { bodyBytes: LIMITS.fileBytes } });

  const serveAsset = (req: IncomingMessage, res: ServerResponse, asset: Asset) => {
    const headers = {
      'Content-Type': asset.type,
      ETag: asset.etag,
      'Cache-Control': 'no-cache',
      Vary: 'Accept-Encoding',
      ...SECURITY_HEADERS,
    };
    if (req.headers['if-none-match'] === asset.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const gzip = asset.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? asset.gzip! : asset.body;
    res.writeHead(200, { ...headers, 'Content-Length': body.length, ...(gzip ? { 'Content-Encoding': 'gzip' } : {}) });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  let inFlight = 0;
  let idle: (() => void) | undefined;

  const server = createServer(
    // Slow clients are cut off: headers within 10 s, the whole request within 30 s.
    { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000 },
    (req, res) => {
      inFlight++;
      const controller = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) controller.abort();
        if (--inFlight === 0) idle?.();
      });
      handle(req, res, controller.signal).catch((e: unknown) => fail(req, res, e));
    },
  );
  server.maxConnections = 256;

  async function handle(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    // The raw path, never normalised: `/../x` and `/%2e%2e/` match nothing and are 404.
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    // A server bound to this machine answers only requests addressed to this machine (DNS rebinding).
    const hostHeader = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    if (isLoopback(host) && !isLoopback(hostHeader))
      return sendJson(res, 403, { diagnostics: [diag('HOST', `不接受发往 ${hostHeader || '(空)'} 的请求：本服务只供本机访问`)] });

    if (collection && (await collection.handle(req, res, path, query, signal))) return;
    const handler = Object.hasOwn(api, path) ? api[path] : undefined;
    if (handler) {
      if (req.method !== 'POST')
        return sendJson(res, 405, { diagnostics: [diag('METHOD', `${path} 只接受 POST 请求`)] }, { Allow: 'POST' });
      return handler(req, res, query, signal);
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (path === '/api/info') return sendJson(res, 200, info());
      const asset = assets.get(path);
      if (asset) return serveAsset(req, res, asset);
      if (path === '/' && !assets.size) {
        res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('网页编辑器尚未构建：请在项目目录中运行 npm run build。HTTP 接口（/api/…）可以使用。\n');
        return;
      }
    }
    if (path.startsWith('/api/')) return sendJson(res, 404, { diagnostics: [diag('NOT_FOUND', `没有这个接口：${path}`)] });
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
    res.end('404 找不到该页面\n');
  }

  function fail(req: IncomingMessage, res: ServerResponse, e: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (e instanceof HttpError) {
      const { linger, ...headers } = e.headers;
      sendJson(res, e.status, { diagnostics: e.diagnostics }, headers);
      if (linger) {
        // Stop reading at the limit, but let the answer reach a client that is still sending (closing
        // at once would reset the connection and lose the answer): discard what arrives, keeping
        // nothing, until the body ends or for 2 s at most, then close the connection.
        res.on('finish', () => {
          const socket = req.socket;
          const timer = setTimeout(() => socket.destroy(), 2_000);
          timer.unref();
          req.once('end', () => {
            clearTimeout(timer);
            socket.destroy();
          });
          req.resume();
        });
      }
      return;
    }
    if (e instanceof Error && e.message === 'client aborted') return;
    const message = e instanceof Error ? e.message : String(e);
    sendJson(res, 500, { diagnostics: [diag('INTERNAL', `内部错误：${message}`)] });
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 8040, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    // Port taken, no such address: the worker threads must not keep the process alive.
    await pool.close();
    throw e;
  }
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  // Parse the fonts for the glyph check while nobody is waiting yet.
  setImmediate(() => loadFontSet());

  let closing: Promise<void> | undefined;
  return {
    url: `http://${shown}:${address.port}/`,
    port: address.port,
    editor: assets.size > 0,
    close(graceMs = 10_000) {
      closing ??= (async () => {
        server.close();
        // Requests already on the wire are parsed in the next turns of the event loop: let them in.
        await new Promise((resolve) => setTimeout(resolve, 100));
        server.closeIdleConnections();
        if (inFlight > 0)
          await new Promise<void>((resolve) => {
            idle = resolve;
            setTimeout(resolve, graceMs).unref();
          });
        server.closeAllConnections();
        await pool.close();
      })();
      return closing;
    },
  };
}
