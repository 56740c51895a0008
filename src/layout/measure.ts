/**
 * Line breaking as a CJK typesetter does it (close to UAX #14, which pdfmake follows): a Han
 * character may break anywhere, except that closing punctuation never starts a line and opening
 * punctuation never ends one; a run of Latin letters and digits is one word.
 */
import type { FontSet } from '../fonts/index.js';
import type { FontRole } from './spec.js';

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
    const wordContinues = WORD.test(ch) && prev !== '' && WORD.test(prev.at(-1)!);
    if (last >= 0 && (glueNext || CLOSING.test(ch) || wordContinues)) out[last] = prev + ch;
    else out.push(ch);
    glueNext = OPENING.test(ch);
  }
  return out;
}

/** How many lines a text takes in a given width (pt). */
export function lineCount(fonts: FontSet, role: FontRole, size: number, text: string, width: number): number {
  let lines = 1;
  let x = 0;
  const place = (w: number) => {
    if (x > 0 && x + w > width + 1e-6) {
      lines++;
      x = 0;
    }
    x += w;
  };
  for (const unit of units(text)) {
    const w = fonts.measure(role, unit, size);
    // A unit wider than the line is broken where it overflows.
    if (w > width) for (const ch of unit) place(fonts.measure(role, ch, size));
    else place(w);
  }
  return lines;
}
