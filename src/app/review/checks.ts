/**
 * The review's checks on one unit's report (and last year's, and the other units'): each finding
 * has a stable code, a severity, where it is (the official label and the JSON path) and its
 * evidence — the two numbers, or the repeated passage.
 */
import { formFor } from '../../../layouts/index.js';
import type { FormSpec, PartSpec } from '../../form/index.js';
import { blankReport } from '../../model/blank.js';
import { resolve, type ResolvedReport } from '../../model/resolve.js';
import { getPath } from '../../model/paths.js';
import type { Report } from '../../model/schema.js';
import { statementsOf } from './statements.js';
import { covered, normalise, originalOf, runs, shingles } from './text.js';

export type Severity = 'error' | 'warning';

export type Evidence =
  | { kind: 'numbers'; text: number; table: number; phrase: string; cell: string }
  | { kind: 'passage'; share?: number; passages: { text: string; other?: string }[]; otherUnit?: string; otherFile?: string }
  | { kind: 'counts'; now: number; before: number };

export interface Finding {
  /** The agency as matched, or the roster's name for a unit with no report. */
  unit: string;
  /** The document the finding is about (empty for a unit with no report). */
  file: string;
  code: string;
  severity: Severity;
  /** Where, for people: the official label of the part, cell or paragraph. */
  where: string;
  /** JSON path in the report model, when the finding is about one field. */
  path?: string;
  message: string;
  evidence?: Evidence;
}

/** A paragraph of the report's text with its label and JSON path. */
export interface TextPiece {
  /** The part's model field (`problems`). */
  part: string;
  where: string;
  path: string;
  text: string;
}

type Section = { heading: string; paragraphs: string[] };

/** The parts of a format that the unit writes in its own words: those with paragraphs or sections. */
export const proseParts = (form: FormSpec): PartSpec[] => form.parts.filter((p) => p.paragraphs || p.sections);

/** The prose of the format's text parts, paragraph by paragraph (headings are the form's, not the unit's words). */
export function textPieces(report: Report, form: FormSpec = formFor(report.format)): TextPiece[] {
  const out: TextPiece[] = [];
  for (const part of proseParts(form)) {
    if (part.paragraphs)
      ((getPath(report, part.paragraphs) as string[] | undefined) ?? []).forEach((text, i) =>
        out.push({ part: part.field, where: `${part.heading} 第${i + 1}段`, path: `${part.paragraphs}[${i}]`, text }),
      );
    if (part.sections)
      ((getPath(report, part.sections) as Section[] | undefined) ?? []).forEach((s, i) =>
        s.paragraphs.forEach((text, j) =>
          out.push({
            part: part.field,
            where: `${part.heading} ${form.subsectionNumber(i)}${s.heading} 第${j + 1}段`,
            path: `${part.sections}[${i}].paragraphs[${j}]`,
            text,
          }),
        ),
      );
  }
  return out.filter((p) => p.text.trim() !== '');
}

// ── TEXT_TABLE ──────────────────────────────────────────────────────────────────────────────

/** A count, a row's 总计, or the sum of a group's rows' 总计. */
function countAt(value: unknown): number {
  if (typeof value === 'number') return value;
  if (!value || typeof value !== 'object') return 0;
  const o = value as Record<string, unknown>;
  if (typeof o.total === 'number') return o.total;
  return Object.values(o).reduce<number>((s, v) => s + countAt(v), 0);
}

/** The table's value for cells of the format's review data, or undefined where the report lacks one. */
const tableValue = (r: ResolvedReport, paths: readonly string[]): number | undefined => {
  const values = paths.map((p) => getPath(r, p));
  return values.some((v) => v === undefined) ? undefined : values.reduce<number>((s, v) => s + countAt(v), 0);
};

export function textTable(unit: string, file: string, report: Report, defaultTitle: (a: string, y: number) => string): Finding[] {
  const statements = formFor(report.format).review?.statements;
  if (!statements) return [];
  const resolved = resolve(report, defaultTitle);
  const out: Finding[] = [];
  for (const piece of [
    ...textPieces(report),
    ...report.preface.map((text, i) => ({ where: `前言 第${i + 1}段`, path: `preface[${i}]`, text })),
  ]) {
    for (const s of statementsOf(piece.text, report.year)) {
      const t = statements[s.measure];
      const table = t && tableValue(resolved, t.paths);
      if (!t || table === undefined || table === s.value) continue;
      const carried = statements.carriedOver && tableValue(resolved, statements.carriedOver.paths);
      if (s.withCarriedOver && s.value === table + (carried ?? 0)) continue;
      out.push({
        unit,
        file,
        code: 'TEXT_TABLE',
        severity: 'error',
        where: piece.where,
        path: piece.path,
        message: `${piece.where}写“${s.phrase}”（${s.value} 件），${t.cell} 为 ${table}：文字与表格不一致`,
        evidence: { kind: 'numbers', text: s.value, table, phrase: s.phrase, cell: t.cell },
      });
    }
  }
  return out;
}

// ── EMPTY_PART ──────────────────────────────────────────────────────────────────────────────

/** Text that says nothing: 「无」, 「暂无」, 「无。」 … */
const PLACEHOLDER = /^(?:无|暂无|没有|无相关情况|本年度无|不涉及|略)[。.]?$/u;
const visible = (s: string) => s.replace(/[\s\p{P}]/gu, '').length;
/** A part whose whole text is one sentence this short is a token part. */
export const TOKEN_PART_CHARS = 30;

export function emptyParts(unit: string, file: string, report: Report): Finding[] {
  const pieces = textPieces(report);
  const out: Finding[] = [];
  for (const { field: part, heading: name } of proseParts(formFor(report.format))) {
    const texts = pieces.filter((p) => p.part === part).map((p) => p.text.trim());
    const meaningful = texts.filter((t) => !PLACEHOLDER.test(t));
    if (texts.length === 0) {
      out.push({
        unit,
        file,
        code: 'EMPTY_PART',
        severity: 'error',
        where: name,
        path: part,
        message: `${name} 没有任何文字：这一部分是年度报告必须写的内容`,
      });
      continue;
    }
    const chars = meaningful.reduce((n, t) => n + visible(t), 0);
    const sentences = meaningful
      .join('')
      .split(/[。！？]/u)
      .filter((s) => visible(s) > 0).length;
    if (meaningful.length === 0 || (sentences <= 1 && chars < TOKEN_PART_CHARS)) {
      out.push({
        unit,
        file,
        code: 'EMPTY_PART',
        severity: 'warning',
        where: name,
        path: part,
        message: meaningful.length
          ? `${name} 只有一句话“${texts.join('')}”（${chars} 字）：内容过于简单，应写明实际情况`
          : `${name} 只写了“${texts.join('')}”：没有实际内容，应写明实际情况`,
      });
    }
  }
  return out;
}

// ── TEXT_REPEAT and CROSS_UNIT_COPY ─────────────────────────────────────────────────────────

/** Shingle length for repetition from last year: 12 characters (after normalisation). */
export const REPEAT_N = 12;
/** A repeated passage shown as evidence is at least this long. */
export const PASSAGE_MIN = 20;
/** Shingle length and the shortest shared passage reported between two units. */
export const COPY_N = 16;
export const COPY_MIN = 50;
/** A part shorter than this (normalised characters, boilerplate removed) is not judged for repetition. */
export const REPEAT_MIN_CHARS = 60;

/**
 * The official boilerplate every report shares: the texts of a blank report (the preface's fixed
 * sentences, the fee sentence) for the unit and year, and the fixed phrases of the form.
 */
export function boilerplate(agency: string, year: number, n: number): Set<string> {
  const blank = blankReport(agency, year);
  const texts = [
    ...blank.preface,
    ...blank.other.flatMap((s) => [s.heading, ...s.paragraphs]),
    '本机关未收取信息处理费',
    '本年度未收取信息处理费',
    '未发生政府信息公开行政复议、行政诉讼',
    '内容包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项',
    '依据《政府信息公开信息处理费管理办法》收取信息处理费的情况',
  ];
  const set = new Set<string>();
  for (const t of texts) for (const s of shingles(normalise(t.replaceAll(agency, '')).text, n)) set.add(s);
  return set;
}

/** A part's text as one normalised string (paragraphs joined by a separator no shingle crosses). */
interface PartText {
  original: string;
  norm: ReturnType<typeof normalise>;
}

const SEPARATOR = '\u0000';

function partText(report: Report, part: string): PartText {
  const original = textPieces(report)
    .filter((p) => p.part === part)
    .map((p) => p.text.replaceAll(report.agency, '〇'))
    .join(SEPARATOR);
  return { original, norm: normalise(original) };
}

/** Shingles containing a separator are not text: they join two paragraphs. */
const textShingles = (text: string, n: number) => {
  const set = shingles(text, n);
  for (const s of set) if (s.includes(SEPARATOR)) set.delete(s);
  return set;
};

export interface RepeatOptions {
  /** Share of a part repeated from last year above which it is reported, 0–1 (default 0.5). */
  threshold: number;
}

export function textRepeat(unit: string, file: string, report: Report, previous: Report, options: RepeatOptions): Finding[] {
  const out: Finding[] = [];
  const boiler = boilerplate(report.agency, report.year, REPEAT_N);
  for (const s of boilerplate(previous.agency, previous.year, REPEAT_N)) boiler.add(s);
  const parts = proseParts(formFor(report.format));
  for (const { field: part, heading: name } of parts) {
    const now = partText(report, part);
    const before = partText(previous, part);
    // Last year's whole report counts: a paragraph moved from 一 to 五 is still last year's.
    const all = parts.map((p) => partText(previous, p.field));
    const set = new Set<string>();
    for (const t of all) for (const s of textShingles(t.norm.text, REPEAT_N)) set.add(s);
    if (!before.norm.text && set.size === 0) continue;
    const text = now.norm.text;
    const isBoiler = covered(text, boiler, REPEAT_N);
    const repeated = covered(text, set, REPEAT_N);
    let total = 0;
    let same = 0;
    for (let i = 0; i < text.length; i++) {
      if (text[i] === SEPARATOR || isBoiler[i]) continue;
      total++;
      if (repeated[i]) same++;
    }
    if (total < REPEAT_MIN_CHARS) continue;
    const share = same / total;
    if (share <= options.threshold) continue;
    for (let i = 0; i < text.length; i++) if (isBoiler[i] || text[i] === SEPARATOR) repeated[i] = 0;
    const passages = runs(repeated, PASSAGE_MIN)
      .sort((a, b) => b[1] - b[0] - (a[1] - a[0]))
      .slice(0, 5)
      .sort((a, b) => a[0] - b[0])
      .map((r) => ({ text: originalOf(now.original, now.norm, r).replaceAll(SEPARATOR, '') }));
    const pct = Math.round(share * 100);
    out.push({
      unit,
      file,
      code: 'TEXT_REPEAT',
      severity: 'warning',
      where: name,
      path: part,
      message: `${name} 有 ${pct}% 的文字与 ${previous.year} 年报告相同（${same} / ${total} 字，已除去格式规定的固定文字；上限 ${Math.round(options.threshold * 100)}%）`,
      evidence: { kind: 'passage', share, passages },
    });
  }
  return out;
}

export interface CopyUnit {
  unit: string;
  file: string;
  report: Report;
}

/**
 * Long passages shared by two units' reports of one year. Passages every report has (the
 * boilerplate, and phrases that more than half of four or more units share, such as a region's
 * common wording of policy) are not copies.
 */
export function crossUnitCopy(units: readonly CopyUnit[]): Finding[] {
  const texts = units.map((u) => {
    const original = proseParts(formFor(u.report.format))
      .map((p) => partText(u.report, p.field).original)
      .join(SEPARATOR);
    const norm = normalise(original);
    const boiler = boilerplate(u.report.agency, u.report.year, COPY_N);
    const set = textShingles(norm.text, COPY_N);
    for (const s of boiler) set.delete(s);
    return { ...u, original, norm, set };
  });
  // How many units have each shingle.
  const count = new Map<string, number>();
  for (const t of texts) for (const s of t.set) count.set(s, (count.get(s) ?? 0) + 1);
  const common = units.length >= 4 ? Math.floor(units.length / 2) + 1 : Number.POSITIVE_INFINITY;
  const out: Finding[] = [];
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i]!;
      const b = texts[j]!;
      if (a.unit === b.unit) continue;
      const shared = new Set<string>();
      const [small, large] = a.set.size <= b.set.size ? [a.set, b.set] : [b.set, a.set];
      for (const s of small) if (large.has(s) && (count.get(s) ?? 0) < common) shared.add(s);
      if (shared.size === 0) continue;
      const passages = runs(covered(a.norm.text, shared, COPY_N), COPY_MIN);
      if (!passages.length) continue;
      const texts2 = passages
        .sort((x, y) => y[1] - y[0] - (x[1] - x[0]))
        .slice(0, 3)
        .map((r) => ({ text: originalOf(a.original, a.norm, r).replaceAll(SEPARATOR, '') }));
      const chars = passages.reduce((n, [s, e]) => n + e - s, 0);
      for (const [self, other] of [
        [a, b],
        [b, a],
      ] as const) {
        out.push({
          unit: self.unit,
          file: self.file,
          code: 'CROSS_UNIT_COPY',
          severity: 'warning',
          where: '正文',
          message: `与 ${other.unit}（${other.file}）的报告有 ${passages.length} 段、共约 ${chars} 字相同的文字（每段至少 ${COPY_MIN} 字，已除去格式规定的固定文字）`,
          evidence: { kind: 'passage', passages: texts2, otherUnit: other.unit, otherFile: other.file },
        });
      }
    }
  }
  return out;
}

// ── PLAUSIBILITY ────────────────────────────────────────────────────────────────────────────

/** A count this many times last year's (or a fraction as small) is worth a second look. */
export const JUMP_FACTOR = 5;
/** … when the larger of the two is at least this (1 → 6 applications is not news). */
export const JUMP_MIN = 20;
/** Share of （七）总计 in 其他处理 or 不予公开 worth a second look, when （七）总计 ≥ SHARE_MIN_TOTAL. */
export const SHARE_LIMIT = 0.3;
export const SHARE_MIN_TOTAL = 10;

/**
 * Warnings a reviewer should look at: jumps from last year, large shares of 其他处理 or 不予公开.
 * (The format's own prompt about the 信息处理费 comes from its rules: review.ts files it here.)
 */
export function plausibility(
  unit: string,
  file: string,
  report: Report,
  previous: Report | undefined,
  defaultTitle: (a: string, y: number) => string,
): Finding[] {
  const spec = formFor(report.format).review;
  if (!spec) return [];
  const out: Finding[] = [];
  const now = resolve(report, defaultTitle);
  const at = (r: ResolvedReport, path: string) => {
    const v = getPath(r, path);
    return v === undefined ? undefined : countAt(v);
  };
  if (previous) {
    const before = resolve(previous, defaultTitle);
    for (const c of spec.counts) {
      const a = at(now, c.path);
      const b = at(before, c.path);
      if (a === undefined || b === undefined || Math.max(a, b) < JUMP_MIN) continue;
      if (a <= b * JUMP_FACTOR && a * JUMP_FACTOR >= b) continue;
      const how = a > b ? `是上年的 ${b === 0 ? '∞' : (a / b).toFixed(1)} 倍` : `只有上年的 ${a === 0 ? '0' : `1/${(b / a).toFixed(1)}`}`;
      out.push({
        unit,
        file,
        code: 'PLAUSIBILITY',
        severity: 'warning',
        where: c.label,
        path: c.path,
        message: `${c.label}：本年 ${a}，上年 ${b}，${how}：请核实数字是否填错`,
        evidence: { kind: 'counts', now: a, before: b },
      });
    }
  }
  const of = spec.shares.total;
  const total = at(now, of.path);
  if (total !== undefined && total >= SHARE_MIN_TOTAL) {
    for (const { label, path } of spec.shares.groups) {
      const n = at(now, path);
      if (n === undefined || n / total <= SHARE_LIMIT) continue;
      out.push({
        unit,
        file,
        code: 'PLAUSIBILITY',
        severity: 'warning',
        where: `${of.table} ${label}`,
        path,
        message: `${of.table} ${label} 共 ${n} 件，占${of.label} ${total} 件的 ${Math.round((n / total) * 100)}%（超过 ${SHARE_LIMIT * 100}%）：请核实分类是否恰当`,
        evidence: { kind: 'counts', now: n, before: total },
      });
    }
  }
  return out;
}
