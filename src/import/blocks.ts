/**
 * The one intermediate form every reader produces and the mapper reads: the document as an ordered
 * list of blocks — paragraphs of text and tables rebuilt as grids of cells with their spans.
 * Readers know their file format and nothing of the official form; the mapper knows the form and
 * nothing of file formats.
 */

export interface ParagraphBlock {
  kind: 'p';
  text: string;
  /** PDF only: 1-based page, left edge of the first line (pt from the text block's left edge). */
  page?: number;
  indent?: number;
  /** The reader saw a heading (a larger or bolder face, or a centred line). */
  heading?: boolean;
  /** Centred on the page (titles). */
  centred?: boolean;
}

/** A table cell at its origin, with its spans; text of its lines joined. */
export interface TableCell {
  r: number;
  c: number;
  rs: number;
  cs: number;
  text: string;
}

export interface TableBlock {
  kind: 'table';
  rows: number;
  cols: number;
  cells: TableCell[];
  /** PDF only: the page the table starts on. */
  page?: number;
}

export type Block = ParagraphBlock | TableBlock;

/** What a reader returns: the blocks plus notes (warnings) about what it had to tolerate. */
export interface ReadResult {
  blocks: Block[];
  notes: string[];
  /**
   * Titles the document states outside its text, most telling first: an HTML page's
   * `<meta name="ArticleTitle">` and `<title>` (the mapper uses one when the text has no title).
   */
  titles?: string[];
}

/** `owner[r][c]`: the cell covering each position (undefined where the document left a hole). */
export function ownerMap(t: TableBlock): (TableCell | undefined)[][] {
  const owner: (TableCell | undefined)[][] = Array.from({ length: t.rows }, () => new Array<TableCell | undefined>(t.cols));
  for (const cell of t.cells)
    for (let r = cell.r; r < Math.min(t.rows, cell.r + cell.rs); r++)
      for (let c = cell.c; c < Math.min(t.cols, cell.c + cell.cs); c++) owner[r]![c] ??= cell;
  return owner;
}

/**
 * What a document's structure may be before reading it goes no further (checked before the work
 * they bound): an official table has some 200 cells, a report's markup nests a few dozen deep.
 */
export const STRUCTURE_LIMITS = {
  /** Cells in one table. */
  cellsPerTable: 10_000,
  /** Grid positions of one table (rows × columns), spans included. */
  gridArea: 1_000_000,
  /** Elements nested in one another (HTML, DOCX). */
  depth: 400,
} as const;

/**
 * Spans bounded by the table's real size: a row span by the rows below, a column span by the
 * widest row's cell count (no span can make a table wider than its cells can fill). Throws a
 * message (for the reader's refusal) when the table is larger than STRUCTURE_LIMITS allow.
 */
export function boundSpans<T extends { rs: number; cs: number }>(rows: T[][]): string | undefined {
  const cells = rows.reduce((n, row) => n + row.length, 0);
  if (cells > STRUCTURE_LIMITS.cellsPerTable) return `表格有 ${cells} 个单元格，上限 ${STRUCTURE_LIMITS.cellsPerTable} 个`;
  const widest = Math.max(1, ...rows.map((row) => row.length));
  let area = 0;
  rows.forEach((row, r) => {
    for (const cell of row) {
      cell.rs = Math.max(1, Math.min(cell.rs, rows.length - r));
      cell.cs = Math.max(1, Math.min(cell.cs, widest));
      area += cell.rs * cell.cs;
    }
  });
  if (area > STRUCTURE_LIMITS.gridArea || rows.length * widest > STRUCTURE_LIMITS.gridArea)
    return `表格过大（${rows.length} 行 × ${widest} 列，合并单元格共占 ${area} 格），上限 ${STRUCTURE_LIMITS.gridArea} 格`;
  return undefined;
}

/**
 * Rows of cells as a reader sees them (HTML rows of td with rowspan/colspan, DOCX rows with
 * gridSpan and vMerge already resolved to rs) → a grid, by the HTML table algorithm: each cell
 * takes the first column not covered by a rowspan from above.
 */
export function gridFromRows(rows: { text: string; rs: number; cs: number; skip?: number }[][]): TableBlock {
  const taken: boolean[][] = [];
  const cells: TableCell[] = [];
  let cols = 0;
  rows.forEach((row, r) => {
    taken[r] ??= [];
    let c = 0;
    for (const cell of row) {
      c += cell.skip ?? 0;
      while (taken[r]![c]) c++;
      const rs = Math.max(1, Math.min(cell.rs, rows.length - r));
      const cs = Math.max(1, cell.cs);
      for (let i = r; i < r + rs; i++) {
        taken[i] ??= [];
        for (let j = c; j < c + cs; j++) taken[i]![j] = true;
      }
      cells.push({ r, c, rs, cs, text: cell.text });
      c += cs;
      cols = Math.max(cols, c);
    }
  });
  return { kind: 'table', rows: rows.length, cols, cells };
}
