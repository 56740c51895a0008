/**
 * The rules a format declares as data (layouts/<format>/checks.ts), run generically: its sums
 * (a given total = the sum of its parts), its balances (left cells = right cells) and what carries
 * over from last year's report. Messages are the format's templates, filled with the form's labels.
 */
import type { BalanceCheck, CarryCheck, Finding, FormSpec, TotalCheck } from '../form/index.js';
import { columnGroupLabel, columnLabel, rowLabel, tableName } from '../model/labels.js';
import { getPath } from '../model/paths.js';
import { cellValue, computingSum } from '../model/resolve.js';
import type { Rule, RuleContext } from './rule.js';

/** `{name}` in a template → its value; an unknown name is left as written. */
const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/gu, (m, name: string) => (name in values ? String(values[name]) : m));

/** The labels of a bound cell that templates use. */
const labelsOf = (form: FormSpec, path: string) => ({
  table: tableName(form, path),
  row: rowLabel(form, path),
  column: columnLabel(form, path),
  group: columnGroupLabel(form, path),
});

const indexed = (prefix: string, values: number[]) => Object.fromEntries(values.map((v, i) => [`${prefix}${i}`, v]));

export function totalRule(check: TotalCheck): Rule {
  return {
    code: check.code,
    description: check.description,
    check({ report, form }: RuleContext) {
      const value = cellValue(report, form);
      const read = (path: string) => getPath(report, path);
      return check.sums.flatMap((s): Finding[] => {
        // A given total is checked; an omitted one only when a primary sum other than this one computed it.
        const written = read(s.total);
        const by = typeof written === 'number' ? undefined : computingSum(form, read, s.total);
        if (by && (by === s || by.secondary)) return [];
        const given = typeof written === 'number' ? written : value(s.total);
        const terms = s.parts.map(value);
        const sum = terms.reduce((a, b) => a + b, 0);
        if (given === sum) return [];
        const values = {
          ...labelsOf(form, s.total),
          partColumns: s.parts.map((p) => columnLabel(form, p)).join('、'),
          total: given,
          sum,
          terms: terms.join(' + '),
        };
        return [{ code: check.code, severity: 'error', path: s.total, message: fill(check.message, values) }];
      });
    },
  };
}

export function balanceRule(check: BalanceCheck): Rule {
  return {
    code: check.code,
    description: check.description,
    check({ report, form }: RuleContext) {
      const value = cellValue(report, form);
      return check.balances.flatMap((b): Finding[] => {
        const l = b.left.map(value);
        const r = b.right.map(value);
        const left = l.reduce((a, x) => a + x, 0);
        const right = r.reduce((a, x) => a + x, 0);
        if (left === right) return [];
        const values = { ...labelsOf(form, b.left[0]!), left, right, ...indexed('l', l), ...indexed('r', r) };
        return [{ code: check.code, severity: 'error', path: b.path, message: fill(check.message, values) }];
      });
    },
  };
}

/** Cross-year rules only make sense when the previous report is the right one. */
const comparable = (ctx: RuleContext) =>
  ctx.previous && ctx.previous.year === ctx.report.year - 1 && ctx.previous.format === ctx.report.format ? ctx.previous : undefined;

export function carryRule(check: CarryCheck): Rule {
  return {
    code: check.code,
    description: check.description,
    check(ctx: RuleContext) {
      const previous = comparable(ctx);
      if (!previous) return [];
      const { form } = ctx;
      const value = cellValue(ctx.report, form);
      const before = cellValue(previous, form);
      return check.carries.flatMap((c): Finding[] => {
        const now = value(c.now);
        const p = (c.plus ?? []).map(value);
        const m = (c.minus ?? []).map(value);
        const expected = before(c.previous) + p.reduce((a, x) => a + x, 0) - m.reduce((a, x) => a + x, 0);
        if (now === expected) return [];
        const values = {
          ...labelsOf(form, c.now),
          now,
          before: before(c.previous),
          previousYear: previous.year,
          expected,
          ...indexed('p', p),
          ...indexed('m', m),
        };
        return [{ code: check.code, severity: check.severity, path: c.now, message: fill(check.message, values) }];
      });
    },
  };
}
