import { execFileSync } from 'node:child_process';
import type { DocumentIR, TableIR } from '../../src/layout/ir.js';

export interface Word {
  page: number;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
  text: string;
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/** Every word of a PDF with its box (poppler's pdftotext -bbox), pages numbered from 1. */
export function words(file: string): Word[] {
  const html = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const out: Word[] = [];
  let page = 0;
  for (const line of html.split('\n')) {
    if (line.includes('<page ')) page++;
    const m = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<\/word>/.exec(line);
    if (m) out.push({ page, xMin: +m[1]!, yMin: +m[2]!, xMax: +m[3]!, yMax: +m[4]!, text: unescape(m[5]!) });
  }
  return out;
}

/** The text in content-stream order, whitespace removed: a cell's wrapped lines join up again. */
export function streamText(file: string): string {
  return execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 }).replace(/\s+/g, '');
}

export function pageTexts(file: string): string[] {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 }).split('\f');
}

export function info(file: string): Record<string, string> {
  const text = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Object.fromEntries(text.split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]));
}

export function fonts(file: string): { name: string; type: string; emb: string; sub: string }[] {
  const text = execFileSync('pdffonts', [file], { encoding: 'utf8' });
  return text.split('\n').slice(2).filter(Boolean).map((l) => {
    const cols = l.trim().split(/\s+/);
    return { name: cols[0]!, type: cols.slice(1, 3).join(' '), emb: cols.at(-5)!, sub: cols.at(-4)! };
  });
}

/** Where the layout put a table's cells on the page: found from its first header label. */
export function cellBoxes(r: { ir: DocumentIR; words: Word[] }, table: TableIR) {
  const { margins } = r.ir.page;
  const anchor = table.cells.find((c) => c.kind === 'label' && c.r === 0)!;
  const anchorWords = r.words.filter((w) => w.text === anchor.text || (w.text.length >= 4 && anchor.text.startsWith(w.text)));
  // The anchor cell's first line sits `padding + offset` below the table top (± the glyph's own top).
  const w = anchorWords.find((x) => x.yMin > margins.top - 1)!;
  const span = table.rowHeights.slice(0, anchor.rs).reduce((a, b) => a + b, 0) + (anchor.rs - 1) * table.style.border;
  const offset = Math.max(0, (span - anchor.lines.length * table.style.linePitch - 2 * table.style.padding) / 2);
  const top = w.yMin - table.style.border - table.style.padding - offset - 3;
  const xs = [margins.left];
  for (const c of table.columns) xs.push(xs.at(-1)! + c);
  // Rows go down the page; a row that does not fit starts the next page under the repeated header.
  const bottom = r.ir.page.height - margins.bottom;
  const b = table.style.border;
  const headerHeight = table.rowHeights.slice(0, table.headerRows).reduce((a, h) => a + h + b, 0);
  const rows: { page: number; y: number }[] = [];
  let page = w.page;
  let y = top;
  table.rowHeights.forEach((h, i) => {
    if (i >= table.headerRows && y + h + b > bottom + 0.5) {
      page++;
      y = margins.top - 3 + headerHeight;
    }
    rows.push({ page, y });
    y += h + b;
  });
  return table.cells.map((cell) => {
    const first = rows[cell.r]!;
    const last = rows[cell.r + cell.rs - 1]!;
    const end = last.page === first.page ? last.y + table.rowHeights[cell.r + cell.rs - 1]! + b : bottom;
    return { cell, page: first.page, x: [xs[cell.c]!, xs[cell.c + cell.cs]!] as const, y: [first.y, end + 3] as const };
  });
}

/** Value cells of the IR's tables that are not printed inside their cell's box. */
export function misplacedValues(r: { ir: DocumentIR; words: Word[] }): { misplaced: string[]; checked: number } {
  const misplaced: string[] = [];
  let checked = 0;
  const tables = r.ir.blocks.flatMap((b) => (b.type === 'group' ? b.blocks : [b])).filter((b): b is TableIR => b.type === 'table');
  for (const table of tables)
    for (const { cell, page, x, y } of cellBoxes(r, table)) {
      if (cell.kind !== 'value') continue;
      checked++;
      const hit = r.words.find(
        (w) => w.page === page && w.text === cell.text &&
          (w.xMin + w.xMax) / 2 > x[0] && (w.xMin + w.xMax) / 2 < x[1] &&
          (w.yMin + w.yMax) / 2 > y[0] && (w.yMin + w.yMax) / 2 < y[1],
      );
      if (!hit) misplaced.push(`${table.name} R${cell.r}C${cell.c} "${cell.text}"`);
    }
  return { misplaced, checked };
}
