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
import { ReportError } from '../diagnostics.js';
import { shareFontFiles, type SharedFontFiles } from '../fonts/index.js';
import type { PickOptions, ReadReport } from '../readers/index.js';
import { isReadJob, type Job, type JobOptions, type JobResult } from './job.js';

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

/**
 * The bounds of reading one document (a read job): what any input may cost before it is refused.
 * A reader checks its structural limits before work (src/import); these catch everything else.
 */
export const READ_LIMITS = { timeoutMs: 8_000, heapMb: 640 } as const;

export interface PoolOptions {
  /** Worker threads rendering at once (default: the CPU count). */
  threads?: number;
  /** Jobs waiting for a thread; beyond this `submit` throws PoolBusy (default: no bound). */
  queue?: number;
  /** A job running longer than this fails and its worker is replaced (default: no deadline). */
  jobTimeoutMs?: number;
  /** The options of every job (the fonts, the formats whose writers the workers load first). */
  jobs: JobOptions;
  /** Old-generation heap of each worker, MB (default 1536: a render; a pool that only reads needs less). */
  heapMb?: number;
  /** Read the font files into shared memory for the workers (default true; a pool that only reads does not need them). */
  shareFonts?: boolean;
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
  /** This job's deadline, ms (else the pool's). */
  timeoutMs?: number;
}

interface Slot {
  worker: Worker;
  current?: Pending;
  timer?: NodeJS.Timeout;
  /** Jobs this worker finished: one that dies before its first has not started at all. */
  done: number;
}

/** A document the reader could not read within the bounds: the input's fault, named (exit 2, HTTP 422). */
const readFailure = (input: string, code: string, message: string): JobResult => ({
  input,
  ok: false,
  kind: 'input',
  diagnostics: [{ code, severity: 'error', path: '$', message }],
  ms: 0,
});

/** Why a job's worker was lost, in the words of its kind of job. */
function lostMessage(job: Job, why: 'memory' | 'timeout' | 'exit', limit: number, detail = ''): JobResult {
  if (isReadJob(job)) {
    if (why === 'memory') return readFailure(job.input, 'TOO_COMPLEX', `文档结构过于复杂：读取时用尽了 ${limit} MB 内存上限，拒绝导入`);
    if (why === 'timeout')
      return readFailure(job.input, 'TOO_COMPLEX', `文档结构过于复杂：${Math.round(limit / 1000)} 秒内未能读完，拒绝导入`);
    return readFailure(job.input, 'CORRUPT', `文档无法读取：读取线程意外退出${detail ? `（${detail}）` : ''}，拒绝导入`);
  }
  if (why === 'memory') return internalFailure(job.input, `内存不足：生成这份报告用尽了 ${limit} MB 内存上限，未生成`);
  if (why === 'timeout') return internalFailure(job.input, `生成超时（超过 ${Math.round(limit / 1000)} 秒）`);
  return internalFailure(job.input, detail ? `内部错误：${detail}` : '内部错误：生成线程意外退出，未生成');
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
  private readonly sharedFonts: SharedFontFiles | undefined;

  constructor(private readonly options: PoolOptions) {
    // The font files are read once, into memory the workers share (src/fonts), while they start.
    const share = options.shareFonts ?? true;
    const { shared, fill } = share ? shareFontFiles(options.jobs.fonts) : { shared: undefined, fill: () => {} };
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
   * nobody reads); a running render finishes and its result is discarded by the caller, a running
   * read is stopped (its worker replaced). `timeoutMs` is this job's deadline (else the pool's).
   * Rejects with PoolBroken when a worker cannot start.
   */
  submit(job: Job, options: Partial<JobOptions> = {}, signal?: AbortSignal, timeoutMs?: number): Promise<JobResult> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.closed) return Promise.resolve(internalFailure(job.input, '服务正在停止'));
    const idle = this.slots.find((s) => !s.current);
    if (!idle && this.waiting.length >= (this.options.queue ?? Number.POSITIVE_INFINITY)) throw new PoolBusy();
    return new Promise<JobResult>((resolve, reject) => {
      const pending: Pending = { id: this.nextId++, job, options, resolve, reject, signal, timeoutMs };
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

  private get heapMb(): number {
    return this.options.heapMb ?? WORKER_HEAP_MB;
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_URL, {
      // Parse the fonts, open them in harfbuzz and load the writers once, before the first job.
      workerData: { ...this.options.jobs, sharedFonts: this.sharedFonts } satisfies WorkerData,
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
    });
    const slot: Slot = { worker, done: 0 };
    worker.on('message', ({ id, result }: ResultMessage) => {
      if (slot.current?.id !== id) return;
      slot.done++;
      this.finish(slot, result);
    });
    let gone = false;
    const lost = (why: 'memory' | 'exit', detail = '') => {
      if (gone || this.closed) return;
      gone = true;
      const current = slot.current;
      clearTimeout(slot.timer);
      slot.current = undefined;
      void worker.terminate();
      // Dying before its first job is not a report's fault, and would only repeat.
      if (!current && slot.done === 0) return this.break(new PoolBroken(detail || why));
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots[i] = this.spawn();
      current?.resolve(lostMessage(current.job, why, this.heapMb, detail));
      this.drain();
    };
    worker.on('error', (e: Error & { code?: string }) =>
      e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? lost('memory') : lost('exit', e.message),
    );
    worker.on('exit', () => lost('exit'));
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

  /** Stop the job a slot runs (its thread with it) and answer it with `result`; a new thread takes the slot. */
  private replace(slot: Slot, result: (job: Job) => JobResult): void {
    const current = slot.current;
    if (!current) return;
    clearTimeout(slot.timer);
    slot.current = undefined;
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    const i = this.slots.indexOf(slot);
    if (i >= 0 && !this.closed) this.slots[i] = this.spawn();
    current.resolve(result(current.job));
    this.drain();
  }

  private start(slot: Slot, pending: Pending): void {
    if (pending.onAbort) pending.signal?.removeEventListener('abort', pending.onAbort);
    slot.current = pending;
    const timeout = pending.timeoutMs ?? this.options.jobTimeoutMs;
    // A job that does not finish in time takes its thread with it: replace the thread.
    if (timeout !== undefined) slot.timer = setTimeout(() => this.replace(slot, (job) => lostMessage(job, 'timeout', timeout)), timeout);
    // A read whose caller went away is stopped at once (a document can take seconds).
    if (isReadJob(pending.job) && pending.signal) {
      const onAbort = () => {
        if (slot.current === pending) this.replace(slot, (job) => internalFailure(job.input, '请求已取消'));
      };
      if (pending.signal.aborted) {
        this.replace(slot, (job) => internalFailure(job.input, '请求已取消'));
        return;
      }
      pending.signal.addEventListener('abort', onAbort, { once: true });
      const done = pending.resolve;
      pending.resolve = (r) => {
        pending.signal?.removeEventListener('abort', onAbort);
        done(r);
      };
    }
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

/**
 * Documents read on worker threads of their own (`xxgk import`, `xxgk validate`): each read is
 * bounded in time and memory (READ_LIMITS) and a document beyond them is refused by name; the
 * calling thread stays free for signals. `read` throws ReportError as the readers do.
 */
export async function withReadPool<T>(
  work: (read: (bytes: Uint8Array, name: string, pick?: PickOptions) => Promise<ReadReport>) => Promise<T>,
): Promise<T> {
  const pool = new WorkerPool({ threads: 1, jobs: { formats: [] }, heapMb: READ_LIMITS.heapMb, shareFonts: false });
  try {
    return await work((bytes, name, pick) => readInPool(pool, bytes, name, pick));
  } finally {
    await pool.close();
  }
}

/** One document read on a pool, within READ_LIMITS; throws ReportError (input) for a refused document. */
export async function readInPool(
  pool: WorkerPool,
  bytes: Uint8Array,
  name: string,
  pick?: PickOptions,
  signal?: AbortSignal,
): Promise<ReadReport> {
  const result = await pool.submit({ input: name, read: { bytes, name, pick } }, {}, signal, READ_LIMITS.timeoutMs);
  if (result.ok && result.read) return result.read;
  if (result.ok)
    throw new ReportError(
      'internal',
      [{ code: 'INTERNAL', severity: 'error', path: '$', message: '内部错误：读取线程没有返回报告' }],
      name,
    );
  throw new ReportError(result.kind, result.diagnostics, result.file ?? name);
}
