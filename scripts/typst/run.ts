/**
 * The Typst peer for `npm run bench`: lays out the given prepared reports (JSON made by
 * scripts/typst/data.ts) with the native Typst compiler and writes their PDFs. Run as its own
 * process so that its time includes start-up, like a `xxgk` command's.
 *
 *   node dist/scripts/typst/run.js OUT_DIR DATA.json...
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';

const [out, ...inputs] = process.argv.slice(2);
if (!out || !inputs.length) throw new Error('usage: run.js OUT_DIR DATA.json...');
const template = readFileSync(fileURLToPath(new URL('../../../scripts/typst/report.typ', import.meta.url)), 'utf8');
// The system's Noto CJK faces (Debian fonts-noto-cjk): the same families our bundled faces are cut from.
const compiler = NodeCompiler.create({ fontArgs: [{ fontPaths: ['/usr/share/fonts/opentype/noto'] }] });
for (const file of inputs) {
  const pdf = compiler.pdf({ mainFileContent: template, inputs: { data: readFileSync(file, 'utf8') } });
  writeFileSync(join(out, basename(file).replace(/\.json$/, '.pdf')), pdf);
}
