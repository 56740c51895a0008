/**
 * Next year's report, started from last year's: what carries over by the form's own rules, and
 * nothing else. Used by `xxgk serve` (/api/next-year, the editor's "从上年报告开始") and
 * `xxgk init --from`.
 */
import { formFor } from '../../layouts/index.js';
import type { AnyReport } from '../form/index.js';
import { cellValue, computedTotals, setPath } from './resolve.js';
import type { Report, ReportInput } from './schema.js';

/**
 * The skeleton of the year after `report`:
 * - each number the format carries (its carries: for gov-2021 二、上年结转 = last year's
 *   四、结转下年度继续办理 column by column, R5; Table 2 现行有效件数, R6) set to last year's
 *   value (its total computed where last year's file omitted it), so that the carry rules hold
 *   by construction;
 * - every other number 0; the text as the format's blank report writes it for the new year;
 * - no 总计 (a carried total included): totals are computed, so a file the clerk fills in has no
 *   stale total to delete (the blank report writes none either);
 * - agency and format kept, year + 1; title and 落款 dropped (both name the old year or date).
 */
export function nextYearReport(report: Report | AnyReport): ReportInput {
  const form = formFor(report.format);
  const next = form.blank(report.agency, report.year + 1);
  const value = cellValue(report as AnyReport, form);
  const computed = computedTotals(form);
  for (const check of form.carries) for (const c of check.carries) if (!computed.has(c.now)) setPath(next, c.now, value(c.previous));
  return { ...next, format: report.format } as ReportInput;
}
