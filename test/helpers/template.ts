/**
 * The official template as the tests' independent expectation: test/fixtures/template-cells.tsv,
 * written by hand from the template's word/document.xml, says where each number of the three
 * tables sits (table, row, grid column, its row and column labels, its model path); the template
 * itself (test/fixtures/official-template-2021.docx) is read here as a grid of cells.
 */
import { readFileSync } from 'node:fs';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { unzipSync } from 'fflate';
import { ROOT } from './reports.js';
import type { Word } from './pdf.js';

export const TEMPLATE = `${ROOT}test/fixtures/official-template-2021.docx`;

export interface TemplateCell {
  /** 表二, 表三 or 表四. */
  table: string;
  /** The w:tr index in its table, and the grid column, from 0. */
  row: number;
  col: number;
  /** The labels left of it in its row, outermost first (none in 表四). */
  rowLabels: string[];
  /** The header labels above it, top first. */
  columnLabels: string[];
  /** The model field (docs/model.md). */
  path: string;
}

/** The three tables, in the template's order. */
export const TEMPLATE_TABLES = ['表二', '表三', '表四'] as const;

let entries: TemplateCell[] | undefined;
/** The 200 entries of template-cells.tsv, in file order. */
export function templateCells(): TemplateCell[] {
  entries ??= readFileSync(`${ROOT}test/fixtures/template-cells.tsv`, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((line, i) => {
      const f = line.split('\t');
      if (f.length !== 6) throw new Error(`template-cells.tsv line ${i + 1}: ${f.length} fields`);
      const [table, row, col, rowLabels, columnLabels, path] = f as [string, string, string, string, string, string];
      const labels = (s: string) => (s ? s.split('/') : []);
      return { table, row: Number(row), col: Number(col), rowLabels: labels(rowLabels), columnLabels: labels(columnLabels), path };
    });
  return entries;
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const children = (parent: Element, name: string): Element[] =>
  Array.from(parent.childNodes as unknown as Element[]).filter((c) => c.nodeType === 1 && c.namespaceURI === W && c.localName === name);
const descendants = (parent: Element, name: string): Element[] =>
  Array.from(parent.getElementsByTagNameNS(W, name) as unknown as Element[]);

/** A cell of a Word table at its origin, with the grid positions it covers. */
export interface WordGridCell {
  row: number;
  col: number;
  rows: number;
  cols: number;
  /** Its text, whitespace (the template's 　 placeholders) removed at both ends. */
  text: string;
}

/**
 * The tables of a DOCX's body as grids: `owner[r][c]` is the cell covering row r, grid column c
 * (w:gridSpan widens a cell; a w:vMerge that is not a restart continues the cell above).
 */
export function docxGrids(docx: Uint8Array): { cells: WordGridCell[]; owner: WordGridCell[][] }[] {
  const xml = new TextDecoder().decode(unzipSync(docx)['word/document.xml']);
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const body = descendants(doc.documentElement as unknown as Element, 'body')[0]!;
  return children(body, 'tbl').map((tbl) => {
    const cells: WordGridCell[] = [];
    const owner: WordGridCell[][] = [];
    children(tbl, 'tr').forEach((tr, r) => {
      owner[r] = [];
      let c = 0;
      for (const tc of children(tr, 'tc')) {
        const span = Number(descendants(tc, 'gridSpan')[0]?.getAttributeNS(W, 'val') ?? 1);
        const vMerge = descendants(tc, 'vMerge')[0];
        let cell: WordGridCell;
        if (vMerge && vMerge.getAttributeNS(W, 'val') !== 'restart') {
          cell = owner[r - 1]![c]!;
          cell.rows++;
        } else {
          const text = descendants(tc, 't')
            .map((t) => t.textContent ?? '')
            .join('')
            .trim();
          cell = { row: r, col: c, rows: 1, cols: span, text };
          cells.push(cell);
        }
        for (let j = c; j < c + span; j++) owner[r]![j] = cell;
        c += span;
      }
    });
    return { cells, owner };
  });
}

export const templateGrids = () => docxGrids(new Uint8Array(readFileSync(TEMPLATE)));

// ── Finding a number in a PDF by its labels ──────────────────────────────────────────────────

interface Box {
  page: number;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}
const cx = (b: Box) => (b.xMin + b.xMax) / 2;
const cy = (b: Box) => (b.yMin + b.yMax) / 2;
const squash = (s: string) => s.replace(/\s+/g, '');

/**
 * Every place a label is printed: a word, or words on consecutive lines of one column (a label
 * wrapped in its cell) that spell it; as one box.
 */
export function labelBoxes(words: Word[], label: string): Box[] {
  const want = squash(label);
  const out: Box[] = [];
  for (const first of words) {
    if (!want.startsWith(first.text)) continue;
    const box: Box = { page: first.page, xMin: first.xMin, xMax: first.xMax, yMin: first.yMin, yMax: first.yMax };
    let text = first.text;
    let last = first;
    while (text !== want) {
      // The next line of the same cell: just below, overlapping horizontally, continuing the text.
      const next = words
        .filter(
          (w) =>
            w.page === last.page &&
            w.yMin > last.yMin + 0.5 &&
            w.yMin - last.yMax < (last.yMax - last.yMin) * 0.8 &&
            w.xMin < last.xMax &&
            w.xMax > last.xMin &&
            want.startsWith(text + w.text),
        )
        .sort((a, b) => a.yMin - b.yMin)[0];
      if (!next) break;
      text += next.text;
      last = next;
      box.xMin = Math.min(box.xMin, next.xMin);
      box.xMax = Math.max(box.xMax, next.xMax);
      box.yMax = next.yMax;
    }
    if (text === want) out.push(box);
  }
  return out;
}

/**
 * The word printed where a template cell's row and column meet, found by the cell's labels only:
 * the row by its innermost row label (where the row has one), the column by its column labels —
 * the innermost label printed under its parent labels, nearest above the row on the same page.
 * Undefined when a label is not found or nothing is printed there.
 */
export function wordAt(scope: Word[], cell: TemplateCell): Word | undefined {
  const rowLabel = cell.rowLabels.at(-1);
  // The row: its label's box; the column: the chain of header labels, each under the one before.
  const rows = rowLabel ? labelBoxes(scope, rowLabel) : [undefined];
  for (const row of rows) {
    let columns: Box[] = labelBoxes(scope, cell.columnLabels[0]!).filter((b) => !row || (b.page === row.page && b.yMax <= row.yMin + 0.5));
    for (const label of cell.columnLabels.slice(1)) {
      columns = columns.flatMap((parent) => {
        // The child label under its parent: of those below it, the nearest to its centre, and of
        // those (a label repeated in two blocks at one x) the nearest below it.
        const below = labelBoxes(scope, label).filter(
          (b) => b.page === parent.page && b.yMin >= parent.yMax - 0.5 && (!row || b.yMax <= row.yMin + 0.5),
        );
        const dx = (b: Box) => Math.abs(cx(b) - cx(parent));
        const least = Math.min(...below.map(dx));
        const nearest = below.filter((b) => dx(b) < least + 1).sort((a, b) => a.yMin - b.yMin);
        return nearest.slice(0, 1);
      });
    }
    // The header nearest above the row (a table broken over pages repeats its header).
    const column = columns.sort((a, b) => b.yMax - a.yMax)[0];
    if (!column) continue;
    const x = cx(column);
    const candidates = scope.filter(
      (w) =>
        w.page === column.page &&
        w.xMin <= x + 1 &&
        w.xMax >= x - 1 &&
        w.yMin >= column.yMax - 0.5 &&
        (row ? w.yMin <= cy(row) && w.yMax >= cy(row) : true),
    );
    // Without a row label (表四's one data row): the first line printed below the header.
    const hit = candidates.sort((a, b) => a.yMin - b.yMin)[0];
    if (hit) return hit;
  }
  return undefined;
}

// ── A report whose 200 numbers all differ ────────────────────────────────────────────────────

const APPLICANT_KEYS = ['naturalPerson', 'commercial', 'research', 'publicInterest', 'legalService', 'other'] as const;
const OUTCOME_KEYS = ['upheld', 'corrected', 'other', 'pending'] as const;

/**
 * `report` (JSON) with every number of the three tables different from every other (totals
 * left out, for the generator to compute; the 勾稽 rules hold), so that a number found in the
 * wrong cell cannot pass for the right one. The paths come from docs/model.md.
 */
export function distinctNumbers(report: Record<string, any>): Record<string, any> {
  const r = structuredClone(report);
  const a = r.applications;
  const leaves: Record<string, number>[] = [
    a.granted,
    a.partiallyGranted,
    ...Object.values(a.denied as Record<string, Record<string, number>>),
    ...Object.values(a.unableToProvide as Record<string, Record<string, number>>),
    ...Object.values(a.notProcessed as Record<string, Record<string, number>>),
    ...Object.values(a.otherHandling as Record<string, Record<string, number>>),
  ];
  const row = (f: (j: number) => number) => Object.fromEntries(APPLICANT_KEYS.map((k, j) => [k, f(j)]));
  leaves.forEach((leaf, k) => {
    for (const key of Object.keys(leaf)) delete leaf[key];
    Object.assign(
      leaf,
      row((j) => 300 + 8 * k + j),
    );
  });
  delete a.total;
  const sum = (j: number) => leaves.reduce((s, l) => s + l[APPLICANT_KEYS[j]!]!, 0);
  a.carriedOver = row((j) => 31 + 2 * j);
  a.carriedForward = row((j) => 61 + 4 * j);
  a.received = row((j) => sum(j) + 61 + 4 * j - (31 + 2 * j));
  const outcome = (base: number) => Object.fromEntries(OUTCOME_KEYS.map((k, i) => [k, base + 2 * i]));
  r.reviewsAndLawsuits = { review: outcome(7), lawsuitDirect: outcome(15), lawsuitAfterReview: outcome(23) };
  r.proactive = {
    regulations: { issued: 2, repealed: 3, inForce: 4 },
    normativeDocuments: { issued: 5, repealed: 6, inForce: 10 },
    licensing: 3001,
    punishment: 3002,
    enforcement: 3003,
    fees: '3004.50',
  };
  return r;
}

/** The text of the template's body paragraphs, in order (empty ones left out). */
export function templateParagraphs(): string[] {
  const xml = new TextDecoder().decode(unzipSync(new Uint8Array(readFileSync(TEMPLATE)))['word/document.xml']);
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const body = descendants(doc.documentElement as unknown as Element, 'body')[0]!;
  return children(body, 'p')
    .map((p) =>
      descendants(p, 't')
        .map((t) => t.textContent ?? '')
        .join('')
        .trim(),
    )
    .filter(Boolean);
}

/** The six part headings, 一、总体情况 … 六、其他需要报告的事项, as the template prints them. */
export const templateHeadings = (): string[] => templateParagraphs().filter((t) => /^[一二三四五六]、/u.test(t));

/** Every label of the three tables (each cell's text once), as the template prints it. */
export const templateLabels = (): string[] => templateGrids().flatMap((g) => g.cells.filter((c) => c.text).map((c) => c.text));
