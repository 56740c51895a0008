/**
 * The importer's DOCX fixtures are the official template filled where template-cells.tsv (written
 * by hand from the template's own XML) puts each number — not where our form binds them — and
 * they can be made again, byte for byte, from what the repository holds
 * (test/fixtures/import/README.md). Runs the built script (npm run build).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getPath } from '../src/model/paths.js';
import { FIXTURES } from './helpers/import.js';
import { ROOT } from './helpers/reports.js';
import { docxGrids, TEMPLATE, TEMPLATE_TABLES, templateCells } from './helpers/template.js';

const dir = mkdtempSync(join(tmpdir(), 'xxgk-fill-'));
const fill = (args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'dist/scripts/fill-template.js'), '--template', TEMPLATE, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });

describe('import fixtures filled from the official template', () => {
  it.each([
    ['template-filled.docx', ['--report', 'samples/huaian-2024.json', '--distinct']],
    ['template-messy.docx', ['--report', join(FIXTURES, 'template-messy.json'), '--mess']],
  ])('%s is made again byte for byte', (name, args) => {
    const out = join(dir, name);
    const r = fill([...args, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out).equals(readFileSync(join(FIXTURES, name)))).toBe(true);
  });

  it('template-filled.docx has each number of its report in the template cell the table names', () => {
    const report = JSON.parse(readFileSync(join(FIXTURES, 'template-filled.json'), 'utf8'));
    const grids = docxGrids(new Uint8Array(readFileSync(join(FIXTURES, 'template-filled.docx'))));
    const wrong = templateCells().flatMap((cell) => {
      const got = grids[TEMPLATE_TABLES.indexOf(cell.table as (typeof TEMPLATE_TABLES)[number])]!.owner[cell.row]![cell.col]!.text;
      const want = String(getPath(report, cell.path));
      return got === want ? [] : [`${cell.path}: ${got} ≠ ${want}`];
    });
    expect(wrong).toEqual([]);
  });
});
