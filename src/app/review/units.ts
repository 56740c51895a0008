/**
 * Which unit a report belongs to: agency names as people write them, matched without guessing.
 * Two names are the same unit when they are equal after a normalisation that only removes what
 * does not change the unit: white space and punctuation, full-width/half-width forms, the short
 * forms 政府 for 人民政府 and 办 for 办公室 at the end of a name. Anything else (a different
 * county, a missing 局) is a different unit; a key that two units share is ambiguous and reported.
 */

/** The matching key of an agency name. */
export function unitKey(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[\s\p{P}\p{S}]/gu, '')
    .replace(/人民政府/gu, '政府')
    .replace(/办公室$/u, '办');
}

export interface UnitMatch<T> {
  /** Matched one to one. */
  matched: Map<string, T>;
  /** Names with more than one candidate: never guessed. */
  ambiguous: Map<string, T[]>;
}

/**
 * Match each name to the items whose unit is the same (by `unitKey`). A name with exactly one
 * candidate is matched; with several, ambiguous; with none, absent from both maps.
 */
export function matchUnits<T>(names: readonly string[], items: readonly T[], nameOf: (item: T) => string): UnitMatch<T> {
  const byKey = new Map<string, T[]>();
  for (const item of items) {
    const key = unitKey(nameOf(item));
    const list = byKey.get(key);
    if (list) list.push(item);
    else byKey.set(key, [item]);
  }
  const matched = new Map<string, T>();
  const ambiguous = new Map<string, T[]>();
  for (const name of names) {
    const candidates = byKey.get(unitKey(name));
    if (!candidates) continue;
    if (candidates.length === 1) matched.set(name, candidates[0]!);
    else ambiguous.set(name, candidates);
  }
  return { matched, ambiguous };
}

/** Names close to a name (same key but for at most `max` edits), as a hint when nothing matched. */
export function nearNames(name: string, candidates: readonly string[], max = 2): string[] {
  const key = unitKey(name);
  return candidates.filter((c) => {
    const k = unitKey(c);
    return Math.abs(k.length - key.length) <= max && editDistance(k, key) <= max;
  });
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/**
 * A roster: the units expected to report, one name per line (text), or the first column that
 * looks like unit names (CSV). Blank lines, `#` comments and a header such as 单位名称 are skipped.
 */
export function parseRosterText(text: string): string[] {
  const names: string[] = [];
  const lines = text.replace(/^\ufeff/u, '').split(/\r?\n/u);
  const csv = lines.some((l) => l.includes(',') || l.includes('\t'));
  let column = 0;
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const cells = csv ? splitCsvLine(line) : [line];
    if (i === 0 || names.length === 0) {
      const header = cells.findIndex((c) => /单位|机关|名称|部门/u.test(c) && c.length <= 8);
      if (header >= 0) {
        column = header;
        continue;
      }
    }
    const name = (cells[column] ?? '').trim();
    if (name) names.push(name);
  }
  return [...new Set(names)];
}

/** One CSV line's cells (RFC 4180 quotes; a tab also separates, as spreadsheets paste). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',' || c === '\t') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}
