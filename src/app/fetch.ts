/**
 * Reports on the web: `xxgk import https://…/page.html`. A page or an attachment is fetched with
 * bounded time, size and redirects and read like a file; a portal page that does not hold the
 * report's tables but links the report as an attachment (PDF, DOC, DOCX) is followed to it, once.
 */
import { ReportError } from '../diagnostics.js';
import { pageLinks } from '../import/html.js';
import { LIMITS } from '../model/schema.js';
import { extensionOf, readerByMediaType, readReport, type PickOptions, type ReadReport } from '../readers/index.js';

export interface FetchLimits {
  /** The whole fetch, redirects and body included, in ms. */
  timeoutMs: number;
  /** Bytes of a body (the readers' own limit, 5 MB). */
  maxBytes: number;
  /** Redirects followed. */
  maxRedirects: number;
}

export const FETCH_LIMITS: FetchLimits = { timeoutMs: 20_000, maxBytes: LIMITS.fileBytes, maxRedirects: 5 };

export interface Fetched {
  /** The URL the body came from (after redirects). */
  url: string;
  bytes: Uint8Array;
  /** Content-Type without parameters, lower case. */
  contentType?: string;
  /** A file name for the readers: the URL's last segment, with the extension its media type says when it has none a reader takes. */
  name: string;
}

export const isUrl = (s: string): boolean => /^https?:\/\//iu.test(s);

const fetchError = (url: string, message: string) =>
  new ReportError('input', [{ code: 'FETCH', severity: 'error', path: '$', message: `无法获取 ${url}：${message}` }], url);

/** One document from the web, within the limits. Throws ReportError (input) naming the URL. */
export async function fetchDocument(url: string, limits: FetchLimits = FETCH_LIMITS): Promise<Fetched> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let current = url;
  try {
    for (let hop = 0; ; hop++) {
      const u = new URL(current);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw fetchError(url, `只支持 http 和 https 地址（${u.protocol}）`);
      const res = await fetch(u, { redirect: 'manual', signal, headers: { 'user-agent': 'xxgk-report', accept: '*/*' } });
      if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
        await res.body?.cancel();
        if (hop >= limits.maxRedirects) throw fetchError(url, `重定向超过 ${limits.maxRedirects} 次`);
        current = new URL(res.headers.get('location')!, u).href;
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw fetchError(url, `服务器返回 HTTP ${res.status}`);
      }
      const declared = Number(res.headers.get('content-length') ?? 0);
      if (declared > limits.maxBytes) {
        await res.body?.cancel();
        throw fetchError(url, `文件过大：${declared} 字节，上限 ${limits.maxBytes} 字节`);
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      if (res.body)
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          size += chunk.length;
          if (size > limits.maxBytes) throw fetchError(url, `文件过大：超过 ${limits.maxBytes} 字节`);
          chunks.push(chunk);
        }
      const bytes = new Uint8Array(size);
      let at = 0;
      for (const c of chunks) {
        bytes.set(c, at);
        at += c.length;
      }
      const contentType = res.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() || undefined;
      return { url: current, bytes, contentType, name: nameOf(current, contentType) };
    }
  } catch (e) {
    if (e instanceof ReportError) throw e;
    const name = (e as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw fetchError(url, `超过 ${Math.round(limits.timeoutMs / 1000)} 秒未完成`);
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why: Record<string, string> = {
      ECONNREFUSED: '连接被拒绝',
      ENOTFOUND: '找不到这个主机',
      EAI_AGAIN: '域名解析失败',
      ECONNRESET: '连接被服务器断开',
      CERT_HAS_EXPIRED: '网站证书已过期',
      UND_ERR_SOCKET: '连接被服务器断开',
    };
    const code = cause?.code ?? '';
    throw fetchError(url, why[code] ? `${why[code]}（${code}）` : code || cause?.message || (e instanceof Error ? e.message : String(e)));
  }
}

/** A file name for a URL: its last path segment; the media type's extension when that has none a reader takes. */
function nameOf(url: string, contentType: string | undefined): string {
  const last = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '') || 'index';
  const byType = readerByMediaType(contentType);
  if (byType && !byType.extensions.includes(extensionOf(last))) return `${last}${byType.extensions[0]}`;
  return last;
}

const ATTACHMENT = /\.(?:pdf|docx?)$/iu;

/** A link to a document: by its path, a file name in its query (`downfile.jsp?filename=….pdf`), or its text (`附件：….pdf`). */
const isAttachment = (l: { url: URL; text: string }): boolean =>
  ATTACHMENT.test(l.url.pathname) || [...l.url.searchParams.values()].some((v) => ATTACHMENT.test(v)) || ATTACHMENT.test(l.text);

/**
 * The attachment a page links as its report: links to .pdf/.doc/.docx, those whose text or name
 * says 年度报告/年报 first, then in page order.
 */
export function attachmentOf(page: Fetched): string | undefined {
  const links = pageLinks(page.bytes)
    .map((l) => {
      try {
        return { ...l, url: new URL(l.href, page.url) };
      } catch {
        return undefined;
      }
    })
    .filter((l): l is NonNullable<typeof l> => !!l && (l.url.protocol === 'http:' || l.url.protocol === 'https:') && isAttachment(l));
  const says = (l: { text: string; url: URL }) => /年度报告|年报|ndbg/iu.test(l.text + decodeURIComponent(l.url.pathname + l.url.search));
  return (links.find(says) ?? links[0])?.url.href;
}

export interface ReadUrlResult {
  read: ReadReport;
  /** Where the report came from: the page, or the attachment it linked. */
  url: string;
  name: string;
  /** The page that linked the attachment, when one was followed. */
  via?: string;
  /** The page first fetched (its bytes say when it was published, a portal page's PubDate). */
  page: Fetched;
}

/** A report at a URL: the page or attachment read like a file; a page without the tables followed to its attachment. */
export async function readUrl(url: string, limits: FetchLimits = FETCH_LIMITS, options: PickOptions = {}): Promise<ReadUrlResult> {
  const page = await fetchDocument(url, limits);
  const pick = { contentType: page.contentType, otherwise: 'sniff' as const, ...options };
  const isHtml = readerByMediaType(page.contentType)?.kind === 'html' || /\.x?html?$/iu.test(page.name);
  const attachment = isHtml ? attachmentOf(page) : undefined;
  try {
    return { read: await readReport(page.bytes, page.name, pick), url: page.url, name: page.name, page };
  } catch (e) {
    // A page that is only a notice with the report attached: read the attachment instead.
    const refusedForTables = e instanceof ReportError && e.diagnostics.some((d) => d.code === 'NO_TABLES' || d.code === 'EMPTY');
    if (!attachment || !refusedForTables) throw e;
  }
  const doc = await fetchDocument(attachment, limits);
  const read = await readReport(doc.bytes, doc.name, { contentType: doc.contentType, otherwise: 'sniff' });
  read.notes.unshift({
    code: 'IMPORT',
    severity: 'warning',
    path: '$',
    message: `网页 ${page.url} 中没有报告的表格，已读取其附件 ${doc.url}`,
  });
  return { read, url: doc.url, name: doc.name, via: page.url, page };
}
