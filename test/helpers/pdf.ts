/**
 * Reading back the PDFs we write, with pdfjs-dist (no poppler-utils needed): words with their
 * boxes, text in content order, text lines per page, document info and fonts. The answers follow
 * poppler's pdftotext -bbox / -raw / -layout, pdfinfo and pdffonts closely enough for the tests.
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument, OPS, PDFDateString, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem, TextStyle } from 'pdfjs-dist/types/src/display/api.js';
import type { DocumentIR } from '../../src/layout/ir.js';

export interface Word {
  page: number;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
  text: string;
}

export interface Font {
  /** As written in the PDF, with a subset tag `ABCDEF+` if it has one. */
  name: string;
  /** 'yes' when the PDF carries the font program (pdffonts' "emb"). */
  emb: 'yes' | 'no';
  /** 'yes' when the name has a subset tag (pdffonts' "sub" is decided the same way). */
  sub: 'yes' | 'no';
}

interface Loaded {
  /** Per page: words in reading order (lines top to bottom, left to right in a line), and the lines. */
  pages: { words: Word[]; lines: Word[][] }[];
  stream: string;
  info: Record<string, string>;
}

const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const cache = new Map<string, Promise<unknown>>();

/** Reads each PDF once per test file (per kind of answer): keyed by path, modification time and size. */
function cached<T>(kind: string, file: string, compute: (bytes: Buffer) => Promise<T>): Promise<T> {
  const st = statSync(file);
  const key = `${kind}\0${file}\0${st.mtimeMs}\0${st.size}`;
  let hit = cache.get(key) as Promise<T> | undefined;
  if (!hit) {
    if (cache.size >= 64) cache.delete(cache.keys().next().value!);
    hit = compute(readFileSync(file));
    cache.set(key, hit);
    hit.catch(() => cache.delete(key));
  }
  return hit;
}

async function withDocument<T>(bytes: Buffer, use: (doc: PDFDocumentProxy) => Promise<T>): Promise<T> {
  const doc = await getDocument({
    data: new Uint8Array(bytes),
    verbosity: 0,
    isEvalSupported: false,
    useSystemFonts: false,
    standardFontDataUrl: join(pdfjsRoot, 'standard_fonts/'),
    cMapUrl: join(pdfjsRoot, 'cmaps/'),
    cMapPacked: true,
  }).promise;
  try {
    return await use(doc);
  } finally {
    await doc.destroy();
  }
}

const load = (file: string) =>
  cached('text', file, (bytes) =>
    withDocument(bytes, async (doc): Promise<Loaded> => {
      const pages: Loaded['pages'] = [];
      let stream = '';
      for (let p = 1; p <= doc.numPages; p++) {
        const page = await doc.getPage(p);
        const content = await page.getTextContent({ disableNormalization: true });
        const items = content.items.filter((i): i is TextItem => 'str' in i);
        stream += items.map((i) => i.str).join('');
        // Glyph advances are needed only to place the words of an item that holds whitespace.
        const cut = items.some((i) => /\s/u.test(i.str) && /\S/u.test(i.str));
        const glyphs = cut ? await glyphAdvances(page) : undefined;
        pages.push(layoutPage(page, p, items, content.styles, glyphs?.advances ?? new Map(), glyphs?.shown ?? []));
        page.cleanup();
      }
      const meta = await doc.getMetadata();
      return { pages, stream, info: infoOf(doc.numPages, await doc.getPage(1), meta.info as Record<string, unknown>) };
    }),
  );

/**
 * The fonts the pages use, as pdffonts lists them. The operator list loads each page's fonts into
 * commonObjs; pdfjs marks a font whose descriptor has no FontFile/FontFile2/FontFile3 as
 * `missingFile` (pdffonts' "emb: no"), so no walking of PDF objects is needed. pdffonts' "sub"
 * is the `ABCDEF+` subset tag on the name; so is ours.
 */
const loadFonts = (file: string) =>
  cached('fonts', file, (bytes) =>
    withDocument(bytes, async (doc) => {
      const seen = new Map<string, Font>();
      for (let p = 1; p <= doc.numPages; p++) {
        const page = await doc.getPage(p);
        for (const name of (await glyphAdvances(page)).fontNames) {
          if (seen.has(name) || !page.commonObjs.has(name)) continue;
          const font = page.commonObjs.get(name) as { name?: string; missingFile?: boolean };
          const fontName = font.name ?? name;
          seen.set(name, { name: fontName, emb: font.missingFile ? 'no' : 'yes', sub: /^[A-Z]{6}\+/.test(fontName) ? 'yes' : 'no' });
        }
        page.cleanup();
      }
      return [...seen.values()];
    }),
  );

type Glyph = { unicode: string; width: number } | number | null;

/**
 * Every glyph's advance width per font (1/1000 em: fonts with the standard font matrix, as all of
 * ours are), from the page's show-text operators; and the fonts the page sets, in order.
 */
async function glyphAdvances(page: PDFPageProxy) {
  const ops = await page.getOperatorList();
  const advances = new Map<string, Map<string, number>>();
  const fontNames: string[] = [];
  /** Every shown glyph in drawing order, with the character spacing it was drawn with (in ems of its font). */
  const shown: { unicode: string; spacingEm: number }[] = [];
  let font = '';
  let size = 1;
  let charSpacing = 0;
  const stack: number[] = [];
  ops.fnArray.forEach((fn, i) => {
    const args = ops.argsArray[i] as unknown[];
    if (fn === OPS.setFont) {
      font = args[0] as string;
      size = Math.abs(Number(args[1])) || 1;
      if (!fontNames.includes(font)) fontNames.push(font);
    } else if (fn === OPS.setCharSpacing) charSpacing = Number(args[0]) || 0;
    else if (fn === OPS.save) stack.push(charSpacing);
    else if (fn === OPS.restore) charSpacing = stack.pop() ?? charSpacing;
    else if (fn === OPS.showText || fn === OPS.showSpacedText || fn === OPS.nextLineShowText || fn === OPS.nextLineSetSpacingShowText) {
      const glyphs = args.at(-1);
      if (!Array.isArray(glyphs)) return;
      let m = advances.get(font);
      if (!m) advances.set(font, (m = new Map()));
      for (const g of glyphs as Glyph[])
        if (g && typeof g === 'object' && g.unicode) {
          m.set(g.unicode, g.width);
          shown.push({ unicode: g.unicode, spacingEm: charSpacing / size });
        }
    }
  });
  return { advances, fontNames, shown };
}

const isSpace = (c: string) => /\s/u.test(c);
/** A guess for a character no show-text operator told us about (in 1/1000 em). */
const guessAdvance = (c: string) =>
  /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(c) || c.codePointAt(0)! > 0xffff
    ? 1000
    : 500;

/**
 * A page's words, like poppler's pdftotext -bbox: a word is a run of characters without
 * whitespace; its box spans the font's ascent to descent (poppler uses the same font metrics) in
 * points from the top-left of the page.
 *
 * pdfjs gives text items (a line or run of one font) with their start and full width, not the
 * position of each glyph. An item is cut at whitespace, each piece placed by the glyph advances
 * from the operator list; what the item's width adds beyond them (character spacing, as in a
 * justified line) is spread evenly over its characters, or given to spaces pdfjs made up for a gap.
 * Pieces of different items that touch on the same baseline make one word, as in poppler.
 */
function layoutPage(
  page: PDFPageProxy,
  pageNo: number,
  items: TextItem[],
  styles: Record<string, TextStyle>,
  advances: Map<string, Map<string, number>>,
  shown: { unicode: string; spacingEm: number }[] = [],
) {
  // The shown glyphs in drawing order, to find each item's own character spacing (a justified line
  // may set its Han and its Latin runs with different spacing, and pdfjs joins them in one item).
  let cursor = 0;
  const spacingOf = (chars: string[]): (number | undefined)[] => {
    const real = chars.filter((c) => !isSpace(c));
    for (let at = cursor; at + real.length <= shown.length; at++) {
      if (real.every((c, k) => shown[at + k]!.unicode === c)) {
        cursor = at + real.length;
        let k = 0;
        return chars.map((c) => (isSpace(c) ? undefined : shown[at + k++]!.spacingEm));
      }
    }
    return chars.map(() => undefined);
  };
  const viewport = page.getViewport({ scale: 1 });
  const toTop = (x: number, y: number) => viewport.convertToViewportPoint(x, y) as [number, number];
  type Piece = Word & { baseline: number; size: number; item: number; start: number; end: number };
  const pieces: Piece[] = [];
  items.forEach((item, index) => {
    if (!/\S/u.test(item.str)) return;
    const [a, b, c, d, e, f] = item.transform as number[];
    const sx = Math.hypot(a!, b!) || 1;
    const size = Math.hypot(c!, d!) || sx;
    const style = styles[item.fontName];
    const ascent = style?.ascent || 0.8;
    const descent = style?.descent || -0.2;
    const widths = advances.get(item.fontName);
    const chars = [...item.str];
    const known = chars.map((ch) => widths?.get(ch));
    const adv = chars.map((ch, i) => ((known[i] ?? guessAdvance(ch)) / 1000) * sx);
    const madeUp = chars.map((ch, i) => isSpace(ch) && known[i] === undefined);
    const spacing = shown.length ? spacingOf(chars) : chars.map(() => undefined);
    const drawn = spacing.filter((x): x is number => x !== undefined);
    const mixed = chars.every((ch, i) => isSpace(ch) || spacing[i] !== undefined) && drawn.some((x) => Math.abs(x - drawn[0]!) > 1e-6);
    if (mixed) {
      // Glyphs drawn with different character spacings in one item (a justified line's Han runs and
      // its Latin runs): each glyph's spacing follows it — inside its word, or as the gap pdfjs
      // filled with a made-up space, which is where poppler ends the word.
      // (Every space of such an item is made up: a drawn space would have broken the match.)
      chars.forEach((ch, i) => {
        if (isSpace(ch)) adv[i] = 0;
      });
      chars.forEach((ch, i) => {
        if (isSpace(ch)) return;
        const gap = (spacing[i] ?? 0) * sx;
        if (isSpace(chars[i + 1] ?? '')) adv[i + 1]! += gap;
        else if (i < chars.length - 1) adv[i]! += gap;
      });
    } else {
      const extra = item.width - adv.reduce((s, x) => s + x, 0);
      const share = madeUp.filter(Boolean).length;
      chars.forEach((_, i) => (adv[i]! += share ? (madeUp[i] ? extra / share : 0) : extra / chars.length));
    }
    // Baseline point at an advance along the text direction, and the glyph box's corners.
    const at = (s: number, k: number) => [e! + (s * a!) / sx + k * c!, f! + (s * b!) / sx + k * d!] as const;
    let s = 0;
    let start = -1;
    let startS = 0;
    const flush = (end: number) => {
      if (start < 0) return;
      const corners = [at(startS, ascent), at(startS, descent), at(s, ascent), at(s, descent)].map(([x, y]) => toTop(x, y));
      const xs = corners.map((p) => p[0]);
      const ys = corners.map((p) => p[1]);
      pieces.push({
        page: pageNo,
        text: chars.slice(start, end).join(''),
        xMin: Math.min(...xs),
        xMax: Math.max(...xs),
        yMin: Math.min(...ys),
        yMax: Math.max(...ys),
        baseline: toTop(...at(startS, 0))[1],
        size,
        item: index,
        start,
        end,
      });
      start = -1;
    };
    chars.forEach((ch, i) => {
      if (isSpace(ch)) flush(i);
      else if (start < 0) [start, startS] = [i, s];
      s += adv[i]!;
    });
    flush(chars.length);
  });

  // Lines: pieces whose baselines are within a fifth of the font size, top to bottom, then left to right.
  pieces.sort((p, q) => p.baseline - q.baseline || p.xMin - q.xMin);
  const lines: Piece[][] = [];
  for (const piece of pieces) {
    const line = lines.at(-1);
    if (line && Math.abs(piece.baseline - line[0]!.baseline) <= 0.2 * Math.min(piece.size, line[0]!.size)) line.push(piece);
    else lines.push([piece]);
  }
  const wordLines = lines.map((line) => {
    line.sort((p, q) => p.xMin - q.xMin);
    const out: Piece[] = [];
    for (const piece of line) {
      const prev = out.at(-1);
      const touches =
        prev &&
        prev.item !== piece.item &&
        Math.abs(piece.baseline - prev.baseline) < 0.5 &&
        piece.xMin - prev.xMax < 0.1 * Math.min(prev.size, piece.size) &&
        piece.xMin - prev.xMax > -0.1 * prev.size;
      if (prev && touches)
        Object.assign(prev, {
          text: prev.text + piece.text,
          xMax: Math.max(prev.xMax, piece.xMax),
          yMin: Math.min(prev.yMin, piece.yMin),
          yMax: Math.max(prev.yMax, piece.yMax),
          item: piece.item,
        });
      else out.push({ ...piece });
    }
    return out.map(({ page, xMin, yMin, xMax, yMax, text }): Word => ({ page, xMin, yMin, xMax, yMax, text }));
  });
  return { words: wordLines.flat(), lines: wordLines };
}

const g6 = (x: number) => String(Number(x.toPrecision(6)));

/** pdfinfo's paper name: letter, legal or A0–A6 within 1 pt, either way round. */
function paperName(w: number, h: number): string {
  const is = (pw: number, ph: number) => (Math.abs(w - pw) < 1 && Math.abs(h - ph) < 1) || (Math.abs(w - ph) < 1 && Math.abs(h - pw) < 1);
  if (is(612, 792)) return ' (letter)';
  if (is(612, 1008)) return ' (legal)';
  let hIso = (Math.sqrt(Math.SQRT2) * 7200) / 2.54;
  let wIso = hIso / Math.SQRT2;
  for (let i = 0; i <= 6; i++) {
    if (is(wIso, hIso)) return ` (A${i})`;
    [hIso, wIso] = [wIso, wIso / Math.SQRT2];
  }
  return '';
}

function infoOf(pages: number, first: PDFPageProxy, meta: Record<string, unknown>): Record<string, string> {
  const [x0, y0, x1, y1] = first.view as [number, number, number, number];
  const out: Record<string, string> = {};
  for (const key of ['Title', 'Subject', 'Keywords', 'Author', 'Creator', 'Producer'])
    if (typeof meta[key] === 'string') out[key] = meta[key];
  // Dates as ISO 8601 (pdftotext -bbox's <meta> style; pdfinfo writes "Thu Jan 23 16:00:00 2025 UTC").
  for (const key of ['CreationDate', 'ModDate']) {
    const raw = meta[key];
    if (typeof raw !== 'string') continue;
    out[key] = PDFDateString.toDateObject(raw)?.toISOString().replace('.000Z', 'Z') ?? raw;
  }
  out.Pages = String(pages);
  out.Encrypted = meta.EncryptFilterName ? 'yes' : 'no';
  out['Page size'] = `${g6(x1 - x0)} x ${g6(y1 - y0)} pts${paperName(x1 - x0, y1 - y0)}`;
  out['Page rot'] = String(first.rotate);
  if (typeof meta.PDFFormatVersion === 'string') out['PDF version'] = meta.PDFFormatVersion;
  return out;
}

/** Every word of a PDF with its box (as poppler's pdftotext -bbox), pages numbered from 1. */
export async function words(file: string): Promise<Word[]> {
  return (await load(file)).pages.flatMap((p) => p.words);
}

/** The text in content-stream order, whitespace removed: a cell's wrapped lines join up again (as pdftotext -raw). */
export async function streamText(file: string): Promise<string> {
  return (await load(file)).stream.replace(/\s+/g, '');
}

/** Each page's text, one line per text line (top to bottom), the words of a line joined by a space. */
export async function pageTexts(file: string): Promise<string[]> {
  return (await load(file)).pages.map((p) => p.lines.map((l) => l.map((w) => w.text).join(' ')).join('\n'));
}

/** Document info like pdfinfo's: Pages, Page size (`595.276 x 841.89 pts (A4)`), Title, Author, Subject, Keywords, dates. */
export async function info(file: string): Promise<Record<string, string>> {
  return (await load(file)).info;
}

/** The fonts the pages use, like pdffonts (see loadFonts). */
export async function fonts(file: string): Promise<Font[]> {
  return loadFonts(file);
}

/**
 * Value cells that are not printed inside their cell's box: the box is where the layout put the
 * cell (its page frame), the number is found in the PDF's own text (pdfjs-dist).
 */
export function misplacedValues(r: { ir: DocumentIR; words: Word[] }): { misplaced: string[]; checked: number } {
  const misplaced: string[] = [];
  let checked = 0;
  for (const page of r.ir.pages)
    for (const cell of page.cells) {
      if (cell.kind !== 'value') continue;
      checked++;
      const hit = r.words.find(
        (w) =>
          w.page === page.number &&
          w.text === cell.text &&
          (w.xMin + w.xMax) / 2 > cell.x &&
          (w.xMin + w.xMax) / 2 < cell.x + cell.width &&
          (w.yMin + w.yMax) / 2 > cell.y &&
          (w.yMin + w.yMax) / 2 < cell.y + cell.height,
      );
      if (!hit) misplaced.push(`${cell.table} R${cell.r}C${cell.c} "${cell.text}" (page ${page.number})`);
    }
  return { misplaced, checked };
}
