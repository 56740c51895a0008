/**
 * `xxgk init --from`: next year's skeleton from this year's report. 二、上年结转 = this year's
 * 四、结转下年度继续办理, column by column; Table 2's 现行有效件数 carried as the new baseline;
 * every other number 0; text emptied back to the standard preface and blank sections; agency kept.
 */
import { formFor } from '../form/index.js';
import { blankReport } from '../model/blank.js';
import { resolve } from '../model/resolve.js';
import type { Report, ReportInput } from '../model/schema.js';

export function nextYearReport(report: Report): ReportInput {
  const r = resolve(report, formFor(report.format).defaultTitle);
  const next = blankReport(report.agency, report.year + 1);
  next.applications.carriedOver = { ...r.applications.carriedForward };
  next.proactive.regulations.inForce = r.proactive.regulations.inForce;
  next.proactive.normativeDocuments.inForce = r.proactive.normativeDocuments.inForce;
  if (report.format !== 'gov-2021') next.format = report.format;
  return next;
}
