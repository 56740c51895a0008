/**
 * The editor's state: a report in the model's own JSON shape (docs/model.md), with the 总计 cells
 * computed from the form's sums and the optional fields kept as empty strings while editing.
 * Every control's `name` is the dotted JSON path of its value (`overview.sections.0.heading`).
 */
import { DEFAULT_FORMAT, formOf } from '../../layouts/index.js';
import { blankReport } from '../model/blank.js';
import { bindings, decimalCells, describePath } from '../model/labels.js';
import { computedTotals, setPath, valueReader } from '../model/resolve.js';
import type { Report, ReportInput } from '../model/schema.js';

/** A report as edited: like the model, but 标题 and 落款 are always there (empty = not given). */
export interface EditorState {
  format: string;
  agency: string;
  year: number;
  title: string;
  preface: string[];
  signature: { name: string; date: string };
  /** The format's own fields (its parts' paragraphs, sections and tables). */
  [field: string]: unknown;
}

type Json = Record<string | number, unknown>;

/** The value at a dotted path (`a.b.0.c`). */
export function getAt(root: unknown, name: string): unknown {
  let cur = root;
  if (name === '') return root;
  for (const seg of name.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Json)[seg];
  }
  return cur;
}

/** Set the value at a dotted path whose parents exist. */
export function setAt(root: unknown, name: string, value: unknown): void {
  const segs = name.split('.');
  const last = segs.pop()!;
  const parent = getAt(root, segs.join('.')) as Json | undefined;
  if (parent && typeof parent === 'object') parent[last] = value;
}

/** `overview.sections[0].heading` (a diagnostic's path) → `overview.sections.0.heading` (a control's name). */
export const controlName = (path: string): string => path.replace(/\[(\d+)\]/g, '.$1');

export function blankState(agency = '', year = new Date().getFullYear() - 1): EditorState {
  return fromReport(blankReport(agency, year));
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** A report file's content as editor state (totals recomputed: see `changedTotals`). */
export function fromReport(input: ReportInput | Report): EditorState {
  const r = clone(input) as ReportInput & Json;
  delete r.$schema;
  const state = {
    ...r,
    format: r.format ?? DEFAULT_FORMAT,
    title: r.title ?? '',
    signature: { name: r.signature?.name ?? '', date: r.signature?.date ?? '' },
  } as EditorState;
  const form = formOf(state);
  // A list of paragraphs the file left out is an empty list to add to; a decimal is edited as text.
  for (const p of form.parts) if (p.paragraphs && getAt(state, p.paragraphs) === undefined) setAt(state, p.paragraphs, []);
  for (const path of decimalCells(form)) setAt(state, path, String(getAt(state, path)));
  computeTotals(state);
  return state;
}

/** The report the state stands for, in the model's shape: what is checked, saved and rendered. */
export function toReport(state: EditorState): ReportInput {
  const { title, signature, ...rest } = clone(state);
  const out = rest as unknown as ReportInput;
  if (title.trim()) out.title = title;
  if (signature.name || signature.date) out.signature = signature;
  return out;
}

/** Fill every total of the form's sums from its parts (each 总计 of Tables 3 and 4, the whole （七）总计 row). */
export function computeTotals(state: EditorState): void {
  const form = formOf(state);
  const value = valueReader(
    form,
    (path) => getAt(state, path),
    () => true,
  );
  // (A row the file omitted, such as （七）总计, is created.)
  for (const path of computedTotals(form).keys()) setPath(state, path, value(path));
}

/** Totals a file gave that differ from the sum of their parts, as `path: given → computed`. */
export function changedTotals(input: ReportInput | Report, state: EditorState): { path: string; given: number; computed: number }[] {
  const out: { path: string; given: number; computed: number }[] = [];
  for (const path of computedTotals(formOf(state)).keys()) {
    const given = getAt(input, path);
    const computed = getAt(state, path);
    if (typeof given === 'number' && typeof computed === 'number' && computed !== given) out.push({ path, given, computed });
  }
  return out;
}

/** What `salvage` kept of a saved state, and what it could not read (in people's words). */
export interface Salvaged {
  state: EditorState;
  problems: string[];
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const shown = (v: unknown) => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
};

/**
 * A state saved in the browser (or any report-shaped value), checked field by field against the
 * form before the editor draws it: what has the right shape is kept, text in the wrong place is
 * kept as text where it can be (a number as a paragraph, a string where a list of sections was
 * expected as a section), and every field that could not be kept is named. Never throws for an
 * object; `undefined` for anything else.
 */
export function salvage(raw: unknown): Salvaged | undefined {
  if (!isObject(raw)) return undefined;
  const problems: string[] = [];
  const format = typeof raw.format === 'string' ? raw.format : DEFAULT_FORMAT;
  const form = formOf({ format });
  const label = (path: string) =>
    describePath(
      path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
      form,
    );
  const agency = typeof raw.agency === 'string' ? raw.agency : '';
  if (raw.agency !== undefined && typeof raw.agency !== 'string') problems.push(`机关名称：${shown(raw.agency)} 不是文字，未恢复`);
  const year = typeof raw.year === 'number' && Number.isInteger(raw.year) ? raw.year : new Date().getFullYear() - 1;
  if (raw.year !== undefined && year !== raw.year) problems.push(`报告年度：${shown(raw.year)} 不是年度，已改为 ${year}`);
  const state = fromReport(blankReport(agency, year, form.format));
  state.format = form.format;
  // Text: a list of paragraphs.
  const paragraphsAt = (path: string): string[] => {
    const v = getAt(raw, path);
    if (v === undefined) return [];
    if (typeof v === 'string' || typeof v === 'number') {
      problems.push(`${label(path)}：应为段落列表，实际为 ${shown(v)}，已作为一段保留`);
      return [String(v)];
    }
    if (!Array.isArray(v)) {
      problems.push(`${label(path)}：${shown(v)} 不是段落，未恢复`);
      return [];
    }
    const out: string[] = [];
    v.forEach((p, i) => {
      if (typeof p === 'string') out.push(p);
      else if (typeof p === 'number') out.push(String(p));
      else problems.push(`${label(path)} 第 ${i + 1} 段：${shown(p)} 不是文字，未恢复`);
    });
    return out;
  };
  const sectionsAt = (path: string): { heading: string; paragraphs: string[] }[] => {
    const v = getAt(raw, path);
    if (v === undefined) return [];
    if (typeof v === 'string') {
      problems.push(`${label(path)}：应为小节列表，实际为 ${shown(v)}，已作为一个小节的正文保留`);
      return [{ heading: '', paragraphs: [v] }];
    }
    if (!Array.isArray(v)) {
      problems.push(`${label(path)}：${shown(v)} 不是小节，未恢复`);
      return [];
    }
    const out: { heading: string; paragraphs: string[] }[] = [];
    v.forEach((s, i) => {
      const at = `${path}.${i}`;
      if (!isObject(s)) {
        if (typeof s === 'string') out.push({ heading: s, paragraphs: [] });
        else problems.push(`${label(path)} 第 ${i + 1} 个小节：${shown(s)} 不是小节，未恢复`);
        return;
      }
      const heading = typeof s.heading === 'string' ? s.heading : '';
      if (s.heading !== undefined && typeof s.heading !== 'string')
        problems.push(`${label(`${at}.heading`)}：${shown(s.heading)} 不是文字，未恢复`);
      out.push({ heading, paragraphs: paragraphsAt(`${at}.paragraphs`) });
    });
    return out;
  };
  if (raw.preface !== undefined) state.preface = paragraphsAt('preface');
  for (const p of form.parts) {
    if (p.paragraphs && getAt(raw, p.paragraphs) !== undefined) setAt(state, p.paragraphs, paragraphsAt(p.paragraphs));
    if (p.sections && getAt(raw, p.sections) !== undefined) setPath(state, p.sections, sectionsAt(p.sections));
  }
  // Numbers: every cell of the tables.
  const decimals = decimalCells(form);
  const totals = computedTotals(form);
  for (const path of bindings(form).keys()) {
    const v = getAt(raw, path);
    if (v === undefined || totals.has(path)) continue;
    if (decimals.has(path) && (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) setAt(state, path, String(v));
    else if (!decimals.has(path) && typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) setAt(state, path, v);
    else problems.push(`${label(path)}：${shown(v)} 不是${decimals.has(path) ? '数' : '非负整数'}，已记为 0`);
  }
  if (typeof raw.title === 'string') state.title = raw.title;
  else if (raw.title !== undefined) problems.push(`标题：${shown(raw.title)} 不是文字，未恢复`);
  const sig = raw.signature;
  if (isObject(sig)) {
    for (const key of ['name', 'date'] as const) {
      if (typeof sig[key] === 'string') state.signature[key] = sig[key] as string;
      else if (sig[key] !== undefined) problems.push(`落款 ${key === 'name' ? '署名' : '日期'}：${shown(sig[key])} 不是文字，未恢复`);
    }
  } else if (sig !== undefined) problems.push(`落款：${shown(sig)} 无法读取，未恢复`);
  computeTotals(state);
  return { state, problems };
}
