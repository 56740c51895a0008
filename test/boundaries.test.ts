/**
 * The layers of docs/architecture.md, enforced: every relative import in src/ and layouts/ is
 * checked against the table of who may import whom. A new arrow that the design does not allow
 * fails here, naming the file, the import and the rule.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/reports.js';

/** The layer a file belongs to, from its path relative to the repository root. */
function layerOf(file: string): string {
  if (file.startsWith('layouts/')) return 'formats';
  if (file.startsWith('src/form/')) return 'form';
  if (file === 'src/diagnostics.ts' || file === 'src/paths.ts' || file === 'src/read.ts') return 'base';
  if (file === 'src/layout/ir.ts') return 'ir';
  if (file === 'src/index.ts') return 'index';
  const m = /^src\/([^/]+)\//.exec(file);
  if (m) return m[1]!;
  return `unknown file ${file}`; // a new file at the root of src/ must be given a layer here
}

/** What the application layer may use: everything below it. */
const BELOW_APP = [
  'readers',
  'writers',
  'import',
  'layout',
  'ir',
  'pdf',
  'docx',
  'html',
  'rules',
  'model',
  'formats',
  'form',
  'fonts',
  'base',
];

/** Who may import whom (besides their own layer). A folder not listed here fails the test. */
const ALLOWED: Record<string, string[]> = {
  base: [],
  // The types of a format and the grid helpers: the bottom layer.
  form: [],
  // The formats (layouts/<format>) and their registry: data over the form's types.
  formats: ['form'],
  fonts: ['base'],
  model: ['formats', 'form', 'base'],
  rules: ['model', 'formats', 'form', 'base'],
  ir: ['fonts'],
  layout: ['ir', 'formats', 'form', 'model', 'fonts', 'base'],
  pdf: ['ir', 'fonts', 'base'],
  docx: ['ir', 'fonts', 'base'],
  html: ['ir', 'base'],
  import: ['formats', 'form', 'model', 'rules', 'base'],
  // One way in: the readers' table (JSON, and the importer's DOCX, HTML and PDF readers).
  readers: ['import', 'model', 'rules', 'formats', 'form', 'base'],
  // One way out: the writers' table.
  writers: ['pdf', 'docx', 'html', 'ir', 'fonts', 'base'],
  // The editor's browser bundle: the formats, the model and the rules, bundled as they are (not
  // the layout, fonts or writers, which stay on the server behind /api/render).
  web: ['formats', 'form', 'model', 'rules', 'base'],
  // The application layer: the pipeline, file access, input collection, output, the worker pool, review.
  app: BELOW_APP,
  // The collection's database: the report model's types at most.
  store: ['model'],
  // Features on the application layer, and the doors: the CLI, the server, the library's entry.
  batch: ['app', ...BELOW_APP],
  sum: ['batch', 'app', ...BELOW_APP],
  serve: ['store', 'app', ...BELOW_APP],
  cli: ['store', 'serve', 'sum', 'batch', 'app', ...BELOW_APP],
  index: ['store', 'serve', 'sum', 'batch', 'app', ...BELOW_APP],
};

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (statSync(join(ROOT, rel)).isDirectory()) return sources(rel);
    return rel.endsWith('.ts') ? [rel] : [];
  });
}

/** Relative module specifiers of a file: static imports, re-exports and dynamic imports. */
function importsOf(text: string): string[] {
  const specs = [
    ...text.matchAll(/^\s*(?:import|export)\s[^'";]*?from\s+['"]([^'"]+)['"]/gms),
    ...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...text.matchAll(/\brequire(?:\.resolve)?\(\s*['"]([^'"]+)['"]/g),
  ].map((m) => m[1]!);
  return specs;
}

const files = [...sources('src'), ...sources('layouts')];

const tree = files.map((file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') }));

function violations(list: { file: string; text: string }[]): string[] {
  const out: string[] = [];
  for (const { file, text } of list) {
    const from = layerOf(file);
    const allowed = ALLOWED[from];
    if (!allowed) {
      out.push(`${file} (${from}): a layer the table does not know`);
      continue;
    }
    for (const spec of importsOf(text)) {
      if (!spec.startsWith('.')) continue;
      const target = relative(ROOT, resolve(dirname(join(ROOT, file)), spec)).replace(/\.js$/, '.ts');
      const to = layerOf(target);
      if (to === from) continue;
      if (!allowed.includes(to))
        out.push(`${file} (${from}) → ${target} (${to}): ${from} may import only ${allowed.join(', ') || 'nothing of ours'}`);
    }
  }
  return out;
}

describe('import boundaries (docs/architecture.md)', () => {
  it('finds the source files and their imports', () => {
    expect(files.length).toBeGreaterThan(30);
    expect(importsOf(tree.find((t) => t.file === 'src/layout/build.ts')!.text)).toContain('./ir.js');
  });

  it('every import follows the layering', () => {
    expect(violations(tree)).toEqual([]);
  });

  it.each([
    ['src/model/labels.ts', "import { x } from '../layout/build.js';", 'model may import only formats, form, base'],
    ['src/rules/sums.ts', "import type { X } from '../layout/ir.js';", 'rules may import only'],
    ['src/fonts/index.ts', "import { describePath } from '../model/labels.js';", 'fonts may import only base'],
    ['src/pdf/index.ts', "export { buildDocument } from '../layout/build.js';", 'pdf may import only ir, fonts'],
    ['src/docx/index.ts', "const m = await import('../model/schema.js');", 'docx may import only'],
    ['src/form/grid.ts', "import type { Report } from '../model/schema.js';", 'form may import only nothing of ours'],
    ['layouts/gov-2021/index.ts', "import { x } from '../../src/layout/table.js';", 'formats may import only form'],
    ['layouts/gov-2021/schema.ts', "import { x } from '../../src/model/paths.js';", 'formats may import only form'],
    ['src/form/index.ts', "export { formFor } from '../../layouts/index.js';", 'form may import only nothing of ours'],
    ['src/web/main.ts', "import { renderPdf } from '../app/render.js';", 'web may import only formats, form, model, rules, base'],
    ['src/model/load.ts', "import { readInputFile } from '../app/files.js';", 'model may import only formats, form, base'],
    ['src/app/pool.ts', "import { startServer } from '../serve/index.js';", 'app may import only readers'],
    ['src/serve/index.ts', "import { planSum } from '../sum/run.js';", 'serve may import only store, app'],
    ['src/readers/index.ts', "import { writeAll } from '../app/output.js';", 'readers may import only import'],
    ['src/store/store.ts', "import { validate } from '../app/check.js';", 'store may import only model'],
    ['src/newlayer/x.ts', "import { x } from '../model/load.js';", 'a layer the table does not know'],
    ['src/stray.ts', '', 'a layer the table does not know'],
  ])('catches a forbidden arrow: %s ← %s', (file, text, message) => {
    const found = violations([{ file, text }]);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(message);
  });

  it('allows the arrows the design draws', () => {
    expect(
      violations([
        {
          file: 'src/layout/build.ts',
          text: "import type { FormSpec } from '../form/index.js';\nimport { resolve } from '../model/resolve.js';",
        },
        {
          file: 'src/pdf/index.ts',
          text: "import type { DocumentIR } from '../layout/ir.js';\nimport type { FontSet } from '../fonts/index.js';",
        },
        { file: 'src/cli/main.ts', text: "import { x } from '../layout/build.js';" },
        { file: 'src/serve/index.ts', text: "import { WorkerPool } from '../app/pool.js';" },
        { file: 'src/app/check.ts', text: "import { readReport } from '../readers/index.js';" },
      ]),
    ).toEqual([]);
  });

  it('patches no library: no require.cache, no prototype assignment, no deep import of pdfmake or pdfkit', () => {
    expect(patches(tree)).toEqual([]);
  });

  it.each([
    ['src/pdf/index.ts', 'const entry = require.cache[id];'],
    ['src/pdf/index.ts', 'TextInlines.prototype.widthOfText = function () { return 0; };'],
    ['src/pdf/index.ts', "const T = require('pdfmake/js/TextInlines.js');"],
    ['src/pdf/index.ts', "import PDFDocument from 'pdfkit/js/pdfkit.js';"],
    ['src/docx/index.ts', '(Packer as any).compiler.compile(doc);'],
  ])('catches a patch: %s ← %s', (file, text) => {
    expect(patches([{ file, text }])).toHaveLength(1);
  });
});

/** Reaching into a library's internals: module cache rewrites, prototype patches, deep imports, private members. */
function patches(list: { file: string; text: string }[]): string[] {
  const rules: [RegExp, string][] = [
    [/\brequire\.cache\b/, 'rewrites the module cache'],
    [/\.prototype\.[A-Za-z_$][\w$]*\s*=(?!=)/, 'patches a prototype'],
    [/['"](?:pdfmake|pdfkit)\/js\//, 'imports a library file by path'],
    [/\bPacker\b[^;\n]*\.compiler\b/, "uses docx's private Packer.compiler"],
  ];
  return list.flatMap(({ file, text }) => rules.filter(([re]) => re.test(text)).map(([, why]) => `${file}: ${why}`));
}
