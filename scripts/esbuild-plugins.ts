/** esbuild plugins shared by the CLI bundle (build-cli.ts) and the web editor (build-web.ts). */
import type { Plugin } from 'esbuild';
import { dirname, join } from 'node:path';

/**
 * zod re-exports its 40-odd message locales (260 KB minified) through one index; our messages are
 * our own (src/model/load.ts), so a bundle gets the English default only.
 */
export const zodLocales: Plugin = {
  name: 'zod-locales',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer)
        ? { path: join(dirname(args.importer), '..', 'locales', 'index.js'), namespace: 'zod-locales' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(dirname(args.path), 'en.js'))};`,
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};
