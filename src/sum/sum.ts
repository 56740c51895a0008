/**
 * The summary report (汇总): every number of Tables 2–4 the exact sum of the members', every total
 * recomputed from the summed parts, the text a blank report's plus one generated paragraph that
 * the office rewrites.
 */
import { ReportError, type Diagnostic } from '../diagnostics.js';
import { formFor } from '../../layouts/index.js';
import type { AnyReport, FormSpec } from '../form/index.js';
import { bindings, cellLabel, decimalCells } from '../model/labels.js';
import { getPath } from '../model/paths.js';
import { cellValue, computedTotals, setPath } from '../model/resolve.js';
import { FEE_PATTERN, type Report } from '../model/schema.js';
import { runRules } from '../rules/index.js';
import { sumDecimals } from './decimal.js';

/** A member: a parsed report, with the file it came from when there is one (for messages). */
export interface SumMember {
  report: Report;
  file?: string;
}

export interface SumOptions {
  /** The summarising body, e.g. 淮安市人民政府办公室. */
  agency: string;
  /** The report year; by default the year the members share (the most common one). */
  year?: number;
  title?: string;
  /** Last year's summary, for the cross-year rules R5 and R6 on the sums. */
  previous?: Report;
}

export type MemberStatus = 'included' | 'other-year' | 'other-format' | 'duplicate';

export interface MemberOutcome {
  file?: string;
  agency: string;
  status: MemberStatus;
  /** Why a member was left out, in Chinese. */
  reason?: string;
}

export interface SumResult {
  /** The summary, totals filled in; it passes `validate` when its members do. */
  report: Report;
  /**
   * Errors for members left out (another year or format, an agency already summed) and the rule
   * findings on the summary itself (with `previous`: R5, R6).
   */
  diagnostics: Diagnostic[];
  /** What became of each member, in the order given. */
  members: MemberOutcome[];
}

/** The numbers of a report's tables: its bound cells, nested as in the model. */
export type Numbers = Record<string, unknown>;

const who = (m: SumMember): string => (m.file ? `${m.file}（${m.report.agency.trim()}）` : m.report.agency.trim());

/** The most common format, the first seen on a tie. */
function commonFormat(reports: readonly AnyReport[]): string | undefined {
  const counts = new Map<string, number>();
  for (const r of reports) counts.set(r.format, (counts.get(r.format) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** The most common year, the later one on a tie. */
function commonYear(reports: readonly Report[]): number | undefined {
  const counts = new Map<number, number>();
  for (const r of reports) counts.set(r.year, (counts.get(r.year) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0];
}

/**
 * Add up the tables of reports of one format: every bound count as BigInt (a sum past
 * Number.MAX_SAFE_INTEGER is refused), every decimal exactly, every total of the format's sums
 * recomputed from the summed parts. The result holds the bound cells only, nested as in the model.
 * Throws ReportError (exit 1) naming each cell that overflows.
 */
export function sumNumbers(reports: readonly AnyReport[], form: FormSpec = formFor(reports[0]?.format)): Numbers {
  const overflow: Diagnostic[] = [];
  const count = (path: string, values: readonly number[]): number => {
    const sum = values.reduce((s, v) => s + BigInt(v), 0n);
    if (sum <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(sum);
    overflow.push({
      code: 'OVERFLOW',
      severity: 'error',
      path,
      message: `${cellLabel(form, path) ?? path}：合计 ${sum} 超出可精确处理的整数范围（上限 ${Number.MAX_SAFE_INTEGER}），无法汇总（${path}）`,
    });
    return 0;
  };
  const totals = computedTotals(form);
  const decimals = decimalCells(form);
  const members = reports.map((r) => cellValue(r, form));
  const summed = new Map<string, number | string>();
  const paths = [...bindings(form).keys()];
  for (const path of paths) {
    if (totals.has(path)) continue;
    if (decimals.has(path)) {
      const sum = sumDecimals(reports.map((r) => String(getPath(r, path))));
      if (!FEE_PATTERN.test(sum))
        overflow.push({
          code: 'OVERFLOW',
          severity: 'error',
          path,
          message: `${cellLabel(form, path)}：合计 ${sum} 超出收费金额可填写的范围（整数部分至多 16 位，小数至多 12 位），无法汇总（${path}）`,
        });
      summed.set(path, sum);
    } else
      summed.set(
        path,
        count(
          path,
          members.map((value) => value(path)),
        ),
      );
  }
  // Totals from the summed parts, each checked for overflow as it is added up.
  const memo = new Map<string, number>();
  const value = (path: string): number => {
    // All parts summed: the primary sum of each total.
    const sum = totals.get(path)?.[0];
    if (!sum) return summed.get(path) as number;
    let v = memo.get(path);
    if (v === undefined) memo.set(path, (v = count(path, sum.parts.map(value))));
    return v;
  };
  const numbers: Numbers = {};
  for (const path of paths) setPath(numbers, path, totals.has(path) ? value(path) : summed.get(path));
  if (overflow.length) throw new ReportError(1, overflow);
  return numbers;
}

/**
 * Who is summed: the members of the summary's year (given, or the most common) and format, each
 * agency once (the first report of it). Every other member gets an error saying why it is left out.
 */
export function classifyMembers(
  list: readonly SumMember[],
  options: Pick<SumOptions, 'year'>,
): { year?: number; format: string; outcomes: MemberOutcome[]; diagnostics: Diagnostic[] } {
  const form = formFor(commonFormat(list.map((m) => m.report)));
  const year = options.year ?? commonYear(list.map((m) => m.report));
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, SumMember>();
  const outcomes = list.map((m): MemberOutcome => {
    const name = m.report.agency.trim();
    const leave = (status: MemberStatus, path: string, reason: string): MemberOutcome => {
      diagnostics.push({ code: 'SUM_MEMBER', severity: 'error', path, message: `${who(m)}：${reason}，未计入汇总` });
      return { file: m.file, agency: name, status, reason };
    };
    if (m.report.format !== form.format) return leave('other-format', 'format', `格式为 ${m.report.format}，汇总使用 ${form.format}`);
    if (m.report.year !== year)
      return leave(
        'other-year',
        'year',
        `报告年度为 ${m.report.year} 年，汇总的年度为 ${year} 年${options.year ? '' : '（多数成员的年度；可用 --year 指定）'}`,
      );
    const first = seen.get(name);
    if (first) return leave('duplicate', 'agency', `与 ${who(first)} 是同一机关（机关名称相同）`);
    seen.set(name, m);
    return { file: m.file, agency: name, status: 'included' };
  });
  return { year, format: form.format, outcomes, diagnostics };
}

const TEXT_CHECKS = new Set(['EMPTY_TEXT', 'EMPTY_SECTION', 'FEE_SECTION']);

/**
 * The summary of members' reports. Members of another year or format, and a second report of an
 * agency already summed, are left out with an error each (the caller decides whether to write
 * anyway); check members with `validate` first: a member that breaks R1 makes the sum break it.
 * Throws ReportError: exit 2 when nothing is left to sum, exit 1 when a sum overflows.
 */
export function sumReports(members: readonly (Report | SumMember)[], options: SumOptions): SumResult {
  const list: SumMember[] = members.map((m) => ('report' in m ? m : { report: m }));
  const agency = options.agency.trim();
  // A summary summed again, or the summarising office's own report among its members, would count
  // numbers twice: refused, whatever else is asked.
  const twice = list.flatMap((m): Diagnostic[] =>
    m.report.summaryOf
      ? [
          {
            code: 'SUM_OF_SUM',
            severity: 'error',
            path: 'summaryOf',
            message: `${who(m)}：是汇总报告（xxgk sum 生成，汇总了 ${m.report.summaryOf.members} 份），不能再作为成员汇总`,
          },
        ]
      : m.report.agency.trim() === agency
        ? [
            {
              code: 'SUM_OF_SUM',
              severity: 'error',
              path: 'agency',
              message: `${who(m)}：机关名称与汇总机关“${agency}”相同，不能作为自己的成员汇总`,
            },
          ]
        : [],
  );
  if (twice.length) throw new ReportError('input', twice);
  const { year, format, outcomes, diagnostics } = classifyMembers(list, options);
  const form = formFor(format);
  const included = list.filter((_, i) => outcomes[i]!.status === 'included').map((m) => m.report);
  if (!included.length || year === undefined)
    throw new ReportError(2, [...diagnostics, { code: 'SUM_EMPTY', severity: 'error', path: '$', message: '没有可以汇总的报告' }]);

  const numbers = sumNumbers(included, form);
  // The format's blank report (its text for the year), the title after the year, the sums in place.
  const summary: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(form.blank(agency, year))) {
    summary[key] = value;
    if (key === 'year' && options.title?.trim()) summary.title = options.title.trim();
  }
  for (const path of bindings(form).keys()) setPath(summary, path, getPath(numbers, path));
  if (form.summary) setPath(summary, form.summary.paragraphs, [form.summary.text(agency, included.length, summary as AnyReport)]);
  // The mark of a summary (docs/model.md): the next run refuses it as a member.
  summary.summaryOf = { members: included.length };
  const report = summary as Report;
  // The summary's text (but its generated paragraph) is the summarizing office's to write, as in a
  // blank report: the checks of the text (EMPTY_TEXT, EMPTY_SECTION, FEE_SECTION) are for its final
  // render (validate, render), not for summing.
  diagnostics.push(...runRules(report, { previous: options.previous }).filter((d) => !TEXT_CHECKS.has(d.code)));
  return { report, diagnostics, members: outcomes };
}
