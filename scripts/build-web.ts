/**
 * Builds the web editor of `xxgk serve` into dist/web: the form, the model and the rules bundled
 * for the browser by esbuild (not rewritten), plus the page and its stylesheet. Run by `npm run build`.
 */
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';
import { zodLocales } from './esbuild-plugins.js';

const src = join(PACKAGE_ROOT, 'src', 'web');
const out = join(PACKAGE_ROOT, 'dist', 'web');
mkdirSync(out, { recursive: true });

const result = await build({
  entryPoints: {
    app: join(src, 'main.ts'),
    preview: join(src, 'preview.ts'),
    // The collection's pages and the editor's link to the server (xxgk serve --data/--database).
    collection: join(src, 'collection.ts'),
    remote: join(src, 'remote.ts'),
  },
  outdir: out,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome109', 'firefox115', 'safari16'],
  minify: true,
  legalComments: 'none',
  charset: 'utf8',
  metafile: true,
  logLevel: 'warning',
  // The model imports no node: module (file access is src/app's): nothing to stub.
  plugins: [zodLocales],
});
await build({
  entryPoints: { app: join(src, 'style.css'), collection: join(src, 'collection.css') },
  outdir: out,
  bundle: true,
  minify: true,
  logLevel: 'warning',
  charset: 'utf8',
});
copyFileSync(join(src, 'index.html'), join(out, 'index.html'));
// pdf.js draws in its own worker, served as one more fixed file.
copyFileSync(join(PACKAGE_ROOT, 'node_modules', 'pdfjs-dist', 'build', 'pdf.worker.min.mjs'), join(out, 'pdf.worker.mjs'));
if (result.errors.length) process.exit(1);
const size = (f: string) => statSync(join(out, f)).size;
if (process.env.XXGK_BUILD_VERBOSE)
  console.log(
    `dist/web: app.js ${size('app.js')} B, app.css ${size('app.css')} B, preview.js ${size('preview.js')} B, pdf.worker.mjs ${size('pdf.worker.mjs')} B`,
  );
