/**
 * The editor saving to the collection server: loaded (after the editor, app.js) by the page
 * /units/:id/:year/edit. It loads the unit's report from the server — or, for a new one, last
 * year's report of the unit from the database, carried into this year — and saves every change
 * with the version it was based on. A newer version on the server (another person, another tab)
 * stops the saving with a clear message: never a silent overwrite. Without a connection the
 * changes wait in this browser and are saved when it returns.
 *
 * The editor (main.ts) and this module talk through two DOM events: `xxgk:load` (this → editor:
 * show this report) and `xxgk:changed` (editor → this: the report after a change).
 */
import { callJson, type Json } from './json-api.js';
import { h } from './dom.js';

const [, , unitText, yearText] = location.pathname.split('/');
const unit = Number(unitText);
const year = Number(yearText);
const base = `/api/units/${unit}/${year}`;
const PENDING = `xxgk-remote/v1/${unit}/${year}`;

let csrf = '';
let version = 0;
let pending: unknown;
let saving = false;
let stopped = false;
let timer: number | undefined;

const bar = h('div', { id: 'remote', role: 'status', 'aria-live': 'polite', class: 'remote' });
const text = h('span', {});
const back = h('a', { href: `/units/${unit}/${year}` }, '返回报告页（报送、意见、版本）');
const discard = h('button', { type: 'button', hidden: '' }, '放弃本浏览器中的修改，改用服务器上的版本');
discard.addEventListener('click', () => {
  if (!confirm('本浏览器中未保存到服务器的修改将被丢弃（可先用“保存 JSON”另存）。继续吗？')) return;
  pending = undefined;
  remember();
  location.reload();
});
bar.append(text, ' ', discard, ' ', back);
document.body.insertBefore(bar, document.body.firstChild);

// Styled through the CSSOM: the page's CSP allows no inline style sheet.
Object.assign(bar.style, { position: 'sticky', top: '0', zIndex: '10', padding: '.4rem 1rem', font: '14px/1.5 sans-serif' });
const COLOURS: Record<string, [string, string]> = {
  ok: ['#e8f5e9', '#1b5e20'],
  busy: ['#e3ecf9', '#1d4f91'],
  offline: ['#fff6e0', '#7a4a00'],
  error: ['#fdecec', '#b71c1c'],
};

function show(kind: 'ok' | 'busy' | 'offline' | 'error', message: string): void {
  bar.dataset.kind = kind;
  text.textContent = message;
  [bar.style.background, bar.style.color] = COLOURS[kind]!;
  discard.hidden = !(kind === 'error' && pending !== undefined && stopped);
}

const call = (method: string, path: string, data?: unknown): Promise<{ status: number; json: Json }> => callJson(method, path, csrf, data);

/** While the server's report is being shown: the editor's change event for it is not a change to save. */
let loading = false;
const load = (report: unknown, message: string, previous?: unknown) => {
  loading = true;
  try {
    document.dispatchEvent(new CustomEvent('xxgk:load', { detail: { report, message, previous } }));
  } finally {
    loading = false;
  }
};

function remember(): void {
  try {
    if (pending === undefined) localStorage.removeItem(PENDING);
    else localStorage.setItem(PENDING, JSON.stringify({ version, report: pending }));
  } catch {
    // Storage full or disabled: the change is still in memory and is saved when the server answers.
  }
}

async function flush(): Promise<void> {
  if (saving || stopped || pending === undefined) return;
  saving = true;
  const report = pending;
  show('busy', '正在保存到服务器…');
  try {
    const r = await call('PUT', base, { version, report });
    if (r.status === 200) {
      version = r.json.version;
      if (pending === report) pending = undefined;
      remember();
      show('ok', `已保存到服务器（第 ${version} 版，${new Date().toLocaleTimeString('zh-CN', { hour12: false })}）`);
    } else if (r.status === 401) {
      show('error', '登录已过期：修改保存在本浏览器中。请在新标签页重新登录后回到本页，会自动保存');
    } else {
      // A newer version, or a report that may no longer change: stop, keep the changes here.
      stopped = true;
      show('error', `未保存：${r.json.message ?? r.json.diagnostics?.[0]?.message ?? `服务器返回 ${r.status}`}`);
    }
  } catch {
    show('offline', '连接已断开：修改保存在本浏览器中，连接恢复后自动保存到服务器');
  } finally {
    saving = false;
  }
  if (pending !== undefined && !stopped && bar.dataset.kind === 'ok') schedule();
}

function schedule(delay = 800): void {
  clearTimeout(timer);
  timer = window.setTimeout(() => void flush(), delay);
}

// Every edit, and a report the clerk opens or imports in the editor (打开 JSON, 导入报告, 从上年报告开始).
document.addEventListener('xxgk:changed', (e) => {
  if (!csrf || loading) return;
  pending = (e as CustomEvent).detail;
  remember();
  if (stopped) return;
  schedule();
});
window.addEventListener('online', () => schedule(0));
// Retry while offline.
setInterval(() => {
  if (pending !== undefined && !saving && !stopped && bar.dataset.kind !== 'ok') void flush();
}, 5000);

async function start(): Promise<void> {
  show('busy', '正在从服务器读取报告…');
  const me = await call('GET', '/api/me');
  if (me.status !== 200) {
    location.href = '/login';
    return;
  }
  const r = await call('GET', base);
  if (r.status !== 200) {
    stopped = true;
    show('error', r.json.message ?? '无法读取报告');
    return;
  }
  version = r.json.version;
  let waiting: { version: number; report: unknown } | undefined;
  try {
    waiting = JSON.parse(localStorage.getItem(PENDING) ?? 'null') ?? undefined;
  } catch {
    waiting = undefined;
  }
  const editable = r.json.state === 'draft' || r.json.state === 'returned';
  if (r.json.report) load(r.json.report, `已读取服务器上的报告（第 ${version} 版，${r.json.stateName}）`);
  else {
    const prev = await call('GET', `${base}/previous`);
    if (prev.status === 200 && prev.json.next)
      load(prev.json.next, `已从本单位 ${year - 1} 年度的报告开始：上年结转数已带入`, prev.json.previous);
    else load({ agency: r.json.unit.name, year }, `新建 ${r.json.unit.name} ${year} 年度报告`);
  }
  csrf = me.json.csrf;
  if (!editable) {
    stopped = true;
    show('error', `报告${r.json.stateName}，不能修改（修改不会保存）`);
    return;
  }
  if (waiting && waiting.version === version) {
    // Changes made offline on top of this very version: show and save them.
    load(waiting.report, '已恢复上次断网时未保存到服务器的修改，正在保存');
    pending = waiting.report;
    void flush();
  } else if (waiting) {
    stopped = true;
    pending = waiting.report;
    show('error', `本浏览器中有基于第 ${waiting.version} 版的未保存修改，但服务器上已是第 ${version} 版：为避免覆盖，未自动保存`);
  } else show('ok', version ? `已连接服务器（第 ${version} 版）` : '已连接服务器：填写后自动保存');
}

void start();
