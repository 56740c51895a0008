/**
 * The title as balanced lines (GB/T 9704: a trapezoid or diamond), never broken inside a word:
 * breaks are allowed after the agency name, after an administrative unit inside it (县, 镇, 人民政府…),
 * after the year, and between 政府信息公开工作 and 年度报告.
 */
import type { FontSet } from '../fonts/index.js';
import type { FontRole } from '../fonts/index.js';

const UNIT = /^(?:省|自治区|市|自治州|州|盟|地区|县|自治县|区|旗|镇|乡|街道|办事处|人民政府|政府|办公室|办公厅|委员会|总局|局|厅|委|署|院|所|中心)$/u;

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

export function balanceTitle(title: string, agency: string, fonts: FontSet, role: FontRole, size: number, maxWidth: number): string[] {
  const width = (s: string) => fonts.measure(role, s, size);
  if (width(title) <= maxWidth) return [title];
  const cuts = [...breakPositions(title, agency)].filter((p) => p > 0 && p < title.length).sort((a, b) => a - b);
  const agencyEnd = title.startsWith(agency) ? agency.length : -1;
  let best: { lines: string[]; cost: number } | undefined;
  // Choose the fewest lines that fit, then prefer a break after the agency, then the most balanced shape.
  for (let n = 2; n <= cuts.length + 1 && !best; n++) {
    const choose = (start: number, left: number, picked: number[]) => {
      if (left === 0) {
        const bounds = [0, ...picked, title.length];
        const lines = bounds.slice(1).map((end, i) => title.slice(bounds[i], end));
        const widths = lines.map(width);
        if (widths.some((w) => w > maxWidth)) return;
        const cost = Math.max(...widths) - Math.min(...widths) + (agencyEnd > 0 && !picked.includes(agencyEnd) ? maxWidth : 0);
        if (!best || cost < best.cost) best = { lines, cost };
        return;
      }
      for (let i = start; i < cuts.length; i++) choose(i + 1, left - 1, [...picked, cuts[i]!]);
    };
    choose(0, n - 1, []);
  }
  if (best) return best.lines;
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
