/** Everything that is checked before layout, shared by `validate`, `render` and `batch`. */
import { hasErrors, ReportError, type Diagnostic } from './diagnostics.js';
import { checkGlyphs } from './fonts/coverage.js';
import { loadFontSet, type FontConfig } from './fonts/index.js';
import { layoutFor } from './layout/registry.js';
import { readReportFile } from './model/load.js';
import type { Report } from './model/schema.js';
import { runRules } from './rules/index.js';

export interface CheckOptions {
  /** Last year's report, for the cross-year rules. */
  previous?: Report;
  /** Font files by role; the bundled faces where not given. */
  fonts?: FontConfig;
}

/** The consistency rules, then glyph coverage: every check that runs before layout. */
export function validate(report: Report, options: CheckOptions = {}): Diagnostic[] {
  const layout = layoutFor(report.format);
  return [...runRules(report, { previous: options.previous }), ...checkGlyphs(report, layout, loadFontSet(options.fonts))];
}

export interface Checked {
  report: Report;
  previous?: Report;
  /** Rule and glyph diagnostics (errors and warnings). */
  diagnostics: Diagnostic[];
}

/**
 * Read a report (and last year's) and run every check. Throws ReportError with exit code 2 for
 * unreadable or ill-formed input; rule errors are returned, for the caller to decide.
 */
export function checkFile(file: string, options: { previous?: string; fonts?: FontConfig } = {}): Checked {
  const { report, previous } = readInputs(file, options.previous);
  return { report, previous, diagnostics: validate(report, { previous, fonts: options.fonts }) };
}

/** Read a report and, if given, last year's; throws ReportError (exit 2) naming the file at fault. */
export function readInputs(file: string, previousFile?: string): { report: Report; previous?: Report } {
  const report = readReportFile(file);
  if (!previousFile) return { report };
  try {
    return { report, previous: readReportFile(previousFile) };
  } catch (e) {
    if (e instanceof ReportError)
      throw new ReportError(2, e.diagnostics.map((d) => ({ ...d, message: `上年报告 ${previousFile}：${d.message}` })), previousFile);
    throw e;
  }
}

export const failed = (c: Checked): boolean => hasErrors(c.diagnostics);
