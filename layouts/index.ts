/**
 * The registry of formats: every format xxgk knows, by its `format` value in the model. The
 * model, the rules, the layout, the importer, the sum and the editor find a report's format here
 * (`formFor(report.format)`); nothing else names a format. A format is one folder of layouts/
 * (layouts/README.md); `registerFormat` adds one at run time (a test's made-up format).
 */
import type { FormSpec } from '../src/form/spec.js';
import gov2021 from './gov-2021/index.js';

const registry = new Map<string, FormSpec>([[gov2021.format, gov2021]]);

/** The format of a report that does not say. */
export const DEFAULT_FORMAT = gov2021.format;

/** The formats known, default first. */
export function formats(): FormSpec[] {
  return [...registry.values()];
}

/** The ids of the formats known, default first. */
export function formatIds(): string[] {
  return [...registry.keys()];
}

export function hasFormat(format: unknown): format is string {
  return typeof format === 'string' && registry.has(format);
}

export function formFor(format: string = DEFAULT_FORMAT): FormSpec {
  const form = registry.get(format);
  if (!form) throw new Error(`no form for format ${format}`);
  return form;
}

/** The format a report value names (its `format`, or the default when it names none or an unknown one). */
export function formOf(report: unknown): FormSpec {
  const format = report !== null && typeof report === 'object' ? (report as { format?: unknown }).format : undefined;
  return hasFormat(format) ? formFor(format) : formFor();
}

/** Add a format (or replace one of the same id). The default format cannot be replaced. */
export function registerFormat(form: FormSpec): void {
  if (form.format === DEFAULT_FORMAT && form !== gov2021) throw new Error(`format ${DEFAULT_FORMAT} cannot be replaced`);
  registry.set(form.format, form);
}

export { gov2021 };
// The default format's schema and types: what `Report` means to a caller that names no format.
export {
  ReportSchema,
  RowSchema,
  OutcomeSchema,
  type Report,
  type ReportInput,
  type Row,
  type Outcome,
  type Applications,
  type FullRow,
  type FullOutcome,
  type ResolvedApplications,
  type ResolvedReport,
} from './gov-2021/index.js';
