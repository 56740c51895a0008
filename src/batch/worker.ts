/** A batch worker thread: fonts are parsed once per thread, then one report per message. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadFontSet } from '../fonts/index.js';
import { runJob, type JobOptions } from './job.js';

const options = workerData as JobOptions;
// Parse the fonts, and load the writers this batch uses (and harfbuzz), before the first report arrives.
loadFontSet(options.fonts);
if (options.pdf) await import('../pdf/index.js');
if (options.docx) (await import('../docx/index.js')).preloadSubsetter();

parentPort!.on('message', async (input: string) => {
  const result = await runJob(input, options);
  const transfer = result.ok ? result.outputs.map((o) => o.bytes.buffer as ArrayBuffer) : [];
  parentPort!.postMessage(result, transfer);
});
