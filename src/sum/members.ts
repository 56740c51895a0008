/**
 * Member reports for a summary or a workbook: found in files and folders, read, checked.
 * `loadMember` turns a file into a report through the readers' table (src/readers): JSON, and
 * published DOCX, PDF and HTML through the importer.
 */
import { createHash } from 'node:crypto';
import { validate } from '../app/check.js';
import { collectInputs, displayName } from '../app/inputs.js';
import { ReportError, type Diagnostic } from '../diagnostics.js';
import type { FontConfig } from '../fonts/index.js';
import { readInputFile } from '../app/files.js';
import { READER_EXTENSIONS, readerForName, readReport, reportOf } from '../readers/index.js';
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

export { displayName };

/**
 * Read one member report and, unless `check` is false, run every check (`validate`: rules and
 * glyphs). Never throws for a bad file: its problems come back as diagnostics.
 */
export async function loadMember(file: string, options: { check?: boolean; fonts?: FontConfig } = {}): Promise<Member> {
  const member: Member = { file, name: displayName(file), diagnostics: [] };
  try {
    // A file no reader takes (a .doc, a .wps) is refused by its name, before it is read.
    readerForName(file);
    const bytes = readInputFile(file);
    member.sha256 = createHash('sha256').update(bytes).digest('hex');
    member.report = reportOf(await readReport(bytes, file), file);
  } catch (e) {
    if (!(e instanceof ReportError)) throw e;
    member.diagnostics.push(...e.diagnostics);
    return member;
  }
  if (options.check !== false) member.diagnostics.push(...validate(member.report, { fonts: options.fonts }));
  return member;
}

/**
 * Member files from paths: files as given (any extension: loadMember says what it cannot read),
 * folders for the files a reader takes (`*.json`, `*.docx`, `*.pdf`, `*.html` …), sorted; never
 * the given outputs or last year's summary.
 */
export function collectMemberFiles(paths: string[], exclude: (string | undefined)[] = []): string[] {
  return collectInputs(paths, { extensions: READER_EXTENSIONS, exclude });
}
