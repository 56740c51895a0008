/**
 * The collection's pages: small HTML shells in Chinese, each filled in by /collection.js (built from
 * src/web/collection.ts) from the JSON API. A page without a session goes to the login page.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { WEB_DIR } from '../assets.js';
import type { User } from '../../store/index.js';
import { esc, sendHtml } from './guard.js';

type Page = (req: IncomingMessage, res: ServerResponse, user: User | undefined) => Promise<void>;

const TITLES: Record<string, string> = {
  login: '登录',
  password: '修改密码',
  board: '报送情况',
  report: '单位年度报告',
  admin: '单位与账号管理',
};

const SECURITY = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
};

const shell = (page: string, data: Record<string, string> = {}) => `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(TITLES[page])} · 政府信息公开工作年度报告报送系统</title>
<link rel="stylesheet" href="/collection.css">
<script type="module" src="/collection.js"></script>
</head>
<body data-page="${esc(page)}"${Object.entries(data)
  .map(([k, v]) => ` data-${k}="${esc(v)}"`)
  .join('')}>
<header class="top"><a class="brand" href="/board">年度报告报送系统</a><nav id="nav"></nav></header>
<main id="main"><p class="muted">正在加载…</p></main>
<noscript>本系统需要启用浏览器的 JavaScript。</noscript>
</body>
</html>
`;

const redirect = (res: ServerResponse, to: string) => {
  res.writeHead(303, { Location: to, 'Cache-Control': 'no-store', ...SECURITY });
  res.end();
};

const REPORT_PAGE = /^\/units\/(\d{1,9})\/(\d{4})$/u;
const EDIT_PAGE = /^\/units\/\d{1,9}\/\d{4}\/edit$/u;

/** The editor's own policy (the preview is a blob: PDF): see src/serve/index.ts. */
const EDITOR_SECURITY = {
  ...SECURITY,
  'X-Frame-Options': 'SAMEORIGIN',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; " +
    "frame-src 'self' blob:; object-src 'self' blob:; worker-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none'",
};

let editorHtml: string | undefined;
/** The editor's page with its files named from the root and the server link (remote.js) after the editor. */
function editorPage(): string | undefined {
  if (editorHtml === undefined) {
    try {
      editorHtml = readFileSync(join(WEB_DIR, 'index.html'), 'utf8')
        .replace('href="app.css"', 'href="/app.css"')
        .replace(
          '<script type="module" src="app.js"></script>',
          '<script type="module" src="/app.js"></script>\n<script type="module" src="/remote.js"></script>',
        );
    } catch {
      return undefined;
    }
  }
  return editorHtml;
}

/** The page at a path, if there is one. */
export function pageFor(path: string): Page | undefined {
  if (path === '/') return async (_req, res, user) => redirect(res, user ? (user.mustChangePassword ? '/password' : '/board') : '/login');
  if (path === '/login') return async (_req, res) => sendHtml(res, 200, shell('login'), SECURITY);
  if (path === '/password' || path === '/board' || path === '/admin')
    return async (_req, res, user) => (user ? sendHtml(res, 200, shell(path.slice(1)), SECURITY) : redirect(res, '/login'));
  if (EDIT_PAGE.test(path))
    return async (_req, res, user) => {
      if (!user) return redirect(res, '/login');
      const html = editorPage();
      if (!html) return sendHtml(res, 503, '网页编辑器尚未构建：请在项目目录中运行 npm run build', SECURITY);
      sendHtml(res, 200, html, EDITOR_SECURITY);
    };
  const m = REPORT_PAGE.exec(path);
  if (m)
    return async (_req, res, user) =>
      user ? sendHtml(res, 200, shell('report', { unit: m[1]!, year: m[2]! }), SECURITY) : redirect(res, '/login');
  return undefined;
}
