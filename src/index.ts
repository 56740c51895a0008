/**
 * xxgk-report as a library: parse a report, check it, render the official PDF and DOCX and the
 * portal's HTML page.
 *
 *   import { parseReport, validate, renderPdf, renderDocx } from 'xxgk-report';
 *   const report = parseReport(jsonText);          // throws ReportError (kind 'input') for bad input
 *   const problems = validate(report);             // 勾稽 rules and glyph coverage
 *   const pdf = await renderPdf(report);           // Uint8Array; throws ReportError (kind 'rule') on a rule error
 *   const html = await renderHtml(report);         // string: one self-contained page
 */
import { ReportError } from './diagnostics.js';
import { parseReportValue } from './model/load.js';
import type { Report } from './model/schema.js';
import { readJsonReport } from './readers/index.js';

export { validate, checkFile, type CheckOptions, type Checked } from './app/check.js';
export { ReportError, EXIT, type Diagnostic, type ErrorKind, type Hint } from './diagnostics.js';
export { render, renderPdf, renderDocx, renderHtml, prepare, type RenderOptions, type Prepared } from './app/render.js';
export { WRITERS, writerById, type Writer, type WriteOptions } from './writers/index.js';
export { runBatch, type BatchOptions, type BatchReport, type BatchEntry } from './batch/index.js';
export { collectInputs, type CollectOptions } from './app/inputs.js';
export { WorkerPool, PoolBusy, runJobs, type PoolOptions } from './app/pool.js';
export type { Job, JobOptions, JobResult } from './app/job.js';
export { loadFontSet, type FontConfig, type FontSource } from './fonts/index.js';
export { readFontConfig } from './fonts/config.js';
export { jsonSchema, ReportSchema, type Report, type ReportInput, type Row, type Outcome, type AnyReport } from './model/schema.js';
export { formFor, formats, registerFormat, DEFAULT_FORMAT } from '../layouts/index.js';
export type { FormSpec, FormatModule } from './form/index.js';
export { blankReport } from './model/blank.js';
export { nextYearReport } from './model/next-year.js';
export { startServer, type ServeOptions, type RunningServer } from './serve/index.js';
export { readReportFile, loadReport } from './app/files.js';
export type { ImportResult, Block } from './import/index.js';
export { importReport, readDocument, readReport, READERS, type Reader, type ReadReport } from './readers/index.js';
export {
  sumReports,
  writeWorkbook,
  loadMember,
  type SumMember,
  type SumOptions,
  type SumResult,
  type MemberOutcome,
  type WorkbookMember,
  type WorkbookOptions,
  type Member,
} from './sum/index.js';
export {
  review,
  type ReviewDocument,
  type ReviewOptions,
  type ReviewResult,
  type UnitSummary,
  type Finding as ReviewFinding,
} from './app/review/review.js';
export { runReview, type ReviewRunOptions } from './app/review/run.js';
export type { DocxFontMode } from './docx/index.js';
export type { DocumentIR } from './layout/ir.js';

/**
 * A report from JSON text, bytes or an already parsed value. Throws ReportError (exit code 2)
 * whose diagnostics name the JSON path and the official label of each problem.
 */
export function parseReport(input: string | Uint8Array | object): Report {
  // Text goes through the JSON reader, which keeps each number as written (a fee 12.50 stays 12.50).
  if (typeof input === 'string' || input instanceof Uint8Array) return readJsonReport(input).parsed.report;
  const parsed = parseReportValue(input);
  if (!parsed.ok) throw new ReportError('input', parsed.diagnostics);
  return parsed.report;
}
