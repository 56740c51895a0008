/**
 * The web editor of `xxgk serve`: the report as a form shaped like the official document, checked
 * as it is typed by the same rules as the CLI (src/rules, bundled), saved in the browser on every
 * change, rendered by the server (/api/render) for the preview and the downloads.
 */
import type { Diagnostic } from '../diagnostics.js';
import { DEFAULT_FORMAT, formOf } from '../../layouts/index.js';
import { parseJsonText, parseReportValue as parseReport } from '../model/load.js';
import type { Report, ReportInput } from '../model/schema.js';
import { runRules } from '../rules/index.js';
import { $, h } from './dom.js';
import { renderForm } from './form.js';
import {
  blankState,
  changedTotals,
  computeTotals,
  controlName,
  fromReport,
  getAt,
  salvage,
  setAt,
  toReport,
  type EditorState,
} from './state.js';

/** The form of the report being edited (its `format`; the default one while that names no known format). */
const form = () => formOf(state);
const STORE = 'xxgk-editor/v1';
const BACKUP = 'xxgk-editor/v1/backup';
/** A saved state that could not be read whole, kept as it was until the user has it back in a file. */
const DAMAGED = 'xxgk-editor/v1/damaged';

let state: EditorState;
/** Last year's report, when the editor started from it: the cross-year rules (R5, R6) use it. */
let previous: ReportInput | undefined;
/** The server's glyph check (fonts live on the server), for the current content. */
let serverDiagnostics: Diagnostic[] = [];

const formEl = $<HTMLFormElement>('#report');
const listEl = $<HTMLUListElement>('[data-diagnostics]');
const summaryEl = $('#check-summary');
const noticeEl = $('#notice');
const previewEl = $('#preview');

// ── Notices ─────────────────────────────────────────────────────────────────────────────────
type Action = { label: string; run: () => void };

function notice(kind: 'info' | 'error', message: string, options: { actions?: Action[]; details?: string[] } = {}): void {
  const close = h('button', { type: 'button', class: 'close', 'aria-label': '关闭提示' }, '×');
  close.addEventListener('click', () => ((noticeEl.hidden = true), noticeEl.replaceChildren()));
  const buttons = (options.actions ?? []).map((a) => {
    const b = h('button', { type: 'button' }, a.label);
    b.addEventListener('click', () => {
      noticeEl.hidden = true;
      a.run();
    });
    return b;
  });
  noticeEl.className = `notice ${kind}`;
  noticeEl.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  noticeEl.replaceChildren(
    h(
      'div',
      { class: 'notice-body' },
      h('p', {}, message),
      options.details?.length ? h('ul', {}, ...options.details.slice(0, 12).map((d) => h('li', {}, d))) : null,
      buttons.length ? h('div', { class: 'notice-actions' }, ...buttons) : null,
    ),
    close,
  );
  noticeEl.hidden = false;
}

// ── Saving in the browser ───────────────────────────────────────────────────────────────────
let storageWarned = false;
function save(): void {
  try {
    localStorage.setItem(STORE, JSON.stringify({ version: 1, savedAt: new Date().toISOString(), report: state, previous }));
  } catch {
    if (!storageWarned) notice('error', '无法自动保存到本浏览器（存储空间已满或已被禁用）。请用“保存 JSON”把报告保存到文件。');
    storageWarned = true;
  }
}

interface Restored {
  report: EditorState;
  previous?: ReportInput;
  /** What could not be read, in people's words (empty when all was kept). */
  problems: string[];
  /** The saved text as it was, when something could not be read. */
  raw?: string;
}

/**
 * The state saved under `key`, checked before it is drawn (a damaged copy must not leave a blank
 * editor): what has the right shape is kept, what does not is named, and the saved text itself is
 * kept aside so that nothing is lost without the user knowing.
 */
function restore(key: string): Restored | undefined {
  let raw: string | null = null;
  try {
    raw = localStorage.getItem(key);
  } catch {
    return undefined;
  }
  if (!raw) return undefined;
  const damaged = (problems: string[]): Restored => ({ report: blankState(), problems, raw: raw! });
  let saved: unknown;
  try {
    saved = JSON.parse(raw);
  } catch {
    return damaged(['保存的内容不是完整的 JSON，无法读取']);
  }
  const report = saved !== null && typeof saved === 'object' ? (saved as { report?: unknown }).report : undefined;
  const got = salvage(report);
  if (!got) return damaged([`保存的内容中没有报告（${report === undefined ? '缺少 report' : 'report 不是对象'}）`]);
  const problems = [...got.problems];
  let last = (saved as { previous?: unknown }).previous as ReportInput | undefined;
  if (last !== undefined && !parseReport(last).ok) {
    problems.push('上年报告的内容无法读取，已不再用于与上年核对（可再次用“从上年报告开始”或重新打开）');
    last = undefined;
  }
  return { report: got.state, previous: last, problems, ...(problems.length ? { raw } : {}) };
}

/** Say what a damaged saved copy lost, and keep the copy until the user has it in a file. */
function reportDamage(restored: Restored, what: string): void {
  try {
    if (restored.raw) localStorage.setItem(DAMAGED, restored.raw);
  } catch {
    // No room: the download below still works while the page is open.
  }
  notice('error', `${what}有 ${restored.problems.length} 处无法读取，其余内容已恢复。原来保存的全部内容可下载为文件，以便找回：`, {
    details: restored.problems,
    actions: [
      {
        label: '下载原来保存的内容',
        run: () => saveBlob(new Blob([restored.raw ?? ''], { type: 'application/json' }), '自动保存的原始内容.json'),
      },
    ],
  });
}

// ── Rendering the form ──────────────────────────────────────────────────────────────────────
const controls = () => [...formEl.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('[name]')];
const control = (name: string) => formEl.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name="${CSS.escape(name)}"]`);

function showNumbers(): void {
  for (const el of formEl.querySelectorAll<HTMLInputElement>('input.num')) {
    if (el.classList.contains('computed') || document.activeElement !== el) el.value = String(getAt(state, el.name) ?? '');
  }
}

function renderAll(focus?: string): void {
  formEl.replaceChildren(renderForm(form(), state));
  showNumbers();
  markWideTables();
  runChecks();
  if (focus) focusControl(focus);
}

/** 「表二较宽，可左右滑动查看」 only under a table wider than the screen. */
function markWideTables(): void {
  for (const wrap of formEl.querySelectorAll<HTMLElement>('.table-wrap')) {
    const table = wrap.querySelector('table');
    wrap.classList.toggle('overflowing', Boolean(table && table.offsetWidth > wrap.clientWidth + 1));
  }
}
window.addEventListener('resize', markWideTables);

function focusControl(name: string): void {
  let el: HTMLElement | undefined = control(name) ?? controls().find((c) => c.name.startsWith(`${name}.`));
  // A hidden value (the date) is entered in the controls beside it.
  if (el instanceof HTMLInputElement && el.type === 'hidden')
    el = el.parentElement?.querySelector<HTMLElement>('input:not([type=hidden]), select') ?? undefined;
  if (!el) return;
  el.focus();
  el.scrollIntoView({ block: 'center', behavior: 'instant' as ScrollBehavior });
}

/** After every change: totals, the saved copy, the checks. */
function changed(): void {
  computeTotals(state);
  for (const el of formEl.querySelectorAll<HTMLInputElement>('input.computed')) el.value = String(getAt(state, el.name) ?? '');
  save();
  scheduleChecks();
  // Collection mode (remote.ts) saves every change to the server.
  document.dispatchEvent(new CustomEvent('xxgk:changed', { detail: toReport(state) }));
}

function load(report: ReportInput | Report, message: string, last?: ReportInput, notes: string[] = []): void {
  const next = fromReport(report);
  const totals = changedTotals(report, next);
  state = next;
  previous = last;
  serverDiagnostics = [];
  renderAll();
  save();
  document.dispatchEvent(new CustomEvent('xxgk:changed', { detail: toReport(state) }));
  const details = [...totals.map((t) => `${t.path}：文件中为 ${t.given}，各项之和为 ${t.computed}`), ...notes];
  notice('info', totals.length ? `${message}。文件中有 ${totals.length} 个总计与各项之和不符，已按各项之和重新计算：` : message, {
    details,
  });
}

// ── Checks: the CLI's rules, in the browser ─────────────────────────────────────────────────
let checkTimer: number | undefined;
let serverTimer: number | undefined;
let serverSeq = 0;

function scheduleChecks(): void {
  clearTimeout(checkTimer);
  checkTimer = window.setTimeout(runChecks, 120);
  clearTimeout(serverTimer);
  serverTimer = window.setTimeout(() => void serverChecks(), 1500);
}

function localDiagnostics(): Diagnostic[] {
  const report = toReport(state);
  const out: Diagnostic[] = [];
  const parsed = parseReport(report);
  if (!parsed.ok) out.push(...parsed.diagnostics);
  // The rules read numbers only: they run even while a text field is still incomplete.
  const forRules = parsed.ok ? parsed.report : ({ ...report, format: report.format ?? DEFAULT_FORMAT } as Report);
  const last = previous ? parseReport(previous) : undefined;
  try {
    out.push(...runRules(forRules, { previous: last?.ok ? last.report : undefined }));
  } catch {
    // A shape the rules cannot read is already reported by the schema check.
  }
  return out;
}

/**
 * A diagnostic as a clerk reads it: the label and what to do. The JSON path a schema message ends
 * with (「机关名称：不能为空（agency）」) is for machines: it stays in `data-path`, the code in
 * `data-code`, both in the API's JSON.
 */
function forPeople(d: Diagnostic): string {
  const message = d.message.replace(/（[A-Za-z_$][\w.$*[\]]*）$/, '');
  const empty = /^(.+)：不能为空$/.exec(message);
  return empty ? `请填写“${empty[1]}”` : message;
}

/** The controls a diagnostic is about: a balance's path (R1's `applications.*.<col>`) names the cells it adds up. */
function namesOf(d: Diagnostic): string[] {
  const balance = form()
    .balances.flatMap((check) => check.balances)
    .find((b) => b.path === d.path);
  if (balance) return [...balance.left, ...balance.right];
  const name = controlName(d.path);
  return control(name) ? [name] : [];
}

function runChecks(): void {
  clearTimeout(checkTimer);
  const diagnostics = [...localDiagnostics(), ...serverDiagnostics];
  const marks = new Map<string, 'error' | 'warning'>();
  for (const d of diagnostics) for (const n of namesOf(d)) if (d.severity === 'error' || !marks.has(n)) marks.set(n, d.severity);
  for (const el of controls()) {
    const mark = marks.get(el.name);
    if (mark === 'error') el.setAttribute('aria-invalid', 'true');
    else el.removeAttribute('aria-invalid');
    el.classList.toggle('warn', mark === 'warning');
  }
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const warnings = diagnostics.length - errors.length;
  const count = `${errors.length ? `${errors.length} 个错误` : '没有错误'}${warnings ? `，${warnings} 个提示` : ''}`;
  summaryEl.textContent = diagnostics.length ? `${count}。点击一条可跳到对应的格子。` : '勾稽关系全部相符，没有发现问题。';
  summaryEl.className = errors.length ? 'bad' : 'good';
  checkBarText.textContent = diagnostics.length ? count : '没有发现问题';
  checkBar.className = `check-bar ${errors.length ? 'bad' : warnings ? 'warn' : 'good'}`;
  const sorted = [...errors, ...diagnostics.filter((d) => d.severity !== 'error')];
  // Someone reading the list from the keyboard keeps their place when the list is drawn again
  // (the server's glyph check arrives a moment later).
  const buttons = () => [...listEl.querySelectorAll<HTMLButtonElement>('button')];
  const focused = buttons().indexOf(document.activeElement as HTMLButtonElement);
  listEl.replaceChildren(
    ...sorted.map((d) => {
      // For people: the label and what to do; the code stays in data-code (and in the JSON of the API).
      const button = h(
        'button',
        { type: 'button', 'data-path': d.path },
        h('span', { class: 'severity' }, d.severity === 'error' ? '错误' : '提示'),
        ` ${forPeople(d)}`,
      );
      button.addEventListener('click', () => {
        const names = namesOf(d);
        focusControl(names[0] ?? controlName(d.path));
      });
      return h('li', { class: d.severity, 'data-code': d.code, 'data-severity': d.severity }, button);
    }),
  );
  if (focused >= 0) (buttons()[Math.min(focused, sorted.length - 1)] ?? summaryEl).focus({ preventScroll: true });
}

/** Glyph coverage needs the fonts, which live on the server: ask it, a moment after typing stops. */
async function serverChecks(): Promise<void> {
  const report = toReport(state);
  const seq = ++serverSeq;
  if (!parseReport(report).ok) {
    // The server checks well-formed reports only: drop its old findings rather than show stale ones.
    if (serverDiagnostics.length) (serverDiagnostics = []), runChecks();
    return;
  }
  try {
    const res = await fetch('api/validate', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(report),
    });
    if (!res.ok || seq !== serverSeq) return;
    const { diagnostics } = (await res.json()) as { diagnostics: Diagnostic[] };
    serverDiagnostics = diagnostics.filter((d) => d.code === 'GLYPH');
    runChecks();
  } catch {
    // Offline: the rules still run here; only the glyph check waits.
  }
}

// ── The check bar: on a narrow screen the list is far below; the count stays in sight ───────
const checkBar = $('#check-bar');
const checkBarText = $('#check-bar-text');
$('#check-bar-jump').addEventListener('click', () => {
  $('.checks').scrollIntoView({ block: 'start', behavior: 'instant' as ScrollBehavior });
  (listEl.querySelector<HTMLButtonElement>('button') ?? summaryEl).focus();
});

// ── Typing: numbers only in number cells, Enter to the next cell, Enter in a paragraph splits it ──
const FULL_WIDTH = /[\uFF10-\uFF19\uFF0E\u3002]/g;
const halfWidth = (s: string) =>
  s.replace(FULL_WIDTH, (c) => (c === '\uFF0E' || c === '\u3002' ? '.' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));

let hintTimer: number | undefined;
/** A short note under a cell, kept inside the window (a table scrolled sideways must not hide it). */
function hint(el: HTMLElement, text: string): void {
  document.querySelectorAll('.cell-hint').forEach((e) => e.remove());
  const tip = h('span', { class: 'cell-hint', role: 'alert' }, text);
  document.body.append(tip);
  const cell = el.getBoundingClientRect();
  const width = tip.offsetWidth;
  const left = Math.min(Math.max(4, cell.left + cell.width / 2 - width / 2), window.innerWidth - width - 4);
  tip.style.left = `${left}px`;
  tip.style.top = `${cell.bottom + 6}px`;
  tip.style.setProperty('--arrow', `${Math.min(Math.max(8, cell.left + cell.width / 2 - left), width - 8)}px`);
  clearTimeout(hintTimer);
  hintTimer = window.setTimeout(() => tip.remove(), 2500);
  // A scroll moves the cell from under its note. Scroll events are sent at the next frame, so a
  // scroll that happened before the note (bringing the cell into view) is let pass first.
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      if (tip.isConnected) window.addEventListener('scroll', () => tip.remove(), { once: true, capture: true });
    }),
  );
}

const HINTS: Record<string, string> = {
  integer: '只能填写非负整数',
  decimal: '只能填写非负数，如 96171.6（单位：万元）',
  year: '请填写四位数字的年度，如 2025',
};

/** Keep only what a number cell may hold; full-width digits become ASCII; anything else is refused with a hint. */
function sanitize(el: HTMLInputElement): void {
  const kind = el.dataset.kind!;
  const raw = el.value;
  const converted = halfWidth(raw);
  let seenDot = false;
  const kept = [...converted]
    .filter((c) => {
      if (c >= '0' && c <= '9') return true;
      if (c === '.' && kind === 'decimal' && !seenDot) return (seenDot = true);
      return false;
    })
    .join('');
  if (kept !== raw) {
    const caret = Math.max(0, (el.selectionStart ?? raw.length) - (converted.length - kept.length));
    el.value = kept;
    el.setSelectionRange(caret, caret);
  }
  if (kept.length !== converted.length) hint(el, HINTS[kind] ?? HINTS.integer!);
}

function write(el: HTMLInputElement | HTMLTextAreaElement): void {
  const kind = el.dataset.kind;
  if (kind === 'integer' || kind === 'year') setAt(state, el.name, el.value === '' ? 0 : Number(el.value));
  else setAt(state, el.name, el.value);
}

function onInput(el: HTMLInputElement | HTMLTextAreaElement): void {
  if (!el.name || (el instanceof HTMLInputElement && el.readOnly)) return;
  if (el instanceof HTMLInputElement && el.dataset.kind) sanitize(el);
  if (el instanceof HTMLTextAreaElement && /[\r\n]/.test(el.value)) {
    // A heading is one line (it wraps on screen); a paragraph splits.
    if (!el.classList.contains('heading')) {
      splitParagraph(el, el.value.split(/\r?\n/));
      return;
    }
    el.value = el.value.replace(/\s*[\r\n]+\s*/g, '');
  }
  const before = { agency: state.agency, year: state.year };
  write(el);
  if (el.name === 'agency' || el.name === 'year') {
    followTemplate(before.agency, Number(before.year) || 0);
    const title = control('title') as HTMLInputElement | null;
    if (title) title.placeholder = `不填则为：${form().defaultTitle(state.agency || '（机关名称）', Number(state.year) || 0)}`;
  }
  changed();
}

/**
 * The blank's template sentences (the preface naming the agency and the year) follow the agency
 * and the year as they are typed, as long as they are still the template's own words.
 */
function followTemplate(agency: string, year: number): void {
  const was = (form().blank(agency, year) as { preface?: string[] }).preface ?? [];
  const now = (form().blank(state.agency, Number(state.year) || 0) as { preface?: string[] }).preface ?? [];
  state.preface.forEach((text, i) => {
    if (text !== was[i] || now[i] === undefined || now[i] === text) return;
    state.preface[i] = now[i];
    const el = control(`preface.${i}`);
    if (el) el.value = now[i];
  });
}

/** A paragraph becomes several (Enter, or pasted lines). */
function splitParagraph(el: HTMLTextAreaElement, parts: string[]): void {
  const segs = el.name.split('.');
  const index = Number(segs.pop());
  const list = segs.join('.');
  const items = getAt(state, list) as string[];
  items.splice(index, 1, ...parts);
  changed();
  renderAll(`${list}.${index + parts.length - 1}`);
  const focused = control(`${list}.${index + parts.length - 1}`);
  if (focused instanceof HTMLTextAreaElement) focused.setSelectionRange(0, 0);
}

/** Typing only refused characters changes nothing (not even a selected value they would replace). */
formEl.addEventListener('beforeinput', (e) => {
  const el = e.target as HTMLInputElement;
  const kind = el.dataset?.kind;
  if (!kind || el.readOnly || e.isComposing || !e.inputType.startsWith('insert') || e.data === null) return;
  const allowed = kind === 'decimal' ? /[0-9.]/ : /[0-9]/;
  if (![...halfWidth(e.data)].some((c) => allowed.test(c))) {
    e.preventDefault();
    hint(el, HINTS[kind] ?? HINTS.integer!);
  }
});

// ── Pasting from a spreadsheet: a block fills the cells to the right and below ──────────────
/** A pasted value as the cell may hold it, or undefined: grouping commas only in thousands (1,234), nothing squeezed. */
function cleanNumber(raw: string, kind: string): string | undefined {
  let t = halfWidth(raw)
    .replace(/[\uFF0C]/g, ',')
    .replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
  if (t === '') return '0';
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) t = t.replace(/,/g, '');
  if (kind === 'decimal') return /^\d+(\.\d+)?$/.test(t) ? t.replace(/^0+(?=\d)/, '') : undefined;
  return /^\d+$/.test(t) && Number.isSafeInteger(Number(t)) ? String(Number(t)) : undefined;
}

/** The number cells of a table row, left to right (the computed 总计 included: they hold a place). */
const rowCells = (tr: HTMLTableRowElement) =>
  [...tr.querySelectorAll<HTMLInputElement>('input.num')].sort((a, b) => a.getBoundingClientRect().left - b.getBoundingClientRect().left);

function pasteBlock(start: HTMLInputElement, text: string): void {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  const block = lines.map((l) => l.split('\t'));
  const label = (el: HTMLInputElement) => el.getAttribute('aria-label') ?? el.name;
  const what = (el: HTMLInputElement) => (el.dataset.kind === 'decimal' ? '非负数（如 96171.6）' : '非负整数');
  const single = block.length === 1 && block[0]!.length === 1;
  if (single) {
    const value = cleanNumber(block[0]![0]!, start.dataset.kind!);
    if (value === undefined || block[0]![0]!.trim() === '') {
      if (block[0]![0]!.trim() !== '') hint(start, `“${block[0]![0]!.trim()}”不是${what(start)}，未粘贴`);
      return;
    }
    start.setRangeText(value, start.selectionStart ?? 0, start.selectionEnd ?? start.value.length, 'end');
    sanitize(start);
    write(start);
    changed();
    return;
  }
  // Where each value goes: the rows below the cell's row, the cells from the cell's column rightwards.
  const problems: string[] = [];
  const targets: [HTMLInputElement, string][] = [];
  const rows = [...start.closest('table')!.querySelectorAll<HTMLTableRowElement>('tbody tr')];
  const first = rows.indexOf(start.closest('tr')!);
  const left = start.getBoundingClientRect().left;
  block.forEach((values, r) => {
    const tr = rows[first + r];
    const row = tr ? rowCells(tr).filter((c) => c.getBoundingClientRect().right > left + 1) : [];
    if (!tr || !row.length) return void problems.push(`第 ${r + 1} 行：表格在此以下没有可填的行`);
    if (values.length > row.length)
      problems.push(`第 ${r + 1} 行有 ${values.length} 个数，从“${label(row[0]!)}”起向右只有 ${row.length} 格`);
    values.slice(0, row.length).forEach((raw, c) => {
      const cell = row[c]!;
      const value = cleanNumber(raw, cell.dataset.kind!);
      if (value === undefined) problems.push(`第 ${r + 1} 行第 ${c + 1} 个“${raw.trim()}”不是${what(cell)}（${label(cell)}）`);
      else targets.push([cell, value]);
    });
  });
  // A value pasted onto a computed 总计 must be what the cells beside it add up to.
  if (!problems.length) {
    const trial = JSON.parse(JSON.stringify(state)) as EditorState;
    for (const [cell, value] of targets)
      if (!cell.readOnly) setAt(trial, cell.name, cell.dataset.kind === 'decimal' ? value : Number(value));
    computeTotals(trial);
    for (const [cell, value] of targets)
      if (cell.readOnly && String(getAt(trial, cell.name)) !== value)
        problems.push(`“${label(cell)}”由程序计算为 ${getAt(trial, cell.name)}，粘贴的是 ${value}`);
  }
  if (problems.length) {
    // The reason beside the cell (on a phone the notice is far above), every reason in the notice.
    hint(start, `未粘贴：${problems[0]}${problems.length > 1 ? `（共 ${problems.length} 处，见页面上方）` : ''}`);
    notice('error', `粘贴的 ${block.length} 行内容未填入（一个格子也没有改）：`, { details: problems });
    return;
  }
  for (const [cell, value] of targets) {
    if (cell.readOnly) continue;
    cell.value = value;
    write(cell);
  }
  changed();
  showNumbers();
  hint(start, `已填入 ${block.length} 行 × ${Math.max(...block.map((b) => b.length))} 列`);
}

formEl.addEventListener('paste', (e) => {
  const el = e.target as HTMLInputElement;
  if (!(el instanceof HTMLInputElement) || !el.classList.contains('num') || el.readOnly) return;
  e.preventDefault();
  pasteBlock(el, e.clipboardData?.getData('text/plain') ?? '');
});

formEl.addEventListener('input', (e) => {
  if ((e as InputEvent).isComposing) return;
  if ((e.target as HTMLElement).dataset?.date) return void dateChanged(e.target as HTMLElement);
  onInput(e.target as HTMLInputElement);
});
formEl.addEventListener('change', (e) => {
  if ((e.target as HTMLElement).dataset?.date) dateChanged(e.target as HTMLElement);
});

/** 年/月/日 → the model's YYYY-MM-DD (empty while any of the three is missing). */
function dateChanged(from: HTMLElement): void {
  const box = from.closest<HTMLElement>('[data-date-of]')!;
  const part = (k: string) => box.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-date="${k}"]`)!;
  const y = part('y') as HTMLInputElement;
  const digits = halfWidth(y.value).replace(/\D/g, '').slice(0, 4);
  if (digits !== y.value) y.value = digits;
  const [m, d] = [part('m').value, part('d').value];
  const value = digits.length === 4 && m && d ? `${digits}-${m.padStart(2, '0')}-${d.padStart(2, '0')}` : '';
  const hidden = box.querySelector<HTMLInputElement>('input[type=hidden]')!;
  hidden.value = value;
  setAt(state, hidden.name, value);
  const partial = !value && Boolean(digits || m || d);
  box.querySelector('.date-note')!.textContent = partial ? '请把年、月、日填写完整' : '';
  changed();
}
formEl.addEventListener('compositionend', (e) => onInput(e.target as HTMLInputElement));
formEl.addEventListener('submit', (e) => e.preventDefault());

formEl.addEventListener('focusout', (e) => {
  const el = e.target as HTMLInputElement;
  const kind = el.dataset?.kind;
  if (!kind || el.readOnly) return;
  const normal =
    el.value === ''
      ? kind === 'year'
        ? ''
        : '0'
      : kind === 'decimal'
        ? el.value.replace(/\.$/, '').replace(/^0+(?=\d)/, '')
        : String(Number(el.value));
  if (normal !== el.value) {
    el.value = normal;
    write(el);
    changed();
  }
});

/** The editable cells of the three tables, in reading order (row by row, as printed). */
const cells = () => [...formEl.querySelectorAll<HTMLInputElement>('table.official input.num:not([readonly])')];
const editable = () => controls().filter((c) => !(c instanceof HTMLInputElement && c.readOnly));

/** The editable cell straight above or below, by where the cells are drawn (rows span differently per table). */
function vertical(from: HTMLInputElement, down: boolean): HTMLInputElement | undefined {
  const a = from.getBoundingClientRect();
  const x = a.left + a.width / 2;
  const table = from.closest('table');
  const candidates = cells()
    .filter((c) => c.closest('table') === table)
    .map((c) => ({ c, r: c.getBoundingClientRect() }))
    .filter(({ r }) => (down ? r.top >= a.bottom - 1 : r.bottom <= a.top + 1) && r.left <= x && r.right >= x);
  candidates.sort((p, q) => (down ? p.r.top - q.r.top : q.r.bottom - p.r.bottom));
  return candidates[0]?.c;
}

formEl.addEventListener('keydown', (e) => {
  const el = e.target as HTMLInputElement | HTMLTextAreaElement;
  if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && el instanceof HTMLInputElement && el.classList.contains('num') && !e.isComposing) {
    const next = vertical(el, e.key === 'ArrowDown');
    if (next) {
      e.preventDefault();
      next.focus();
    }
    return;
  }
  if (e.key !== 'Enter' || e.isComposing || e.ctrlKey || e.altKey || e.metaKey) return;
  if (el instanceof HTMLTextAreaElement && el.classList.contains('heading')) {
    // A heading is one line: Enter goes on to the next field.
    e.preventDefault();
    const list = editable();
    list[list.indexOf(el) + (e.shiftKey ? -1 : 1)]?.focus();
    return;
  }
  if (el instanceof HTMLTextAreaElement) {
    // Enter starts a new paragraph at the caret.
    e.preventDefault();
    const at = el.selectionStart ?? el.value.length;
    splitParagraph(el, [el.value.slice(0, at), el.value.slice(el.selectionEnd ?? at)]);
    return;
  }
  if (!(el instanceof HTMLInputElement) || !el.name) return;
  e.preventDefault();
  const list = el.classList.contains('num') ? cells() : editable();
  const next = list[list.indexOf(el) + (e.shiftKey ? -1 : 1)];
  if (next) {
    next.focus();
    next.select();
  }
});

formEl.addEventListener('focusin', (e) => {
  const el = e.target as HTMLInputElement;
  if (el.classList?.contains('num') && !el.readOnly) el.select();
});

// ── Lists: add, remove, reorder ─────────────────────────────────────────────────────────────
formEl.addEventListener('click', (e) => {
  const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
  if (!button) return;
  const list = button.dataset.list!;
  const items = getAt(state, list) as unknown[];
  const index = Number(button.dataset.index);
  const isSections = form().parts.some((p) => p.sections === list);
  const focusOf = (i: number) => (isSections ? `${list}.${i}.heading` : `${list}.${i}`);
  let focus: string | undefined;
  switch (button.dataset.action) {
    case 'add':
      items.push(isSections ? { heading: '', paragraphs: [''] } : '');
      focus = focusOf(items.length - 1);
      break;
    case 'remove':
      items.splice(index, 1);
      focus = items.length ? focusOf(Math.min(index, items.length - 1)) : undefined;
      break;
    case 'up':
    case 'down': {
      const to = index + (button.dataset.action === 'up' ? -1 : 1);
      if (to < 0 || to >= items.length) return;
      [items[index], items[to]] = [items[to], items[index]];
      focus = focusOf(to);
      break;
    }
    default:
      return;
  }
  changed();
  renderAll(focus);
});

// ── Files: open, save, import, start from last year ─────────────────────────────────────────
const diagnosticLines = (ds: Diagnostic[]) => ds.map(forPeople);

function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The file name the server gave (RFC 5987 `filename*` first). */
function dispositionName(header: string | null): string | undefined {
  if (!header) return undefined;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star) return decodeURIComponent(star[1]!);
  return /filename="([^"]+)"/i.exec(header)?.[1];
}

/** A JSON report read here, in the browser (works without the server). */
async function readJsonFile(file: File): Promise<ReportInput | undefined> {
  const json = parseJsonText(new Uint8Array(await file.arrayBuffer()));
  if (!json.ok) return void notice('error', `无法打开 ${file.name}：`, { details: diagnosticLines(json.diagnostics) });
  const parsed = parseReport(json.value, json.numbers);
  if (!parsed.ok) return void notice('error', `${file.name} 不符合报告的数据格式：`, { details: diagnosticLines(parsed.diagnostics) });
  return json.value as ReportInput;
}

const gapLines = (gaps: unknown): string[] =>
  Array.isArray(gaps)
    ? gaps.map((g) =>
        typeof g === 'string'
          ? g
          : g && typeof g === 'object'
            ? String((g as { message?: unknown; path?: unknown }).message ?? (g as { path?: unknown }).path ?? JSON.stringify(g))
            : String(g),
      )
    : [];

/** Any report file (DOCX, PDF, HTML, JSON) read by the server's importer (/api/import). */
async function importReport(file: File): Promise<{ report: ReportInput; details: string[] } | undefined> {
  notice('info', `正在读取 ${file.name}…`);
  const res = await fetch(`api/import?filename=${encodeURIComponent(file.name)}`, { method: 'POST', body: file }).catch(() => undefined);
  if (!res) {
    // Without the server a JSON file can still be read here.
    if (/\.json$/i.test(file.name)) {
      const report = await readJsonFile(file);
      return report ? { report, details: [] } : undefined;
    }
    return void notice('error', '无法连接到 xxgk serve：请确认它仍在运行。');
  }
  const body = (await res.json().catch(() => ({}))) as { report?: ReportInput; diagnostics?: Diagnostic[]; gaps?: unknown };
  if (!res.ok || !body.report) return void notice('error', `无法导入 ${file.name}：`, { details: diagnosticLines(body.diagnostics ?? []) });
  return {
    report: body.report,
    details: [...gapLines(body.gaps), ...diagnosticLines((body.diagnostics ?? []).filter((d) => !/^R\d$/.test(d.code)))],
  };
}

function onFile(id: string, handle: (file: File) => Promise<void>): void {
  const input = $<HTMLInputElement>(id);
  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    input.value = '';
    if (file) await handle(file);
  });
}

onFile('#open-json', async (file) => {
  const report = await readJsonFile(file);
  if (report) load(report, `已打开 ${file.name}`);
});

onFile('#import-file', async (file) => {
  const got = await importReport(file);
  if (got) load(got.report, `已导入 ${file.name}，请逐项核对`, undefined, got.details);
});

onFile('#from-last-year', async (file) => {
  const got = await importReport(file);
  if (!got) return;
  const res = await fetch('api/next-year', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(got.report),
  }).catch(() => undefined);
  const body = (await res?.json().catch(() => ({}))) as { report?: ReportInput; diagnostics?: Diagnostic[] } | undefined;
  if (!res?.ok || !body?.report) return notice('error', '无法根据上年报告生成：', { details: diagnosticLines(body?.diagnostics ?? []) });
  load(
    body.report,
    `已根据 ${got.report.year} 年报告生成 ${body.report.year} 年报告：上年结转和现行有效件数已填入，其余数字为 0，请逐项填写`,
    got.report,
  );
});

$('#save-json').addEventListener('click', () => {
  const report = toReport(state);
  const name = `${(report.agency || '年度报告').replace(/[\\/:*?"<>|]/g, '_')}-${report.year}.json`;
  saveBlob(new Blob([`${JSON.stringify(report, null, 2)}\n`], { type: 'application/json' }), name);
});

function startOver(): void {
  try {
    localStorage.setItem(BACKUP, JSON.stringify({ version: 1, report: state, previous }));
  } catch {
    // No room for the copy: the notice below still offers no undo.
  }
  state = blankState(state.agency);
  previous = undefined;
  serverDiagnostics = [];
  renderAll('agency');
  save();
  notice('info', '已清空，开始一份新的报告（机关名称保留）。', {
    actions: [
      {
        label: '撤销',
        run: () => {
          const backup = restore(BACKUP);
          if (!backup) return notice('error', '清空前的内容已无法找回（本浏览器中没有保存的副本）。');
          load(toReport(backup.report), '已恢复清空前的内容', backup.previous);
          if (backup.problems.length) reportDamage(backup, '清空前的内容');
        },
      },
    ],
  });
}
$('#new').addEventListener('click', startOver);

// ── Server renders: downloads and the preview ───────────────────────────────────────────────
async function render(format: string, draft: boolean): Promise<Response | undefined> {
  const res = await fetch(`api/render?format=${format}${draft ? '&draft=1' : ''}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(toReport(state)),
  }).catch(() => undefined);
  if (!res) return void notice('error', '无法连接到 xxgk serve：请确认它仍在运行。内容已保存在本浏览器中。');
  if (res.ok) return res;
  const body = (await res.json().catch(() => ({}))) as { diagnostics?: Diagnostic[] };
  const why =
    res.status === 422
      ? '报告中有错误，未生成。请按下列提示改正，或勾选“草稿”后再下载：'
      : res.status === 503
        ? '服务器正忙，请稍后再试。'
        : '未能生成：';
  notice('error', why, { details: diagnosticLines(body.diagnostics ?? []) });
  return undefined;
}

async function busy(button: HTMLButtonElement, text: string, work: () => Promise<void>): Promise<void> {
  const label = button.textContent;
  button.disabled = true;
  button.textContent = text;
  try {
    await work();
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}

const draftBox = $<HTMLInputElement>('#draft');
async function setUpDownloads(): Promise<void> {
  let formats = ['pdf', 'docx'];
  try {
    const info = (await (await fetch('api/info')).json()) as { formats: string[] };
    formats = info.formats;
  } catch {
    // Keep the defaults.
  }
  const box = $('#downloads');
  box.replaceChildren(
    ...formats.map((format) => {
      const b = h('button', { type: 'button', class: 'download', 'data-format': format }, `下载 ${format.toUpperCase()}`);
      b.addEventListener('click', () =>
        busy(b, '正在生成…', async () => {
          const res = await render(format, draftBox.checked);
          if (res) saveBlob(await res.blob(), dispositionName(res.headers.get('content-disposition')) ?? `report.${format}`);
        }),
      );
      return b;
    }),
  );
}

let previewUrl: string | undefined;
const previewButton = $<HTMLButtonElement>('#refresh-preview');
previewButton.addEventListener('click', () =>
  busy(previewButton, '正在生成预览…', async () => {
    // A draft (marked 草稿) only while something is wrong: otherwise the preview is the real thing.
    const res = await render(
      'pdf',
      localDiagnostics().some((d) => d.severity === 'error'),
    );
    if (!res) return;
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
    $<HTMLAnchorElement>('#open-preview').href = previewUrl;
    $('#open-preview').hidden = false;
    try {
      // pdf.js is large: loaded the first time a preview is asked for.
      const { showPdf } = (await import(new URL('preview.js', import.meta.url).href)) as typeof import('./preview.js');
      const pages = await showPdf(previewEl, bytes);
      previewEl.dataset.pages = String(pages);
    } catch {
      previewEl.replaceChildren(h('iframe', { src: `${previewUrl}#view=FitH`, title: 'PDF 预览（草稿）' }));
    }
  }),
);

// ── Start ───────────────────────────────────────────────────────────────────────────────────
// Collection mode (remote.ts): the server's copy of the report replaces what this browser had.
document.addEventListener('xxgk:load', (e) => {
  const d = (e as CustomEvent<{ report: ReportInput; message: string; previous?: ReportInput }>).detail;
  load(d.report, d.message, d.previous);
});
const saved = restore(STORE);
if (saved) {
  state = saved.report;
  previous = saved.previous;
  renderAll();
  if (saved.problems.length) {
    reportDamage(saved, '上次自动保存的内容');
    // The readable part is saved again; the damaged original stays under DAMAGED until replaced.
    save();
  } else notice('info', '已恢复上次未保存的内容。', { actions: [{ label: '重新开始', run: startOver }] });
} else {
  state = blankState();
  renderAll();
  save();
}
void setUpDownloads();
