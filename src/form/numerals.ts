/** Chinese numerals as official documents number their subsections: 一 … 十, 十一, 二十, 九十九, 一百 … */
const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/**
 * The Chinese numeral for 1 ≤ n ≤ 9999, written as in （一）（十一）（二十）（一百）（一百零一）（一百一十）:
 * a leading 一十 is shortened to 十 only for 10–19; a zero between non-zero places is read once.
 */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 9999) throw new RangeError(`chineseNumeral: ${n} is outside 1–9999`);
  const places = [
    [1000, '千'],
    [100, '百'],
    [10, '十'],
    [1, ''],
  ] as const;
  let out = '';
  let zero = false;
  for (const [value, unit] of places) {
    const d = Math.floor(n / value) % 10;
    if (d === 0) {
      if (out) zero = true;
      continue;
    }
    if (zero) out += '零';
    zero = false;
    out += (d === 1 && value === 10 && !out ? '' : DIGITS[d]) + unit;
  }
  return out;
}
