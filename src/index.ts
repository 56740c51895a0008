/**
 * xxgk-report as a library: parse a report, check it, render the official PDF and DOCX and the
 * portal's HTML page.
 *
 *   import { parseReport, validate, renderPdf, renderDocx } from 'xxgk-report';
 *   const report = parseReport(jsonText);          // throws ReportError (exitCode 2) for bad input
 *   const problems = validate(report);             // 勾稽 rules and glyph coverage
 *   const pdf = await renderPdf(report);           // Uint8Array; throws ReportError (1) on a rule error
 *   const html = await renderHtml(report);         // string: one self-contained page
 */
import { ReportError } from './diagnostics.js';
import { parseJsonText, parseReport as parseValue } from './model/load.js';
import type { Report } from './model/schema.js';

export { validate, type CheckOptions } from './check.js';
export { ReportError, EXIT, type Diagnostic } from './diagnostics.js';
export { renderPdf, renderDocx, renderHtml, prepare, type RenderOptions, type Prepared } from './render.js';
export { runBatch, collectInputs, type BatchOptions, type BatchReport, type BatchEntry } from './batch/index.js';
export { loadFontSet, type FontConfig, type FontSource } from './fonts/index.js';
export { readFontConfig } from './fonts/config.js';
export { jsonSchema, ReportSchema, type Report, type ReportInput, type Row, type Outcome, type AnyReport } from './model/schema.js';
export { formFor, formats, registerFormat, DEFAULT_FORMAT } from '../layouts/index.js';
export type { FormSpec, FormatModule } from './form/index.js';
export { blankReport } from './model/blank.js';
export { nextYearReport } from './model/next-year.js';
export { startServer, type ServeOptions, type RunningServer } from './serve/index.js';
export { readReportFile } from './model/load.js';
export { importReport, readDocument, type ImportResult, type Block } from './import/index.js';
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
export type { DocxFontMode } from './docx/index.js';
export type { DocumentIR } from './layout/ir.js';

/**
 * A report from JSON text, bytes or an already parsed value. Throws ReportError (exit code 2)
 * whose diagnostics name the JSON path and the official label of each problem.
 */
export function parseReport(input: string | Uint8Array | object): Report {
  let value: unknown = input;
  let numbers;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const json = parseJsonText(input);
    if (!json.ok) throw new ReportError(2, json.diagnostics);
    ({ value, numbers } = json);
  }
  const parsed = parseValue(value, numbers);
  if (!parsed.ok) throw new ReportError(2, parsed.diagnostics);
  return parsed.report;
}
