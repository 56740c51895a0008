/**
 * The format of 国办公开办函〔2021〕30号 (report years 2021 onward) as one module: its form
 * (form.ts), its model schema (schema.ts), its blank report (blank.ts), its sums, balances and
 * carries (checks.ts), its own rules (rules.ts), the paragraph of a summary (summary.ts) and what
 * the office's review compares (review.ts).
 */
import type { FormSpec } from '../../src/form/spec.js';
import { blankReport } from './blank.js';
import { balances, carries, totals } from './checks.js';
import { form } from './form.js';
import { review } from './review.js';
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
  review,
  summary: {
    paragraphs: 'overview.intro',
    text: overviewParagraph,
    workbookNotes: {
      '表二、表三、表四':
        '每个单位一行，各列按正式表格的顺序和表头排列；表三每一行（如“（三）不予公开 1.属于国家秘密”）占七列：自然人、法人或其他组织（五类）、总计',
      合计: '程序逐项精确相加的结果；收费金额按十进制相加（不经二进制浮点），显示的小数位数与最精确的成员相同',
    },
  },
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
