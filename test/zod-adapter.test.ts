/**
 * Contract of src/model/zod-adapter.ts with zod: the field names known at a JSON path, through
 * the wrappers the report schema uses (strict objects, arrays, optional, default, nullable), on a
 * schema written here and on the report schema at paths whose fields docs/model.md (the public
 * model contract) lists.
 */
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ReportSchema } from '../src/model/schema.js';
import { knownKeys } from '../src/model/zod-adapter.js';

const sorted = (keys: string[]) => [...keys].sort();

describe('zod schema walking (src/model/zod-adapter.ts)', () => {
  it('finds the keys through objects, arrays and wrappers of a schema of its own', () => {
    const Item = z.strictObject({ name: z.string(), size: z.number().optional() });
    const schema = z.strictObject({
      a: z.strictObject({ b: z.strictObject({ c: z.number(), d: z.string() }) }),
      list: z.array(Item).max(3),
      maybe: z.strictObject({ x: z.number() }).optional(),
      withDefault: z.strictObject({ y: z.number() }).default({ y: 1 }),
      nullable: z.strictObject({ z: z.number() }).nullable().optional(),
      nested: z.array(z.array(Item)),
    });
    expect(knownKeys(schema, [])).toEqual(['a', 'list', 'maybe', 'withDefault', 'nullable', 'nested']);
    expect(knownKeys(schema, ['a'])).toEqual(['b']);
    expect(knownKeys(schema, ['a', 'b'])).toEqual(['c', 'd']);
    expect(knownKeys(schema, ['list', 2])).toEqual(['name', 'size']);
    expect(knownKeys(schema, ['nested', 0, 1])).toEqual(['name', 'size']);
    expect(knownKeys(schema, ['maybe'])).toEqual(['x']);
    expect(knownKeys(schema, ['withDefault'])).toEqual(['y']);
    expect(knownKeys(schema, ['nullable'])).toEqual(['z']);
    // Not an object, or not there: no keys.
    expect(knownKeys(schema, ['a', 'b', 'c'])).toEqual([]);
    expect(knownKeys(schema, ['list'])).toEqual([]);
    expect(knownKeys(schema, ['nope', 'deeper'])).toEqual([]);
    expect(knownKeys(schema, ['a', 0])).toEqual([]);
  });

  it('knows the report fields of docs/model.md at their paths', () => {
    const at = (...path: PropertyKey[]) => sorted(knownKeys(ReportSchema, path));
    expect(at()).toEqual(
      sorted([
        '$schema',
        'format',
        'agency',
        'year',
        'title',
        'preface',
        'overview',
        'proactive',
        'applications',
        'reviewsAndLawsuits',
        'problems',
        'other',
        'signature',
        // docs/model.md: the mark `xxgk sum` puts on the summaries it writes.
        'summaryOf',
      ]),
    );
    const row = sorted(['naturalPerson', 'commercial', 'research', 'publicInterest', 'legalService', 'other', 'total']);
    expect(at('applications', 'received')).toEqual(row);
    expect(at('applications', 'denied', 'stateSecret')).toEqual(row);
    expect(at('applications', 'total')).toEqual(row);
    expect(at('applications', 'unableToProvide')).toEqual(sorted(['notHeld', 'needsCreation', 'unclearAfterCorrection']));
    expect(at('reviewsAndLawsuits', 'lawsuitAfterReview')).toEqual(sorted(['upheld', 'corrected', 'other', 'pending', 'total']));
    expect(at('proactive', 'regulations')).toEqual(sorted(['issued', 'repealed', 'inForce']));
    expect(at('overview')).toEqual(sorted(['intro', 'sections']));
    expect(at('overview', 'sections', 3)).toEqual(sorted(['heading', 'paragraphs']));
    expect(at('other', 0)).toEqual(sorted(['heading', 'paragraphs']));
    expect(at('signature')).toEqual(sorted(['name', 'date']));
    expect(at('agency')).toEqual([]);
  });
});
