/**
 * The collection's own guards: the session cookie, the origin check and the CSRF token on every
 * state-changing request, JSON bodies of a bounded size. Nothing here writes a password or a token
 * anywhere but the answer that carries it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { diag, HttpError, readBody } from '../http.js';

export const COOKIE = 'xxgk_session';
/** Login, password and workflow bodies are small; a report is bounded by the model's file limit. */
export const SMALL_BODY = 64 * 1024;

const LOOPBACK = /^(?:localhost|127\.\d+\.\d+\.\d+|\[::1\]|::1)$/u;

/** The host a request was addressed to, without the port. */
export const hostOf = (req: IncomingMessage): string => (req.headers.host ?? '').replace(/:\d+$/u, '').toLowerCase();
export const isLoopbackHost = (host: string): boolean => LOOPBACK.test(host);

export function sessionToken(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === COOKIE) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** HttpOnly, SameSite=Strict, expiring; Secure unless the page is on this machine (no TLS there). */
export function sessionCookie(req: IncomingMessage, token: string, expires: Date): string {
  const secure = isLoopbackHost(hostOf(req)) ? '' : '; Secure';
  const maxAge = Math.max(0, Math.floor((expires.getTime() - Date.now()) / 1000));
  return `${COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`;
}

export function clearedCookie(req: IncomingMessage): string {
  const secure = isLoopbackHost(hostOf(req)) ? '' : '; Secure';
  return `${COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure}`;
}

/**
 * A state-changing request must come from a page of this server: an Origin (or, without one, a
 * Referer) naming another site is refused, as is a browser's own statement that the request is
 * cross-site (Sec-Fetch-Site).
 */
export function checkOrigin(req: IncomingMessage): void {
  const host = req.headers.host ?? '';
  const origin = req.headers.origin ?? (req.headers.referer ? safeOrigin(req.headers.referer) : undefined);
  const fetchSite = req.headers['sec-fetch-site'];
  const refused = () => new HttpError(403, [diag('ORIGIN', '拒绝来自其他网站的请求：请在本系统的页面中操作')]);
  if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') throw refused();
  if (origin === undefined) return;
  let ok = false;
  try {
    ok = origin !== 'null' && new URL(origin).host === host;
  } catch {
    ok = false;
  }
  if (!ok) throw refused();
}

const safeOrigin = (referer: string): string => {
  try {
    return new URL(referer).origin;
  } catch {
    return 'null';
  }
};

/** A JSON object body: Content-Type must say JSON (a cross-site form cannot send that without asking first). */
export async function jsonBody(req: IncomingMessage, limit = SMALL_BODY, timeoutMs = 15_000): Promise<Record<string, unknown>> {
  const type = String(req.headers['content-type'] ?? '');
  if (!/^application\/json\b/iu.test(type))
    throw new HttpError(415, [diag('CONTENT_TYPE', `请求内容应为 JSON（Content-Type: application/json），实际为 ${type || '(空)'}`)]);
  const bytes = await readBody(req, limit, timeoutMs);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new HttpError(400, [diag('JSON', '请求内容不是有效的 JSON')]);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new HttpError(400, [diag('JSON', '请求内容应为 JSON 对象 {…}')]);
  return value as Record<string, unknown>;
}

export const str = (body: Record<string, unknown>, key: string, label: string): string => {
  const v = body[key];
  if (typeof v !== 'string') throw new HttpError(400, [diag('FIELD', `缺少“${label}”（${key}）`, key)]);
  return v;
};

export const int = (body: Record<string, unknown>, key: string, label: string): number => {
  const v = body[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw new HttpError(400, [diag('FIELD', `“${label}”（${key}）应为非负整数，实际为 ${JSON.stringify(v) ?? '(无)'}`, key)]);
  return v;
};

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  const bytes = Buffer.from(html);
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': bytes.length,
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(bytes);
}

/** Text for HTML: every character that could open markup is an entity. */
export const esc = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/gu, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
