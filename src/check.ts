/** Everything that is checked before layout, shared by `validate`, `render` and `batch`. */
import { hasErrors, ReportError, type Diagnostic } from './diagnostics.js';
import { readReportFile } from './model/load.js';
import type { Report } from './model/schema.js';
import { runRules } from './rules/index.js';

export interface Checked {
  report: Report;
  previous?: Report;
  /** Rule diagnostics (errors and warnings). */
  diagnostics: Diagnostic[];
}

/** Check a parsed report: the consistency rules (and, with fonts, glyph coverage). */
export function validate(report: Report, options: { previous?: Report } = {}): Diagnostic[] {
  return runRules(report, options);
}

/**
 * Read a report (and last year's) and run every check. Throws ReportError with exit code 2 for
 * unreadable or ill-formed input; rule errors are returned, for the caller to decide.
 */
export function checkFile(file: string, options: { previous?: string } = {}): Checked {
  const report = readReportFile(file);
  let previous: Report | undefined;
  if (options.previous) {
    try {
      previous = readReportFile(options.previous);
    } catch (e) {
      if (e instanceof ReportError)
        throw new ReportError(2, e.diagnostics.map((d) => ({ ...d, message: `上年报告 ${options.previous}：${d.message}` })), options.previous);
      throw e;
    }
  }
  return { report, previous, diagnostics: validate(report, { previous }) };
}

export const failed = (c: Checked): boolean => hasErrors(c.diagnostics);
