/**
 * The report model. Each format's zod schema lives in its module (layouts/<format>/schema.ts,
 * built from the shared pieces of layouts/kit.ts); this module gives the default format's schema
 * and types (`Report`: a report of the default format; code for every format takes `AnyReport`),
 * the types every format shares, and the JSON Schema of the input (`xxgk schema`).
 */
import { z } from 'zod';
import { formFor } from '../../layouts/index.js';

export { FEE_PATTERN, LEADING_NUMBER, LIMITS, MAX_COUNT, MIN_YEAR } from '../../layouts/kit.js';
export {
  ReportSchema,
  RowSchema,
  OutcomeSchema,
  type Report,
  type ReportInput,
  type Row,
  type Outcome,
  type Applications,
} from '../../layouts/index.js';
export type { AnyReport, ReportEnvelope } from '../form/index.js';

/** The JSON Schema of a format's input, for editors (`xxgk schema`); the default format's by default. */
export function jsonSchema(format?: string): Record<string, unknown> {
  return z.toJSONSchema(formFor(format).schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
