/**
 * The office's review of its units' reports (`xxgk review`): every unit's report checked alone
 * (the 勾稽 rules, text against tables, empty parts, plausibility), against its own report of last
 * year (cross-year rules, repeated text), against the other units' (copied text), and the set
 * against the roster and the deadline. Pure: the documents come in already read.
 */
import type { Diagnostic } from '../../diagnostics.js';
import { formFor } from '../../../layouts/index.js';
import { describePath } from '../../model/labels.js';
import type { Report } from '../../model/schema.js';
import { runRules } from '../../rules/index.js';
import { crossUnitCopy, emptyParts, type Finding, plausibility, type Severity, textRepeat, textTable } from './checks.js';
import { matchUnits, nearNames, unitKey } from './units.js';

export type { Finding, Severity, Evidence } from './checks.js';

/** One document given to the review, read or not. */
export interface ReviewDocument {
  /** The file (or URL) as people see it. */
  file: string;
  report?: Report;
  /** Why it could not be read (UNREADABLE), when `report` is absent. */
  problems?: Diagnostic[];
  /** When the document says it was published, and where that was read. */
  published?: { date: string; source: string };
}

export interface ReviewOptions {
  /** The units expected to report (a roster). */
  roster?: string[];
  /** Publication deadline, YYYY-MM-DD; default 1 月 31 日 of the year after each report's year. */
  deadline?: string;
  /** TEXT_REPEAT threshold, 0–1 (default 0.5). */
  repeatThreshold?: number;
}

export type UnitStatus = 'ok' | 'warning' | 'error' | 'missing' | 'unreadable';

export interface UnitSummary {
  /** The agency as the report names it, or the roster's name. */
  unit: string;
  /** The roster's name, when the unit is on the roster. */
  rosterName?: string;
  file: string;
  /** Last year's document matched to it. */
  previousFile?: string;
  status: UnitStatus;
  errors: number;
  warnings: number;
}

export interface ReviewResult {
  units: UnitSummary[];
  findings: Finding[];
}

export const DEFAULT_REPEAT_THRESHOLD = 0.5;

const SEVERITY_ORDER: Record<UnitStatus, number> = { missing: 0, unreadable: 1, error: 2, warning: 3, ok: 4 };

/** Review a year's documents (with last year's and a roster, where given). */
export function review(current: readonly ReviewDocument[], previous: readonly ReviewDocument[], options: ReviewOptions = {}): ReviewResult {
  const findings: Finding[] = [];
  const threshold = options.repeatThreshold ?? DEFAULT_REPEAT_THRESHOLD;
  const readable = current.filter((d): d is ReviewDocument & { report: Report } => d.report !== undefined);
  const previousReadable = previous.filter((d): d is ReviewDocument & { report: Report } => d.report !== undefined);

  // Documents that could not be read: their unit is unknown, named by the file. Last year's only
  // cost their unit the cross-year checks.
  const unreadable = (d: ReviewDocument, severity: Severity, where: string, prefix: string): Finding => ({
    unit: d.file,
    file: d.file,
    code: 'UNREADABLE',
    severity,
    where,
    message: `${prefix}${(d.problems ?? []).map((p) => p.message).join('；') || '未知原因'}`,
  });
  for (const d of current) if (!d.report) findings.push(unreadable(d, 'error', '文件', '无法读取：'));
  for (const d of previous)
    if (!d.report) findings.push(unreadable(d, 'warning', '上年报告', '上年报告无法读取，相关单位不做跨年度核对：'));

  // Two documents of one unit for one year: both are reviewed, and the office is told.
  const byUnit = new Map<string, (ReviewDocument & { report: Report })[]>();
  for (const d of readable) {
    const key = `${d.report.year} ${unitKey(d.report.agency)}`;
    byUnit.set(key, [...(byUnit.get(key) ?? []), d]);
  }
  for (const docs of byUnit.values()) {
    if (docs.length < 2) continue;
    for (const d of docs)
      findings.push({
        unit: d.report.agency,
        file: d.file,
        code: 'DUPLICATE_UNIT',
        severity: 'warning',
        where: '机关名称',
        path: 'agency',
        message: `同一单位有 ${docs.length} 份 ${d.report.year} 年度报告：${docs.map((x) => x.file).join('、')}（请确认哪一份是正式发布的）`,
      });
  }

  // The roster: who is missing, who is not on it.
  const rosterOf = new Map<ReviewDocument, string>();
  if (options.roster) {
    const { matched, ambiguous } = matchUnits(options.roster, readable, (d) => d.report.agency);
    for (const [name, doc] of matched) rosterOf.set(doc, name);
    for (const name of options.roster) {
      if (matched.has(name)) continue;
      const candidates = ambiguous.get(name);
      if (candidates) {
        findings.push({
          unit: name,
          file: '',
          code: 'AMBIGUOUS_UNIT',
          severity: 'error',
          where: '名单',
          message: `名单中的“${name}”对应多份报告（${candidates.map((c) => `${c.report.agency}：${c.file}`).join('；')}），无法确定是哪一份`,
        });
        continue;
      }
      const near = nearNames(
        name,
        readable.map((d) => d.report.agency),
      );
      findings.push({
        unit: name,
        file: '',
        code: 'MISSING_UNIT',
        severity: 'error',
        where: '名单',
        message: `名单中的“${name}”没有报告${near.length ? `（相近的机关名称：${near.join('、')}，名称不一致时不会自动对应）` : ''}`,
      });
    }
    const rosterKeys = new Set(options.roster.map(unitKey));
    for (const d of readable) {
      if (rosterKeys.has(unitKey(d.report.agency))) continue;
      findings.push({
        unit: d.report.agency,
        file: d.file,
        code: 'UNKNOWN_UNIT',
        severity: 'warning',
        where: '机关名称',
        path: 'agency',
        message: `“${d.report.agency}”不在名单中：请核对机关名称，或把它加入名单`,
      });
    }
  }

  // Last year's report of each unit: among last year's documents of the year before, by agency.
  const previousOf = new Map<ReviewDocument, ReviewDocument & { report: Report }>();
  for (const d of readable) {
    const candidates = previousReadable.filter((p) => p.report.year === d.report.year - 1 && p.file !== d.file);
    const { matched, ambiguous } = matchUnits([d.report.agency], candidates, (p) => p.report.agency);
    const p = matched.get(d.report.agency);
    if (p) previousOf.set(d, p);
    const several = ambiguous.get(d.report.agency);
    if (several)
      findings.push({
        unit: d.report.agency,
        file: d.file,
        code: 'AMBIGUOUS_UNIT',
        severity: 'warning',
        where: '上年报告',
        message: `上年报告中有 ${several.length} 份可能属于本单位（${several.map((s) => `${s.report.agency}：${s.file}`).join('；')}），无法确定，不做跨年度核对`,
      });
  }

  for (const d of readable) {
    const report = d.report;
    const unit = report.agency;
    const form = formFor(report.format);
    const prevReport = previousOf.get(d)?.report;
    // The rules as `validate` gives them. Empty text is the review's own EMPTY_PART, by part
    // (placeholders and token text too; a section with a heading only is not a part left empty);
    // the fee prompt is a PLAUSIBILITY finding.
    for (const diag of runRules(report, { previous: prevReport })) {
      if (diag.code === 'EMPTY_TEXT' || diag.code === 'EMPTY_SECTION') continue;
      findings.push({
        unit,
        file: d.file,
        code: REVIEW_CODE[diag.code] ?? diag.code,
        severity: diag.severity,
        where: whereOf(diag.path),
        path: diag.path,
        message: diag.message,
      });
    }
    findings.push(...textTable(unit, d.file, report, form.defaultTitle));
    findings.push(...emptyParts(unit, d.file, report));
    if (prevReport) findings.push(...textRepeat(unit, d.file, report, prevReport, { threshold }));
    findings.push(...plausibility(unit, d.file, report, prevReport, form.defaultTitle));
    const late = lateness(d, report, options.deadline);
    if (late) findings.push({ unit, ...late });
  }

  // Copies between units of the same year.
  const years = new Set(readable.map((d) => d.report.year));
  for (const year of years)
    findings.push(
      ...crossUnitCopy(
        readable.filter((d) => d.report.year === year).map((d) => ({ unit: d.report.agency, file: d.file, report: d.report })),
      ),
    );

  const units = summarise(current, findings, rosterOf, previousOf, options.roster ?? []);
  const rank = new Map(units.map((u, i) => [u.unit, i]));
  findings.sort((a, b) => (rank.get(a.unit) ?? 0) - (rank.get(b.unit) ?? 0) || sev(a.severity) - sev(b.severity));
  return { units, findings };
}

const sev = (s: Severity) => (s === 'error' ? 0 : 1);

/** Rule codes the review files under its own: a reviewer's prompt, a part with nothing in it. */
const REVIEW_CODE: Record<string, string> = { FEE_SECTION: 'PLAUSIBILITY' };

function whereOf(path: string): string {
  if (!path || path === '$') return '报告';
  if (path.includes('*')) return path.startsWith('applications') ? '表三' : path;
  const segments = path
    .split(/\.|\[(\d+)\]/u)
    .filter((s) => s !== undefined && s !== '')
    .map((s) => (/^\d+$/u.test(s) ? Number(s) : s));
  return describePath(segments);
}

/** The deadline for a report: given, or 1 月 31 日 of the next year. */
export const deadlineFor = (year: number, given?: string): string => given ?? `${year + 1}-01-31`;

function lateness(d: ReviewDocument, report: Report, given?: string): Omit<Finding, 'unit'> | undefined {
  const deadline = deadlineFor(report.year, given);
  const date = d.published ?? (report.signature ? { date: report.signature.date, source: '落款日期' } : undefined);
  if (!date || date.date <= deadline) return undefined;
  return {
    file: d.file,
    code: 'LATE',
    severity: 'error',
    where: date.source,
    path: date.source === '落款日期' ? 'signature.date' : undefined,
    message: `发布日期 ${date.date}（取自${date.source}）晚于截止日期 ${deadline}`,
  };
}

function summarise(
  current: readonly ReviewDocument[],
  findings: readonly Finding[],
  rosterOf: Map<ReviewDocument, string>,
  previousOf: Map<ReviewDocument, ReviewDocument>,
  roster: readonly string[],
): UnitSummary[] {
  const units: UnitSummary[] = [];
  const count = (unit: string, file: string, severity: Severity) =>
    findings.filter((f) => f.unit === unit && (f.file === file || f.file === '') && f.severity === severity).length;
  for (const d of current) {
    const unit = d.report?.agency ?? d.file;
    const errors = count(unit, d.file, 'error');
    const warnings = count(unit, d.file, 'warning');
    units.push({
      unit,
      rosterName: rosterOf.get(d),
      file: d.file,
      previousFile: previousOf.get(d)?.file,
      status: !d.report ? 'unreadable' : errors ? 'error' : warnings ? 'warning' : 'ok',
      errors,
      warnings,
    });
  }
  const present = new Set(rosterOf.values());
  for (const name of roster) {
    if (present.has(name)) continue;
    units.push({ unit: name, rosterName: name, file: '', status: 'missing', errors: count(name, '', 'error'), warnings: 0 });
  }
  return units.sort(
    (a, b) =>
      SEVERITY_ORDER[a.status] - SEVERITY_ORDER[b.status] ||
      b.errors - a.errors ||
      b.warnings - a.warnings ||
      a.unit.localeCompare(b.unit, 'zh-CN'),
  );
}
