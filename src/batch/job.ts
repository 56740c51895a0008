/** One report of a batch, rendered where the worker runs: bytes come back, the main thread writes. */
import { createHash } from 'node:crypto';
import { readInputs } from '../check.js';
import { ReportError, type Diagnostic } from '../diagnostics.js';
import { writeDocx, type DocxFontMode } from '../docx/index.js';
import type { FontConfig } from '../fonts/index.js';
import { writePdf } from '../pdf/index.js';
import { outputStem } from '../output.js';
import { prepare } from '../render.js';

export interface JobOptions {
  pdf: boolean;
  docx: boolean;
  pdfa?: boolean;
  fonts?: FontConfig;
  docxFonts?: DocxFontMode;
  draft?: boolean;
  /** Last year's report file, for the cross-year rules. */
  previous?: string;
}

export interface JobOutput {
  name: string;
  bytes: Uint8Array;
  sha256: string;
}

export type JobResult =
  | { input: string; ok: true; outputs: JobOutput[]; diagnostics: Diagnostic[]; ms: number }
  | { input: string; ok: false; exitCode: number; diagnostics: Diagnostic[]; ms: number; /** The file at fault, if not the input. */ file?: string };

export { outputStem };

export async function runJob(input: string, options: JobOptions): Promise<JobResult> {
  const t0 = performance.now();
  try {
    const { report, previous } = readInputs(input, options.previous);
    const prepared = prepare(report, { fonts: options.fonts, previous, draft: options.draft });
    const stem = outputStem(input);
    const outputs: JobOutput[] = [];
    const add = (name: string, bytes: Uint8Array) =>
      outputs.push({ name, bytes, sha256: createHash('sha256').update(bytes).digest('hex') });
    if (options.pdf) add(`${stem}.pdf`, await writePdf(prepared.ir, prepared.fonts, { pdfa: options.pdfa }));
    if (options.docx) add(`${stem}.docx`, await writeDocx(prepared.ir, prepared.fonts, { fonts: options.docxFonts }));
    return { input, ok: true, outputs, diagnostics: prepared.diagnostics, ms: performance.now() - t0 };
  } catch (e) {
    if (e instanceof ReportError)
      return { input, ok: false, exitCode: e.exitCode, diagnostics: e.diagnostics, ms: performance.now() - t0, file: e.file };
    const message = e instanceof Error ? e.message : String(e);
    return {
      input,
      ok: false,
      exitCode: 3,
      diagnostics: [{ code: 'INTERNAL', severity: 'error', path: '$', message: `内部错误：${message}` }],
      ms: performance.now() - t0,
    };
  }
}
