/** A complete blank report for a clerk to fill in (`xxgk init`): the format's own. */
import { formFor } from '../../layouts/index.js';
import type { ReportInput } from './schema.js';

export function blankReport(agency: string, year: number, format?: string): ReportInput {
  return formFor(format).blank(agency, year) as ReportInput;
}
