/**
 * The report model (docs/model.md) as one zod schema: the single source of the types, the validation
 * and the published JSON Schema. Unknown keys are errors; counts are non-negative safe integers;
 * the fee keeps the decimal string the user typed.
 */
import { z } from 'zod';

/**
 * Limits that keep a hand-made file from tying up the machine (issue: hardening). The totals
 * bound the whole document, whatever the parts: time and memory grow with them linearly.
 */
export const LIMITS = {
  fileBytes: 5 * 1024 * 1024,
  paragraphChars: 5_000,
  paragraphs: 2_000,
  headingChars: 200,
  agencyChars: 100,
  sections: 100,
  /** Paragraphs of the whole report (前言, 一, 五, 六 together). */
  totalParagraphs: 2_000,
  /** Subsection headings of the whole report (一 and 六 together). */
  totalSections: 100,
  /** Characters of all text (title, paragraphs, headings, signature) together. */
  totalChars: 200_000,
} as const;

export const FORMATS = ['gov-2021'] as const;
export const MIN_YEAR = 2008;

/**
 * The largest count: no office handles 10^12 requests, and with every cell at most this, every
 * sum of the tables (≤ 200 cells) stays an exact integer (below 2^53).
 */
export const MAX_COUNT = 1_000_000_000_000;
const Count = z.int().nonnegative().max(MAX_COUNT);

/** C0 and C1 control characters (tab and newline included: a paragraph is one line of text). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
/** Part and subsection numbers that the generator adds itself. */
export const LEADING_NUMBER = /^\s*(?:[（(][一二三四五六七八九十百]+[）)]|[一二三四五六七八九十百]+[、.．]|\d+[、.．]|[（(]\d+[）)])/u;

const Text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !CONTROL.test(s), { params: { xxgk: 'control' } });

const Paragraphs = z.array(Text(LIMITS.paragraphChars)).max(LIMITS.paragraphs);

const Heading = Text(LIMITS.headingChars)
  .refine((s) => s.trim().length > 0, { params: { xxgk: 'empty' } })
  .refine((s) => !LEADING_NUMBER.test(s), { params: { xxgk: 'numbered' } });

const Section = z.strictObject({ heading: Heading, paragraphs: Paragraphs });

export const RowSchema = z.strictObject({
  naturalPerson: Count,
  commercial: Count,
  research: Count,
  publicInterest: Count,
  legalService: Count,
  other: Count,
  total: Count.optional(),
});

export const OutcomeSchema = z.strictObject({
  upheld: Count,
  corrected: Count,
  other: Count,
  pending: Count,
  total: Count.optional(),
});

const Documents = z.strictObject({ issued: Count, repealed: Count, inForce: Count });

/**
 * 本年收费金额（万元）: kept exactly as typed. A JSON number in a file keeps its text too (load.ts puts
 * the token's text here); a number in an object handed to the library is printed as JavaScript writes it.
 */
export const FEE_PATTERN = /^(?:0|[1-9]\d{0,15})(?:\.\d{1,12})?$/;
const Fee = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
  .refine((s) => FEE_PATTERN.test(s), { params: { xxgk: 'fee' } });

export const ReportSchema = z.strictObject({
  $schema: z.string().optional(),
  format: z.enum(FORMATS).default('gov-2021'),
  agency: Text(LIMITS.agencyChars).refine((s) => s.trim().length > 0, { params: { xxgk: 'empty' } }),
  year: z
    .int()
    .min(MIN_YEAR)
    .max(new Date().getFullYear() + 1),
  title: Text(LIMITS.headingChars)
    .refine((s) => s.trim().length > 0, { params: { xxgk: 'empty' } })
    .optional(),
  preface: Paragraphs,
  overview: z.strictObject({
    intro: Paragraphs.optional(),
    sections: z.array(Section).max(LIMITS.sections),
  }),
  proactive: z.strictObject({
    regulations: Documents,
    normativeDocuments: Documents,
    licensing: Count,
    punishment: Count,
    enforcement: Count,
    fees: Fee,
  }),
  applications: z.strictObject({
    received: RowSchema,
    carriedOver: RowSchema,
    granted: RowSchema,
    partiallyGranted: RowSchema,
    denied: z.strictObject({
      stateSecret: RowSchema,
      prohibitedByLaw: RowSchema,
      threeSecurityOneStability: RowSchema,
      thirdPartyRights: RowSchema,
      internalAffairs: RowSchema,
      processInformation: RowSchema,
      lawEnforcementFiles: RowSchema,
      administrativeQuery: RowSchema,
    }),
    unableToProvide: z.strictObject({ notHeld: RowSchema, needsCreation: RowSchema, unclearAfterCorrection: RowSchema }),
    notProcessed: z.strictObject({
      petitionOrComplaint: RowSchema,
      duplicate: RowSchema,
      publication: RowSchema,
      excessive: RowSchema,
      confirmation: RowSchema,
    }),
    otherHandling: z.strictObject({ noCorrection: RowSchema, feeUnpaid: RowSchema, other: RowSchema }),
    total: RowSchema.optional(),
    carriedForward: RowSchema,
  }),
  reviewsAndLawsuits: z.strictObject({
    review: OutcomeSchema,
    lawsuitDirect: OutcomeSchema,
    lawsuitAfterReview: OutcomeSchema,
  }),
  problems: Paragraphs,
  other: z.array(Section).max(LIMITS.sections),
  signature: z
    .strictObject({
      name: Text(LIMITS.agencyChars).refine((s) => s.trim().length > 0, { params: { xxgk: 'empty' } }),
      date: z.iso.date(),
    })
    .optional(),
});

/** A report as the user wrote it (totals optional). */
export type ReportInput = z.input<typeof ReportSchema>;
/** A parsed report: defaults applied, fee normalised to a string; totals may still be absent. */
export type Report = z.output<typeof ReportSchema>;
export type Row = z.output<typeof RowSchema>;
export type Outcome = z.output<typeof OutcomeSchema>;
export type Applications = Report['applications'];

/** The JSON Schema of the input, for editors (`xxgk schema`). */
export function jsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ReportSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
