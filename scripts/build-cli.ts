/**
 * Builds the `xxgk` command into dist/cli: the CLI and the render worker bundled by esbuild (the
 * same sources, not rewritten), split into chunks so that a command loads only what it runs
 * (`validate` never loads a writer). Node then opens a few files instead of some 250 modules
 * (zod alone is 95): cold `xxgk validate` and the start of every render worker are shorter.
 * Run by `npm run build`; the library itself (dist/src) stays as tsc writes it.
 *
 * Packages the sources load at run time through `createRequire` (fontkit, pdfmake, pdfjs-dist's
 * files, harfbuzz's WebAssembly) stay in node_modules, resolved from dist/cli as from dist/src.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';
import { zodLocales } from './esbuild-plugins.js';

const out = join(PACKAGE_ROOT, 'dist', 'cli');
rmSync(out, { recursive: true, force: true });
const result = await build({
  // The worker is an entry of its own, next to the chunks: src/app/pool.ts starts it as
  // `new URL('./worker.js', import.meta.url)`, which is dist/cli/worker.js from any chunk.
  entryPoints: { xxgk: join(PACKAGE_ROOT, 'src', 'cli', 'main.ts'), worker: join(PACKAGE_ROOT, 'src', 'app', 'worker.ts') },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // jsonc-parser's `main` is a UMD build that requires its parts at run time; its ESM build bundles.
  mainFields: ['module', 'main'],
  // Loaded from their packages' own folders at run time (workers, WebAssembly, data files).
  // PGlite loads its WebAssembly and data files from its own folder; pg stays as installed.
  external: ['pdfjs-dist', 'exceljs', '@electric-sql/pglite', 'pg'],
  chunkNames: 'chunk-[hash]',
  // CommonJS packages in the bundle (commander, docx's dependencies) call require() for Node's
  // own modules: each chunk gets a require of its own, as an ES module may make one.
  banner: {
    js: "import { createRequire as __xxgkCreateRequire } from 'node:module'; const require = __xxgkCreateRequire(import.meta.url);",
  },
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
  plugins: [zodLocales],
});
if (result.errors.length) process.exit(1);
