import { execFileSync } from 'node:child_process';
import type { DocumentIR } from '../../src/layout/ir.js';

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

/**
 * Value cells that are not printed inside their cell's box: the box is where the layout put the
 * cell (its page frame), the number is found in the PDF's own text by pdftotext.
 */
export function misplacedValues(r: { ir: DocumentIR; words: Word[] }): { misplaced: string[]; checked: number } {
  const misplaced: string[] = [];
  let checked = 0;
  for (const page of r.ir.pages)
    for (const cell of page.cells) {
      if (cell.kind !== 'value') continue;
      checked++;
      const hit = r.words.find(
        (w) => w.page === page.number && w.text === cell.text &&
          (w.xMin + w.xMax) / 2 > cell.x && (w.xMin + w.xMax) / 2 < cell.x + cell.width &&
          (w.yMin + w.yMax) / 2 > cell.y && (w.yMin + w.yMax) / 2 < cell.y + cell.height,
      );
      if (!hit) misplaced.push(`${cell.table} R${cell.r}C${cell.c} "${cell.text}" (page ${page.number})`);
    }
  return { misplaced, checked };
}
