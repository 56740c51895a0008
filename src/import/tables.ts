/**
 * Document tables → the 200 numbers of Tables 2–4, by the official labels of the form's grids.
 *
 * Each document table is identified by the labels it carries; fragments (a table split across
 * pages, a continuation without its header) are joined. Then its rows are aligned with the official
 * rows by their row labels (an order-keeping alignment, so repeated labels such as `1.` or a header
 * repeated after a page break fall into place), its header cells are matched with the official
 * header cells, and each data cell of the form is read where its row and its column headers say.
 */
import { resolveGrid, type FormSpec, type Grid, type GridCell } from '../form/index.js';
import { ownerMap, type Block, type TableBlock, type TableCell } from './blocks.js';
import { cellValue, labelKey, similarity } from './text.js';

export const LABEL_MATCH = 0.75;

export interface CellRead {
  /** The value as typed (ASCII digits), or '' for an empty cell. */
  text: string;
  empty: boolean;
}

export interface TableProblem {
  table: string;
  bind?: string;
  message: string;
}

export interface TablesResult {
  values: Map<string, CellRead>;
  /** Table ids of the form found in the document. */
  found: Set<string>;
  problems: TableProblem[];
  notes: string[];
}

interface DocLabel {
  cell: TableCell;
  key: string;
}

const isLabel = (t: TableCell) => cellValue(t.text).kind === 'text';

/** The keys a label cell of the form is known by: its official text first, then its variants. */
const keysOf = (c: { text?: string; variants?: string[] }): string[] => (c.text ? [c.text, ...(c.variants ?? [])].map(labelKey) : []);

function officialKeys(grid: Grid): Set<string> {
  return new Set(grid.cells.flatMap((c) => keysOf(c)));
}

/** How well a printed key matches an official cell: 1 for its text or a variant, else the best similarity. */
function matchOf(keys: string[], printed: string): { score: number; variant: boolean } {
  if (keys[0] === printed) return { score: 1, variant: false };
  if (keys.includes(printed)) return { score: 1, variant: true };
  return { score: Math.max(0, ...keys.map((k) => similarity(k, printed))), variant: false };
}

/** How many distinct official labels of a table a document table carries. */
function labelScore(t: TableBlock, keys: Set<string>): number {
  const docKeys = new Set(t.cells.filter(isLabel).map((c) => labelKey(c.text)));
  let n = 0;
  for (const k of keys) {
    if (docKeys.has(k)) n++;
    else
      for (const d of docKeys)
        if (similarity(k, d) >= LABEL_MATCH) {
          n++;
          break;
        }
  }
  return n;
}

/** Append `b`'s rows below `a`'s. */
function join(a: TableBlock, b: TableBlock): TableBlock {
  return {
    ...a,
    rows: a.rows + b.rows,
    cols: Math.max(a.cols, b.cols),
    cells: [...a.cells, ...b.cells.map((c) => ({ ...c, r: c.r + a.rows }))],
  };
}

/** Document tables grouped by the official table they are (or continue). */
export function identifyTables(blocks: Block[], form: FormSpec): { byTable: Map<string, TableBlock>; unknown: number } {
  const ids = Object.keys(form.tables);
  const keys = new Map(ids.map((id) => [id, officialKeys(resolveGrid(form.tables[id]!))]));
  const byTable = new Map<string, TableBlock>();
  let unknown = 0;
  let last: string | undefined;
  let adjacent = false;
  for (const block of blocks) {
    if (block.kind === 'p') {
      if (block.text) adjacent = false;
      continue;
    }
    let best: string | undefined;
    let bestScore = 0;
    for (const id of ids) {
      const s = labelScore(block, keys.get(id)!);
      if (s > bestScore) [best, bestScore] = [id, s];
    }
    if (bestScore < 2) {
      // No labels of its own: a fragment continuing the table just before it (a page break).
      if (adjacent && last) best = last;
      else {
        unknown++;
        adjacent = false;
        continue;
      }
    }
    // A later fragment of the same table (after a page number or a note that slipped through) is
    // joined too: the row alignment skips whatever repeats.
    const prev = byTable.get(best!);
    byTable.set(best!, prev ? join(prev, block) : block);
    last = best;
    adjacent = true;
  }
  return { byTable, unknown };
}

/** The labels of one row: official cells covering it, with a weight (its own labels count most). */
interface OfficialLabel {
  cell: GridCell;
  keys: string[];
  weight: number;
}

function officialRowLabels(grid: Grid, r: number): OfficialLabel[] {
  const seen = new Set<GridCell>();
  const out: OfficialLabel[] = [];
  for (let c = 0; c < grid.cols; c++) {
    const o = grid.owner[r]![c]!;
    if (seen.has(o) || !o.text) continue;
    seen.add(o);
    out.push({ cell: o, keys: keysOf(o), weight: o.r === r ? (o.rs === 1 ? 2 : 1) : 0.5 });
  }
  return out;
}

interface DocRow {
  labels: DocLabel[];
  numbers: number;
  empties: number;
}

function docRowLabels(owner: (TableCell | undefined)[][], r: number): DocRow {
  const seen = new Set<TableCell>();
  const labels: DocLabel[] = [];
  let numbers = 0;
  let empties = 0;
  for (const o of owner[r] ?? []) {
    if (!o || seen.has(o)) continue;
    seen.add(o);
    if (isLabel(o)) labels.push({ cell: o, key: labelKey(o.text) });
    else if (cellValue(o.text).kind === 'number') numbers++;
    else if (o.r === r) empties++;
  }
  return { labels, numbers, empties };
}

function rowScore(grid: Grid, i: number, off: OfficialLabel[], doc: DocRow): number {
  const header = grid.spec.rows[i]!.kind === 'header';
  if (header && doc.numbers > 0) return 0;
  if (!off.length) {
    // A data row without labels (Table 4): a row of numbers (or cells left empty) and nothing else.
    return !header && !doc.labels.length && doc.numbers + doc.empties > 0 ? 1 : 0;
  }
  let total = 0;
  let got = 0;
  let ownMissing = false;
  for (const l of off) {
    let best = 0;
    for (const d of doc.labels) best = Math.max(best, matchOf(l.keys, d.key).score);
    total += l.weight;
    if (best >= LABEL_MATCH) got += l.weight * best;
    else if (l.weight === 2) ownMissing = true;
  }
  if (ownMissing) return 0;
  const score = got / total;
  return score >= 0.5 ? score : 0;
}

/** Order-keeping alignment of document rows to official rows maximising label agreement. */
function alignRows(
  grid: Grid,
  t: TableBlock,
  owner: (TableCell | undefined)[][],
): { map: Map<number, number>; off: OfficialLabel[][]; doc: DocRow[] } {
  const n = grid.rows;
  const m = t.rows;
  const off = Array.from({ length: n }, (_, i) => officialRowLabels(grid, i));
  const doc = Array.from({ length: m }, (_, j) => docRowLabels(owner, j));
  const S = Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => rowScore(grid, i, off[i]!, doc[j]!)));
  const D = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) D[i]![j] = Math.max(D[i + 1]![j]!, D[i]![j + 1]!, S[i]![j]! > 0 ? S[i]![j]! + D[i + 1]![j + 1]! : 0);
  const map = new Map<number, number>();
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (S[i]![j]! > 0 && D[i]![j] === S[i]![j]! + D[i + 1]![j + 1]!) map.set(i++, j++);
    else if (D[i]![j] === D[i + 1]![j]) i++;
    else j++;
  }
  // Rows the document put in another order: an official row left over takes the left-over
  // document row that carries its labels, when exactly one does.
  const usedDoc = new Set(map.values());
  for (let r = 0; r < n; r++) {
    if (map.has(r) || !off[r]!.length) continue;
    const candidates = [...Array(m).keys()].filter((c) => !usedDoc.has(c) && S[r]![c]! > 0);
    const best = Math.max(0, ...candidates.map((c) => S[r]![c]!));
    const top = candidates.filter((c) => S[r]![c] === best);
    if (top.length === 1) {
      map.set(r, top[0]!);
      usedDoc.add(top[0]!);
    }
  }
  return { map, off, doc };
}

/**
 * Labels read in another spelling, said out loud: for each aligned row, each of its own labels the
 * document printed as a variant or with a typo (spacing, `1、` and full-width forms are not counted).
 */
function labelNotes(name: string, rows: Map<number, number>, off: OfficialLabel[][], doc: DocRow[]): string[] {
  const out: string[] = [];
  const marks: string[] = [];
  const said = new Set<GridCell>();
  for (const [i, j] of rows) {
    for (const l of off[i]!) {
      if (l.weight < 1 || said.has(l.cell)) continue;
      let best: { score: number; variant: boolean; printed?: DocLabel } = { score: 0, variant: false };
      for (const d of doc[j]!.labels) {
        const m = matchOf(l.keys, d.key);
        if (m.score > best.score) best = { ...m, printed: d };
      }
      if (!best.printed || best.score < LABEL_MATCH) continue;
      if (best.score === 1 && !best.variant) {
        // The same label in other marks (`1、` for `1.`, half-width brackets): counted, said once.
        const bare = (t: string) => t.replace(/[\s\u3000\u00a0]+/gu, '');
        if (bare(best.printed.cell.text) !== bare(l.cell.text!)) marks.push(best.printed.cell.text);
        said.add(l.cell);
        continue;
      }
      said.add(l.cell);
      const printed = best.printed.cell.text;
      out.push(
        best.variant
          ? `${name}“${l.cell.text}”印作“${printed}”（旧称或另一种写法），按“${l.cell.text}”读取`
          : `${name}“${l.cell.text}”印作“${printed}”（与正式标签相近，疑为笔误），按“${l.cell.text}”读取`,
      );
    }
  }
  if (marks.length) out.push(`${name}有 ${marks.length} 个标签的序号或括号与正式标签写法不同（如“${marks[0]}”），按正式标签读取`);
  return out;
}

/**
 * A group label (`（六）其他处理`) printed as one row where the form splits it: the document row
 * that carries it and none of its rows' labels, between the rows aligned around it.
 */
function unsplitRow(g: GridCell, rows: Map<number, number>, doc: DocRow[]): number | undefined {
  for (let r = g.r; r < g.r + g.rs; r++) if (rows.has(r)) return undefined;
  const before = Math.max(-1, ...[...rows].filter(([i]) => i < g.r).map(([, j]) => j));
  const after = Math.min(doc.length, ...[...rows].filter(([i]) => i >= g.r + g.rs).map(([, j]) => j));
  const keys = keysOf(g);
  const candidates: number[] = [];
  for (let j = before + 1; j < after; j++) {
    const d = doc[j]!;
    if (d.numbers + d.empties > 0 && d.labels.some((l) => matchOf(keys, l.key).score >= LABEL_MATCH)) candidates.push(j);
  }
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** Official header cells matched with document cells, row by aligned row, in column order. */
function matchHeaders(grid: Grid, t: TableBlock, rows: Map<number, number>): Map<GridCell, TableCell> {
  const out = new Map<GridCell, TableCell>();
  for (const [i, j] of rows) {
    const officials = grid.cells.filter((c) => c.r === i && c.text).sort((a, b) => a.c - b.c);
    const docs = t.cells.filter((c) => c.r === j && isLabel(c)).sort((a, b) => a.c - b.c);
    let from = 0;
    for (const o of officials) {
      const keys = keysOf(o);
      for (let x = from; x < docs.length; x++) {
        if (matchOf(keys, labelKey(docs[x]!.text)).score >= LABEL_MATCH) {
          out.set(o, docs[x]!);
          from = x + 1;
          break;
        }
      }
    }
  }
  return out;
}

/** The header rows nearest above an official row (the block its columns are named by). */
function headerRowsAbove(grid: Grid, r: number): number[] {
  let i = r - 1;
  while (i >= 0 && grid.spec.rows[i]!.kind !== 'header') i--;
  const rows: number[] = [];
  for (; i >= 0 && grid.spec.rows[i]!.kind === 'header'; i--) rows.unshift(i);
  return rows;
}

export function readTables(blocks: Block[], form: FormSpec): TablesResult {
  const { byTable } = identifyTables(blocks, form);
  const notes: string[] = [];
  const values = new Map<string, CellRead>();
  const problems: TableProblem[] = [];
  for (const [id, t] of byTable) {
    const grid = resolveGrid(form.tables[id]!);
    const name = grid.spec.name;
    const owner = ownerMap(t);
    const { map: rows, off, doc } = alignRows(grid, t, owner);
    notes.push(...labelNotes(name, rows, off, doc));
    // Groups printed as one row (the 2019 layout's （六）其他处理): the row that takes its numbers.
    const unsplit: { group: GridCell; target: number; row: number }[] = [];
    for (const g of grid.cells.filter((c) => c.unsplit && c.rs > 1)) {
      const j = unsplitRow(g, rows, doc);
      const target = [...Array(g.rs).keys()]
        .map((k) => g.r + k)
        .find((r) => grid.cells.some((c) => c.r === r && c.text && labelKey(c.text) === labelKey(g.unsplit!)));
      if (j === undefined || target === undefined) continue;
      rows.set(target, j);
      unsplit.push({ group: g, target, row: j });
    }
    const headers = matchHeaders(grid, t, rows);
    // Header cells read in another spelling (法人或其它组织), each said once.
    const saidHeader = new Set<string>();
    for (const [o, d] of headers) {
      const m = matchOf(keysOf(o), labelKey(d.text));
      if (grid.spec.rows[o.r]!.kind !== 'header' || (m.score === 1 && !m.variant) || saidHeader.has(o.text!)) continue;
      saidHeader.add(o.text!);
      notes.push(
        `${name}表头“${o.text}”印作“${d.text}”${m.variant ? '（另一种写法）' : '（与正式标签相近，疑为笔误）'}，按“${o.text}”读取`,
      );
    }
    let byOrder = 0;
    for (let i = 0; i < grid.rows; i++) {
      const bound = grid.cells.filter((c) => c.r === i && c.bind);
      if (!bound.length) continue;
      const j = rows.get(i);
      if (j === undefined) {
        if (unsplit.some((u) => i >= u.group.r && i < u.group.r + u.group.rs)) continue; // decided below
        if (grid.spec.rows[i]!.optional && rows.size) {
          const own = grid.cells.find((c) => c.r === i && c.text && c.rs === 1)?.text ?? '';
          notes.push(`${name}中没有“${own}”这一行，按 0 导入`);
          for (const b of bound) values.set(b.bind!, { text: '0', empty: false });
          continue;
        }
        for (const b of bound) problems.push({ table: id, bind: b.bind, message: '文档的表格中找不到这一行' });
        continue;
      }
      const docRow = owner[j]!;
      // Each cell where its column headers say; if that does not give every cell of the row a
      // number cell of its own, the row's own numbers in order — when there are exactly as many
      // as the form has cells in this row (a row whose merged cells the document lost).
      const byHeader = bound.map((b) => {
        for (const hr of headerRowsAbove(grid, i).reverse()) {
          const h = grid.owner[hr]![b.c]!;
          const d = headers.get(h);
          if (!d) continue;
          if (h.c === b.c && h.cs === b.cs) return d.c;
          if (h.cs > b.cs && d.cs === h.cs) return d.c + (b.c - h.c); // the same split below
        }
        return undefined;
      });
      const headerCells = byHeader.map((c) => (c === undefined ? undefined : docRow[c]));
      const consistent = headerCells.every((c, k) => c && !isLabel(c) && headerCells.indexOf(c) === k);
      const lastLabel = Math.max(-1, ...docRow.filter((c): c is TableCell => !!c && isLabel(c)).map((c) => c.c + c.cs - 1));
      const valueCells = [...new Set(docRow.filter((c): c is TableCell => !!c && c.c > lastLabel))].sort((a, b) => a.c - b.c);
      const inOrder = !consistent && valueCells.length === bound.length;
      if (inOrder) byOrder += bound.length;
      bound.forEach((b, k) => {
        const cell = inOrder ? valueCells[k] : headerCells[k];
        if (!cell) {
          problems.push({
            table: id,
            bind: b.bind,
            message: byHeader[k] === undefined ? '文档的表头中找不到这一列' : '文档的这一行在这一列没有单元格',
          });
          return;
        }
        if (!inOrder && headerCells.indexOf(cell) !== k) {
          problems.push({ table: id, bind: b.bind, message: `与同一行的另一格落在文档的同一个单元格（“${cell.text}”）` });
          return;
        }
        if (cell.rs > b.rs) {
          // A number cell covering two rows: a lost border, and two numbers read as one.
          problems.push({ table: id, bind: b.bind, message: `文档中这一格与上下行的格子连成一格（“${cell.text}”），无法分开` });
          return;
        }
        const v = cellValue(cell.text);
        if (v.kind === 'text') problems.push({ table: id, bind: b.bind, message: `单元格内容不是数字：“${v.text}”` });
        else values.set(b.bind!, v.kind === 'empty' ? { text: '', empty: true } : { text: v.text, empty: false });
      });
    }
    for (const u of unsplit) {
      const binds = (r: number) => grid.cells.filter((c) => c.r === r && c.bind).map((c) => c.bind!);
      const target = binds(u.target);
      const others = [...Array(u.group.rs).keys()].map((k) => u.group.r + k).filter((r) => r !== u.target);
      const otherLabels = others.map((r) => `“${grid.cells.find((c) => c.r === r && c.c > u.group.c && c.text)?.text ?? ''}”`).join('');
      if (!target.every((b) => values.has(b))) {
        for (const r of others)
          for (const b of binds(r))
            problems.push({ table: id, bind: b, message: `文档把“${u.group.text}”印作一行，其中的数字无法读到，也无法分到这一行` });
        continue;
      }
      const zero = target.every((b) => values.get(b)!.empty || Number(values.get(b)!.text) === 0);
      for (const r of zero ? [u.target, ...others] : others) for (const b of binds(r)) values.set(b, { text: '0', empty: false });
      notes.push(
        zero
          ? `${name}“${u.group.text}”印作一行（未分列其下 ${u.group.rs} 行），且数字均为 0：其下各行均按 0 导入`
          : `${name}“${u.group.text}”印作一行，文档没有分列其下 ${u.group.rs} 行：这一行的数字按“${u.group.unsplit}”导入，${otherLabels}按 0 导入`,
      );
    }
    if (byOrder) notes.push(`${name}：${byOrder} 个数字所在列的表头未能识别，按该行数字的先后顺序读取`);
  }
  return { values, found: new Set(byTable.keys()), problems, notes };
}
