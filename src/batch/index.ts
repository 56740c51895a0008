/**
 * `xxgk batch`: many reports, a pool of worker threads, every good report written whole, every bad
 * one named with its diagnostics, and `batch-report.json` saying what became of each input.
 */
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ReportError, type Diagnostic } from '../diagnostics.js';
import { ensureDir, outputStem, removePending, writeAll, writeAtomic } from '../output.js';
import { shareFontFiles } from '../fonts/index.js';
import { writersFor } from '../writers/index.js';
import type { JobOptions, JobResult } from './job.js';
import type { WorkerData } from './worker.js';

export interface BatchOptions extends JobOptions {
  out: string;
  jobs?: number;
  /** Called after each report. */
  onResult?: (result: JobResult, done: number, total: number) => void;
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

const isLink = (p: string): boolean => {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
};

const errnoText = (e: unknown): string => {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM' ? '没有读取权限' : (code ?? String(e));
};

/**
 * Report files from paths: files as given, folders for their *.json files (sorted), no
 * duplicates. Links that lead nowhere are kept, to fail as inputs of their own. The output
 * folder is not searched (it is added to `skipped`, if given).
 */
export function collectInputs(paths: string[], outDir?: string, skipped?: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (f: string) => {
    const abs = resolve(f);
    if (!seen.has(abs)) seen.add(abs), out.push(f);
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      // A link to nothing (or a loop of links) is an input that fails, named, like any other.
      if (isLink(p)) add(p);
      else throw new ReportError(2, [{ code: 'READ', severity: 'error', path: '$', message: `${p}：文件或文件夹不存在` }]);
      continue;
    }
    if (st.isDirectory()) {
      if (outDir && resolve(p) === resolve(outDir)) {
        skipped?.push(p);
        continue;
      }
      let names: string[];
      try {
        names = readdirSync(p);
      } catch (e) {
        throw new ReportError(2, [{ code: 'READ', severity: 'error', path: '$', message: `${p}：无法读取文件夹（${errnoText(e)}）` }]);
      }
      for (const name of names.filter((n) => n.toLowerCase().endsWith('.json') && n !== 'batch-report.json').sort()) {
        const f = join(p, name);
        let file: boolean;
        try {
          file = statSync(f).isFile();
        } catch {
          file = isLink(f);
        }
        if (file) add(f);
      }
    } else add(p);
  }
  return out;
}

export interface RunOptions {
  /** Worker threads (default: the CPU count, at most one per input). */
  threads?: number;
  /** Stops dispatching when aborted; the jobs under way are dropped. */
  signal?: AbortSignal;
  /** Called in this thread with each result, in order of completion. */
  onResult: (result: JobResult) => void;
}

/**
 * The render worker's module: next to this one, as tsc writes dist/src/batch and as the CLI
 * bundle writes dist/cli (scripts/build-cli.ts), where this code lives in a chunk beside it.
 */
export const WORKER_URL = new URL('./worker.js', import.meta.url);

/** Old-generation heap of a worker, MB: a report within the limits needs a fraction of it. */
const WORKER_HEAP_MB = 1536;
/**
 * Young generation of a worker, MB. V8's default let each of a batch's workers grow it to some
 * 48 MB of fresh memory; at 16, a batch of 40 reports with 2 workers peaked at 255 MB instead of
 * 287 in the same wall time (4.65 s against 4.68 s, then 4.72 against 4.81: within this machine's
 * noise), and the largest report the limits allow rendered in the same time with 15 MB less. At
 * 8 and 12 the batch took 5–9 % longer.
 */
const WORKER_YOUNG_MB = 16;

/**
 * Run jobs in worker threads: the calling thread stays free, so SIGINT and SIGTERM are handled
 * at once however long a report takes. A worker that dies (out of memory, a crash) fails its
 * report, named, and is replaced. From the TypeScript sources (under a test runner) the jobs run
 * in this thread instead.
 */
export async function runJobs(queue: string[], jobOptions: JobOptions, options: RunOptions): Promise<void> {
  const { signal, onResult } = options;
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), queue.length));
  const workerUrl = WORKER_URL;
  if (!workerUrl.pathname.endsWith('.js') || import.meta.url.endsWith('.ts')) {
    const { runJob } = await import('./job.js');
    for (const input of queue) {
      if (signal?.aborted) break;
      onResult(await runJob(input, jobOptions));
    }
    return;
  }
  // The font files are read once, here, into memory the workers share (src/fonts: shareFontFiles),
  // while the workers start.
  const { shared: sharedFonts, fill } = shareFontFiles(jobOptions.fonts);
  await new Promise<void>((resolveAll, reject) => {
    let next = 0;
    let running = 0;
    let done = false;
    const workers = new Set<Worker>();
    const finish = (error?: unknown) => {
      if (done) return;
      done = true;
      for (const w of workers) void w.terminate();
      if (error) reject(error);
      else resolveAll();
    };
    signal?.addEventListener('abort', () => finish(), { once: true });
    const start = () => {
      const w = new Worker(workerUrl, {
        workerData: { ...jobOptions, sharedFonts } satisfies WorkerData,
        resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
      });
      workers.add(w);
      let current: string | undefined;
      const feed = () => {
        if (done) return;
        if (signal?.aborted || next >= queue.length) {
          if (running === 0) finish();
          return;
        }
        running++;
        current = queue[next++]!;
        w.postMessage(current);
      };
      w.on('message', (result: JobResult) => {
        running--;
        current = undefined;
        try {
          onResult(result);
        } catch (e) {
          finish(e);
          return;
        }
        feed();
      });
      // A worker that dies fails the report it was rendering; a new worker takes the rest.
      let dead = false;
      const died = (why: string) => {
        if (dead) return;
        dead = true;
        workers.delete(w);
        if (done) return;
        // Dying before its first report is not the report's fault, and would only repeat.
        if (current === undefined) return finish(new Error(why));
        const input = current;
        current = undefined;
        running--;
        try {
          onResult({
            input,
            ok: false,
            exitCode: 3,
            diagnostics: [{ code: 'INTERNAL', severity: 'error', path: '$', message: why }],
            ms: 0,
          });
        } catch (e) {
          return finish(e);
        }
        if (!signal?.aborted && next < queue.length) start();
        else if (running === 0) finish();
      };
      w.on('error', (e: Error & { code?: string }) =>
        died(
          e.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `内存不足：生成这份报告用尽了 ${WORKER_HEAP_MB} MB 内存上限，未生成`
            : `内部错误：${e.message}`,
        ),
      );
      w.on('exit', () => died('内部错误：生成线程意外退出，未生成'));
      feed();
    };
    for (let i = 0; i < threads; i++) start();
    fill();
  });
}

export async function runBatch(inputs: string[], options: BatchOptions): Promise<BatchReport> {
  const started = performance.now();
  ensureDir(options.out);
  const entries = new Map<string, BatchEntry>(inputs.map((i) => [i, { input: i, status: 'not-started', outputs: [], diagnostics: [] }]));
  const { out, jobs, onResult, signal, ...jobOptions } = options;
  let done = 0;
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
        const files = writeAll(out, result.outputs);
        entry.outputs = result.outputs.map((o, i) => ({ file: files[i]!, bytes: o.bytes.length, sha256: o.sha256 }));
        entry.status = 'written';
      } catch (e) {
        if (!(e instanceof ReportError)) throw e;
        // Written not at all: a failure, named like any other.
        entry.diagnostics = [...entry.diagnostics, ...e.diagnostics];
        return finished({ input: result.input, ok: false, exitCode: e.exitCode, diagnostics: entry.diagnostics, ms: result.ms });
      }
    }
    finished(result);
  };

  // Two inputs with one base name would overwrite each other's output: the later ones fail.
  const stems = new Map<string, string>();
  const queue: string[] = [];
  for (const input of inputs) {
    const stem = outputStem(input).toLowerCase();
    const first = stems.get(stem);
    if (!first) {
      stems.set(stem, input);
      queue.push(input);
      continue;
    }
    const message = `输出文件名与 ${first} 相同（${outputStem(input)}），未生成：请改名后再处理`;
    record({ input, ok: false, exitCode: 1, diagnostics: [{ code: 'DUPLICATE', severity: 'error', path: '$', message }], ms: 0 });
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
  return report;
}
