/**
 * Line breaking as a CJK typesetter does it (close to UAX #14, which pdfmake follows): a Han
 * character may break anywhere, except that closing punctuation never starts a line and opening
 * punctuation never ends one; a run of Latin letters and digits is one word.
 */
import type { FontSet } from '../fonts/index.js';
import type { FontRole } from '../fonts/index.js';
import type { LineIR } from './ir.js';

export const CLOSING = /[，。、；：？！）》」』】〕〉”’…·％%,.;:?!)\]}]/u;
const OPENING = /[（《「『【〔〈“‘([{]/u;
const WORD = /[A-Za-z0-9\-_./:@#&=+~]/u;

/** Where a URL may break: after these, before anything else. */
const URL_BREAK = /[/.\-?&=]/u;

/** Unbreakable units of a text. */
export function units(text: string): string[] {
  const out: string[] = [];
  let glueNext = false;
  // The Latin run being read, and whether it is a URL (it has :// or starts with www.).
  let run = '';
  let url = false;
  for (const ch of text) {
    const last = out.length - 1;
    const prev = last >= 0 ? out[last]! : '';
    const end = prev.at(-1) ?? '';
    run = WORD.test(ch) || (url && ch === '?') ? run + ch : '';
    url = run !== '' && (url || /:\/\/|^www\./iu.test(run));
    // A Latin word or number is one unit, except that a word may break after a slash and a URL
    // after / . - ? & = (not inside :// or a run of the same sign).
    const breaks = end === '/' || (url && URL_BREAK.test(end));
    const wordContinues = WORD.test(ch) && WORD.test(end) && !(breaks && ch !== end);
    if (last >= 0 && (glueNext || CLOSING.test(ch) || ch === ' ' || wordContinues)) out[last] = prev + ch;
    else out.push(ch);
    glueNext = OPENING.test(ch);
  }
  return out;
}

export interface SetOptions {
  fonts: FontSet;
  role: FontRole;
  size: number;
  /** Added after every glyph, pt. */
  letterSpacing: number;
  /**
   * For a justified line: the widest gap its Han characters may take between them, pt. Beyond it
   * the slack is spread over every glyph (Latin too); a line that still stretches more takes the
   * Latin word or number that follows it in part (breakLines).
   */
  maxGap?: number;
}

/** Characters after which a justified line takes up its slack: Han characters and CJK punctuation. */
const HAN_OR_PUNCT = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\u2014\u2018-\u201d\u2026\u00b7]/u;

/**
 * A line cut into the runs the PDF draws: maximal stretches of Han characters and CJK
 * punctuation (which take up a justified line's slack) and of everything else (Latin words,
 * numbers, URLs: their spacing never changes). The last character joins the run before it: the
 * spacing after it is never seen; so does a space.
 */
function segments(text: string): { text: string; gap: boolean }[] {
  const chars = [...text];
  const out: { text: string; gap: boolean }[] = [];
  chars.forEach((c, i) => {
    const last = out.at(-1);
    // A space stays with the run before it (pdfmake would draw a run's leading spaces left of its x).
    const gap = (i === chars.length - 1 || c === ' ') && last ? last.gap : HAN_OR_PUNCT.test(c);
    if (last && last.gap === gap) last.text += c;
    else out.push({ text: c, gap });
  });
  return out;
}

/**
 * Set a line: its runs, each shaped as the PDF shapes it, at their x from the line's start. With
 * `justifyTo`, the line's slack goes into the spacing of its Han/punctuation runs so that its last
 * glyph ends exactly there (a line without such runs spreads it over all its glyphs).
 */
export function setLine(text: string, o: SetOptions, justifyTo?: number): LineIR {
  if (text === '') return { text, runs: [], width: 0 };
  const s = o.letterSpacing;
  const whole = { text, ...o.fonts.shape(o.role, text, o.size) };
  // Not stretched: the whole line is one run, shaped as one.
  if (justifyTo === undefined || whole.glyphs < 2) return run([whole], [s]);
  const segs = segments(text).map((g) => ({ ...g, ...o.fonts.shape(o.role, g.text, o.size) }));
  const advance = segs.reduce((a, g) => a + g.width, 0);
  const glyphs = segs.reduce((a, g) => a + g.glyphs, 0);
  const lastGap = segs.at(-1)!.gap;
  // Gap glyphs followed by another glyph take the slack: advance + s·others + S·gaps = justifyTo.
  // (A line whose runs shape a little wider than the breaker measured it is squeezed as little.)
  const gaps = segs.filter((g) => g.gap).reduce((a, g) => a + g.glyphs, 0) - (lastGap ? 1 : 0);
  if (gaps <= 0) return run([whole], [(justifyTo - whole.width) / (whole.glyphs - 1)]);
  const wide = (justifyTo - advance - s * (glyphs - 1 - gaps)) / gaps;
  if (o.maxGap !== undefined && wide > o.maxGap) {
    const even = (justifyTo - advance) / (glyphs - 1);
    return run(
      segs,
      segs.map(() => even),
    );
  }
  return run(
    segs,
    segs.map((g) => (g.gap ? wide : s)),
  );

  function run(list: { text: string; width: number; glyphs: number }[], sp: number[]): LineIR {
    const runs: LineIR['runs'] = [];
    let x = 0;
    list.forEach((g, i) => {
      runs.push({ text: g.text, spacing: sp[i]!, x });
      x += g.width + sp[i]! * g.glyphs;
    });
    return { text, runs, width: x - sp.at(-1)! };
  }
}

export interface BreakOptions extends SetOptions {
  width: number;
  /** Indent of the first line, pt. */
  firstIndent?: number;
  /**
   * Room a line keeps free for each character off the character grid (Latin, digits), pt: office
   * suites set those a little wider or narrower than we do (LibreOffice uses tabular digits and
   * rounds Latin advances), and a DOCX line they find too long is broken again.
   */
  reserve?: number;
}

/** Characters every typesetter sets one em wide and breaks alike: Han, CJK punctuation, full-width forms. */
const GRID_CHAR = /^[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff01-\uff5e\u2018-\u201d]$/u;

/** How many characters of a text are off the character grid. */
export const offGrid = (text: string): number => [...text].filter((c) => !GRID_CHAR.test(c)).length;

/**
 * Greedy line breaking: as many units on a line as fit. Units are measured one by one; each
 * line is then set as it will be drawn and given back units until its drawn width fits (the
 * shaping of a whole run may differ from its units' by kerning across them).
 */
export function breakLines(text: string, o: BreakOptions): LineIR[] {
  const unitWidth = (u: string) => {
    const s = o.fonts.shape(o.role, u, o.size);
    return s.width + s.glyphs * o.letterSpacing;
  };
  const pieces = units(text).flatMap((u) => (unitWidth(u.replace(/ +$/, '')) - o.letterSpacing > o.width ? [...u] : [u]));
  // Each piece measured once: its width with spacing, without its trailing spaces and the spacing
  // after its last glyph (what shows at a line's end), and the room it keeps free.
  const measure = (p: string) => ({
    full: unitWidth(p),
    visible: (p.endsWith(' ') ? unitWidth(p.replace(/ +$/, '')) : unitWidth(p)) - o.letterSpacing,
    kept: o.reserve ? o.reserve * offGrid(p) : 0,
  });
  let measured = pieces.map(measure);
  const full = (k: number) => measured[k]!.full;
  const visible = (k: number) => measured[k]!.visible;
  const kept = (k: number) => measured[k]!.kept;
  /** The widest gap a line would have, justified to `avail`. */
  const widestGap = (line: LineIR, avail: number) => Math.max(...setLine(line.text, o, avail).runs.map((r) => r.spacing));
  const lines: LineIR[] = [];
  let i = 0;
  while (i < pieces.length) {
    const avail = o.width - (lines.length === 0 ? (o.firstIndent ?? 0) : 0);
    let j = i;
    let w = 0;
    let reserve = 0;
    for (; j < pieces.length; j++) {
      if (j > i && w + visible(j) > avail - reserve - kept(j) + 1e-6) break;
      w += full(j);
      reserve += kept(j);
    }
    // (pdfkit would draw a line's leading spaces left of where it is placed: a line never starts with one.)
    const text = (k: number) =>
      pieces
        .slice(i, k)
        .join('')
        .replace(/^ +| +$/g, '');
    let line = setLine(text(j), o);
    while (j - i > 1 && line.width > avail - (o.reserve ? o.reserve * offGrid(line.text) : 0) + 1e-6) {
      j--;
      line = setLine(text(j), o);
    }
    // Stretched beyond the widest gap ahead of a Latin word or number that did not fit: break
    // that word (a URL's own breaks were tried already) and fill the line again.
    const next = pieces[j];
    if (o.maxGap !== undefined && next && [...next.trim()].length > 1 && WORD.test(next[0]!) && widestGap(line, avail) > o.maxGap) {
      // One character a piece, closing punctuation kept with the character before it.
      const chars: string[] = [];
      for (const c of next) {
        if (chars.length && CLOSING.test(c)) chars[chars.length - 1] += c;
        else chars.push(c);
      }
      pieces.splice(j, 1, ...chars);
      measured = pieces.map(measure);
      continue;
    }
    lines.push(line);
    i = j;
  }
  if (lines.length === 0) lines.push(setLine('', o));
  return lines;
}

/**
 * A short text (a table's label) in as few lines as the greedy breaker needs, the lines as even
 * as the breaks allow: no line holds a lone character when the text has more than three (「（三）/
 * 不予/公开」, not 「（三）/不予公/开」), and the lines do not change with a small change of the
 * width (a label's breaks do not follow the numbers that widen its neighbours).
 *
 * Dynamic programming over the unbreakable units: for each number of lines, the least sum of the
 * squared room left on the lines (every line counted, the last one too), a line of one character
 * costing more than any shape without one.
 */
export function balanceLines(text: string, o: BreakOptions): LineIR[] {
  const greedy = breakLines(text, o);
  const chars = [...text].length;
  if (greedy.length < 2 || chars <= 3) return greedy;
  const pieces = units(text);
  const n = pieces.length;
  const lineText = (i: number, j: number) =>
    pieces
      .slice(i, j)
      .join('')
      .replace(/^ +| +$/g, '');
  const room = (t: string) => o.width - (o.reserve ? o.reserve * offGrid(t) : 0);
  const LONE = 1e9;
  // best[k][j]: the least cost of pieces [0, j) in k lines; from[k][j]: where its last line starts.
  const best = Array.from({ length: greedy.length + 1 }, () => new Array<number>(n + 1).fill(Infinity));
  const from = Array.from({ length: greedy.length + 1 }, () => new Array<number>(n + 1).fill(-1));
  best[0]![0] = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j <= n; j++) {
      const t = lineText(i, j);
      const w = setLine(t, o).width;
      if (w > room(t) + 1e-6 && j - i > 1) break;
      const cost = (room(t) - w) ** 2 + ([...t].length === 1 ? LONE : 0);
      for (let k = 1; k <= greedy.length; k++) {
        const c = best[k - 1]![i]! + cost;
        if (c < best[k]![j]!) {
          best[k]![j] = c;
          from[k]![j] = i;
        }
      }
    }
  if (!Number.isFinite(best[greedy.length]![n]!)) return greedy;
  const ends: number[] = [];
  for (let k = greedy.length, j = n; k > 0; j = from[k]![j]!, k--) ends.unshift(j);
  return ends.map((end, k) => setLine(lineText(k === 0 ? 0 : ends[k - 1]!, end), o));
}
