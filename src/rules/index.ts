/**
 * All consistency rules of a report's format, run together so that every problem is reported,
 * not just the first: its balances and sums (R1–R4 for gov-2021), the previous-report check and
 * its carries (R5, R6), then its own rules (R8 …).
 */
import { formFor } from '../../layouts/index.js';
import type { Diagnostic } from '../diagnostics.js';
import type { AnyReport, FormSpec } from '../form/index.js';
import { previousYear } from './cross-year.js';
import type { Rule } from './rule.js';
import { balanceRule, carryRule, totalRule } from './sums.js';

export type { Rule, RuleContext } from './rule.js';

const cache = new WeakMap<FormSpec, readonly Rule[]>();

/** The rules of a format, in the order they report. */
export function rulesOf(form: FormSpec): readonly Rule[] {
  let rules = cache.get(form);
  if (!rules) {
    rules = [...form.balances.map(balanceRule), ...form.totals.map(totalRule), previousYear, ...form.carries.map(carryRule), ...form.rules];
    cache.set(form, rules);
  }
  return rules;
}

export function runRules(report: AnyReport, options: { previous?: AnyReport } = {}): Diagnostic[] {
  const form = formFor(report.format);
  const ctx = { report, previous: options.previous, form };
  return rulesOf(form).flatMap((rule) => rule.check(ctx));
}
