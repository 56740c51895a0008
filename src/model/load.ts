/**
 * Reading a report: bytes → JSON → schema, every failure turned into diagnostics that name the
 * official label, the JSON path and the value involved.
 */
import { readFileSync, statSync } from 'node:fs';
import { ParseErrorCode, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import { ReportError, type Diagnostic } from '../diagnostics.js';
import { formFor } from '../form/index.js';
import { cellLabel, describePath } from './labels.js';
import { formatPath, valueAt } from './paths.js';
import { FORMATS, LIMITS, MIN_YEAR, ReportSchema, type Report } from './schema.js';

export type ParseResult = { ok: true; report: Report } | { ok: false; diagnostics: Diagnostic[] };

const input = (path: string, message: string, code = 'INPUT'): Diagnostic => ({ code, severity: 'error', path, message });

/** Decode and parse JSON text; a BOM is allowed, as Windows editors write one. */
export function parseJsonText(bytes: Uint8Array | string): { ok: true; value: unknown } | { ok: false; diagnostics: Diagnostic[] } {
  let text: string;
  if (typeof bytes === 'string') text = bytes;
  else {
    if (bytes.length > LIMITS.fileBytes)
      return { ok: false, diagnostics: [input('$', `文件过大：${bytes.length} 字节，上限 ${LIMITS.fileBytes} 字节（5 MB）`, 'TOO_LARGE')] };
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      const at = firstInvalidUtf8(bytes);
      return { ok: false, diagnostics: [input('$', `文件不是 UTF-8 编码的文本（第 ${at} 字节起无法解码）。请以 UTF-8 保存 JSON 文件`, 'ENCODING')] };
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return { ok: false, diagnostics: [input('$', '文件为空：应为一份 JSON 格式的年度报告（可用 xxgk init 生成空白报告）', 'EMPTY')] };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, diagnostics: [input('$', jsonSyntaxMessage(text), 'JSON')] };
  }
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
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const col = first.offset - before.lastIndexOf('\n');
  const near = text.slice(first.offset, first.offset + 12).split('\n')[0];
  const why = JSON_ERRORS[first.error] ?? printParseErrorCode(first.error);
  const trailing = first.error === ParseErrorCode.PropertyNameExpected || first.error === ParseErrorCode.ValueExpected
    ? '（也可能是多了一个逗号）'
    : '';
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
  null: 'null',
  undefined: '空',
};
const typeName = (v: unknown): string => TYPE_NAMES[Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v] ?? typeof v;
const show = (v: unknown): string => (typeof v === 'string' ? `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"` : JSON.stringify(v) ?? String(v));

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

type Def = { innerType?: z.ZodType; element?: z.ZodType; shape?: Record<string, z.ZodType> };
const defOf = (schema: z.ZodType): Def => (schema as unknown as { def: Def }).def;

/** The field names the schema allows at a path (for "unknown field" hints). */
function knownKeys(path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType | undefined = ReportSchema;
  const unwrap = () => {
    while (schema && defOf(schema).innerType) schema = defOf(schema).innerType;
  };
  unwrap();
  for (const seg of path) {
    if (!schema) return [];
    const def = defOf(schema);
    schema = typeof seg === 'number' ? def.element : def.shape?.[String(seg)];
    unwrap();
  }
  return schema ? Object.keys(defOf(schema).shape ?? {}) : [];
}

function translate(issue: z.core.$ZodIssue, root: unknown): Diagnostic[] {
  const path = formatPath(issue.path);
  const label = describePath(issue.path);
  const value = valueAt(root, issue.path);
  const last = issue.path.at(-1);
  // R7 (docs/form.md): counts and the fee; other schema problems are plain schema errors.
  const code = last === 'fees' || cellLabel(formFor(), formatPath(issue.path)) ? 'R7' : 'SCHEMA';
  const d = (message: string): Diagnostic => ({ code, severity: 'error', path, message: `${label}：${message}（${path}）` });
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(issue.path);
      return issue.keys.map((key) => {
        const near = known.map((k) => [k, distance(k.toLowerCase(), key.toLowerCase())] as const).sort((a, b) => a[1] - b[1])[0];
        const hint = near && near[1] <= Math.max(2, Math.floor(key.length / 3)) ? `，是否应为 "${near[0]}"？` : '';
        const at = formatPath([...issue.path, key]);
        return { code: 'SCHEMA', severity: 'error', path: at, message: `${label}：未知字段 "${key}"${hint}（${at}）。可用字段：${known.join('、')}` };
      });
    }
    case 'invalid_type': {
      if (value === undefined) return [d('缺少此项（必填）')];
      if (issue.expected === 'int' || issue.expected === 'number') {
        if (typeof value === 'number') return [d(`应为非负整数，实际为 ${value}`)];
        return [d(`应为非负整数，实际为${typeName(value)} ${show(value)}${typeof value === 'string' ? '（数字不要加引号）' : ''}`)];
      }
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      const listHint = issue.expected === 'array' && typeof value === 'string' ? '（段落应写成数组，如 ["第一段", "第二段"]）' : '';
      return [d(`应为${expected}，实际为${typeName(value)} ${show(value)}${listHint}`)];
    }
    case 'too_small': {
      if (issue.path.length === 1 && last === 'year') return [d(`应在 ${MIN_YEAR} 年至 ${new Date().getFullYear() + 1} 年之间，实际为 ${show(value)}`)];
      if (issue.origin === 'number' || issue.origin === 'int') return [d(`应为非负整数，实际为 ${show(value)}`)];
      return [d(`过短（至少 ${String(issue.minimum)}）`)];
    }
    case 'too_big': {
      if (issue.path.length === 1 && last === 'year') return [d(`应在 ${MIN_YEAR} 年至 ${new Date().getFullYear() + 1} 年之间，实际为 ${show(value)}`)];
      if (issue.origin === 'number' || issue.origin === 'int') return [d(`数值 ${show(value)} 超出可处理的整数范围（上限 ${Number.MAX_SAFE_INTEGER}）`)];
      if (issue.origin === 'string') return [d(`过长：${(value as string).length} 字，上限 ${String(issue.maximum)} 字`)];
      if (issue.origin === 'array') return [d(`条目过多：${(value as unknown[]).length} 项，上限 ${String(issue.maximum)} 项`)];
      return [d(`过大（上限 ${String(issue.maximum)}）`)];
    }
    case 'invalid_value':
      if (last === 'format') return [d(`未知的格式 ${show(value)}，可用的格式：${FORMATS.join('、')}`)];
      return [d(`取值 ${show(value)} 无效，可用：${issue.values.map((v) => String(v)).join('、')}`)];
    case 'invalid_format':
      if (issue.format === 'date') return [d(`日期应写成 YYYY-MM-DD，如 "2025-01-20"，实际为 ${show(value)}`)];
      return [d(`格式不正确：${show(value)}`)];
    case 'invalid_union':
      if (last === 'fees') return [d(`收费金额应为非负十进制数，如 "0"、"96171.6"，实际为${typeName(value)} ${show(value)}`)];
      return [d(`取值 ${show(value)} 不符合要求`)];
    case 'custom': {
      const kind = (issue.params as { xxgk?: string } | undefined)?.xxgk;
      if (kind === 'fee') return [d(`收费金额应为非负十进制数（只含数字和一个小数点，不带千分位逗号或单位），如 "0"、"96171.6"，实际为 ${show(value)}`)];
      if (kind === 'empty') return [d('不能为空')];
      if (kind === 'numbered') {
        const m = /^\s*\S+?[、）).．]/u.exec(String(value));
        return [d(`小标题不应自带编号${m ? ` "${m[0].trim()}"` : ''}：编号（一）（二）…由程序自动添加，请删去`)];
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

/** Schema-check an already decoded JSON value. */
export function parseReport(value: unknown): ParseResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      ok: false,
      diagnostics: [input('$', `报告文件的顶层应为对象 {…}，实际为${typeName(value)} ${show(value)}`, 'SCHEMA')],
    };
  }
  const result = ReportSchema.safeParse(value);
  if (result.success) return { ok: true, report: result.data };
  const diagnostics = result.error.issues.flatMap((issue) => translate(issue, value));
  return { ok: false, diagnostics };
}

/** Read and schema-check a report file; throws a ReportError (exit 2) naming the file. */
export function readReportFile(file: string): Report {
  let bytes: Uint8Array;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new ReportError(2, [input('$', `${file} 是文件夹，不是报告文件`, 'READ')], file);
    if (st.size > LIMITS.fileBytes)
      throw new ReportError(2, [input('$', `文件过大：${st.size} 字节，上限 ${LIMITS.fileBytes} 字节（5 MB）`, 'TOO_LARGE')], file);
    bytes = readFileSync(file);
  } catch (e) {
    if (e instanceof ReportError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? '文件不存在' : code === 'EACCES' ? '没有读取权限' : `无法读取（${code ?? String(e)}）`;
    throw new ReportError(2, [input('$', `${file}：${why}`, 'READ')], file);
  }
  const json = parseJsonText(bytes);
  if (!json.ok) throw new ReportError(2, json.diagnostics, file);
  const parsed = parseReport(json.value);
  if (!parsed.ok) throw new ReportError(2, parsed.diagnostics, file);
  return parsed.report;
}
