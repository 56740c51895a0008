/**
 * `/api/import`: a report file of any kind in, the model out, through the readers' table
 * (src/readers): by the file's name, else its Content-Type, else its first bytes.
 */
import { ReportError, type Diagnostic } from '../diagnostics.js';
import type { ReportInput } from '../model/schema.js';
import { extensionOf, pickReader, type PickOptions, type Reader, type ReadReport } from '../readers/index.js';
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
export async function importFile(
  bytes: Uint8Array,
  filename: string | undefined,
  contentType: string | undefined,
  /** Reads the document (the server: on its bounded pool); by default here, through the reader picked. */
  read?: (bytes: Uint8Array, name: string, pick: PickOptions) => Promise<ReadReport>,
): Promise<ImportAnswer> {
  const name = filename ?? '';
  let reader: Reader;
  try {
    reader = pickReader(bytes, name, { contentType, otherwise: 'sniff' });
  } catch (e) {
    if (!(e instanceof ReportError)) throw e;
    return { status: e.diagnostics[0]?.code === 'UNKNOWN_TYPE' ? 415 : 422, diagnostics: e.diagnostics };
  }
  let got: ReadReport;
  try {
    // The reader picked here reads there too: the name carries its extension.
    const as = name && reader.extensions.includes(extensionOf(name)) ? name : `report${reader.extensions[0]}`;
    got = read ? await read(bytes, as, {}) : await reader.read(bytes, as);
  } catch (e) {
    if (!(e instanceof ReportError)) throw e;
    if (e.kind === 'internal') return { status: 500, diagnostics: e.diagnostics };
    return { status: reader.kind === 'json' ? 400 : 422, diagnostics: e.diagnostics };
  }
  if (got.kind === 'json' && got.parsed.ok) return { status: 200, report: got.parsed.report, diagnostics: runRules(got.parsed.report) };
  const rules = got.parsed.ok ? runRules(got.parsed.report).map((d) => ({ ...d, severity: 'warning' as const })) : [];
  return { status: 200, report: got.report, diagnostics: [...got.notes, ...rules], gaps: got.gaps };
}
