/**
 * Reading a report: bytes → JSON → schema, every failure turned into diagnostics that name the
 * official label, the JSON path and the value involved.
 */
import { ParseErrorCode, parseTree, printParseErrorCode, visit, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import { clip, type Diagnostic } from '../diagnostics.js';

export { clip };
import { formatIds, formOf } from '../../layouts/index.js';
import type { FormSpec } from '../form/index.js';
import { cellLabel, decimalCells, describePath } from './labels.js';
import { formatPath, getPath, valueAt } from './paths.js';
import { LIMITS, MAX_COUNT, MIN_YEAR, type Report } from './schema.js';
import { knownKeys } from './zod-adapter.js';

export type ParseResult = { ok: true; report: Report } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Number tokens whose text is not what JavaScript writes for the value it reads (`12.50`, `1e-400`,
 * `9007199254740993`), by JSON path: so that messages show what the user typed.
 */
export type NumberTexts = Map<string, string>;

/** A key given twice in one object: JSON.parse keeps the last silently. */
interface DuplicateKey {
  path: (string | number)[];
  key: string;
  line: number;
  firstLine: number;
}

/**
 * One pass over valid JSON text (at most MAX_DEPTH deep): the number tokens whose value does not
 * print back as written, and the keys given twice in one object.
 */
function scanTokens(text: string): { numbers: NumberTexts; duplicates: DuplicateKey[] } {
  const numbers: NumberTexts = new Map();
  const duplicates: DuplicateKey[] = [];
  const objects: Map<string, number>[] = [];
  visit(text, {
    onObjectBegin: () => void objects.push(new Map()),
    onObjectEnd: () => void objects.pop(),
    onObjectProperty(key, _offset, _length, line, _col, pathSupplier) {
      const seen = objects.at(-1)!;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, line);
      else if (duplicates.length < MAX_DIAGNOSTICS)
        duplicates.push({ path: [...pathSupplier(), key], key, line: line + 1, firstLine: first + 1 });
    },
    onLiteralValue(value: unknown, offset, length, _line, _col, pathSupplier) {
      if (typeof value !== 'number') return;
      const raw = text.slice(offset, offset + length);
      if (String(value) !== raw) numbers.set(formatPath(pathSupplier()), raw);
    },
  });
  return { numbers, duplicates };
}

const input = (path: string, message: string, code = 'INPUT'): Diagnostic => ({ code, severity: 'error', path, message });

/** Decode and parse JSON text; a BOM is allowed, as Windows editors write one. */
export function parseJsonText(
  bytes: Uint8Array | string,
): { ok: true; value: unknown; numbers: NumberTexts } | { ok: false; diagnostics: Diagnostic[] } {
  let text: string;
  if (typeof bytes === 'string') text = bytes;
  else {
    if (bytes.length > LIMITS.fileBytes)
      return { ok: false, diagnostics: [input('$', `文件过大：${bytes.length} 字节，上限 ${LIMITS.fileBytes} 字节（5 MB）`, 'TOO_LARGE')] };
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      const at = firstInvalidUtf8(bytes);
      return {
        ok: false,
        diagnostics: [input('$', `文件不是 UTF-8 编码的文本（第 ${at} 字节起无法解码）。请以 UTF-8 保存 JSON 文件`, 'ENCODING')],
      };
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '')
    return { ok: false, diagnostics: [input('$', '文件为空：应为一份 JSON 格式的年度报告（可用 xxgk init 生成空白报告）', 'EMPTY')] };
  // Before anything recursive (the syntax error finder, the schema, the messages) sees it.
  const deep = tooDeep(text);
  if (deep) return { ok: false, diagnostics: [input('$', deep, 'JSON')] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, diagnostics: [input('$', jsonSyntaxMessage(text), 'JSON')] };
  }
  const many = tooManyKeys(value);
  if (many) return { ok: false, diagnostics: [input('$', many, 'SCHEMA')] };
  const { numbers, duplicates } = scanTokens(text);
  if (duplicates.length)
    return {
      ok: false,
      diagnostics: duplicates.map((dup) => {
        const path = formatPath(dup.path.map((p) => (typeof p === 'string' ? clip(p) : p)));
        const label = describePath(dup.path, formOf(value));
        return input(
          path,
          `${label}：字段 "${clip(dup.key)}" 出现了两次（第 ${dup.firstLine} 行和第 ${dup.line} 行），JSON 只会保留后一个值：请删去多余的一个（${path}）`,
          'DUPLICATE_KEY',
        );
      }),
    };
  return { ok: true, value, numbers };
}

/**
 * Fields (object keys) a report may hold in all: a full report of the default format has some 300.
 * Beyond this the input is refused before the schema and its messages see it (250,000 unknown
 * keys took 10 s to explain one by one).
 */
export const MAX_KEYS = 5_000;

/** Counted without recursion (the value may be anything); a message when there are too many. */
function tooManyKeys(value: unknown): string | undefined {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === 'object') stack.push(x);
      continue;
    }
    const keys = Object.keys(v);
    count += keys.length;
    if (count > MAX_KEYS) return `字段过多：超过 ${MAX_KEYS} 个（一份报告约有 300 个字段），不是年度报告的数据，拒绝读取`;
    for (const k of keys) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== null && typeof x === 'object') stack.push(x);
    }
  }
  return undefined;
}

/** A report nests 5 levels deep; anything past this is not a report (and would exhaust the stack). */
export const MAX_DEPTH = 64;

/** Line and column (1-based) of an offset. */
function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: offset - start + 1 };
}

/** Where arrays and objects nest deeper than MAX_DEPTH, found without recursion; undefined if they do not. */
function tooDeep(text: string): string | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_DEPTH) {
        const { line, col } = lineCol(text, i);
        return `JSON 嵌套过深：第 ${line} 行第 ${col} 列处数组或对象已嵌套 ${depth} 层，上限 ${MAX_DEPTH} 层（一份报告最多嵌套 5 层）`;
      }
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return undefined;
}

const JSON_ERRORS: Partial<Record<number, string>> = {
  [ParseErrorCode.InvalidSymbol]: '无效的字符',
  [ParseErrorCode.InvalidNumberFormat]: '数字格式不正确',
  [ParseErrorCode.PropertyNameExpected]: '此处应为字段名（用英文双引号括起）',
  [ParseErrorCode.ValueExpected]: '此处缺少取值',
  [ParseErrorCode.ColonExpected]: '此处应为英文冒号 :',
  [ParseErrorCode.CommaExpected]: '此处应为英文逗号 ,',
  [ParseErrorCode.CloseBraceExpected]: '缺少右花括号 }',
  [ParseErrorCode.CloseBracketExpected]: '缺少右方括号 ]',
  [ParseErrorCode.EndOfFileExpected]: 'JSON 结束后还有多余内容',
  [ParseErrorCode.InvalidCommentToken]: 'JSON 不允许注释',
  [ParseErrorCode.UnexpectedEndOfComment]: 'JSON 不允许注释',
  [ParseErrorCode.UnexpectedEndOfString]: '字符串缺少结尾的英文双引号',
  [ParseErrorCode.UnexpectedEndOfNumber]: '数字不完整',
  [ParseErrorCode.InvalidUnicode]: '无效的 \\u 转义',
  [ParseErrorCode.InvalidEscapeCharacter]: '无效的转义字符',
  [ParseErrorCode.InvalidCharacter]: '字符串中含有控制字符',
};

/** Where and why JSON.parse failed, from jsonc-parser's error offsets (JSON.parse on Node 20 gives none). */
function jsonSyntaxMessage(text: string): string {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return '不是有效的 JSON';
  const { line, col } = lineCol(text, first.offset);
  const near = text.slice(first.offset, first.offset + 12).split('\n')[0];
  const why = JSON_ERRORS[first.error] ?? printParseErrorCode(first.error);
  const trailing =
    first.error === ParseErrorCode.PropertyNameExpected || first.error === ParseErrorCode.ValueExpected ? '（也可能是多了一个逗号）' : '';
  return `不是有效的 JSON：第 ${line} 行第 ${col} 列，${why}${trailing}${near ? `，附近内容：${near}` : ''}`;
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  const dec = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    try {
      dec.decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  return lo + 1;
}

const TYPE_NAMES: Record<string, string> = {
  string: '文本',
  number: '数字',
  boolean: '布尔值',
  object: '对象',
  array: '数组',
  null: '空值',
  undefined: '空',
};
const typeName = (v: unknown): string => TYPE_NAMES[Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v] ?? typeof v;
/** A value as a message shows it: never more than a short prefix, never a whole structure. */
const showValue = (v: unknown): string => {
  if (typeof v === 'string') return `"${clip(v)}"`;
  if (Array.isArray(v)) return v.length ? `[…]（${v.length} 项）` : '[]';
  if (v !== null && typeof v === 'object') return '{…}';
  return clip(String(v));
};

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

function translate(issue: z.core.$ZodIssue, root: unknown, numbers: NumberTexts, form: FormSpec): Diagnostic[] {
  const path = formatPath(issue.path);
  const label = describePath(issue.path, form);
  const decimal = decimalCells(form).has(path);
  const value = valueAt(root, issue.path);
  // A number as the user typed it (JSON.parse reads 9007199254740993 as …992).
  const show = (v: unknown) => (typeof v === 'number' && numbers.has(path) ? clip(numbers.get(path)!) : showValue(v));
  const last = issue.path.at(-1);
  // R7 (docs/form.md): counts and the fee; other schema problems are plain schema errors.
  const code = decimal || cellLabel(form, path) ? 'R7' : 'SCHEMA';
  const d = (message: string): Diagnostic => ({ code, severity: 'error', path, message: `${label}：${message}（${path}）` });
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(form.schema, issue.path);
      return issue.keys.map((key) => {
        // (A misspelling is short: the distance of a long key is not worth its time.)
        const near =
          key.length > 64
            ? undefined
            : known.map((k) => [k, distance(k.toLowerCase(), key.toLowerCase())] as const).sort((a, b) => a[1] - b[1])[0];
        const hint = near && near[1] <= Math.max(2, Math.floor(key.length / 3)) ? `，是否应为 "${near[0]}"？` : '';
        const at = formatPath([...issue.path, clip(key)]);
        return {
          code: 'SCHEMA',
          severity: 'error',
          path: at,
          message: `${label}：未知字段 "${clip(key)}"${hint}（${at}）。可用字段：${known.join('、')}`,
        };
      });
    }
    case 'invalid_type': {
      if (value === undefined) return [d('缺少此项（必填）')];
      if (issue.expected === 'int' || issue.expected === 'number') {
        if (typeof value === 'number') return [d(`应为非负整数，实际为 ${show(value)}`)];
        return [d(`应为非负整数，实际为${typeName(value)} ${show(value)}${typeof value === 'string' ? '（数字不要加引号）' : ''}`)];
      }
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      const listHint = issue.expected === 'array' && typeof value === 'string' ? '（段落应写成数组，如 ["第一段", "第二段"]）' : '';
      return [d(`应为${expected}，实际为${typeName(value)} ${show(value)}${listHint}`)];
    }
    case 'too_small': {
      if (issue.path.length === 1 && last === 'year')
        return [d(`应在 ${MIN_YEAR} 年至 ${new Date().getFullYear() + 1} 年之间，实际为 ${show(value)}`)];
      if (issue.origin === 'number' || issue.origin === 'int') return [d(`应为非负整数，实际为 ${show(value)}`)];
      return [d(`过短（至少 ${String(issue.minimum)}）`)];
    }
    case 'too_big': {
      if (issue.path.length === 1 && last === 'year')
        return [d(`应在 ${MIN_YEAR} 年至 ${new Date().getFullYear() + 1} 年之间，实际为 ${show(value)}`)];
      if (issue.origin === 'number' || issue.origin === 'int')
        return [d(`数值 ${show(value)} 超过上限 ${MAX_COUNT}（一万亿；更大的数在合计时无法精确计算）`)];
      if (issue.origin === 'string') return [d(`过长：${(value as string).length} 字，上限 ${String(issue.maximum)} 字`)];
      if (issue.origin === 'array') return [d(`条目过多：${(value as unknown[]).length} 项，上限 ${String(issue.maximum)} 项`)];
      return [d(`过大（上限 ${String(issue.maximum)}）`)];
    }
    case 'invalid_value':
      if (issue.path.length === 1 && last === 'format') return [d(`未知的格式 ${show(value)}，可用的格式：${formatIds().join('、')}`)];
      return [d(`取值 ${show(value)} 无效，可用：${issue.values.map((v) => String(v)).join('、')}`)];
    case 'invalid_format':
      if (issue.format === 'date') return [d(`日期应写成 YYYY-MM-DD，如 "2025-01-20"，实际为 ${show(value)}`)];
      return [d(`格式不正确：${show(value)}`)];
    case 'invalid_union':
      if (decimal) return [d(`收费金额应为非负十进制数，如 "0"、"96171.6"，实际为${typeName(value)} ${show(value)}`)];
      return [d(`取值 ${show(value)} 不符合要求`)];
    case 'custom': {
      const kind = (issue.params as { xxgk?: string } | undefined)?.xxgk;
      if (kind === 'fee')
        return [
          d(
            `收费金额应为非负十进制数（只含数字和一个小数点，不带千分位逗号或单位；整数部分最多 16 位、小数部分最多 12 位），如 "0"、"96171.6"，实际为 ${show(value)}`,
          ),
        ];
      if (kind === 'empty') return [d('不能为空')];
      if (kind === 'numbered') {
        const m = /^\s*\S+?[、）).．]/u.exec(String(value));
        return [d(`小标题不应自带编号${m ? ` "${clip(m[0].trim())}"` : ''}：编号（一）（二）…由程序自动添加，请删去`)];
      }
      if (kind === 'control') {
        const s = String(value);
        const i = s.search(/[\u0000-\u001f\u007f-\u009f]/u);
        const cp = s.codePointAt(i)!.toString(16).toUpperCase().padStart(4, '0');
        return [d(`含有控制字符 U+${cp}（第 ${i + 1} 个字符处）；换行请拆成多个段落，制表符请删去`)];
      }
      return [d(issue.message)];
    }
    default:
      return [d(issue.message)];
  }
}

type Section = { heading: string; paragraphs: string[] };

/** The limits on the whole document: each part may be within its own and the sum still too much. */
function checkTotals(report: Report, form: FormSpec): Diagnostic[] {
  const prose = form.parts.filter((p) => p.paragraphs || p.sections);
  const sections = form.parts.flatMap((p) => (p.sections ? ((getPath(report, p.sections) as Section[] | undefined) ?? []) : []));
  const lists = [
    report.preface,
    ...form.parts.map((p) => (p.paragraphs ? ((getPath(report, p.paragraphs) as string[] | undefined) ?? []) : [])),
    ...sections.map((s) => s.paragraphs),
  ];
  const paragraphs = lists.reduce((n, list) => n + list.length, 0);
  let chars = (report.title ?? '').length + (report.signature?.name.length ?? 0);
  for (const list of lists) for (const p of list) chars += p.length;
  for (const s of sections) chars += s.heading.length;
  const out: Diagnostic[] = [];
  const parts = ['前言', ...prose.map((p) => p.heading)].join('、');
  const sectioned = form.parts
    .filter((p) => p.sections)
    .map((p) => p.heading)
    .join(' 和 ');
  if (paragraphs > LIMITS.totalParagraphs)
    out.push(input('$', `报告过长：全文共 ${paragraphs} 段，上限 ${LIMITS.totalParagraphs} 段（${parts} 的段落合计）`, 'TOO_LARGE'));
  if (sections.length > LIMITS.totalSections)
    out.push(input('$', `小标题过多：${sectioned} 共 ${sections.length} 个小标题，上限 ${LIMITS.totalSections} 个`, 'TOO_LARGE'));
  if (chars > LIMITS.totalChars)
    out.push(input('$', `报告过长：全文共 ${chars} 字，上限 ${LIMITS.totalChars} 字（标题、全部段落和小标题合计）`, 'TOO_LARGE'));
  return out;
}

/**
 * Numbers as the user wrote them. A fee written as a JSON number (12.50) keeps its text, as a fee
 * written as a string does. A count or the year written as anything but a plain integer (1.0,
 * 1e2, 1e-400, which JSON.parse reads as 1, 100 and 0) is refused: the value read is not what
 * was written.
 */
function numbersAsWritten(
  value: Record<string, unknown>,
  numbers: NumberTexts,
  form: FormSpec,
): { diagnostics: Diagnostic[]; paths: Set<string> } {
  const diagnostics: Diagnostic[] = [];
  const paths = new Set<string>();
  const decimals = decimalCells(form);
  for (const path of decimals) {
    const text = numbers.get(path);
    const segments = path.split('.');
    const parent = valueAt(value, segments.slice(0, -1));
    if (
      text !== undefined &&
      parent &&
      typeof parent === 'object' &&
      typeof (parent as Record<string, unknown>)[segments.at(-1)!] === 'number'
    )
      (parent as Record<string, unknown>)[segments.at(-1)!] = text;
  }
  for (const [path, raw] of numbers) {
    if (decimals.has(path) || (path !== 'year' && !cellLabel(form, path))) continue;
    if (/^-?\d+$/.test(raw)) continue; // a plain integer: the schema judges it, shown as written
    const segments = path.split('.');
    paths.add(path);
    const read = Number(raw);
    diagnostics.push({
      code: path === 'year' ? 'SCHEMA' : 'R7',
      severity: 'error',
      path,
      message:
        `${describePath(segments, form)}：应为整数，写成不带小数点和指数的数字，实际写作 ${clip(raw)}` +
        `${String(read) !== raw ? `（会被读成 ${read}）` : ''}（${path}）`,
    });
  }
  return { diagnostics, paths };
}

/** At most this many diagnostics of one file are listed: a broken file is not a flood. */
export const MAX_DIAGNOSTICS = 100;

function capped(all: Diagnostic[]): Diagnostic[] {
  // One report of each problem: the number checks and the schema may both name a value.
  const seen = new Set<string>();
  const ds = all.filter((d) => {
    const key = `${d.code}\u0000${d.path}\u0000${d.message}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
  if (ds.length <= MAX_DIAGNOSTICS) return ds;
  const rest = ds.length - MAX_DIAGNOSTICS;
  return [...ds.slice(0, MAX_DIAGNOSTICS), input('$', `还有 ${rest} 个错误未列出（只列出前 ${MAX_DIAGNOSTICS} 个）`, 'MORE')];
}

/** Schema-check an already decoded JSON value. */
export function parseReportValue(value: unknown, numbers: NumberTexts = new Map()): ParseResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      ok: false,
      diagnostics: [input('$', `报告文件的顶层应为对象 {…}，实际为${typeName(value)} ${showValue(value)}`, 'SCHEMA')],
    };
  }
  const many = tooManyKeys(value);
  if (many) return { ok: false, diagnostics: [input('$', many, 'SCHEMA')] };
  // The report's `format` selects its schema (an unknown one is reported by the default's).
  const form = formOf(value);
  const written = numbersAsWritten(value as Record<string, unknown>, numbers, form);
  const result = form.schema.safeParse(value);
  if (result.success) {
    const report = result.data as Report;
    const problems = [...written.diagnostics, ...checkTotals(report, form)];
    return problems.length ? { ok: false, diagnostics: capped(problems) } : { ok: true, report };
  }
  const diagnostics = result.error.issues
    .filter((i) => !written.paths.has(formatPath(i.path)))
    .flatMap((issue) => translate(issue, value, numbers, form));
  return { ok: false, diagnostics: capped([...written.diagnostics, ...diagnostics]) };
}
