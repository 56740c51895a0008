/**
 * The building blocks of a format's model schema (zod), shared by every format: counts, the
 * decimal amount kept as written, text with its limits, paragraphs, numbered sections, and the
 * envelope every report has (format, agency, year, title, preface, signature). A format's
 * `schema.ts` puts its own fields between the envelope's head and its signature with `reportSchema`.
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
  /** Paragraphs of the whole report (the preface and every part's paragraphs together). */
  totalParagraphs: 2_000,
  /** Subsection headings of the whole report (every part's sections together). */
  totalSections: 100,
  /** Characters of all text (title, paragraphs, headings, signature) together. */
  totalChars: 200_000,
} as const;

export const MIN_YEAR = 2008;

/**
 * The largest count: no office handles 10^12 requests, and with every cell at most this, every
 * sum of the tables (≤ 200 cells) stays an exact integer (below 2^53).
 */
export const MAX_COUNT = 1_000_000_000_000;
export const Count = z.int().nonnegative().max(MAX_COUNT);

/** C0 and C1 control characters (tab and newline included: a paragraph is one line of text). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
/** Part and subsection numbers that the generator adds itself. */
export const LEADING_NUMBER = /^\s*(?:[（(][一二三四五六七八九十百]+[）)]|[一二三四五六七八九十百]+[、.．]|\d+[、.．]|[（(]\d+[）)])/u;

export const Text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !CONTROL.test(s), { params: { xxgk: 'control' } });

export const Paragraphs = z.array(Text(LIMITS.paragraphChars)).max(LIMITS.paragraphs);

const Heading = Text(LIMITS.headingChars)
  .refine((s) => s.trim().length > 0, { params: { xxgk: 'empty' } })
  .refine((s) => !LEADING_NUMBER.test(s), { params: { xxgk: 'numbered' } });

export const Section = z.strictObject({ heading: Heading, paragraphs: Paragraphs });
export const Sections = z.array(Section).max(LIMITS.sections);

/**
 * A decimal amount (本年收费金额（万元）): kept exactly as typed. A JSON number in a file keeps its
 * text too (the model's reader puts the token's text here); a number in an object handed to the
 * library is printed as JavaScript writes it.
 */
export const FEE_PATTERN = /^(?:0|[1-9]\d{0,15})(?:\.\d{1,12})?$/;
export const Decimal = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
  .refine((s) => FEE_PATTERN.test(s), { params: { xxgk: 'fee' } });

const NonEmpty = (max: number) => Text(max).refine((s) => s.trim().length > 0, { params: { xxgk: 'empty' } });

/**
 * The schema of a report: the envelope's head (`$schema`, `format`, `agency`, `year`, `title`,
 * `preface`), the format's own fields in order, then `signature`. `format` is the schema of the
 * `format` field, `z.enum([id])` (with `.default(id)` for the default format only: a report
 * without `format` is one of the default format).
 */
export function reportSchema<F extends z.ZodType, S extends z.core.$ZodLooseShape>(format: F, fields: S) {
  return z.strictObject({
    $schema: z.string().optional(),
    format,
    agency: NonEmpty(LIMITS.agencyChars),
    year: z
      .int()
      .min(MIN_YEAR)
      .max(new Date().getFullYear() + 1),
    title: NonEmpty(LIMITS.headingChars).optional(),
    preface: Paragraphs,
    ...fields,
    signature: z
      .strictObject({
        name: NonEmpty(LIMITS.agencyChars),
        date: z.iso.date(),
      })
      .optional(),
    // Set by `xxgk sum` on the summaries it writes (docs/model.md): a summary is never summed again.
    summaryOf: z.strictObject({ members: z.int().min(1).max(1_000_000) }).optional(),
  });
}
