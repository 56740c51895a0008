/**
 * File access for the doors that take file names (the CLI, the batch, a summary's members): the
 * bytes of an input file, bounded, and the report in it through the readers' table (src/readers).
 * The model itself (src/model) never touches the file system.
 */
import { lstatSync } from 'node:fs';
import { ReportError, type Diagnostic } from '../diagnostics.js';
import { LIMITS, type Report } from '../model/schema.js';
import { readBounded, TooLargeError } from '../read.js';
import { withReadPool } from './pool.js';
import { pickReader, readJsonReport, readReport, reportOf, type PickOptions, type ReadReport } from '../readers/index.js';

const input = (message: string, code: string): Diagnostic => ({ code, severity: 'error', path: '$', message });

const isLink = (file: string): boolean => {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
};

/**
 * The bytes of an input file, never more than the 5 MB limit (pipes and devices included); throws
 * a ReportError (input) naming the file and why it cannot be read.
 */
export function readInputFile(file: string): Uint8Array {
  try {
    return readBounded(file, LIMITS.fileBytes);
  } catch (e) {
    if (e instanceof TooLargeError) {
      const message =
        e.size !== undefined
          ? `文件过大：${e.size} 字节，上限 ${LIMITS.fileBytes} 字节（5 MB）`
          : `文件过大：读到 ${LIMITS.fileBytes} 字节（5 MB）仍未结束，已停止读取`;
      throw new ReportError('input', [input(message, 'TOO_LARGE')], file);
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new ReportError('input', [input(`${file} 是文件夹，不是报告文件`, 'READ')], file);
    const why =
      code === 'ENOENT'
        ? isLink(file)
          ? '是符号链接，但它指向的文件不存在'
          : '文件不存在'
        : code === 'ELOOP'
          ? '是循环的符号链接（链接最终又指向自己），无法读取'
          : code === 'EACCES' || code === 'EPERM'
            ? '没有读取权限'
            : code === 'ENOTDIR'
              ? '文件不存在（路径中的某一级不是文件夹）'
              : `无法读取（${code ?? String(e)}）`;
    throw new ReportError('input', [input(`${file}：${why}`, 'READ')], file);
  }
}

/** Read and schema-check a JSON report file; throws a ReportError (input) naming the file. */
export function readReportFile(file: string): Report {
  return readJsonReport(readInputFile(file), file).parsed.report;
}

/**
 * A file read as a report by the reader its name picks (src/readers); a name no reader claims is
 * read as JSON, as `xxgk validate /dev/stdin` is.
 */
export async function readFile(file: string, options: PickOptions = { otherwise: 'json' }): Promise<ReadReport> {
  const bytes = readInputFile(file);
  // A published document is read on a worker thread, bounded in time and memory; the model's
  // JSON (bounded by its own limits) here.
  if (bytes.length <= LIMITS.fileBytes && pickReader(bytes, file, options).kind !== 'json')
    return withReadPool((read) => read(bytes, file, options));
  return readReport(bytes, file, options);
}

/**
 * The report in a file of any kind the readers take, checked against the schema; a number a
 * document does not hold is an error. Throws ReportError (input) naming the file.
 */
export async function loadReport(file: string): Promise<Report> {
  return reportOf(await readFile(file), file);
}
