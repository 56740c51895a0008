/**
 * Member reports for a summary or a workbook: found in files and folders, read, checked.
 * `loadMember` is the one place that turns a file into a report; it dispatches by extension so
 * that the importer (DOCX/PDF/HTML, src/import/) plugs in as one more reader.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { collectInputs } from '../batch/index.js';
import { validate } from '../check.js';
import { ReportError, type Diagnostic } from '../diagnostics.js';
import { importReport } from '../import/index.js';
import type { FontConfig } from '../fonts/index.js';
import { parseJsonText, parseReport, readInputFile, type ParseResult } from '../model/load.js';
import type { Report } from '../model/schema.js';

export interface Member {
  /** The path as given. */
  file: string;
  /** The path for people and for the workbook: relative to the working folder, never absolute. */
  name: string;
  /** SHA-256 of the file's bytes (absent when it could not be read). */
  sha256?: string;
  /** The parsed report; absent when the file could not be read or parsed. */
  report?: Report;
  /** Reading, schema, rule and glyph diagnostics. */
  diagnostics: Diagnostic[];
}

type Reader = (bytes: Uint8Array, file: string) => Promise<ParseResult>;

const readJson: Reader = async (bytes) => {
  const json = parseJsonText(bytes);
  return json.ok ? parseReport(json.value) : json;
};

/**
 * A published report (DOCX, PDF, HTML) through the importer. A number the document does not hold
 * is an error here, not a 0: a summary must not add what nobody reported.
 */
const readPublished: Reader = async (bytes, file) => {
  try {
    const { report, diagnostics, gaps } = await importReport(bytes, file);
    if (gaps.length) return { ok: false, diagnostics: [...gaps.map((g) => ({ ...g, severity: 'error' as const })), ...diagnostics] };
    const parsed = parseReport(report);
    return parsed;
  } catch (e) {
    if (e instanceof ReportError) return { ok: false, diagnostics: e.diagnostics };
    throw e;
  }
};

/** Readers by extension: the model itself, and published reports through src/import. */
const READERS: Record<string, Reader> = {
  '.json': readJson,
  '.docx': readPublished,
  '.pdf': readPublished,
  '.html': readPublished,
  '.htm': readPublished,
};
/** Extensions a folder is searched for. */
const MEMBER_EXTENSIONS = Object.keys(READERS);
/** Formats that cannot be read: a clear refusal naming what to do. */
const PLANNED = new Set(['.doc', '.wps']);

const problem = (code: string, message: string): Diagnostic => ({ code, severity: 'error', path: '$', message });

/** A path for people: relative to the working folder when inside it, else the file name alone. */
export function displayName(file: string, cwd = process.cwd()): string {
  const rel = relative(cwd, resolve(file));
  if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split('\\').join('/');
  return file.split(/[\\/]/).pop() ?? file;
}

/**
 * Read one member report and, unless `check` is false, run every check (`validate`: rules and
 * glyphs). Never throws for a bad file: its problems come back as diagnostics.
 */
export async function loadMember(file: string, options: { check?: boolean; fonts?: FontConfig } = {}): Promise<Member> {
  const member: Member = { file, name: displayName(file), diagnostics: [] };
  const ext = extname(file).toLowerCase();
  const reader = READERS[ext];
  if (!reader) {
    const what = PLANNED.has(ext) ? ` ${ext.slice(1).toUpperCase()} 文件` : `扩展名为“${ext || '（无）'}”的文件`;
    member.diagnostics.push(problem('FORMAT', `不能读取${what}：请提供 JSON、DOCX、PDF 或 HTML 格式的报告（.doc、.wps 请先另存为 .docx）`));
    return member;
  }
  let bytes: Uint8Array;
  try {
    bytes = readInputFile(file);
  } catch (e) {
    if (!(e instanceof ReportError)) throw e;
    member.diagnostics.push(...e.diagnostics);
    return member;
  }
  member.sha256 = createHash('sha256').update(bytes).digest('hex');
  const parsed = await reader(bytes, file);
  if (!parsed.ok) {
    member.diagnostics.push(...parsed.diagnostics);
    return member;
  }
  member.report = parsed.report;
  if (options.check !== false) member.diagnostics.push(...validate(parsed.report, { fonts: options.fonts }));
  return member;
}

/**
 * Member files from paths: files as given (any extension: loadMember says what it cannot read),
 * folders for their `*.json`, `*.docx`, `*.pdf` and `*.html` files, sorted; never the given outputs or last year's summary.
 */
export function collectMemberFiles(paths: string[], exclude: (string | undefined)[] = []): string[] {
  const skip = new Set(exclude.filter((f): f is string => Boolean(f)).map((f) => resolve(f)));
  const files = paths.flatMap((p) => {
    let folder = false;
    try {
      folder = statSync(p).isDirectory();
    } catch {
      // collectInputs names a path that does not exist
    }
    if (!folder) return collectInputs([p]);
    return readdirSync(p)
      .filter((n) => MEMBER_EXTENSIONS.includes(extname(n).toLowerCase()) && n !== 'batch-report.json')
      .sort()
      .map((n) => join(p, n))
      .filter((f) => statSync(f, { throwIfNoEntry: false })?.isFile());
  });
  return [...new Map(files.map((f) => [resolve(f), f])).values()].filter((f) => !skip.has(resolve(f)));
}
