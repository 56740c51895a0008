/**
 * A worker thread of the render pool: fonts are parsed once per thread, then one report per message —
 * a file path (`xxgk batch`), or a report already in memory with its own options (`xxgk serve`),
 * answered as `{ id, result }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadFontSet, useSharedFontFiles, type SharedFontFiles } from '../fonts/index.js';
import { writersFor } from '../writers/index.js';
import { runJob, runReportJob, type JobOptions, type JobResult, type ReportJob } from './job.js';

/** A report in memory; `options` override the worker's own for this job. */
export interface ReportJobMessage {
  id: number;
  job: ReportJob;
  options: Partial<JobOptions>;
}

/** What a worker is started with: the options of its jobs, and font files already read (batch). */
export type WorkerData = JobOptions & { sharedFonts?: SharedFontFiles };

const { sharedFonts, ...options } = workerData as WorkerData;
if (sharedFonts) useSharedFontFiles(sharedFonts);
// Parse the fonts, open them in harfbuzz (both writers use the faces cut to a document's
// characters) and load the writers this batch uses, before the first report arrives. (A font
// that cannot be loaded fails each report with its message, from runJob.)
const writers = writersFor(options.formats ?? []);
if (writers.some((w) => w.subsetsFonts)) {
  const { preloadSubsetter } = await import('../fonts/subset.js');
  try {
    preloadSubsetter(loadFontSet(options.fonts));
  } catch {
    // reported per report
  }
}
for (const writer of writers) await writer.load();

const transferOf = (result: JobResult) => (result.ok ? result.outputs.map((o) => o.bytes.buffer as ArrayBuffer) : []);

parentPort!.on('message', async (message: string | ReportJobMessage) => {
  if (typeof message === 'string') {
    const result = await runJob(message, options);
    parentPort!.postMessage(result, transferOf(result));
    return;
  }
  const result = await runReportJob(message.job, { ...options, ...message.options });
  parentPort!.postMessage({ id: message.id, result }, transferOf(result));
});
