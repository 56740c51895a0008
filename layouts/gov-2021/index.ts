/**
 * The format of 国办公开办函〔2021〕30号 (report years 2021 onward) as one module: its form
 * (form.ts), its model schema (schema.ts), its blank report (blank.ts), its sums, balances and
 * carries (checks.ts), its own rules (rules.ts) and the paragraph of a summary (summary.ts).
 */
import type { FormSpec } from '../../src/form/spec.js';
import { blankReport } from './blank.js';
import { balances, carries, totals } from './checks.js';
import { form } from './form.js';
import { rules } from './rules.js';
import { ReportSchema } from './schema.js';
import { overviewParagraph } from './summary.js';

export const gov2021: FormSpec = {
  ...form,
  schema: ReportSchema,
  blank: blankReport,
  totals,
  balances,
  carries,
  rules,
  summary: { paragraphs: 'overview.intro', text: overviewParagraph },
};

export default gov2021;
export { blankReport } from './blank.js';
export { applicantColumns, applicants, outcomeColumns, table3Groups } from './form.js';
export { OVERVIEW_SOFT_LIMIT } from './rules.js';
export {
  ReportSchema,
  RowSchema,
  OutcomeSchema,
  type Report,
  type ReportInput,
  type Row,
  type Outcome,
  type Applications,
  type FullRow,
  type FullOutcome,
  type ResolvedApplications,
  type ResolvedReport,
} from './schema.js';
export { overviewParagraph, scopeOf, type Numbers } from './summary.js';
