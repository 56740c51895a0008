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
import { PoolBusy, readInPool, WorkerPool } from '../app/pool.js';
import { hasErrors, ReportError, type Diagnostic, type ErrorKind } from '../diagnostics.js';
import { loadFontSet } from '../fonts/index.js';
import { formFor } from '../../layouts/index.js';
import { parseReportValue } from '../model/load.js';
import { READERS, reportOf as checkedReport, type PickOptions, type ReadReport } from '../readers/index.js';
import { WRITER_IDS } from '../writers/index.js';
import { nextYearReport } from '../model/next-year.js';
import { LIMITS, type Report } from '../model/schema.js';
import { loadAssets, type Asset } from './assets.js';
import { availableFormats, outputFormat } from './formats.js';
import { contentDisposition, diag, guardContentType, guardHost, guardOrigin, HttpError, mediaTypeOf, readBody, sendJson } from './http.js';
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
  /** Open connections at most (default 128): beyond it the oldest connection still without a request is closed. */
  maxConnections?: number;
  /** Where refused requests are logged, one line each (default: standard error). */
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  /** The editor's files were found (dist/web built). */
  editor: boolean;
  /** Stop accepting; let requests in flight finish for up to `graceMs`, then cut them off. */
  close(graceMs?: number): Promise<void>;
}

/**
 * The media types each API takes (415 otherwise). JSON APIs take application/json; an
 * import takes a file as its own body: the readers' media types, application/octet-stream, or
 * none (a browser sends a file of unknown type without one). No API takes what an HTML form can
 * send (text/plain, application/x-www-form-urlencoded, multipart/form-data). A body without a
 * Content-Type is taken: no form sends one, and a page's script that could is stopped by the
 * Origin check.
 */
const JSON_TYPES = ['application/json', ''] as const;
export const IMPORT_TYPES: readonly string[] = [...new Set(READERS.flatMap((r) => r.mediaTypes)), 'application/octet-stream', ''];

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

  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
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
   * Bytes read into the model on the pool (time and memory bounded: src/app/pool.ts READ_LIMITS),
   * never on this thread; queued with the renders (503 when the queue is full), stopped when the
   * client goes away.
   */
  const readOnPool = async (bytes: Uint8Array, name: string, pick: PickOptions, signal: AbortSignal): Promise<ReadReport> => {
    try {
      return await readInPool(pool, bytes, name, pick, signal);
    } catch (e) {
      if (e instanceof PoolBusy) throw busy();
      throw e;
    }
  };

  /** A report from a request body (JSON), read on the pool; unreadable input or a schema error is a 400. */
  const reportOf = async (req: IncomingMessage, query: URLSearchParams, signal: AbortSignal): Promise<Report> => {
    guardContentType(req, JSON_TYPES);
    const bytes = await body(req);
    try {
      const read = await readOnPool(bytes, query.get('filename') ?? '', { contentType: mediaTypeOf(req), otherwise: 'json' }, signal);
      return checkedReport(read);
    } catch (e) {
      if (e instanceof ReportError) throw new HttpError(e.kind === 'internal' ? 500 : 400, e.diagnostics);
      throw e;
    }
  };

  const busy = () => new HttpError(503, [diag('BUSY', '服务器正忙：同时处理的请求过多，请稍后再试')], { 'Retry-After': '5' });

  const api: Record<string, Handler> = {
    async '/api/validate'(req, res, query, signal) {
      const report = await reportOf(req, query, signal);
      sendJson(res, 200, { diagnostics: validate(report) });
    },

    async '/api/render'(req, res, query, signal) {
      const lookup = outputFormat(query.get('format'));
      if (!lookup.ok) throw new HttpError(lookup.status, [diag('FORMAT', lookup.message, 'format')]);
      const { format } = lookup;
      const report = await reportOf(req, query, signal);
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
        if (e instanceof PoolBusy) throw busy();
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

    async '/api/import'(req, res, query, signal) {
      guardContentType(req, IMPORT_TYPES);
      const bytes = await body(req);
      const answer = await importFile(bytes, query.get('filename') ?? undefined, mediaTypeOf(req) || undefined, (b, name, pick) =>
        readOnPool(b, name, pick, signal),
      );
      if (signal.aborted) return;
      if (answer.status !== 200)
        log(
          `xxgk serve: 拒绝导入 ${query.get('filename') ?? ''}（${answer.status} ${answer.diagnostics
            .map((d) => `${d.code}: ${d.message}`)
            .join('；')
            .slice(0, 300)}）`,
        );
      if (answer.status !== 200 || !('report' in answer)) sendJson(res, answer.status, { diagnostics: answer.diagnostics });
      else sendJson(res, 200, { report: answer.report, diagnostics: answer.diagnostics, ...(answer.gaps ? { gaps: answer.gaps } : {}) });
    },

    async '/api/next-year'(req, res, query, signal) {
      const last = await reportOf(req, query, signal);
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
    // Slow clients are cut off: headers within 10 s, the whole request within 30 s, checked every
    // second (Node's default looks only every 30 s, so idle half-open connections lingered).
    { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000 },
    (req, res) => {
      waiting.delete(req.socket);
      inFlight++;
      const controller = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) controller.abort();
        if (--inFlight === 0) idle?.();
      });
      handle(req, res, controller.signal).catch((e: unknown) => fail(req, res, e));
    },
  );
  // Connections that have not sent a request yet, oldest first: at the cap the oldest is closed to
  // make room, so idle or half-open connections can never lock new clients out.
  const maxConnections = options.maxConnections ?? 128;
  const waiting = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    waiting.add(socket);
    socket.once('close', () => waiting.delete(socket));
    let open = 0;
    server.getConnections((_, n) => {
      open = n;
      if (open <= maxConnections) return;
      for (const old of waiting) {
        if (old === socket) continue;
        waiting.delete(old);
        old.destroy();
        break;
      }
    });
  });
  // A request that is answered on a kept-alive connection waits for its next request again.
  server.on('request', (req: IncomingMessage, res: ServerResponse) =>
    res.once('finish', () => {
      if (!req.socket.destroyed) waiting.add(req.socket);
    }),
  );
  server.maxConnections = maxConnections * 2;

  async function handle(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    // The raw path, never normalised: `/../x` and `/%2e%2e/` match nothing and are 404.
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    // Requests addressed to this server only (DNS rebinding), and sent by its own pages only.
    guardHost(req, host);

    if (collection && (await collection.handle(req, res, path, query, signal))) return;
    const handler = Object.hasOwn(api, path) ? api[path] : undefined;
    if (handler) {
      if (req.method !== 'POST')
        return sendJson(res, 405, { diagnostics: [diag('METHOD', `${path} 只接受 POST 请求`)] }, { Allow: 'POST' });
      guardOrigin(req, host);
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
    if (e instanceof HttpError)
      log(
        `xxgk serve: 拒绝 ${req.method} ${(req.url ?? '').slice(0, 200)}（${e.status} ${e.diagnostics
          .map((d) => `${d.code}: ${d.message}`)
          .join('；')
          .slice(0, 300)}）`,
      );
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
