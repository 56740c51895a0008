/**
 * The editor's state: a report in the model's own JSON shape (docs/model.md), with the 总计 cells
 * computed from the form's sums and the optional fields kept as empty strings while editing.
 * Every control's `name` is the dotted JSON path of its value (`overview.sections.0.heading`).
 */
import { DEFAULT_FORMAT, formOf } from '../../layouts/index.js';
import { blankReport } from '../model/blank.js';
import { decimalCells } from '../model/labels.js';
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
