/**
 * Computed totals: a total the user omitted is computed from its parts as the format's sums
 * declare (layouts/<format>/checks.ts); one the user gave is kept as given (the rules check it, it
 * is never silently replaced).
 */
import { formFor, type ResolvedReport } from '../../layouts/index.js';
import type { AnyReport, FormSpec, SumSpec } from '../form/index.js';
import { getPath } from './paths.js';
import type { Report } from './schema.js';

export type { FullOutcome, FullRow, ResolvedApplications, ResolvedReport } from '../../layouts/index.js';

/** A resolved report of any format: its title set, every total present. */
export type AnyResolvedReport = AnyReport & { title: string };

const computing = new WeakMap<FormSpec, Map<string, SumSpec[]>>();
/**
 * The sums that can compute each total of a form, in the order they are tried: as declared, a
 * `secondary` sum after the others.
 */
export function computedTotals(form: FormSpec): Map<string, SumSpec[]> {
  let map = computing.get(form);
  if (!map) {
    map = new Map();
    const all = form.totals.flatMap((check) => check.sums);
    for (const sum of [...all.filter((s) => !s.secondary), ...all.filter((s) => s.secondary)]) {
      const list = map.get(sum.total) ?? [];
      map.set(sum.total, [...list, sum]);
    }
    computing.set(form, map);
  }
  return map;
}

/**
 * The sum that computes an omitted total: the first (computedTotals' order) with a part the report
 * gives, or else the first. (An omitted （七）总计 row of gov-2021 is added up down its columns, its
 * 总计 included; a given row whose 总计 is omitted across.)
 */
export function computingSum(form: FormSpec, read: (path: string) => unknown, total: string): SumSpec | undefined {
  const sums = computedTotals(form).get(total);
  return sums?.find((s) => s.parts.some((p) => read(p) !== undefined)) ?? sums?.[0];
}

/**
 * The value of a bound number, read through `read` (a report's given value, or undefined), the
 * totals `computed(path)` says to compute worked out from their parts.
 */
export function valueReader(
  form: FormSpec,
  read: (path: string) => unknown,
  computed: (path: string) => boolean,
): (path: string) => number {
  const memo = new Map<string, number>();
  const value = (path: string): number => {
    const hit = memo.get(path);
    if (hit !== undefined) return hit;
    const sum = computed(path) ? computingSum(form, read, path) : undefined;
    const v = sum ? sum.parts.reduce((s, p) => s + value(p), 0) : Number(read(path) ?? 0);
    memo.set(path, v);
    return v;
  };
  return value;
}

/** A number of a report, its total computed when omitted. */
export function cellValue(report: AnyReport, form: FormSpec = formFor(report.format)): (path: string) => number {
  const given = (path: string) => getPath(report, path);
  return valueReader(form, given, (path) => given(path) === undefined);
}

/** Set a dotted path in a plain object, creating objects on the way. */
export function setPath(obj: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let cur = obj;
  for (const k of keys.slice(0, -1)) cur = (cur[k] ??= {}) as Record<string, unknown>;
  cur[keys.at(-1)!] = value;
}

/**
 * The report with its title and every omitted total filled in. The second argument is the form
 * (or, as before, only its default title: the form is then the report's format's).
 */
export function resolve(report: Report, form?: FormSpec | ((agency: string, year: number) => string)): ResolvedReport;
export function resolve(report: AnyReport, form?: FormSpec | ((agency: string, year: number) => string)): AnyResolvedReport;
export function resolve(report: AnyReport, formOrTitle?: FormSpec | ((agency: string, year: number) => string)): AnyResolvedReport {
  const form = typeof formOrTitle === 'object' ? formOrTitle : formFor(report.format);
  const defaultTitle = typeof formOrTitle === 'function' ? formOrTitle : form.defaultTitle;
  const out = structuredClone(report) as AnyReport;
  const value = cellValue(report, form);
  for (const path of computedTotals(form).keys()) if (getPath(report, path) === undefined) setPath(out, path, value(path));
  return { ...out, title: report.title ?? defaultTitle(report.agency, report.year) };
}
