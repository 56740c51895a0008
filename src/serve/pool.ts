/**
 * The server's render pool: the batch's worker threads (fonts parsed once per thread), a bounded
 * queue in front of them, and a deadline per job. A request that cannot be queued is told to come
 * back (503); a job whose client went away is dropped from the queue; a stuck worker is replaced.
 */
import { Worker } from 'node:worker_threads';
import { WORKER_URL } from '../batch/index.js';
import type { JobOptions, JobResult, ReportJob } from '../batch/job.js';
import type { ReportJobMessage, WorkerData } from '../batch/worker.js';
import { shareFontFiles, type SharedFontFiles } from '../fonts/index.js';

export interface PoolOptions {
  /** Worker threads rendering at once. */
  threads: number;
  /** Jobs waiting for a thread; beyond this `submit` throws PoolBusy. */
  queue: number;
  /** A job running longer than this fails and its worker is replaced. */
  jobTimeoutMs: number;
}

export class PoolBusy extends Error {
  constructor() {
    super('render pool is full');
  }
}

interface Pending {
  id: number;
  job: ReportJob;
  options: Partial<JobOptions>;
  resolve: (r: JobResult) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Slot {
  worker: Worker;
  current?: Pending;
  timer?: NodeJS.Timeout;
}

const internal = (input: string, message: string): JobResult => ({
  input,
  ok: false,
  exitCode: 3,
  diagnostics: [{ code: 'INTERNAL', severity: 'error', path: '$', message }],
  ms: 0,
});

export class RenderPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private sharedFonts?: SharedFontFiles;

  constructor(private readonly options: PoolOptions) {
    for (let i = 0; i < options.threads; i++) this.slots.push(this.spawn());
  }

  /** Jobs running and waiting. */
  get load(): { running: number; queued: number } {
    return { running: this.slots.filter((s) => s.current).length, queued: this.waiting.length };
  }

  /**
   * Render a report on a worker. Throws PoolBusy when every thread is busy and the queue is full.
   * If `signal` aborts while the job waits, the job is dropped (the promise resolves with a failure
   * nobody reads); a running job finishes and its result is discarded by the caller.
   */
  submit(job: ReportJob, options: Partial<JobOptions>, signal?: AbortSignal): Promise<JobResult> {
    if (this.closed) return Promise.resolve(internal(job.input, '服务正在停止'));
    const idle = this.slots.find((s) => !s.current);
    if (!idle && this.waiting.length >= this.options.queue) throw new PoolBusy();
    return new Promise<JobResult>((resolve) => {
      const pending: Pending = { id: this.nextId++, job, options, resolve, signal };
      if (idle) return this.start(idle, pending);
      pending.onAbort = () => {
        const i = this.waiting.indexOf(pending);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve(internal(job.input, '请求已取消'));
      };
      signal?.addEventListener('abort', pending.onAbort, { once: true });
      this.waiting.push(pending);
    });
  }

  /** Stop every worker; waiting jobs fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.waiting.splice(0)) p.resolve(internal(p.job.input, '服务正在停止'));
    await Promise.all(
      this.slots.map(async (s) => {
        clearTimeout(s.timer);
        s.current?.resolve(internal(s.current.job.input, '服务正在停止'));
        s.current = undefined;
        await s.worker.terminate();
      }),
    );
  }

  private spawn(): Slot {
    // The font files are read once for every worker, into memory they share (src/fonts), after
    // the first worker has started.
    let fill: (() => void) | undefined;
    if (!this.sharedFonts) ({ shared: this.sharedFonts, fill } = shareFontFiles());
    const worker = new Worker(WORKER_URL, {
      // Parse the fonts and open them in harfbuzz once, before the first request.
      workerData: { formats: ['pdf', 'docx'], sharedFonts: this.sharedFonts } satisfies WorkerData,
    });
    fill?.();
    const slot: Slot = { worker };
    worker.on('message', ({ id, result }: { id: number; result: JobResult }) => {
      if (slot.current?.id !== id) return;
      this.finish(slot, result);
    });
    const lost = (why: string) => {
      if (this.closed) return;
      const current = slot.current;
      clearTimeout(slot.timer);
      slot.current = undefined;
      void worker.terminate();
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots[i] = this.spawn();
      current?.resolve(internal(current.job.input, why));
      this.drain();
    };
    worker.on('error', (e) => lost(`内部错误：生成线程出错（${e.message}）`));
    worker.on('exit', () => lost('内部错误：生成线程意外退出'));
    return slot;
  }

  private start(slot: Slot, pending: Pending): void {
    if (pending.onAbort) pending.signal?.removeEventListener('abort', pending.onAbort);
    slot.current = pending;
    slot.timer = setTimeout(() => {
      // A job that does not finish in time takes its thread with it: replace the thread.
      const current = slot.current;
      if (!current) return;
      slot.current = undefined;
      slot.worker.removeAllListeners();
      void slot.worker.terminate();
      const i = this.slots.indexOf(slot);
      if (i >= 0 && !this.closed) this.slots[i] = this.spawn();
      current.resolve(internal(current.job.input, `生成超时（超过 ${Math.round(this.options.jobTimeoutMs / 1000)} 秒）`));
      this.drain();
    }, this.options.jobTimeoutMs);
    const message: ReportJobMessage = { id: pending.id, job: pending.job, options: pending.options };
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
