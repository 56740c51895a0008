/**
 * `xxgk review` as a library call: documents found in files and folders, read through the same
 * readers as every other command, reviewed, and the three outputs written together.
 */
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { ReportError } from '../../diagnostics.js';
import { READER_EXTENSIONS, readerForName, reportOf } from '../../readers/index.js';
import { isUrl, readUrl } from '../fetch.js';
import { readInputFile } from '../files.js';
import { collectInputs, displayName } from '../inputs.js';
import { ensureDir, writeAll } from '../output.js';
import { READ_LIMITS, readInPool, WorkerPool } from '../pool.js';
import { reviewHtml, reviewJson, type ReviewMeta, reviewWorkbook } from './outputs.js';
import { DEFAULT_REPEAT_THRESHOLD, type ReviewDocument, type ReviewResult, review } from './review.js';
import { parseRosterText } from './units.js';

export interface ReviewRunOptions {
  previous?: string[];
  roster?: string;
  deadline?: string;
  repeatThreshold?: number;
  /** Folder for review.json, review.xlsx and review.html. */
  out: string;
  /** Called after each document is read (for a progress line). */
  progress?: (done: number, total: number, file: string) => void;
}

export interface ReviewRun extends ReviewResult {
  written: string[];
}

const inputError = (message: string, code = 'INPUT'): ReportError => new ReportError(2, [{ code, severity: 'error', path: '$', message }]);

/** A deadline as the user gives it: YYYY-MM-DD, or 2025年1月31日. */
export function parseDeadline(text: string): string {
  const m = /^(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?$/u.exec(text.trim());
  if (m) {
    const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
    const d = new Date(`${iso}T00:00:00Z`);
    if (!Number.isNaN(d.getTime()) && d.toISOString().startsWith(iso)) return iso;
  }
  throw inputError(`截止日期“${text}”无法识别：请写成 YYYY-MM-DD，如 2025-01-31`);
}

/** The first sheet of an XLSX as CSV text (cells quoted where needed), for the roster readers. Throws on a broken workbook. */
export async function xlsxRosterText(bytes: Uint8Array): Promise<string> {
  const { default: excel } = await import('exceljs');
  const wb = new excel.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const lines: string[] = [];
  wb.worksheets[0]?.eachRow((row) => {
    const values = (row.values as unknown[])
      .slice(1)
      .map((v) => (v === null || v === undefined ? '' : String((v as { text?: string }).text ?? v)));
    lines.push(values.map((v) => (/[",\t\n]/u.test(v) ? `"${v.replaceAll('"', '""')}"` : v)).join(','));
  });
  return lines.join('\n');
}

/** The roster's unit names: a text file (one per line), CSV, or the first sheet of an XLSX. */
export async function readRoster(file: string): Promise<string[]> {
  const bytes = readInputFile(file);
  let names: string[];
  if (extname(file).toLowerCase() === '.xlsx') {
    let text: string;
    try {
      text = await xlsxRosterText(bytes);
    } catch {
      throw inputError(`单位名单 ${file} 不是有效的 XLSX 工作簿`);
    }
    names = parseRosterText(text);
  } else {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw inputError(`单位名单 ${file} 不是 UTF-8 编码的文本：请另存为 UTF-8（或使用 XLSX）`);
    }
    names = parseRosterText(text);
  }
  if (!names.length) throw inputError(`单位名单 ${file} 中没有单位名称：每行写一个单位，或在 CSV/XLSX 中用“单位名称”列`);
  return names;
}

/**
 * When a document says it was published: an HTML page's `PubDate` (the 政府网站 convention), or a
 * PDF's creation date. Other documents state only their signature date, which the review uses then.
 */
export function publicationDate(bytes: Uint8Array, file: string): ReviewDocument['published'] {
  const ext = extname(file).toLowerCase();
  const head = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 1 << 16)));
  if (ext === '.html' || ext === '.htm') {
    const text = head.toString('utf8');
    for (const meta of text.matchAll(/<meta\b[^>]*>/giu)) {
      const tag = meta[0];
      if (!/name\s*=\s*["']?(?:PubDate|pubdate|publishdate|firstpublishedtime)["'\s>]/iu.test(tag)) continue;
      const content = /content\s*=\s*["']([^"']+)["']/iu.exec(tag)?.[1];
      const m = content && /(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})/u.exec(content);
      if (m) return { date: `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`, source: '网页的发布日期（PubDate）' };
    }
  }
  if (ext === '.pdf') {
    const text = Buffer.from(bytes).toString('latin1');
    const m = /\/CreationDate\s*\(D:(\d{4})(\d{2})(\d{2})/u.exec(text);
    if (m) return { date: `${m[1]}-${m[2]}-${m[3]}`, source: 'PDF 的创建日期' };
  }
  return undefined;
}

/** One document through the readers' table, once: its report (or why not) and its stated publication date. */
async function readDocument(file: string, pool: WorkerPool): Promise<ReviewDocument> {
  const doc: ReviewDocument = { file: isUrl(file) ? file : displayName(file) };
  try {
    if (isUrl(file)) {
      // A portal page (or the attachment it links); its PubDate is the page's.
      const got = await readUrl(file);
      doc.report = reportOf(got.read, got.url);
      doc.published = publicationDate(got.page.bytes, got.page.name);
      return doc;
    }
    // A file no reader takes (a .wps, a .zip) is refused by its name, before it is read.
    readerForName(file);
    const bytes = readInputFile(file);
    // Read on a worker of the pool, bounded in time and memory like every other door's reads.
    doc.report = reportOf(await readInPool(pool, bytes, file), file);
    doc.published = publicationDate(bytes, file);
  } catch (e) {
    if (!(e instanceof ReportError)) throw e;
    doc.problems = e.diagnostics.filter((d) => d.severity === 'error');
  }
  return doc;
}

/** Files from the paths (folders searched for what a reader takes); URLs as given. */
const collect = (paths: string[]) => [
  ...collectInputs(
    paths.filter((p) => !isUrl(p)),
    { extensions: READER_EXTENSIONS },
  ),
  ...paths.filter(isUrl),
];

export async function runReview(paths: string[], options: ReviewRunOptions): Promise<ReviewRun> {
  const threshold = options.repeatThreshold ?? DEFAULT_REPEAT_THRESHOLD;
  if (!(threshold > 0 && threshold < 1)) throw inputError(`重复比例上限应在 0 与 1 之间（如 0.5 表示 50%），实际为 ${threshold}`);
  const deadline = options.deadline === undefined ? undefined : parseDeadline(options.deadline);
  const roster = options.roster === undefined ? undefined : await readRoster(options.roster);
  const files = collect(paths);
  const previousFiles = options.previous?.length ? collect(options.previous) : [];
  if (!files.length) throw inputError(`${paths.join('、')} 中没有找到报告文件（JSON、DOCX、PDF 或 HTML）`);
  ensureDir(options.out);
  const total = files.length + previousFiles.length;
  let n = 0;
  // The documents are read on the worker pool, as many at once as the machine has cores; one
  // that fails (refused, too complex, out of time) never stops the others.
  const pool = new WorkerPool({
    threads: Math.max(1, Math.min(availableParallelism(), 4)),
    jobs: { formats: [] },
    heapMb: READ_LIMITS.heapMb,
    shareFonts: false,
  });
  const read = (list: string[]) =>
    Promise.all(
      list.map(async (f) => {
        const doc = await readDocument(f, pool);
        options.progress?.(++n, total, f);
        return doc;
      }),
    );
  let current: ReviewDocument[];
  let previous: ReviewDocument[];
  try {
    [current, previous] = await Promise.all([read(files), read(previousFiles)]);
  } finally {
    await pool.close();
  }
  const result = review(current, previous, { roster, deadline, repeatThreshold: threshold });
  const years = [...new Set(current.flatMap((d) => (d.report ? [d.report.year] : [])))].sort();
  const meta: ReviewMeta = {
    title: years.length ? `${years.join('、')} 年度` : '',
    inputs: files.map((f) => displayName(f)),
    previous: previousFiles.map((f) => displayName(f)),
    roster: options.roster === undefined ? undefined : displayName(options.roster),
    deadline,
    repeatThreshold: threshold,
  };
  const day = new Date(`${(years.at(-1) ?? 2000) + 1}-02-01T00:00:00+08:00`);
  const written = writeAll(options.out, [
    { name: 'review.json', bytes: new TextEncoder().encode(reviewJson(result, meta)) },
    { name: 'review.xlsx', bytes: await reviewWorkbook(result, meta, day) },
    { name: 'review.html', bytes: new TextEncoder().encode(reviewHtml(result, meta)) },
  ]);
  return { ...result, written };
}

/** Exit status of a review: 1 when any unit has errors or is missing. */
export const reviewFailed = (r: ReviewResult): boolean =>
  r.units.some((u) => u.errors > 0 || u.status === 'missing' || u.status === 'unreadable');
