/**
 * The hand-written table of where each number sits in the official template
 * (test/fixtures/template-cells.tsv) against the template itself, and our form's bindings against
 * that table: a data cell bound to the wrong field, or headed by the wrong labels, fails here with
 * the template's own words.
 */
import { describe, expect, it } from 'vitest';
import { formFor } from '../layouts/index.js';
import { bindingsOf } from '../src/form/index.js';
import { TEMPLATE_TABLES, templateCells, templateGrids } from './helpers/template.js';

const cells = templateCells();
const grids = templateGrids();

describe('template-cells.tsv against the official template', () => {
  it('has 200 numbers, each at its own place, each field once', () => {
    expect(cells).toHaveLength(10 + 25 * 7 + 15);
    expect(new Set(cells.map((c) => `${c.table} ${c.row} ${c.col}`)).size).toBe(cells.length);
    expect(new Set(cells.map((c) => c.path)).size).toBe(cells.length);
    expect(grids).toHaveLength(TEMPLATE_TABLES.length);
  });

  it('puts each number in an empty cell of the template, under the labels the template prints there', () => {
    const wrong: string[] = [];
    for (const cell of cells) {
      const grid = grids[TEMPLATE_TABLES.indexOf(cell.table as (typeof TEMPLATE_TABLES)[number])]!;
      const at = grid.owner[cell.row]?.[cell.col];
      if (!at || at.row !== cell.row || at.col !== cell.col || at.text) {
        wrong.push(`${cell.path}: ${cell.table} R${cell.row}C${cell.col} is not an empty cell of its own (${at?.text})`);
        continue;
      }
      // Row labels: the labelled cells left of it in its row.
      const left = [...new Set(grid.owner[cell.row]!.slice(0, cell.col))].filter((o) => o.text).map((o) => o.text);
      // Column labels: going up, past the data rows of its block, the labelled cells above it.
      const above: string[] = [];
      for (let r = cell.row - 1; r >= 0; r--) {
        const o = grid.owner[r]![cell.col]!;
        if (!o.text) {
          if (above.length) break;
          continue;
        }
        if (!above.includes(o.text)) above.unshift(o.text);
      }
      if (left.join('/') !== cell.rowLabels.join('/')) wrong.push(`${cell.path}: row labels ${left.join('/')} in the template`);
      if (above.join('/') !== cell.columnLabels.join('/')) wrong.push(`${cell.path}: column labels ${above.join('/')} in the template`);
    }
    expect(wrong).toEqual([]);
  });

  it('leaves no empty cell of the template without its number', () => {
    const listed = new Set(cells.map((c) => `${c.table} ${c.row} ${c.col}`));
    const empty = grids.flatMap((g, t) => g.cells.filter((c) => !c.text).map((c) => `${TEMPLATE_TABLES[t]} ${c.row} ${c.col}`));
    expect(empty.filter((k) => !listed.has(k))).toEqual([]);
  });
});

describe("our form's bindings against template-cells.tsv", () => {
  const form = formFor();
  const bound = bindingsOf(form.tables);

  it('binds each number of the template, at its place, headed by the template labels', () => {
    const wrong: string[] = [];
    for (const cell of cells) {
      const b = bound.get(cell.path);
      if (!b) {
        wrong.push(`${cell.path}: not bound (${cell.table} ${cell.rowLabels.join('/')} × ${cell.columnLabels.join('/')})`);
        continue;
      }
      const table = form.tables[b.table]!.name;
      if (table !== cell.table || b.cell.r !== cell.row || b.cell.c !== cell.col)
        wrong.push(
          `${cell.path}: bound at ${table} R${b.cell.r}C${b.cell.c}, the template has it at ${cell.table} R${cell.row}C${cell.col}`,
        );
      if (b.row.join('/') !== cell.rowLabels.join('/'))
        wrong.push(`${cell.path}: row labels ${b.row.join('/')}, the template's are ${cell.rowLabels.join('/')}`);
      if (b.column.join('/') !== cell.columnLabels.join('/'))
        wrong.push(`${cell.path}: column labels ${b.column.join('/')}, the template's are ${cell.columnLabels.join('/')}`);
    }
    expect(wrong).toEqual([]);
  });

  it('binds nothing the template does not have', () => {
    const listed = new Set(cells.map((c) => c.path));
    expect([...bound.keys()].filter((p) => !listed.has(p))).toEqual([]);
  });
});
