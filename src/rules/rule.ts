import type { Diagnostic } from '../diagnostics.js';
import type { LayoutSpec } from '../layout/spec.js';
import type { Report } from '../model/schema.js';

export interface RuleContext {
  report: Report;
  /** Last year's report, for the cross-year rules. */
  previous?: Report;
  layout: LayoutSpec;
}

/** A named consistency rule of FORMAT.md. */
export interface Rule {
  code: string;
  description: string;
  check(ctx: RuleContext): Diagnostic[];
}
