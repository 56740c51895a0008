/**
 * The render pool, used by `xxgk render`, `xxgk batch` and `xxgk serve`: worker threads (fonts
 * read once into memory they share, parsed once per thread), a queue in front of them (bounded
 * for the server), and a deadline per job if asked. One protocol: `{ id, job, options }` in,
 * `{ id, result }` out, where a job is a report file or a report already in memory.
 *
 * A worker that dies (out of memory, a crash) or overruns the deadline fails its report, named,
 * and is replaced; a request that cannot be queued is told PoolBusy; a job whose caller went
 * away is dropped from the queue.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { shareFontFiles, type SharedFontFiles } from '../fonts/index.js';
import type { Job, JobOptions, JobResult } from './job.js';

/** A job for a worker; `options` override the pool's own for this job. */
export interface JobMessage {
  id: number;
  job: Job;
  options: Partial<JobOptions>;
}

/** A worker's answer. */
export interface ResultMessage {
  id: number;
  result: JobResult;
}

/** What a worker is started with: the options of its jobs, and the font files already read. */
export type WorkerData = JobOptions & { sharedFonts?: SharedFontFiles };

/**
 * The worker's module: next to this one, as tsc writes dist/src/app and as the CLI bundle writes
 * dist/cli (scripts/build-cli.ts), where this code lives in a chunk beside it.
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

export interface PoolOptions {
  /** Worker threads rendering at once (default: the CPU count). */
  threads?: number;
  /** Jobs waiting for a thread; beyond this `submit` throws PoolBusy (default: no bound). */
  queue?: number;
  /** A job running longer than this fails and its worker is replaced (default: no deadline). */
  jobTimeoutMs?: number;
  /** The options of every job (the fonts, the formats whose writers the workers load first). */
  jobs: JobOptions;
}

export class PoolBusy extends Error {
  constructor() {
    super('render pool is full');
  }
}

/** A worker that cannot start: every job would fail the same way. */
export class PoolBroken extends Error {}

interface Pending {
  id: number;
  job: Job;
  options: Partial<JobOptions>;
  resolve: (r: JobResult) => void;
  reject: (e: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Slot {
  worker: Worker;
  current?: Pending;
  timer?: NodeJS.Timeout;
  /** Jobs this worker finished: one that dies before its first has not started at all. */
  done: number;
}

export const internalFailure = (input: string, message: string): JobResult => ({
  input,
  ok: false,
  kind: 'internal',
  diagnostics: [{ code: 'INTERNAL', severity: 'error', path: '$', message }],
  ms: 0,
});

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private broken?: PoolBroken;
  private readonly sharedFonts: SharedFontFiles;

  constructor(private readonly options: PoolOptions) {
    // The font files are read once, into memory the workers share (src/fonts), while they start.
    const { shared, fill } = shareFontFiles(options.jobs.fonts);
    this.sharedFonts = shared;
    const threads = Math.max(1, options.threads ?? availableParallelism());
    for (let i = 0; i < threads; i++) this.slots.push(this.spawn());
    fill();
  }

  /** Jobs running and waiting. */
  get load(): { running: number; queued: number } {
    return { running: this.slots.filter((s) => s.current).length, queued: this.waiting.length };
  }

  /**
   * Render a report on a worker. Throws PoolBusy when every thread is busy and the queue is full.
   * If `signal` aborts while the job waits, the job is dropped (the promise resolves with a failure
   * nobody reads); a running job finishes and its result is discarded by the caller. Rejects with
   * PoolBroken when a worker cannot start.
   */
  submit(job: Job, options: Partial<JobOptions> = {}, signal?: AbortSignal): Promise<JobResult> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.closed) return Promise.resolve(internalFailure(job.input, '服务正在停止'));
    const idle = this.slots.find((s) => !s.current);
    if (!idle && this.waiting.length >= (this.options.queue ?? Number.POSITIVE_INFINITY)) throw new PoolBusy();
    return new Promise<JobResult>((resolve, reject) => {
      const pending: Pending = { id: this.nextId++, job, options, resolve, reject, signal };
      if (idle) return this.start(idle, pending);
      pending.onAbort = () => {
        const i = this.waiting.indexOf(pending);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve(internalFailure(job.input, '请求已取消'));
      };
      signal?.addEventListener('abort', pending.onAbort, { once: true });
      this.waiting.push(pending);
    });
  }

  /** Stop every worker; jobs running and waiting fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.waiting.splice(0)) p.resolve(internalFailure(p.job.input, '服务正在停止'));
    await Promise.all(
      this.slots.map(async (s) => {
        clearTimeout(s.timer);
        s.current?.resolve(internalFailure(s.current.job.input, '服务正在停止'));
        s.current = undefined;
        await s.worker.terminate();
      }),
    );
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_URL, {
      // Parse the fonts, open them in harfbuzz and load the writers once, before the first job.
      workerData: { ...this.options.jobs, sharedFonts: this.sharedFonts } satisfies WorkerData,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
    });
    const slot: Slot = { worker, done: 0 };
    worker.on('message', ({ id, result }: ResultMessage) => {
      if (slot.current?.id !== id) return;
      slot.done++;
      this.finish(slot, result);
    });
    let gone = false;
    const lost = (why: string) => {
      if (gone || this.closed) return;
      gone = true;
      const current = slot.current;
      clearTimeout(slot.timer);
      slot.current = undefined;
      void worker.terminate();
      // Dying before its first job is not a report's fault, and would only repeat.
      if (!current && slot.done === 0) return this.break(new PoolBroken(why));
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots[i] = this.spawn();
      current?.resolve(internalFailure(current.job.input, why));
      this.drain();
    };
    worker.on('error', (e: Error & { code?: string }) =>
      lost(
        e.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `内存不足：生成这份报告用尽了 ${WORKER_HEAP_MB} MB 内存上限，未生成`
          : `内部错误：${e.message}`,
      ),
    );
    worker.on('exit', () => lost('内部错误：生成线程意外退出，未生成'));
    return slot;
  }

  private break(error: PoolBroken): void {
    this.broken = error;
    for (const p of this.waiting.splice(0)) p.reject(error);
    for (const s of this.slots) {
      clearTimeout(s.timer);
      s.current?.reject(error);
      s.current = undefined;
      void s.worker.terminate();
    }
  }

  private start(slot: Slot, pending: Pending): void {
    if (pending.onAbort) pending.signal?.removeEventListener('abort', pending.onAbort);
    slot.current = pending;
    const timeout = this.options.jobTimeoutMs;
    if (timeout !== undefined)
      slot.timer = setTimeout(() => {
        // A job that does not finish in time takes its thread with it: replace the thread.
        const current = slot.current;
        if (!current) return;
        slot.current = undefined;
        slot.worker.removeAllListeners();
        void slot.worker.terminate();
        const i = this.slots.indexOf(slot);
        if (i >= 0 && !this.closed) this.slots[i] = this.spawn();
        current.resolve(internalFailure(current.job.input, `生成超时（超过 ${Math.round(timeout / 1000)} 秒）`));
        this.drain();
      }, timeout);
    const message: JobMessage = { id: pending.id, job: pending.job, options: pending.options };
    slot.worker.postMessage(message);
  }

  private finish(slot: Slot, result: JobResult): void {
    clearTimeout(slot.timer);
    const current = slot.current!;
    slot.current = undefined;
    current.resolve(result);
    this.drain();
  }

  private drain(): void {
    for (const slot of this.slots) {
      if (slot.current || !this.waiting.length) continue;
      this.start(slot, this.waiting.shift()!);
    }
  }
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
 * Render report files on a pool: the calling thread stays free, so SIGINT and SIGTERM are handled
 * at once however long a report takes. Resolves when every file is done, or at once when `signal`
 * aborts (results of the jobs under way are not reported).
 */
export async function runJobs(files: readonly string[], jobOptions: JobOptions, options: RunOptions): Promise<void> {
  const { signal, onResult } = options;
  if (!files.length || signal?.aborted) return;
  const pool = new WorkerPool({ threads: Math.min(options.threads ?? availableParallelism(), files.length), jobs: jobOptions });
  try {
    await new Promise<void>((resolve, reject) => {
      let left = files.length;
      signal?.addEventListener('abort', () => resolve(), { once: true });
      for (const input of files)
        pool.submit({ input }).then((result) => {
          if (signal?.aborted) return;
          try {
            onResult(result);
          } catch (e) {
            return reject(e);
          }
          if (--left === 0) resolve();
        }, reject);
    });
  } finally {
    await pool.close();
  }
}
