/**
 * `xxgk batch`: many reports, a pool of worker threads, every good report written whole, every bad
 * one named with its diagnostics, and `batch-report.json` saying what became of each input.
 */
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ReportError, type Diagnostic } from '../diagnostics.js';
import { ensureDir, removePending, writeAtomic } from '../output.js';
import { outputStem, runJob, type JobOptions, type JobResult } from './job.js';

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

/** Report files from paths: files as given, folders for their *.json files (sorted), no duplicates. */
export function collectInputs(paths: string[], outDir?: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (f: string) => {
    const abs = resolve(f);
    if (!seen.has(abs)) (seen.add(abs), out.push(f));
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new ReportError(2, [{ code: 'READ', severity: 'error', path: '$', message: `${p}：文件或文件夹不存在` }]);
    }
    if (st.isDirectory()) {
      if (outDir && resolve(p) === resolve(outDir)) continue;
      for (const name of readdirSync(p).filter((n) => n.toLowerCase().endsWith('.json') && n !== 'batch-report.json').sort())
        if (statSync(join(p, name)).isFile()) add(join(p, name));
    } else add(p);
  }
  return out;
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
        entry.outputs = result.outputs.map((o) => ({ file: writeAtomic(out, o.name, o.bytes), bytes: o.bytes.length, sha256: o.sha256 }));
        entry.status = 'written';
      } catch (e) {
        if (!(e instanceof ReportError)) throw e;
        entry.diagnostics = [...entry.diagnostics, ...e.diagnostics];
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

  const threads = Math.max(1, Math.min(jobs ?? availableParallelism(), queue.length));
  const workerUrl = new URL('./worker.js', import.meta.url);
  if (threads === 1 || !workerUrl.pathname.endsWith('.js') || import.meta.url.endsWith('.ts')) {
    // One job at a time in this thread (also how the TypeScript sources run under a test runner).
    for (const input of queue) {
      if (signal?.aborted) break;
      record(await runJob(input, jobOptions));
    }
  } else {
    await new Promise<void>((resolveAll, reject) => {
      let next = 0;
      let running = 0;
      const workers: Worker[] = [];
      const finish = () => {
        for (const w of workers) void w.terminate();
        resolveAll();
      };
      signal?.addEventListener('abort', finish, { once: true });
      const feed = (w: Worker) => {
        if (signal?.aborted || next >= queue.length) {
          if (running === 0) finish();
          return;
        }
        running++;
        w.postMessage(queue[next++]);
      };
      for (let i = 0; i < threads; i++) {
        const w = new Worker(workerUrl, { workerData: jobOptions });
        workers.push(w);
        w.on('message', (result: JobResult) => {
          running--;
          try {
            record(result);
          } catch (e) {
            reject(e);
            return;
          }
          feed(w);
        });
        w.on('error', reject);
        feed(w);
      }
    });
  }
  removePending();
  const list = [...entries.values()];
  const report: BatchReport = {
    tool: 'xxgk-report',
    out: resolve(out),
    formats: [jobOptions.pdf ? 'pdf' : '', jobOptions.docx ? 'docx' : '', jobOptions.html ? 'html' : ''].filter(Boolean),
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
