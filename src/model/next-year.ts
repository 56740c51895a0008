/**
 * Next year's report, started from last year's: what carries over by the form's own rules, and
 * nothing else. Used by `xxgk serve` (/api/next-year, the editor's "从上年报告开始") and
 * `xxgk init --from`.
 */
import { blankReport } from './blank.js';
import { APPLICANTS, cell } from './resolve.js';
import type { Report, ReportInput, Row } from './schema.js';

/** A row of Table 3 with its 总计 (computed where last year's file omitted it). */
const carried = (row: Row) => {
  const out = Object.fromEntries(APPLICANTS.map((k) => [k, row[k]])) as Record<(typeof APPLICANTS)[number], number>;
  return { ...out, total: cell(row, 'total') };
};

/**
 * The skeleton of the year after `report`:
 * - 二、上年结转 = last year's 四、结转下年度继续办理, column by column (R5 holds by construction);
 * - Table 2 现行有效件数 carried, 本年制发件数 and 本年废止件数 0 (R6 holds by construction);
 * - every other number 0; the text as `blankReport` writes it for the new year;
 * - agency and format kept, year + 1; title and 落款 dropped (both name the old year or date).
 */
export function nextYearReport(report: Report): ReportInput {
  const year = report.year + 1;
  const next = blankReport(report.agency, year);
  const last = report.proactive;
  return {
    ...next,
    format: report.format,
    proactive: {
      ...next.proactive,
      regulations: { issued: 0, repealed: 0, inForce: last.regulations.inForce },
      normativeDocuments: { issued: 0, repealed: 0, inForce: last.normativeDocuments.inForce },
    },
    applications: { ...next.applications, carriedOver: carried(report.applications.carriedForward) },
  };
}
