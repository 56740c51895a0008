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
