/**
 * Text comparison for the review: what share of a text is repeated from another, and which
 * passages. Texts are compared as character shingles (n consecutive characters) after a
 * normalisation that makes a copy with only its numbers or its spacing changed still a copy:
 * NFKC (full-width digits and letters as ASCII), no white space, every run of digits as one `#`.
 *
 * Why shingles and not an alignment: a copied report keeps whole sentences in order, but a clerk
 * moves paragraphs, deletes a few and edits inside others. Shingles find every repeated passage
 * whatever the order, in linear time per text (a set lookup per character), and the share of
 * characters covered by repeated shingles is the measure provincial assessments describe
 * ("与上年重复超过 50%"). An alignment (diff) would miss a moved paragraph and cost O(n·m).
 */

/** Normalised text, and for each of its characters the offset in the original text. */
export interface Normalised {
  text: string;
  /** `origin[i]` is the index in the original string of normalised character i. */
  origin: number[];
}

const SPACE = /\s/u;
const DIGIT = /[0-9]/u;

/** NFKC, white space removed, digit runs as `#` (one per run), with the way back to the original. */
export function normalise(original: string): Normalised {
  let text = '';
  const origin: number[] = [];
  let inDigits = false;
  let i = 0;
  for (const ch of original) {
    const at = i;
    i += ch.length;
    const n = ch.normalize('NFKC');
    for (const c of n) {
      if (SPACE.test(c)) continue;
      if (DIGIT.test(c) || ((c === '.' || c === ',') && inDigits)) {
        if (!inDigits) {
          text += '#';
          origin.push(at);
        }
        inDigits = true;
        continue;
      }
      inDigits = false;
      text += c;
      origin.push(at);
    }
  }
  return { text, origin };
}

/** Every shingle of length n of a normalised text. */
export function shingles(text: string, n: number): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + n <= text.length; i++) out.add(text.slice(i, i + n));
  return out;
}

/** Characters of `text` (normalised) that lie inside a shingle also in `set`. */
export function covered(text: string, set: ReadonlySet<string>, n: number): Uint8Array {
  const mark = new Uint8Array(text.length);
  for (let i = 0; i + n <= text.length; i++) {
    if (!set.has(text.slice(i, i + n))) continue;
    mark.fill(1, i, i + n);
  }
  return mark;
}

/** Runs of marked characters at least `min` long, as [start, end) in the normalised text. */
export function runs(mark: Uint8Array, min: number): [number, number][] {
  const out: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= mark.length; i++) {
    if (i < mark.length && mark[i]) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      if (i - start >= min) out.push([start, i]);
      start = -1;
    }
  }
  return out;
}

/** The original text of a normalised run [start, end). */
export function originalOf(original: string, norm: Normalised, [start, end]: [number, number]): string {
  const from = norm.origin[start]!;
  const lastOrigin = norm.origin[end - 1]!;
  // The last character may be a surrogate pair, and a `#` stands for a whole digit run.
  let to = lastOrigin + (original.codePointAt(lastOrigin)! > 0xffff ? 2 : 1);
  while (to < original.length && /[0-9０-９.,]/u.test(original[to]!) && /[0-9０-９]/u.test(original[to - 1]!)) to++;
  return original.slice(from, to);
}
