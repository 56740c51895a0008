/**
 * The title as balanced lines (GB/T 9704: a trapezoid or diamond), never broken inside a word:
 * breaks are allowed after the agency name, after an administrative unit inside it (县, 镇, 人民政府…),
 * after the year, and between 政府信息公开工作 and 年度报告.
 */
import type { FontSet } from '../fonts/index.js';
import type { FontRole } from '../fonts/index.js';

const UNIT =
  /^(?:省|自治区|市|自治州|州|盟|地区|县|自治县|区|旗|镇|乡|街道|办事处|人民政府|政府|办公室|办公厅|委员会|总局|局|厅|委|署|院|所|中心)$/u;

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** Positions (string indices) after which the title may break. */
function breakPositions(title: string, agency: string): Set<number> {
  const breaks = new Set<number>();
  const words = [...segmenter.segment(title)];
  const agencyEnd = title.startsWith(agency) ? agency.length : -1;
  if (agencyEnd > 0) breaks.add(agencyEnd);
  let lastBreak = 0;
  for (let i = 0; i < words.length - 1; i++) {
    const w = words[i]!;
    const end = w.index + w.segment.length;
    const next = words[i + 1]!.segment;
    if (end <= agencyEnd) {
      // A one-character unit needs a name of two or more characters before it: 金乡县 is one name.
      if (UNIT.test(w.segment) && (w.segment.length > 1 || w.index - lastBreak >= 2)) {
        breaks.add(end);
        lastBreak = end;
      }
      continue;
    }
    // After the agency: after the year (2024年度 / 2024年), after 工作 (…工作 / 年度报告), after punctuation.
    const prev = i > 0 ? words[i - 1]!.segment : '';
    if ((/^年度?$/u.test(w.segment) && /^\d{4}$/u.test(prev)) || w.segment === '工作' || /[，、：）》”]$/u.test(w.segment)) breaks.add(end);
    if (agencyEnd < 0 && w.isWordLike && words[i + 1]!.isWordLike && !/^\d/u.test(next)) breaks.add(end);
  }
  return breaks;
}

/**
 * The title's lines: the fewest lines that fit, then a break right after the agency name if one
 * is possible, then the most balanced shape (the smallest difference between the widest and the
 * narrowest line); among equals, the earliest breaks.
 *
 * Dynamic programming over the break points (a line is an edge between two break points): the
 * fewest lines is a shortest path; for each candidate narrowest width `lo`, a bottleneck pass
 * finds the smallest widest line using only lines at least `lo` wide. Time is O(E²) in the number
 * E of lines that fit (≤ breaks × breaks per line), instead of the number of break combinations.
 */
export function balanceTitle(title: string, agency: string, fonts: FontSet, role: FontRole, size: number, maxWidth: number): string[] {
  const width = (s: string) => fonts.measure(role, s, size);
  if (width(title) <= maxWidth) return [title];
  const cuts = [...breakPositions(title, agency)].filter((p) => p > 0 && p < title.length).sort((a, b) => a - b);
  const agencyEnd = title.startsWith(agency) ? agency.length : -1;
  const chosen = bestBreaks([0, ...cuts, title.length], agencyEnd, maxWidth, (a, b) => width(title.slice(a, b)));
  if (chosen) return chosen.slice(1).map((end, i) => title.slice(chosen[i], end));
  // No word boundary gives lines that fit (a very long name): break where the line is full.
  const lines: string[] = [];
  let line = '';
  for (const ch of title) {
    if (line && width(line + ch) > maxWidth) {
      lines.push(line);
      line = '';
    }
    line += ch;
  }
  return [...lines, line];
}

interface Edge {
  from: number;
  to: number;
  width: number;
}

/**
 * The chosen break positions (including 0 and the end), or undefined if no choice of breaks gives
 * lines that fit. `positions` are ascending string indices; `lineWidth(a, b)` is the width of the
 * text between two of them.
 */
export function bestBreaks(
  positions: number[],
  agencyEnd: number,
  maxWidth: number,
  lineWidth: (from: number, to: number) => number,
): number[] | undefined {
  const last = positions.length - 1;
  // Lines that fit: widths only grow as a line gets longer, so stop at the first that overflows.
  const edges: Edge[] = [];
  for (let a = 0; a < last; a++)
    for (let b = a + 1; b <= last; b++) {
      const w = lineWidth(positions[a]!, positions[b]!);
      if (w > maxWidth) break;
      edges.push({ from: a, to: b, width: w });
    }
  // Fewest lines: a shortest path from the first to the last position (edges are in `from` order).
  const INF = Number.MAX_SAFE_INTEGER;
  const dist = new Array<number>(last + 1).fill(INF);
  dist[0] = 0;
  for (const e of edges) if (dist[e.from]! < INF) dist[e.to] = Math.min(dist[e.to]!, dist[e.from]! + 1);
  const lines = dist[last]!;
  if (lines === INF) return undefined;
  // Keep the lines that lie on some path of exactly that many lines.
  const toEnd = new Array<number>(last + 1).fill(INF);
  toEnd[last] = 0;
  for (let i = edges.length - 1; i >= 0; i--) {
    const e = edges[i]!;
    if (toEnd[e.to]! < INF) toEnd[e.from] = Math.min(toEnd[e.from]!, toEnd[e.to]! + 1);
  }
  let usable = edges.filter((e) => dist[e.from]! + 1 + toEnd[e.to]! === lines);
  // Prefer a break right after the agency name: then no line may run across it.
  const agency = positions.indexOf(agencyEnd);
  // (As before, a missed break costs a whole line width, added to the spread.)
  let penalty = agencyEnd > 0 ? maxWidth : 0;
  if (agency > 0 && agency < last) {
    const through = usable.filter((e) => e.to <= agency || e.from >= agency);
    if (reaches(through, last, -Infinity, Infinity)) {
      usable = through;
      penalty = 0;
    }
  }
  // The most balanced shape: for each narrowest width lo, the smallest widest line (a bottleneck
  // path using only lines at least lo wide); the cost is widest − narrowest, as before.
  const los = [...new Set(usable.map((e) => e.width))].sort((a, b) => a - b);
  let bestCost = Infinity;
  const best = new Array<number>(last + 1);
  for (const lo of los) {
    best.fill(Infinity);
    best[0] = -Infinity;
    for (const e of usable) {
      if (e.width < lo || best[e.from] === Infinity) continue;
      const hi = Math.max(best[e.from]!, e.width);
      if (hi < best[e.to]!) best[e.to] = hi;
    }
    if (best[last]! < Infinity) bestCost = Math.min(bestCost, best[last]! - lo + penalty);
  }
  // Every shape of that cost: for each narrowest width lo, the lines up to the widest hi that
  // keeps the cost (computed as before, so that equal costs are equal to the last bit). Among
  // them, the earliest breaks (the first in the old enumeration order).
  let chosen: number[] | undefined;
  for (const lo of los) {
    let hi = -Infinity;
    for (const w of los) if (w >= lo && w - lo + penalty <= bestCost) hi = w;
    const path = earliestPath(usable, last, lo, hi);
    if (path && (!chosen || compare(path, chosen) < 0)) chosen = path;
  }
  return chosen?.map((i) => positions[i]!);
}

/** Whether the last position is reachable from the first with lines whose widths lie in [lo, hi]. */
function reaches(edges: Edge[], last: number, lo: number, hi: number): boolean {
  return earliestPath(edges, last, lo, hi) !== undefined;
}

/** The lexicographically smallest path (by position indices) using edges with widths in [lo, hi]. */
function earliestPath(edges: Edge[], last: number, lo: number, hi: number): number[] | undefined {
  const ok = (e: Edge) => e.width >= lo && e.width <= hi;
  const canFinish = new Array<boolean>(last + 1).fill(false);
  canFinish[last] = true;
  for (let i = edges.length - 1; i >= 0; i--) {
    const e = edges[i]!;
    if (ok(e) && canFinish[e.to]) canFinish[e.from] = true;
  }
  if (!canFinish[0]) return undefined;
  const next = new Array<number>(last + 1).fill(-1);
  // Edges are sorted by (from, to): the first usable one from a position goes least far.
  for (const e of edges) if (next[e.from] === -1 && ok(e) && canFinish[e.to]) next[e.from] = e.to;
  const path = [0];
  while (path.at(-1) !== last) path.push(next[path.at(-1)!]!);
  return path;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
