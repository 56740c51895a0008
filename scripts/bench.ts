/**
 * `npm run bench`: how fast and how big. Renders the samples N times in one process and prints
 * per-report milliseconds by phase, reports per second, peak RSS and output sizes; then times a
 * cold `xxgk render` as a user runs it. Figures, not a test.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { validate } from '../src/check.js';
import { loadFontSet } from '../src/fonts/index.js';
import { buildDocument } from '../src/layout/build.js';
import { formFor } from '../src/form/index.js';
import { readReportFile } from '../src/model/load.js';
import { resolve } from '../src/model/resolve.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { writePdf } from '../src/pdf/index.js';
import { writeDocx } from '../src/docx/index.js';

const N = Number(process.env.BENCH_N ?? 10);
const samplesDir = join(PACKAGE_ROOT, 'samples');
const samples = readdirSync(samplesDir).filter((f) => f.endsWith('.json')).map((f) => join(samplesDir, f));

type Phase = 'parse' | 'validate' | 'layout' | 'pdf' | 'docx';
const times: Record<Phase, number[]> = { parse: [], validate: [], layout: [], pdf: [], docx: [] };
const sizes = new Map<string, [number, number]>();

async function once(file: string): Promise<number> {
  const t0 = performance.now();
  const report = readReportFile(file);
  const t1 = performance.now();
  const diagnostics = validate(report);
  const t2 = performance.now();
  const form = formFor(report.format);
  const fonts = loadFontSet();
  const ir = buildDocument(resolve(report, form.defaultTitle), form, fonts);
  const t3 = performance.now();
  const pdf = await writePdf(ir, fonts);
  const t4 = performance.now();
  const docx = await writeDocx(ir, fonts);
  const t5 = performance.now();
  if (diagnostics.some((d) => d.severity === 'error')) throw new Error(`${file} has errors`);
  sizes.set(file, [pdf.length, docx.length]);
  times.parse.push(t1 - t0);
  times.validate.push(t2 - t1);
  times.layout.push(t3 - t2);
  times.pdf.push(t4 - t3);
  times.docx.push(t5 - t4);
  return t5 - t0;
}

const fmt = (n: number) => n.toFixed(1).padStart(7);
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { mean: xs.reduce((a, b) => a + b, 0) / xs.length, median: s[Math.floor(s.length / 2)]!, max: s.at(-1)! };
};

const coldStart = performance.now();
const first = await once(samples[0]!);
for (const k of Object.keys(times) as Phase[]) times[k].length = 0;
console.log(`xxgk bench — Node ${process.version}, ${samples.length} samples × ${N} runs in one process`);
console.log(`first report in a fresh process (fonts parsed, code warmed): ${first.toFixed(0)} ms (since start ${(performance.now() - coldStart).toFixed(0)} ms)`);

const start = performance.now();
let count = 0;
for (let i = 0; i < N; i++) for (const f of samples) (await once(f), count++);
const wall = performance.now() - start;

console.log('\nper report, ms        mean   median      max');
for (const k of Object.keys(times) as Phase[]) {
  const s = stats(times[k]);
  console.log(`  ${k.padEnd(16)}${fmt(s.mean)}  ${fmt(s.median)}  ${fmt(s.max)}`);
}
const total = stats(times.parse.map((_, i) => times.parse[i]! + times.validate[i]! + times.layout[i]! + times.pdf[i]! + times.docx[i]!));
console.log(`  ${'total'.padEnd(16)}${fmt(total.mean)}  ${fmt(total.median)}  ${fmt(total.max)}`);
console.log(`\nthroughput: ${((count / wall) * 1000).toFixed(1)} reports/s (PDF + DOCX, one thread)`);
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
console.log('\nsizes                                PDF     DOCX');
for (const [f, [p, d]] of sizes)
  console.log(`  ${f.slice(samplesDir.length + 1).padEnd(32)}${(p / 1024).toFixed(0).padStart(6)} KB${(d / 1024).toFixed(0).padStart(6)} KB`);

// A cold `xxgk render` as a user runs it: node start-up, font parsing and all.
const out = mkdtempSync(join(tmpdir(), 'xxgk-bench-'));
const cli = join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');
const cold: number[] = [];
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [cli, 'render', samples[0]!, '-o', out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  cold.push(performance.now() - t);
}
console.log(`\ncold \`xxgk render ${samples[0]!.slice(samplesDir.length + 1)}\` (PDF + DOCX): ${cold.map((t) => t.toFixed(0)).join(', ')} ms wall`);

// A batch of 100 reports (the samples repeated), both formats, two worker threads.
const batchIn = mkdtempSync(join(tmpdir(), 'xxgk-bench-batch-'));
for (let i = 0; i < 100; i++) copyFileSync(samples[i % samples.length]!, join(batchIn, `r${String(i).padStart(3, '0')}.json`));
const tb = performance.now();
const b = spawnSync(process.execPath, [cli, 'batch', batchIn, '-o', join(batchIn, 'out'), '--jobs', '2'], { encoding: 'utf8' });
const batchMs = performance.now() - tb;
const summary = JSON.parse(readFileSync(join(batchIn, 'out', 'batch-report.json'), 'utf8')).summary;
console.log(`batch of 100 (PDF + DOCX, --jobs 2): ${(batchMs / 1000).toFixed(2)} s wall, ${summary.written} written, ${summary.failed} failed (exit ${b.status})`);
