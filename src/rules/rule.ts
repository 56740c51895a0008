import type { Diagnostic } from '../diagnostics.js';
import type { AnyReport, FormSpec } from '../form/index.js';

export interface RuleContext {
  report: AnyReport;
  /** Last year's report, for the cross-year rules. */
  previous?: AnyReport;
  form: FormSpec;
}

/** A named consistency rule of the official form (docs/form.md). */
export interface Rule {
  code: string;
  description: string;
  check(ctx: RuleContext): Diagnostic[];
}
