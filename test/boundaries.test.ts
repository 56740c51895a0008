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
  const m = /^src\/([^/]+)\//.exec(file);
  if (m) return m[1]!;
  return file.replace(/^src\//, '').replace(/\.ts$/, ''); // top-level users: check, render, output, index
}

/** Who may import whom (besides their own layer). `*` is anything of ours. */
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
  // The editor's browser bundle: the formats, the model and the rules, bundled as they are (not
  // the layout, fonts or writers, which stay on the server behind /api/render).
  web: ['formats', 'form', 'model', 'rules', 'base'],
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
    for (const spec of importsOf(text)) {
      if (!spec.startsWith('.')) continue;
      const target = relative(ROOT, resolve(dirname(join(ROOT, file)), spec)).replace(/\.js$/, '.ts');
      const to = layerOf(target);
      if (to === from || !allowed) continue;
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
    ['src/web/main.ts', "import { renderPdf } from '../render.js';", 'web may import only formats, form, model, rules, base'],
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
