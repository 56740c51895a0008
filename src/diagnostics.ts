/** What every check returns: for people (a Chinese message) and for machines (a code and a JSON path). */
export interface Diagnostic {
  /** Stable identifier: `R1`…`R8` for the consistency rules (docs/form.md), `SCHEMA`, `JSON`, `GLYPH` … */
  code: string;
  severity: 'error' | 'warning';
  /** JSON path of the field, e.g. `applications.received.naturalPerson`; `$` for the whole file. */
  path: string;
  message: string;
  /**
   * What else would fix it, for the door to say in its own terms (the CLI names its option, the
   * editor its control): `fonts`, a font configuration with the missing characters; `out`, an
   * output folder. Messages themselves name no CLI flag.
   */
  hint?: Hint;
}

export type Hint = 'fonts' | 'out';

/**
 * What kind of failure stopped the work: `input` (unreadable or ill-formed input, a refused file,
 * an unwritable output), `rule` (a 勾稽 rule error, a gap in an imported report), `glyph` (a
 * character the fonts cannot print), `internal` (a bug, a crashed worker). The CLI maps kinds to
 * exit codes, the server to HTTP statuses.
 */
export type ErrorKind = 'input' | 'rule' | 'glyph' | 'internal';

/** The CLI's exit codes (README.md): 0 done, 1 a rule error or missing glyph, 2 bad input; 3 internal. */
export const EXIT = { ok: 0, rule: 1, input: 2 } as const;

/**
 * A problem that stops the work, with its diagnostics and its kind. The CLI prints its
 * diagnostics, never its stack. (The numbers 1 and 2 are still taken for `rule` and `input`, as
 * callers wrote before kinds.)
 */
export class ReportError extends Error {
  readonly kind: ErrorKind;
  constructor(
    kind: ErrorKind | 1 | 2,
    readonly diagnostics: Diagnostic[],
    readonly file?: string,
  ) {
    super(diagnostics.map((d) => d.message).join('\n'));
    this.name = 'ReportError';
    this.kind = kind === 1 ? 'rule' : kind === 2 ? 'input' : kind;
  }

  /**
   * The CLI's exit code for this kind (README.md), for callers written before kinds.
   * @deprecated use `kind`.
   */
  get exitCode(): number {
    return { input: 2, rule: 1, glyph: 1, internal: 3 }[this.kind];
  }

  /** What would fix it besides the messages (a door names its own option or control for each). */
  get hints(): Hint[] {
    return [...new Set(this.diagnostics.flatMap((d) => (d.hint ? [d.hint] : [])))];
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
