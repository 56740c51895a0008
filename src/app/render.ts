/**
 * The library's rendering entry points: a parsed report in, document bytes out, through the
 * writers' table (src/writers); each writer is loaded when it is first asked for.
 */
import { hasErrors, ReportError, type Diagnostic } from '../diagnostics.js';

export { validate };
import { validate } from './check.js';
import { formFor } from '../../layouts/index.js';
import { loadFontSet, type FontConfig, type FontSet } from '../fonts/index.js';
import { buildDocument } from '../layout/build.js';
import type { DocumentIR } from '../layout/ir.js';
import { resolve } from '../model/resolve.js';
import type { Report } from '../model/schema.js';
import type { DocxFontMode } from '../docx/index.js';
import { writerById, type WriteOptions } from '../writers/index.js';

export interface RenderOptions {
  /** Font files by role; the bundled faces where not given. */
  fonts?: FontConfig;
  /** Render despite rule errors, marking every page 草稿. */
  draft?: boolean;
  /** Last year's report, for the cross-year rules. */
  previous?: Report;
  /** PDF/A-2b. */
  pdfa?: boolean;
}

export interface Prepared {
  ir: DocumentIR;
  fonts: FontSet;
  /** Warnings (and, in a draft, the errors it was rendered despite). */
  diagnostics: Diagnostic[];
}

/** Check, then lay out. Throws ReportError (kind `rule`) on a rule error unless drafting, and (`glyph`) always on a missing glyph. */
export function prepare(report: Report, options: RenderOptions = {}): Prepared {
  const form = formFor(report.format);
  const fonts = loadFontSet(options.fonts);
  const diagnostics = validate(report, options);
  // A draft may be rendered despite a rule error, never with a character that would print as a box.
  const glyphs = diagnostics.filter((d) => d.code === 'GLYPH');
  if (glyphs.length)
    throw new ReportError(
      'glyph',
      diagnostics.filter((d) => d.severity === 'error'),
    );
  if (hasErrors(diagnostics) && !options.draft) throw new ReportError('rule', diagnostics);
  const ir = buildDocument(resolve(report, form.defaultTitle), form, fonts, { draft: options.draft });
  return { ir, fonts, diagnostics };
}

/** Check, lay out and write one format (a writer of src/writers). */
export async function render(report: Report, format: string, options: RenderOptions & WriteOptions = {}): Promise<Uint8Array> {
  const writer = writerById(format);
  if (!writer) throw new Error(`unknown output format ${format}`);
  const { ir, fonts } = prepare(report, options);
  return writer.write(ir, fonts, options);
}

export async function renderPdf(report: Report, options: RenderOptions = {}): Promise<Uint8Array> {
  return render(report, 'pdf', options);
}

export async function renderDocx(report: Report, options: RenderOptions & { docxFonts?: DocxFontMode } = {}): Promise<Uint8Array> {
  return render(report, 'docx', options);
}

/** The report as one self-contained HTML page (UTF-8 text), for a portal to publish. */
export async function renderHtml(report: Report, options: Omit<RenderOptions, 'pdfa'> = {}): Promise<string> {
  return new TextDecoder().decode(await render(report, 'html', options));
}
