import { execFileSync } from 'node:child_process';

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
