/**
 * Builds the web editor of `xxgk serve` into dist/web: the form, the model and the rules bundled
 * for the browser by esbuild (not rewritten), plus the page and its stylesheet. Run by `npm run build`.
 */
import { build, type Plugin } from 'esbuild';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';
import { zodLocales } from './esbuild-plugins.js';

const src = join(PACKAGE_ROOT, 'src', 'web');
const out = join(PACKAGE_ROOT, 'dist', 'web');
mkdirSync(out, { recursive: true });

/** The model's file reader (readReportFile) is never called in the browser: its `node:fs` becomes a stub. */
const nodeStubs: Plugin = {
  name: 'node-stubs',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'node-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'node-stub' }, () => ({
      contents:
        'const unavailable = () => { throw new Error("not in the browser"); }; export const readFileSync = unavailable, statSync = unavailable, existsSync = unavailable, lstatSync = unavailable, openSync = unavailable, readSync = unavailable, fstatSync = unavailable, closeSync = unavailable;',
      loader: 'js',
    }));
  },
};

const result = await build({
  entryPoints: { app: join(src, 'main.ts'), preview: join(src, 'preview.ts') },
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
  plugins: [nodeStubs, zodLocales],
});
await build({
  entryPoints: { app: join(src, 'style.css') },
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
