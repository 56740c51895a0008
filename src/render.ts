/** The library's rendering entry points: a parsed report in, document bytes out. */
import { hasErrors, ReportError, type Diagnostic } from './diagnostics.js';
import { checkGlyphs } from './fonts/coverage.js';
import { loadFontSet, type FontConfig, type FontSet } from './fonts/index.js';
import { buildDocument } from './layout/build.js';
import type { DocumentIR } from './layout/ir.js';
import { layoutFor } from './layout/registry.js';
import { resolve } from './model/resolve.js';
import type { Report } from './model/schema.js';
import { writePdf } from './pdf/index.js';
import { runRules } from './rules/index.js';

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

/** Every check that runs before layout: the rules and glyph coverage. */
export function validate(report: Report, options: Pick<RenderOptions, 'fonts' | 'previous'> = {}): Diagnostic[] {
  const layout = layoutFor(report.format);
  return [...runRules(report, { previous: options.previous }), ...checkGlyphs(report, layout, loadFontSet(options.fonts))];
}

/** Check, then lay out. Throws ReportError (exit 1) on a rule error unless drafting, and always on a missing glyph. */
export function prepare(report: Report, options: RenderOptions = {}): Prepared {
  const layout = layoutFor(report.format);
  const fonts = loadFontSet(options.fonts);
  const rules = runRules(report, { previous: options.previous });
  const glyphs = checkGlyphs(report, layout, fonts);
  if (glyphs.length) throw new ReportError(1, [...rules.filter((d) => d.severity === 'error'), ...glyphs]);
  if (hasErrors(rules) && !options.draft) throw new ReportError(1, rules);
  const ir = buildDocument(resolve(report, layout.defaultTitle), layout, fonts, { draft: options.draft });
  return { ir, fonts, diagnostics: rules };
}

export async function renderPdf(report: Report, options: RenderOptions = {}): Promise<Uint8Array> {
  const { ir, fonts } = prepare(report, options);
  return writePdf(ir, fonts, { pdfa: options.pdfa });
}
