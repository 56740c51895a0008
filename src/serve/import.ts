/**
 * `/api/import`: a report file of any kind in, the model out. JSON is read here; published
 * documents (DOCX, PDF, HTML) go through `importDocument`, the one place the importer plugs in.
 */
import { ReportError, type Diagnostic } from '../diagnostics.js';
import { importReport } from '../import/index.js';
import { parseJsonText, parseReport } from '../model/load.js';
import type { ReportInput } from '../model/schema.js';
import { runRules } from '../rules/index.js';
import { diag } from './http.js';

export type ImportAnswer =
  | { status: 200; report: ReportInput; diagnostics: Diagnostic[]; gaps?: unknown }
  | { status: number; diagnostics: Diagnostic[] };

export type DocumentKind = 'json' | 'docx' | 'pdf' | 'html' | 'unknown';

const BY_EXTENSION: Record<string, DocumentKind> = { json: 'json', docx: 'docx', pdf: 'pdf', html: 'html', htm: 'html' };
const BY_TYPE: Record<string, DocumentKind> = {
  'application/json': 'json',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
};

/** What a file is: its name's extension, else its Content-Type, else its first bytes. */
export function documentKind(bytes: Uint8Array, filename: string | undefined, contentType: string | undefined): DocumentKind {
  const ext = /\.([a-z0-9]+)$/i.exec(filename ?? '')?.[1]?.toLowerCase();
  if (ext && BY_EXTENSION[ext]) return BY_EXTENSION[ext]!;
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type && BY_TYPE[type]) return BY_TYPE[type]!;
  const head = new TextDecoder()
    .decode(bytes.subarray(0, 512))
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (head.startsWith('%PDF-')) return 'pdf';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'docx';
  if (head.startsWith('{')) return 'json';
  if (/^<(?:!doctype html|html|\?xml)/i.test(head)) return 'html';
  return 'unknown';
}

/** A JSON report file: parsed and schema-checked; its rule diagnostics come with it. */
export function importJson(bytes: Uint8Array): ImportAnswer {
  const json = parseJsonText(bytes);
  if (!json.ok) return { status: 400, diagnostics: json.diagnostics };
  const parsed = parseReport(json.value);
  if (!parsed.ok) return { status: 400, diagnostics: parsed.diagnostics };
  return { status: 200, report: parsed.report, diagnostics: runRules(parsed.report) };
}

/**
 * A published report (DOCX, PDF, HTML) read back into the model by src/import. Numbers the document
 * does not hold come back as `gaps` (set to 0 in the report, which the editor shows for the clerk to
 * fill in); a refused file (a scan, a password, not what its name says) is a 422 with its message.
 */
export async function importDocument(bytes: Uint8Array, filename: string): Promise<ImportAnswer> {
  try {
    const { report, diagnostics, gaps } = await importReport(bytes, filename);
    return { status: 200, report, diagnostics, gaps };
  } catch (e) {
    if (e instanceof ReportError) return { status: 422, diagnostics: e.diagnostics };
    throw e;
  }
}

export async function importFile(bytes: Uint8Array, filename: string | undefined, contentType: string | undefined): Promise<ImportAnswer> {
  const kind = documentKind(bytes, filename, contentType);
  if (kind === 'json') return importJson(bytes);
  if (kind === 'unknown')
    return { status: 415, diagnostics: [diag('IMPORT', '无法识别的文件类型：请上传 DOCX、PDF、HTML 或 JSON 格式的报告')] };
  return importDocument(bytes, filename ?? `report.${kind}`);
}
