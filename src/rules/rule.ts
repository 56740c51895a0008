import type { Diagnostic } from '../diagnostics.js';
import type { FormSpec } from '../form/index.js';
import type { Report } from '../model/schema.js';

export interface RuleContext {
  report: Report;
  /** Last year's report, for the cross-year rules. */
  previous?: Report;
  form: FormSpec;
}

/** A named consistency rule of the official form (docs/form.md). */
export interface Rule {
  code: string;
  description: string;
  check(ctx: RuleContext): Diagnostic[];
}
