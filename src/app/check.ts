/** Everything that is checked before layout, shared by `validate`, `render` and `batch`. */
import { formFor } from '../../layouts/index.js';
import { hasErrors, ReportError, type Diagnostic } from '../diagnostics.js';
import { loadFontSet, ROLE_NAMES, type FontConfig, type FontSet } from '../fonts/index.js';
import type { FormSpec } from '../form/index.js';
import { describePath } from '../model/labels.js';
import { formatPath } from '../model/paths.js';
import type { Report } from '../model/schema.js';
import { reportTexts } from '../model/texts.js';
import { runRules } from '../rules/index.js';
import { loadReport } from './files.js';
import { readReport, reportOf } from '../readers/index.js';

export interface CheckOptions {
  /** Last year's report, for the cross-year rules. */
  previous?: Report;
  /** Font files by role; the bundled faces where not given. */
  fonts?: FontConfig;
}

/** The consistency rules, then glyph coverage: every check that runs before layout. */
export function validate(report: Report, options: CheckOptions = {}): Diagnostic[] {
  const form = formFor(report.format);
  return [...runRules(report, { previous: options.previous }), ...checkGlyphs(report, form, loadFontSet(options.fonts))];
}

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** Every character of a report must have a glyph in its role's font: never a blank box in the PDF. */
export function checkGlyphs(report: Report, form: FormSpec, fonts: FontSet): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { path: segments, role, text } of reportTexts(report, form)) {
    const path = formatPath(segments);
    const seen = new Set<number>();
    let index = 0;
    for (const ch of text) {
      index++;
      const cp = ch.codePointAt(0)!;
      if (seen.has(cp) || fonts.has(role, cp)) continue;
      seen.add(cp);
      out.push({
        code: 'GLYPH',
        severity: 'error',
        path,
        message:
          `${describePath(segments, form)}：第 ${index} 个字符“${ch}”（${hex(cp)}）在${ROLE_NAMES[role]}` +
          ` ${fonts.family(role)} 中没有字形，打印出来会是空白方框。请改用常用字，或指定含有该字的字体（${path}）`,
        hint: 'fonts',
      });
    }
  }
  return out;
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
export async function checkFile(file: string, options: { previous?: string; fonts?: FontConfig } = {}): Promise<Checked> {
  const { report, previous } = await readInputs(file, options.previous);
  return { report, previous, diagnostics: validate(report, { previous, fonts: options.fonts }) };
}

/** Read a report and, if given, last year's; throws ReportError (input) naming the file at fault. */
export async function readInputs(
  file: string,
  previousFile?: string,
  /** The file's bytes, when the caller has read them already (a file is read once). */
  bytes?: Uint8Array,
): Promise<{ report: Report; previous?: Report }> {
  const report = bytes ? reportOf(await readReport(bytes, file, { otherwise: 'json' }), file) : await loadReport(file);
  if (!previousFile) return { report };
  try {
    return { report, previous: await loadReport(previousFile) };
  } catch (e) {
    if (e instanceof ReportError)
      throw new ReportError(
        'input',
        e.diagnostics.map((d) => ({ ...d, message: `上年报告 ${previousFile}：${d.message}` })),
        previousFile,
      );
    throw e;
  }
}

export const failed = (c: Checked): boolean => hasErrors(c.diagnostics);
