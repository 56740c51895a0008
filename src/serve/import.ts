/**
 * `/api/import`: a report file of any kind in, the model out, through the readers' table
 * (src/readers): by the file's name, else its Content-Type, else its first bytes.
 */
import { ReportError, type Diagnostic } from '../diagnostics.js';
import type { ReportInput } from '../model/schema.js';
import { pickReader, type Reader } from '../readers/index.js';
import { runRules } from '../rules/index.js';

export type ImportAnswer =
  | { status: 200; report: ReportInput; diagnostics: Diagnostic[]; gaps?: unknown }
  | { status: number; diagnostics: Diagnostic[] };

/**
 * A report file read into the model. JSON comes back schema-checked with its rule diagnostics
 * (a 400 when it is not a report); a published report (DOCX, PDF, HTML) with the numbers it does
 * not hold as `gaps` (set to 0, for the clerk to fill in) and the rules' findings as warnings; a
 * refused document (a scan, a password, not what its name says) is a 422, a type no reader
 * knows a 415.
 */
export async function importFile(bytes: Uint8Array, filename: string | undefined, contentType: string | undefined): Promise<ImportAnswer> {
  const name = filename ?? '';
  let reader: Reader;
  try {
    reader = pickReader(bytes, name, { contentType, otherwise: 'sniff' });
  } catch (e) {
    if (!(e instanceof ReportError)) throw e;
    return { status: e.diagnostics[0]?.code === 'UNKNOWN_TYPE' ? 415 : 422, diagnostics: e.diagnostics };
  }
  let read;
  try {
    read = await reader.read(bytes, name || `report${reader.extensions[0]}`);
  } catch (e) {
    if (!(e instanceof ReportError)) throw e;
    return { status: reader.kind === 'json' ? 400 : 422, diagnostics: e.diagnostics };
  }
  if (read.kind === 'json' && read.parsed.ok) return { status: 200, report: read.parsed.report, diagnostics: runRules(read.parsed.report) };
  const rules = read.parsed.ok ? runRules(read.parsed.report).map((d) => ({ ...d, severity: 'warning' as const })) : [];
  return { status: 200, report: read.report, diagnostics: [...read.notes, ...rules], gaps: read.gaps };
}
