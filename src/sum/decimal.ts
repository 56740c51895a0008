/**
 * Exact decimal sums for 本年收费金额（万元）: the fee is kept as the decimal text a member typed, and
 * a sum must not pass through binary floating point (`0.1 + 0.2` is `0.3`, not `0.30000000000000004`).
 * A decimal is a BigInt count of units of 10^-scale; a sum is printed with as many decimals as
 * its most precise term. A dozen lines of BigInt need no dependency.
 */

export interface Decimal {
  /** The value times 10^scale. */
  units: bigint;
  /** Number of decimals as written. */
  scale: number;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** A non-negative decimal as written (`"96171.60"` keeps its two decimals). */
export function parseDecimal(text: string): Decimal {
  const m = DECIMAL.exec(text.trim());
  if (!m) throw new RangeError(`not a non-negative decimal: ${JSON.stringify(text)}`);
  const frac = m[2] ?? '';
  return { units: BigInt(m[1]! + frac), scale: frac.length };
}

export function formatDecimal(d: Decimal): string {
  const digits = d.units.toString().padStart(d.scale + 1, '0');
  if (d.scale === 0) return digits;
  return `${digits.slice(0, -d.scale)}.${digits.slice(-d.scale)}`;
}

/** The exact sum, with the largest scale of its terms: `["96171.60", "0.35"]` → `"96171.95"`. */
export function sumDecimals(texts: readonly string[]): string {
  const terms = texts.map(parseDecimal);
  const scale = terms.reduce((s, t) => Math.max(s, t.scale), 0);
  const units = terms.reduce((s, t) => s + t.units * 10n ** BigInt(scale - t.scale), 0n);
  return formatDecimal({ units, scale });
}

/** Decimals written after the point (`"96171.60"` → 2). */
export const scaleOf = (text: string): number => parseDecimal(text).scale;

/**
 * Whether the nearest double prints back as exactly this text at its own scale: true for
 * `"96171.6"` and `"24252.311082"`, false once the text has more digits than a double keeps.
 */
export function fitsDouble(text: string): boolean {
  const d = parseDecimal(text);
  const n = Number(formatDecimal(d));
  return Number.isFinite(n) && n < 1e21 && n.toFixed(d.scale) === formatDecimal(d);
}
