/** A batch worker thread: fonts are parsed once per thread, then one report per message. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadFontSet } from '../fonts/index.js';
import { preloadSubsetter } from '../docx/index.js';
import { runJob, type JobOptions } from './job.js';

const options = workerData as JobOptions;
// Parse the fonts and load harfbuzz before the first report arrives. (A font that cannot be
// loaded fails each report with its message, from runJob.)
try {
  loadFontSet(options.fonts);
} catch {
  // reported per report
}
if (options.docx) preloadSubsetter();

parentPort!.on('message', async (input: string) => {
  const result = await runJob(input, options);
  const transfer = result.ok ? result.outputs.map((o) => o.bytes.buffer as ArrayBuffer) : [];
  parentPort!.postMessage(result, transfer);
});
