/** What every check returns: for people (a Chinese message) and for machines (a code and a JSON path). */
export interface Diagnostic {
  /** Stable identifier: `R1`…`R8` for the consistency rules (docs/form.md), `SCHEMA`, `JSON`, `GLYPH` … */
  code: string;
  severity: 'error' | 'warning';
  /** JSON path of the field, e.g. `applications.received.naturalPerson`; `$` for the whole file. */
  path: string;
  message: string;
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, rule: 1, input: 2 } as const;

/**
 * A user mistake that stops a command: unreadable or ill-formed input (exit 2) or a failed rule or
 * missing glyph (exit 1). The CLI prints its diagnostics, never its stack.
 */
export class ReportError extends Error {
  constructor(
    readonly exitCode: 1 | 2,
    readonly diagnostics: Diagnostic[],
    readonly file?: string,
  ) {
    super(diagnostics.map((d) => d.message).join('\n'));
    this.name = 'ReportError';
  }
}

export const hasErrors = (ds: readonly Diagnostic[]): boolean => ds.some((d) => d.severity === 'error');

/** At most the first 40 characters of a text the user wrote, for a message. */
export const clip = (s: string, max = 40): string => {
  if (s.length <= max) return s;
  let head = '';
  let n = 0;
  for (const ch of s) {
    if (n++ === max) return `${head}…（共 ${s.length} 字）`;
    head += ch;
  }
  return s;
};
