/** All consistency rules, run together so that every problem is reported, not just the first. */
import type { Diagnostic } from '../diagnostics.js';
import { formFor } from '../form/index.js';
import type { Report } from '../model/schema.js';
import { previousYear, r5CarryOver, r6InForce } from './cross-year.js';
import type { Rule } from './rule.js';
import { r1Balance, r2OutcomeTotal, r3RowTotal } from './table3.js';
import { r4OutcomeTotal } from './table4.js';
import { feeSection, formatYear, r8OverviewLength } from './text.js';

export type { Rule, RuleContext } from './rule.js';

export const RULES: readonly Rule[] = [
  r1Balance,
  r2OutcomeTotal,
  r3RowTotal,
  r4OutcomeTotal,
  previousYear,
  r5CarryOver,
  r6InForce,
  r8OverviewLength,
  formatYear,
  feeSection,
];

export function runRules(report: Report, options: { previous?: Report } = {}): Diagnostic[] {
  const ctx = { report, previous: options.previous, form: formFor(report.format) };
  return RULES.flatMap((rule) => rule.check(ctx));
}
