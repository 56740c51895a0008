/** Text as documents write it, made comparable: the same label spelt in the ways real reports spell it. */

const CN_DIGITS: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/**
 * A comparison key for labels: compatibility forms folded (full-width digits and brackets → ASCII),
 * every kind of space and line break removed, `1、` and `1．` → `1.`, quotes dropped.
 * `第二十条 第（一）项` and `第二十条第(一)项` get the same key.
 */
export function labelKey(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\s\u200b\u2060\ufeff]+/gu, '')
    .replace(/(\d)[、.．](?!\d)/gu, '$1.')
    .replace(/["'“”‘’「」]/gu, '');
}

/** Paragraph text: trimmed, runs of spaces collapsed, no control characters. */
export function cleanText(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b\u2060\ufeff]/gu, '')
    .replace(/[\t\r\n\u00a0]+/gu, ' ')
    .replace(/ {2,}/gu, ' ')
    .replace(/^[\s\u3000]+|[\s\u3000]+$/gu, '');
}

const memo = new Map<string, number>();

/**
 * Similarity of two keys in [0, 1]: 1 − edit distance / longer length. Below 0.6 (no caller's
 * threshold is lower) the answer is only an upper bound, so most pairs cost a length comparison.
 */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (!a.length || !b.length) return 0;
  const bound = Math.min(a.length, b.length) / Math.max(a.length, b.length);
  if (bound < 0.6) return bound;
  const id = `${a}\u0000${b}`;
  const hit = memo.get(id);
  if (hit !== undefined) return hit;
  if (memo.size > 50_000) memo.clear();
  const v = distanceSimilarity(a, b);
  memo.set(id, v);
  return v;
}

function distanceSimilarity(a: string, b: string): number {
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return 1 - prev[n]! / Math.max(a.length, n);
}

/** A Chinese numeral 一…九十九 (or 〇-style digits) → number, or undefined. */
export function chineseNumber(s: string): number | undefined {
  if (/^\d+$/u.test(s)) return Number(s);
  if (!s || ![...s].every((ch) => ch in CN_DIGITS || ch === '十' || ch === '百')) return undefined;
  if (!/[十百]/u.test(s)) return Number([...s].map((ch) => CN_DIGITS[ch]).join(''));
  const m = /^(?:([一二三四五六七八九])?十)?([一二三四五六七八九])?$/u.exec(s);
  if (!m) return undefined;
  return (s.includes('十') ? (m[1] ? CN_DIGITS[m[1]]! : 1) * 10 : 0) + (m[2] ? CN_DIGITS[m[2]]! : 0);
}

/** What a table cell holds: a number as typed (ASCII digits), empty, or something else. */
export type CellValue = { kind: 'empty' } | { kind: 'number'; text: string } | { kind: 'text'; text: string };

export function cellValue(raw: string): CellValue {
  const n = raw.normalize('NFKC');
  // Two numbers in one cell (a border the document lost) are not one number.
  if (/\d[\s\u200b]+\d/u.test(n)) return { kind: 'text', text: cleanText(raw) };
  const s = n.replace(/[\s\u200b\ufeff]+/gu, '');
  if (!s) return { kind: 'empty' };
  if (/^\d+(?:\.\d+)?$/u.test(s)) return { kind: 'number', text: s };
  if (/^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/u.test(s)) return { kind: 'number', text: s.replace(/,/gu, '') };
  return { kind: 'text', text: cleanText(raw) };
}

/** Sentence-final punctuation: a line ending with one of these may end a paragraph. */
export const TERMINAL = /[。；：！？;:!?]$/u;
