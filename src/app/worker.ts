/**
 * A worker thread of the render pool (src/app/pool.ts): fonts are parsed once per thread, then
 * one job per message, `{ id, job, options }`, answered as `{ id, result }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadFontSet, useSharedFontFiles } from '../fonts/index.js';
import { writersFor } from '../writers/index.js';
import { runJob, type JobResult } from './job.js';
import type { JobMessage, ResultMessage, WorkerData } from './pool.js';

const { sharedFonts, ...options } = workerData as WorkerData;
if (sharedFonts) useSharedFontFiles(sharedFonts);
// Parse the fonts, open them in harfbuzz (both writers use the faces cut to a document's
// characters) and load the writers these jobs use, before the first report arrives. (A font
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

parentPort!.on('message', async ({ id, job, options: own }: JobMessage) => {
  const result = await runJob(job, { ...options, ...own });
  parentPort!.postMessage({ id, result } satisfies ResultMessage, transferOf(result));
});
