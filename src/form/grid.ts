/**
 * Spans are facts of the grid: resolve a table spec once into positioned cells, check that they
 * tile the grid exactly, and answer questions about it (which labels head a data cell).
 */
import type { CellSpec, TableSpec } from './spec.js';

export interface GridCell extends CellSpec {
  r: number;
  rs: number;
  cs: number;
  header: boolean;
}

export interface Grid {
  spec: TableSpec;
  rows: number;
  cols: number;
  /** Origin cells in row-major order. */
  cells: GridCell[];
  /** `owner[r][c]` is the cell covering position (r, c). */
  owner: GridCell[][];
}

const cache = new WeakMap<TableSpec, Grid>();

export function resolveGrid(spec: TableSpec): Grid {
  const hit = cache.get(spec);
  if (hit) return hit;
  const cols = spec.columns.length;
  const rows = spec.rows.length;
  const owner: (GridCell | undefined)[][] = Array.from({ length: rows }, () => new Array<GridCell | undefined>(cols));
  const cells: GridCell[] = [];
  spec.rows.forEach((row, r) => {
    for (const cell of row.cells) {
      const g: GridCell = { ...cell, r, rs: cell.rs ?? 1, cs: cell.cs ?? 1, header: row.kind === 'header' };
      if (g.c + g.cs > cols || r + g.rs > rows) throw new Error(`${spec.name}: cell at R${r}C${g.c} overflows the grid`);
      for (let i = r; i < r + g.rs; i++)
        for (let j = g.c; j < g.c + g.cs; j++) {
          if (owner[i]![j]) throw new Error(`${spec.name}: R${i}C${j} is covered twice`);
          owner[i]![j] = g;
        }
      cells.push(g);
    }
  });
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) if (!owner[r]![c]) throw new Error(`${spec.name}: R${r}C${c} is not covered by any cell`);
  const grid: Grid = { spec, rows, cols, cells, owner: owner as GridCell[][] };
  cache.set(spec, grid);
  return grid;
}

/** Labels that head a data cell: its row labels (left of it) and its column labels (header cells above). */
export function headingsOf(grid: Grid, cell: GridCell): { row: string[]; column: string[] } {
  const row: string[] = [];
  for (let c = 0; c < cell.c; c++) {
    const o = grid.owner[cell.r]![c]!;
    if (o.text && o.c === c && !o.header) row.push(o.text);
  }
  // Column headings: the block of header rows nearest above the cell's row.
  const column: string[] = [];
  let r = cell.r - 1;
  while (r >= 0 && grid.spec.rows[r]!.kind !== 'header') r--;
  const headerRows: number[] = [];
  for (; r >= 0 && grid.spec.rows[r]!.kind === 'header'; r--) headerRows.unshift(r);
  for (const hr of headerRows) {
    const o = grid.owner[hr]![cell.c]!;
    if (o.text && o.r === hr && o.text !== '信息内容') column.push(o.text);
  }
  return { row, column };
}

/** Where each binding sits, with its headings. */
export interface BoundCell {
  table: string;
  cell: GridCell;
  row: string[];
  column: string[];
}

export function bindingsOf(tables: Record<string, TableSpec>): Map<string, BoundCell> {
  const map = new Map<string, BoundCell>();
  for (const [id, spec] of Object.entries(tables)) {
    const grid = resolveGrid(spec);
    for (const cell of grid.cells) if (cell.bind) map.set(cell.bind, { table: id, cell, ...headingsOf(grid, cell) });
  }
  return map;
}
