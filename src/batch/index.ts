/**
 * `xxgk batch`: many reports, a pool of worker threads, every good report written whole, every bad
 * one named with its diagnostics, and `batch-report.json` saying what became of each input.
 */
import { resolve } from 'node:path';
import type { JobOptions, JobResult } from '../app/job.js';
import { ensureDir, outputStem, removePending, writeAll, writeAtomic } from '../app/output.js';
import { runJobs } from '../app/pool.js';
import { ReportError, type Diagnostic } from '../diagnostics.js';
import type { Report } from '../model/schema.js';
import { writersFor } from '../writers/index.js';

export { collectInputs } from '../app/inputs.js';

export interface BatchOptions extends JobOptions {
  out: string;
  jobs?: number;
  /** Called after each report. */
  onResult?: (result: JobResult, done: number, total: number) => void;
  /** The name each input's outputs take (without extension): by default its file name without `.json`. */
  outputName?: (input: string) => string;
  /** Stops dispatching when aborted; finished files stay. */
  signal?: AbortSignal;
}

export interface BatchEntry {
  input: string;
  status: 'written' | 'failed' | 'not-started';
  outputs: { file: string; bytes: number; sha256: string }[];
  diagnostics: Diagnostic[];
  ms?: number;
}

export interface BatchReport {
  tool: 'xxgk-report';
  out: string;
  formats: string[];
  summary: { inputs: number; written: number; failed: number; notStarted: number; seconds: number; interrupted: boolean };
  entries: BatchEntry[];
}

export async function runBatch(inputs: string[], options: BatchOptions): Promise<BatchReport> {
  const started = performance.now();
  ensureDir(options.out);
  const entries = new Map<string, BatchEntry>(inputs.map((i) => [i, { input: i, status: 'not-started', outputs: [], diagnostics: [] }]));
  const { out, jobs, onResult, signal, outputName, ...jobOptions } = options;
  const stemOf = outputName ?? outputStem;
  // A job names its outputs after the input file: renamed here when another name was asked for.
  const named = (result: JobResult & { ok: true }) => {
    const from = outputStem(result.input);
    const to = stemOf(result.input);
    return result.outputs.map((o) => (to !== from && o.name.startsWith(from) ? { ...o, name: to + o.name.slice(from.length) } : o));
  };
  let done = 0;
  const sources = new Map<string, { report: Report; sha256: string }>();
  const finished = (result: JobResult) => {
    done++;
    onResult?.(result, done, inputs.length);
  };
  const record = (result: JobResult) => {
    const entry = entries.get(result.input)!;
    entry.ms = Math.round(result.ms);
    entry.diagnostics = result.diagnostics;
    entry.status = 'failed';
    if (result.ok) {
      try {
        const files = writeAll(out, named(result));
        entry.outputs = result.outputs.map((o, i) => ({ file: files[i]!, bytes: o.bytes.length, sha256: o.sha256 }));
        entry.status = 'written';
        if (result.source) sources.set(result.input, result.source);
      } catch (e) {
        if (!(e instanceof ReportError)) throw e;
        // Written not at all: a failure, named like any other.
        entry.diagnostics = [...entry.diagnostics, ...e.diagnostics];
        return finished({ input: result.input, ok: false, kind: e.kind, diagnostics: entry.diagnostics, ms: result.ms });
      }
    }
    finished(result);
  };

  // Two inputs with one base name would overwrite each other's output: the later ones fail.
  const stems = new Map<string, string>();
  const queue: string[] = [];
  for (const input of inputs) {
    const stem = stemOf(input).toLowerCase();
    const first = stems.get(stem);
    if (!first) {
      stems.set(stem, input);
      queue.push(input);
      continue;
    }
    const message = `输出文件名与 ${first} 相同（${stemOf(input)}），未生成：请改名后再处理`;
    record({ input, ok: false, kind: 'rule', diagnostics: [{ code: 'DUPLICATE', severity: 'error', path: '$', message }], ms: 0 });
  }

  await runJobs(queue, jobOptions, { threads: jobs, signal, onResult: record });
  removePending();
  const list = [...entries.values()];
  const report: BatchReport = {
    tool: 'xxgk-report',
    out: resolve(out),
    formats: writersFor(jobOptions.formats).map((w) => w.id),
    summary: {
      inputs: list.length,
      written: list.filter((e) => e.status === 'written').length,
      failed: list.filter((e) => e.status === 'failed').length,
      notStarted: list.filter((e) => e.status === 'not-started').length,
      seconds: Math.round((performance.now() - started) / 10) / 100,
      interrupted: Boolean(signal?.aborted),
    },
    entries: list,
  };
  writeAtomic(out, 'batch-report.json', new TextEncoder().encode(`${JSON.stringify(report, null, 2)}\n`));
  batchSources.set(report, sources);
  return report;
}

/**
 * The report each written input held as the batch read it, and its bytes' SHA-256: the workbook
 * of `batch --xlsx` shows these, never a second reading (a file edited during the run would put
 * two different numbers in the documents and the workbook).
 */
export const batchSources = new WeakMap<BatchReport, ReadonlyMap<string, { report: Report; sha256: string }>>();
