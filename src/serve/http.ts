/** Small HTTP helpers for the server: bounded body reading, JSON answers, download file names. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Diagnostic } from '../diagnostics.js';

/** An answer that ends a request early (too large, too slow, malformed). A `linger` header is not sent: it asks to discard the rest of the body, then close. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly diagnostics: Diagnostic[],
    readonly headers: Record<string, string> = {},
  ) {
    super(diagnostics.map((d) => d.message).join('\n'));
  }
}

export const diag = (code: string, message: string, path = '$'): Diagnostic => ({ code, severity: 'error', path, message });

/**
 * The request body, at most `limit` bytes, within `timeoutMs`. A declared or actual size over the
 * limit stops reading there (413); a client that sends too slowly is cut off (408). Nothing is
 * queued for rendering before the whole body is here, so a slow client never holds a worker.
 */
export function readBody(req: IncomingMessage, limit: number, timeoutMs: number): Promise<Buffer> {
  const tooLarge = (n: string) =>
    new HttpError(413, [diag('TOO_LARGE', `请求内容过大：${n}，上限 ${limit} 字节（5 MB）`)], { linger: '1' });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(`${declared} 字节`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (e?: Error) => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (e) {
        req.pause();
        reject(e);
      } else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return done(tooLarge(`超过 ${limit} 字节`));
      chunks.push(chunk);
    };
    const onEnd = () => done();
    const onError = (e: Error) => done(e);
    const onAborted = () => done(new Error('client aborted'));
    const timer = setTimeout(
      () => done(new HttpError(408, [diag('TIMEOUT', `请求内容在 ${Math.round(timeoutMs / 1000)} 秒内未传完`)], { linger: '1' })),
      timeoutMs,
    );
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const bytes = Buffer.from(`${JSON.stringify(body)}\n`);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': bytes.length,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(bytes);
}

/** RFC 5987 `ext-value` characters: everything else percent-encoded as UTF-8. */
const rfc5987 = (s: string) => encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<the Chinese name>`: browsers use the
 * second, old clients the first.
 */
export function contentDisposition(name: string, fallback: string): string {
  const safe = name.replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, '_');
  const ascii = fallback.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${rfc5987(safe)}`;
}

/*
 * Guards every route of a server on this code uses (the editor's server, the collection server):
 * who may address it (Host), who may send it requests (Origin, Sec-Fetch-Site: a page on another
 * site must not make the user's browser post to it), and what a body must be (Content-Type: an
 * HTML form can only send text/plain, urlencoded or multipart bodies, so no API takes those).
 */

/** The names of this machine a loopback server answers to, exactly (not `127.evil.example`). */
export const LOOPBACK_NAMES: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Host name of a `Host` header or a URL's host, lower case, without its port (IPv6 keeps brackets). */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end < 0 ? h : h.slice(0, end + 1);
  }
  return h.replace(/:\d*$/u, '');
}

const isWildcard = (host: string) => host === '0.0.0.0' || host === '::' || host === '[::]' || host === '';
const bracketed = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host).toLowerCase();

/**
 * Whether a request's `Host` names this server: an exact loopback name, or the host it was
 * configured with. A server bound to every interface (0.0.0.0, ::) takes any name (it was asked
 * to be reachable under names it cannot know); the Origin check still applies.
 */
export function hostAllowed(hostHeader: string | undefined, configured: string): boolean {
  if (isWildcard(configured)) return true;
  const name = hostName(hostHeader ?? '');
  if (!name) return false;
  return LOOPBACK_NAMES.has(name) || name === hostName(bracketed(configured));
}

/** 403 unless the request's Host is this server's (DNS rebinding). */
export function guardHost(req: IncomingMessage, configured: string): void {
  if (hostAllowed(req.headers.host, configured)) return;
  const shown = hostName(req.headers.host ?? '') || '(空)';
  throw new HttpError(403, [diag('HOST', `不接受发往 ${shown} 的请求：本服务只接受发往本机或 ${configured} 的请求`)]);
}

/**
 * 403 for a request a page of another site made the browser send: `Sec-Fetch-Site` other than
 * same-origin (or none: the user's own navigation), or an `Origin` that is not this server's own
 * address (`null`, another host or port, another scheme). A request with neither header is not
 * from a browser page (curl, the CLI, a script) and passes.
 */
export function guardOrigin(req: IncomingMessage, configured: string): void {
  const site = String(req.headers['sec-fetch-site'] ?? '').toLowerCase();
  if (site && site !== 'same-origin' && site !== 'none')
    throw new HttpError(403, [diag('CROSS_SITE', `拒绝来自其他网站的请求（Sec-Fetch-Site: ${site}）：本服务只接受自己页面发出的请求`)]);
  const origin = req.headers.origin;
  if (origin === undefined) return;
  let url: URL | undefined;
  try {
    url = new URL(origin);
  } catch {
    url = undefined;
  }
  const own =
    url !== undefined &&
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.host.toLowerCase() === String(req.headers.host ?? '').toLowerCase() &&
    hostAllowed(url.host, configured);
  if (!own)
    throw new HttpError(403, [
      diag('CROSS_SITE', `拒绝来自其他网站的请求（Origin: ${origin.slice(0, 200)}）：本服务只接受自己页面发出的请求`),
    ]);
}

/** The media type of a request (Content-Type without parameters, lower case; '' when absent). */
export const mediaTypeOf = (req: IncomingMessage): string =>
  String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();

/**
 * 415 unless the request's media type is one of `allowed` (`''` in the list admits a body sent
 * without a Content-Type, as a browser sends a file of an unknown type).
 */
export function guardContentType(req: IncomingMessage, allowed: readonly string[]): void {
  const type = mediaTypeOf(req);
  if (allowed.includes(type)) return;
  const shown = allowed.filter(Boolean).join('、');
  throw new HttpError(415, [
    diag('CONTENT_TYPE', `请求的内容类型为 ${type || '（未注明）'}，本接口只接受 ${shown}${allowed.includes('') ? '（或不注明）' : ''}`),
  ]);
}
