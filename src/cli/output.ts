/** How diagnostics look on a terminal. */
import type { Diagnostic, ErrorKind, Hint } from '../diagnostics.js';

const SEVERITY = { error: '错误', warning: '警告' } as const;

/**
 * Characters a terminal acts on rather than shows (ESC, BEL, NUL, newlines, C1 controls) or
 * that reorder what it shows (bidirectional overrides, line and paragraph separators).
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
const escapeChar = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** User-controlled text (values, file names, arguments) made safe to print: `\u001b` for ESC. */
export const shown = (s: string): string => s.replace(UNSAFE, escapeChar);

/** JSON for a terminal: JSON.stringify escapes C0 controls itself; this escapes the rest (still the same JSON). */
export const shownJson = (json: string): string => json.replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, escapeChar);

/** The command line's words for a diagnostic's hint: the option that fixes it. */
const HINTS: Record<Hint, string> = {
  fonts: '（字体用 --fonts 指定）',
  out: '：请用 -o 指定一个文件夹，如 -o out',
};

export function formatDiagnostic(d: Diagnostic, file?: string): string {
  return shown(`${file ? `${file}: ` : ''}${SEVERITY[d.severity]} [${d.code}] ${d.message}${d.hint ? HINTS[d.hint] : ''}`);
}

/** The exit code of each kind of failure (README.md): 1 a rule error or a missing glyph, 2 bad input, 3 a bug. */
export const exitCodeOf = (kind: ErrorKind): number => ({ input: 2, rule: 1, glyph: 1, internal: 3 })[kind];

export function summary(ds: readonly Diagnostic[]): string {
  const errors = ds.filter((d) => d.severity === 'error').length;
  const warnings = ds.length - errors;
  return errors ? `未通过：${errors} 个错误，${warnings} 个警告` : `检查通过${warnings ? `（${warnings} 个警告）` : ''}`;
}
