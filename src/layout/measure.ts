/**
 * Line breaking as a CJK typesetter does it (close to UAX #14, which pdfmake follows): a Han
 * character may break anywhere, except that closing punctuation never starts a line and opening
 * punctuation never ends one; a run of Latin letters and digits is one word.
 */
import type { FontSet } from '../fonts/index.js';
import type { FontRole } from '../fonts/index.js';

const CLOSING = /[，。、；：？！）》」』】〕〉”’…·％%,.;:?!)\]}]/u;
const OPENING = /[（《「『【〔〈“‘([{]/u;
const WORD = /[A-Za-z0-9\-_./:@#&=+~]/u;

/** Unbreakable units of a text. */
export function units(text: string): string[] {
  const out: string[] = [];
  let glueNext = false;
  for (const ch of text) {
    const last = out.length - 1;
    const prev = last >= 0 ? out[last]! : '';
    const end = prev.at(-1) ?? '';
    // A Latin word or number is one unit, except that a URL may break after a slash.
    const wordContinues = WORD.test(ch) && WORD.test(end) && !(end === '/' && ch !== '/');
    if (last >= 0 && (glueNext || CLOSING.test(ch) || ch === ' ' || wordContinues)) out[last] = prev + ch;
    else out.push(ch);
    glueNext = OPENING.test(ch);
  }
  return out;
}

export interface Line {
  text: string;
  /** Advance width of the text without letter spacing, pt. */
  advance: number;
  /** Characters (code points) on the line. */
  chars: number;
}

export interface BreakOptions {
  fonts: FontSet;
  role: FontRole;
  size: number;
  /** Added after every character, pt. */
  letterSpacing: number;
  width: number;
  /** Indent of the first line, pt. */
  firstIndent?: number;
}

/** Greedy line breaking: as many units on a line as fit. */
export function breakLines(text: string, o: BreakOptions): Line[] {
  const lines: Line[] = [];
  let line: Line = { text: '', advance: 0, chars: 0 };
  const avail = () => o.width - (lines.length === 0 ? (o.firstIndent ?? 0) : 0);
  const widthOf = (l: { advance: number; chars: number }) => l.advance + l.chars * o.letterSpacing;
  const place = (t: string) => {
    const advance = o.fonts.measure(o.role, t, o.size);
    const chars = [...t].length;
    // Trailing spaces may hang past the line's end.
    const visible = t.replace(/ +$/, '');
    const visibleWidth = o.fonts.measure(o.role, visible, o.size) + [...visible].length * o.letterSpacing;
    if (line.chars > 0 && widthOf(line) + visibleWidth > avail() + 1e-6) {
      lines.push(line);
      line = { text: '', advance: 0, chars: 0 };
    }
    line = { text: line.text + t, advance: line.advance + advance, chars: line.chars + chars };
  };
  for (const unit of units(text)) {
    const w = o.fonts.measure(o.role, unit, o.size) + [...unit].length * o.letterSpacing;
    // A unit wider than a whole line is broken where it overflows.
    if (w > o.width) for (const ch of unit) place(ch);
    else place(unit);
  }
  if (line.chars > 0 || lines.length === 0) lines.push(line);
  return lines.map((l) => {
    const text = l.text.replace(/ +$/, '');
    return text === l.text ? l : { text, advance: o.fonts.measure(o.role, text, o.size), chars: [...text].length };
  });
}
