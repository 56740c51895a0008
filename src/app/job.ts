/**
 * One report rendered where a worker of the pool runs (src/app/pool.ts): a report file (`xxgk
 * render`, `xxgk batch`) or a report already in memory (`xxgk serve`). Bytes come back; the
 * main thread writes them.
 */
import { createHash } from 'node:crypto';
import { readInputs } from './check.js';
import { readInputFile } from './files.js';
import { ReportError, type Diagnostic, type ErrorKind } from '../diagnostics.js';
import type { DocxFontMode } from '../docx/index.js';
import type { FontConfig } from '../fonts/index.js';
import type { Report } from '../model/schema.js';
import { outputStem } from './output.js';
import { prepare } from './render.js';
import { readReport, type PickOptions, type ReadReport } from '../readers/index.js';
import { writersFor } from '../writers/index.js';

export interface JobOptions {
  /** The writers' ids (src/writers), e.g. ['pdf', 'docx']. */
  formats: readonly string[];
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
  | {
      input: string;
      ok: true;
      outputs: JobOutput[];
      diagnostics: Diagnostic[];
      ms: number;
      /** A read job's report (no outputs). */
      read?: ReadReport;
      /** A report file's report as read and the SHA-256 of its bytes (the batch's workbook uses them: a file is read once). */
      source?: { report: Report; sha256: string };
    }
  | {
      input: string;
      ok: false;
      kind: ErrorKind;
      diagnostics: Diagnostic[];
      ms: number /** The file at fault, if not the input. */;
      file?: string;
    };

export { outputStem };

/** A report file: read (last year's too, if the options name one), checked, rendered. */
export interface FileJob {
  /** The file; output file names are its name without `.json`. */
  input: string;
}

/** A report already in memory (`xxgk serve`): the same checks and writers as a file. */
export interface ReportJob {
  /** Names the job in its result. */
  input: string;
  /** Output file names are `<stem>.pdf`, `<stem>.docx`. */
  stem: string;
  report: Report;
  previous?: Report;
}

/**
 * A document read into the model where a worker runs (`xxgk import`, `validate`, `/api/import`):
 * a reader's time and memory are the worker's, bounded by the pool, never the caller's thread.
 */
export interface ReadJob {
  /** Names the job in its result. */
  input: string;
  read: { bytes: Uint8Array; name: string; pick?: PickOptions };
}

export type Job = FileJob | ReportJob | ReadJob;

export const isReadJob = (job: Job): job is ReadJob => 'read' in job;

export async function runJob(job: Job, options: JobOptions): Promise<JobResult> {
  const t0 = performance.now();
  return guarded(job.input, t0, async () => {
    if (isReadJob(job)) {
      const read = await readReport(job.read.bytes, job.read.name, job.read.pick);
      return { input: job.input, ok: true, outputs: [], diagnostics: [], ms: performance.now() - t0, read };
    }
    if ('report' in job) return renderReport(job.input, job.stem, job.report, job.previous, options, t0);
    const bytes = readInputFile(job.input);
    const { report, previous } = await readInputs(job.input, options.previous, bytes);
    const result = await renderReport(job.input, outputStem(job.input), report, previous, options, t0);
    if (result.ok) result.source = { report, sha256: createHash('sha256').update(bytes).digest('hex') };
    return result;
  });
}

async function renderReport(
  input: string,
  stem: string,
  report: Report,
  previous: Report | undefined,
  options: JobOptions,
  t0: number,
): Promise<JobResult> {
  const prepared = prepare(report, { fonts: options.fonts, previous, draft: options.draft });
  const outputs: JobOutput[] = [];
  const add = (name: string, bytes: Uint8Array) => outputs.push({ name, bytes, sha256: createHash('sha256').update(bytes).digest('hex') });
  // Each writer loads only when a job asks for its format.
  for (const writer of writersFor(options.formats))
    add(`${stem}${writer.extension}`, await writer.write(prepared.ir, prepared.fonts, options));
  return { input, ok: true, outputs, diagnostics: prepared.diagnostics, ms: performance.now() - t0 };
}

async function guarded(input: string, t0: number, work: () => Promise<JobResult>): Promise<JobResult> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof ReportError)
      return { input, ok: false, kind: e.kind, diagnostics: e.diagnostics, ms: performance.now() - t0, file: e.file };
    const message = e instanceof Error ? e.message : String(e);
    return {
      input,
      ok: false,
      kind: 'internal',
      diagnostics: [{ code: 'INTERNAL', severity: 'error', path: '$', message: `内部错误：${message}` }],
      ms: performance.now() - t0,
    };
  }
}
