/** An official table spec + the resolved report → a table of the IR, with widths that fit its numbers. */
import type { FontSet } from '../fonts/index.js';
import type { AnyResolvedReport } from '../model/resolve.js';
import { getPath } from '../model/paths.js';
import { headingCellsOf, resolveGrid, type GridCell } from '../form/index.js';
import { balanceLines, breakLines, units } from './measure.js';
import type { TableIR, TableCellIR } from './ir.js';
import type { TableSpec, TypographySpec } from '../form/index.js';

function valueText(report: AnyResolvedReport, bind: string): string {
  const v = getPath(report, bind);
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  throw new Error(`layout binding ${bind} has no value`);
}

/**
 * Column widths in proportion to the official grid, except that a column too narrow for its
 * widest number is widened, the width taken from columns with room to spare.
 */
function fitColumns(proportions: number[], minimums: number[], total: number): number[] {
  const sum = proportions.reduce((a, b) => a + b, 0);
  const widths = proportions.map((p) => (p / sum) * total);
  const deficit = widths.reduce((d, w, i) => d + Math.max(0, minimums[i]! - w), 0);
  if (deficit <= 0) return widths;
  const slack = widths.map((w, i) => Math.max(0, w - minimums[i]!));
  const slackSum = slack.reduce((a, b) => a + b, 0);
  if (slackSum < deficit) return minimums.map((m) => (m / minimums.reduce((a, b) => a + b, 0)) * total);
  return widths.map((w, i) => (w < minimums[i]! ? minimums[i]! : w - (slack[i]! / slackSum) * deficit));
}

/** Where a table belongs: the form's key for it and the heading of its part. */
export interface TablePlace {
  id: string;
  caption: string;
}

export function buildTable(
  spec: TableSpec,
  report: AnyResolvedReport,
  fonts: FontSet,
  t: TypographySpec['table'],
  width: number,
  place: TablePlace,
): TableIR {
  const grid = resolveGrid(spec);
  const origin = (g: GridCell) => ({ r: g.r, c: g.c });
  const cells: TableCellIR[] = grid.cells.map((g) => {
    const headings = g.bind ? headingCellsOf(grid, g) : undefined;
    return {
      r: g.r,
      c: g.c,
      rs: g.rs,
      cs: g.cs,
      text: g.bind ? valueText(report, g.bind) : (g.text ?? ''),
      align: g.bind ? 'center' : (g.align ?? 'center'),
      vAlign: 'middle',
      kind: g.bind ? 'value' : 'label',
      lines: [],
      ...(g.shaded ? { shade: t.shade } : {}),
      ...(headings ? { headers: [...headings.row.map(origin), ...headings.column.map(origin)] } : { heads: g.header ? 'column' : 'row' }),
    };
  });
  // A number never wraps, and a label column is never narrower than its widest unbreakable
  // piece (（三）, 2.): each single-column cell needs that width plus padding and rules.
  const oneChar = fonts.measure(t.role, '国', t.size);
  const minimums = spec.columns.map(() => oneChar + 2 * t.paddingPt + 2 * t.borderPt + 1);
  for (const cell of cells) {
    if (cell.cs !== 1) continue;
    const pieces = cell.kind === 'value' ? [cell.text] : units(cell.text);
    const widest = Math.max(...pieces.map((u) => fonts.measure(t.role, u, t.size)));
    minimums[cell.c] = Math.max(minimums[cell.c]!, widest + 2 * t.paddingPt + 2 * t.borderPt + 1);
  }
  const columns = fitColumns(spec.columns, minimums, width);
  // For a medium that reflows (a web page): the narrowest the table may be with these column
  // proportions, every column holding two characters of a label and its widest number.
  const reflowMinimums = minimums.map((m) => Math.max(m, 2 * oneChar + 2 * t.paddingPt + 2 * t.borderPt + 1));
  const minWidth = Math.min(width, Math.max(...reflowMinimums.map((m, i) => (m * width) / columns[i]!)));
  // Row heights: each row as tall as its tallest one-row cell; a spanning cell that needs more
  // than its rows give it lengthens its last row.
  // A cell's text width: its columns less padding and its left rule (the last column also carries the right rule).
  const inner = (c: number, cs: number) =>
    columns.slice(c, c + cs).reduce((a, b) => a + b, 0) - 2 * t.paddingPt - t.borderPt * (c + cs === columns.length ? 2 : 1);
  // A value is one line; a label's lines are balanced (no lone character on its last line).
  for (const cell of cells)
    cell.lines = (cell.kind === 'label' ? balanceLines : breakLines)(cell.text, {
      fonts,
      role: t.role,
      size: t.size,
      letterSpacing: 0,
      width: inner(cell.c, cell.cs),
      reserve: 0.2,
    });
  const need = (cell: TableCellIR) => cell.lines.length * t.linePitch + 2 * t.paddingPt;
  const rowHeights = Array.from({ length: grid.rows }, () => t.linePitch + 2 * t.paddingPt);
  for (const cell of cells) if (cell.rs === 1) rowHeights[cell.r] = Math.max(rowHeights[cell.r]!, need(cell));
  for (const cell of [...cells].filter((x) => x.rs > 1).sort((a, b) => a.r + a.rs - (b.r + b.rs))) {
    const last = cell.r + cell.rs - 1;
    const have = rowHeights.slice(cell.r, last + 1).reduce((a, b) => a + b, 0) + (cell.rs - 1) * t.borderPt;
    if (have < need(cell)) rowHeights[last] = rowHeights[last]! + need(cell) - have;
  }
  const height = rowHeights.reduce((a, b) => a + b, 0) + (grid.rows + 1) * t.borderPt;
  return {
    type: 'table',
    id: place.id,
    name: spec.name,
    caption: place.caption,
    columns,
    minWidth,
    rowHeights,
    height,
    rowCount: grid.rows,
    headerRows: spec.headerRows,
    cells,
    style: { role: t.role, size: t.size, linePitch: t.linePitch, padding: t.paddingPt, border: t.borderPt },
    ...(spec.heavyHeaderRule && spec.headerRows ? { headerRule: t.headerRulePt } : {}),
    cantSplitRows: true,
    spaceAfter: 0,
  };
}
