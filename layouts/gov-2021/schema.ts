/**
 * The model of gov-2021 (docs/model.md) as one zod schema: the single source of the types, the
 * validation and the published JSON Schema. Unknown keys are errors; counts are non-negative safe
 * integers; the fee keeps the decimal string the user typed. The fields of the tables are the
 * form's (form.ts), named there once.
 */
import { z } from 'zod';
import { Count, Decimal, Paragraphs, reportSchema, Sections } from '../kit.js';
import { applicants, documentColumns, documentRows, outcomeBlocks, outcomes, table3Groups } from './form.js';

/** An object with one field of type `t` per key, in the keys' order. */
const keyed = <const K extends string, T extends z.ZodType>(keys: readonly K[], t: T) =>
  Object.fromEntries(keys.map((k) => [k, t])) as { [P in K]: T };

export const RowSchema = z.strictObject({ ...keyed(applicants, Count), total: Count.optional() });

export const OutcomeSchema = z.strictObject({ ...keyed(outcomes, Count), total: Count.optional() });

const Documents = z.strictObject(keyed(documentColumns, Count));

type Leaves<G extends keyof typeof table3Groups> = (typeof table3Groups)[G][1][number][0];
const group = <G extends keyof typeof table3Groups>(g: G) =>
  z.strictObject(
    keyed(
      table3Groups[g][1].map(([k]) => k as Leaves<G>),
      RowSchema,
    ),
  );

export const ReportSchema = reportSchema(z.enum(['gov-2021']).default('gov-2021'), {
  overview: z.strictObject({
    intro: Paragraphs.optional(),
    sections: Sections,
  }),
  proactive: z.strictObject({
    ...keyed(
      documentRows.map(([k]) => k),
      Documents,
    ),
    licensing: Count,
    punishment: Count,
    enforcement: Count,
    fees: Decimal,
  }),
  applications: z.strictObject({
    received: RowSchema,
    carriedOver: RowSchema,
    granted: RowSchema,
    partiallyGranted: RowSchema,
    denied: group('denied'),
    unableToProvide: group('unableToProvide'),
    notProcessed: group('notProcessed'),
    otherHandling: group('otherHandling'),
    total: RowSchema.optional(),
    carriedForward: RowSchema,
  }),
  reviewsAndLawsuits: z.strictObject(keyed(outcomeBlocks, OutcomeSchema)),
  problems: Paragraphs,
  other: Sections,
});

/** A report as the user wrote it (totals optional). */
export type ReportInput = z.input<typeof ReportSchema>;
/** A parsed report: defaults applied, fee normalised to a string; totals may still be absent. */
export type Report = z.output<typeof ReportSchema>;
export type Row = z.output<typeof RowSchema>;
export type Outcome = z.output<typeof OutcomeSchema>;
export type Applications = Report['applications'];

export type FullRow = Row & { total: number };
export type FullOutcome = Outcome & { total: number };
type Full<T> = { [K in keyof T]-?: T[K] extends Row | undefined ? FullRow : T[K] extends object ? Full<T[K]> : T[K] };
export type ResolvedApplications = Full<Applications>;
/** A resolved report (its title set, every total present), typed. */
export type ResolvedReport = Omit<Report, 'title' | 'applications' | 'reviewsAndLawsuits'> & {
  title: string;
  applications: ResolvedApplications;
  reviewsAndLawsuits: { [K in keyof Report['reviewsAndLawsuits']]: FullOutcome };
};
