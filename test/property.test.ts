/**
 * Property-based tests (fast-check): random consistent reports always render in both formats
 * with every number in its cell; a random single-cell change is caught by exactly the rules an
 * independent arithmetic oracle says it breaks; random JSON never crashes the parser.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeDocx } from '../src/docx/index.js';
import type { TableIR } from '../src/layout/ir.js';
import { parseReportValue } from '../src/model/load.js';
import { writePdf } from '../src/pdf/index.js';
import { prepare } from '../src/app/render.js';
import { runRules } from '../src/rules/index.js';
import { docxParts, wordTables } from './helpers/docx.js';
import { misplacedValues, words } from './helpers/pdf.js';
import { blank } from './helpers/reports.js';

const COLS = ['naturalPerson', 'commercial', 'research', 'publicInterest', 'legalService', 'other'] as const;
const GROUPS = {
  denied: [
    'stateSecret',
    'prohibitedByLaw',
    'threeSecurityOneStability',
    'thirdPartyRights',
    'internalAffairs',
    'processInformation',
    'lawEnforcementFiles',
    'administrativeQuery',
  ],
  unableToProvide: ['notHeld', 'needsCreation', 'unclearAfterCorrection'],
  notProcessed: ['petitionOrComplaint', 'duplicate', 'publication', 'excessive', 'confirmation'],
  otherHandling: ['noCorrection', 'feeUnpaid', 'other'],
} as const;
type Json = Record<string, any>;

const SENTENCES = [
  '全年主动公开政府信息1280条，及时更新政策文件库。',
  '严格落实保密审查制度，坚持“先审查、后公开”。',
  '依申请公开办理规范有序，所有申请均在法定期限内答复。',
  '优化政府网站信息公开专栏，方便群众查询（http://www.example.gov.cn/）。',
  '加强业务培训，提升工作人员依法公开意识和能力。',
];
const paragraph = fc.array(fc.constantFrom(...SENTENCES), { minLength: 1, maxLength: 6 }).map((a) => a.join(''));
const small = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 99_999 }) },
);

/** A consistent report: the leaves, carried-forward and carried-over rows are random; received follows (R1). */
const report = fc
  .record({
    leaves: fc.array(fc.array(small, { minLength: 6, maxLength: 6 }), { minLength: 21, maxLength: 21 }),
    forward: fc.array(small, { minLength: 6, maxLength: 6 }),
    overShare: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }),
    outcomes: fc.array(fc.array(small, { minLength: 4, maxLength: 4 }), { minLength: 3, maxLength: 3 }),
    docs: fc.array(small, { minLength: 9, maxLength: 9 }),
    fee: fc.oneof(
      fc.constant('0'),
      fc.tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 0, max: 999999 })).map(([a, b]) => `${a}.${b}`),
    ),
    withTotals: fc.boolean(),
    problems: fc.array(paragraph, { minLength: 1, maxLength: 4 }),
    agency: fc.constantFrom('淮安市人民政府', '金乡县羊山镇人民政府', '国家税务总局淮安市清江浦区税务局', '江苏省自然资源厅'),
  })
  .map((g) => {
    const b: Json = blank(g.agency, 2024);
    const row = (vals: readonly number[]) => {
      const r: Json = Object.fromEntries(COLS.map((k, i) => [k, vals[i]!]));
      if (g.withTotals) r.total = vals.reduce((a, x) => a + x, 0);
      return r;
    };
    const a = b.applications;
    const leaves = g.leaves.map(row);
    a.granted = leaves[0];
    a.partiallyGranted = leaves[1];
    let i = 2;
    for (const [group, keys] of Object.entries(GROUPS)) for (const k of keys) a[group][k] = leaves[i++];
    const sums = COLS.map((_, c) => g.leaves.reduce((s, l) => s + l[c]!, 0));
    if (g.withTotals) a.total = row(sums);
    else delete a.total;
    a.carriedForward = row(g.forward);
    const over = COLS.map((_, c) => Math.floor((sums[c]! + g.forward[c]!) * g.overShare[c]!));
    a.carriedOver = row(over);
    a.received = row(COLS.map((_, c) => sums[c]! + g.forward[c]! - over[c]!));
    b.reviewsAndLawsuits = Object.fromEntries(
      ['review', 'lawsuitDirect', 'lawsuitAfterReview'].map((k, j) => {
        const [upheld, corrected, other, pending] = g.outcomes[j]!;
        const o: Json = { upheld, corrected, other, pending };
        if (g.withTotals) o.total = upheld! + corrected! + other! + pending!;
        return [k, o];
      }),
    );
    const [ri, rr, rf, ni, nr, nf, lic, pun, enf] = g.docs;
    b.proactive = {
      regulations: { issued: ri, repealed: rr, inForce: rf },
      normativeDocuments: { issued: ni, repealed: nr, inForce: nf },
      licensing: lic,
      punishment: pun,
      enforcement: enf,
      fees: g.fee,
    };
    b.problems = g.problems;
    return b;
  });

/** The rules as plain arithmetic over the JSON, written independently of src/rules. */
function oracle(b: Json): Set<string> {
  const broken = new Set<string>();
  const a = b.applications;
  const rows: Json[] = [
    a.received,
    a.carriedOver,
    a.granted,
    a.partiallyGranted,
    ...Object.keys(GROUPS).flatMap((g) => Object.values(a[g]) as Json[]),
    a.carriedForward,
    ...(a.total ? [a.total] : []),
  ];
  const leaves: Json[] = [a.granted, a.partiallyGranted, ...Object.keys(GROUPS).flatMap((g) => Object.values(a[g]) as Json[])];
  const val = (r: Json, c: string) => (c === 'total' ? (r.total ?? COLS.reduce((s, k) => s + r[k], 0)) : r[c]);
  for (const c of [...COLS, 'total']) {
    const total = a.total ? val(a.total, c) : leaves.reduce((s, r) => s + val(r, c), 0);
    if (val(a.received, c) + val(a.carriedOver, c) !== total + val(a.carriedForward, c)) broken.add('R1');
    if (a.total && val(a.total, c) !== leaves.reduce((s, r) => s + val(r, c), 0)) broken.add('R2');
  }
  for (const r of rows) if (r.total !== undefined && r.total !== COLS.reduce((s, k) => s + r[k], 0)) broken.add('R3');
  for (const o of Object.values(b.reviewsAndLawsuits) as Json[])
    if (o.total !== undefined && o.total !== o.upheld + o.corrected + o.other + o.pending) broken.add('R4');
  return broken;
}

/** Every numeric leaf of Tables 3 and 4, as a path. */
function numberPaths(b: Json): string[][] {
  const out: string[][] = [];
  const walk = (o: Json, path: string[]) => {
    for (const [k, v] of Object.entries(o)) {
      if (typeof v === 'number') out.push([...path, k]);
      else if (v && typeof v === 'object') walk(v, [...path, k]);
    }
  };
  walk(b.applications, ['applications']);
  walk(b.reviewsAndLawsuits, ['reviewsAndLawsuits']);
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'xxgk-prop-'));
let runs = 0;

/**
 * Seeds vary from run to run, so each run tries new reports; fast-check prints the seed and path of
 * a failure, and XXGK_PROPERTY_SEED=<seed> replays it. XXGK_PROPERTY_RUNS sets how many reports
 * the rendering property draws (CI draws more).
 */
const seed = process.env.XXGK_PROPERTY_SEED ? { seed: Number(process.env.XXGK_PROPERTY_SEED) } : {};
const renderRuns = Number(process.env.XXGK_PROPERTY_RUNS || 12);
if (!Number.isInteger(renderRuns) || renderRuns < 1)
  throw new Error(`XXGK_PROPERTY_RUNS must be a positive whole number, not "${process.env.XXGK_PROPERTY_RUNS}"`);

describe('properties', () => {
  it(
    'random consistent reports pass the rules and render both formats with every number in its cell',
    async () => {
      await fc.assert(
        fc.asyncProperty(report, async (json) => {
          const parsed = parseReportValue(json);
          if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => d.message).join('\n'));
          expect(runRules(parsed.report).filter((d) => d.severity === 'error')).toEqual([]);
          const { ir, fonts } = prepare(parsed.report);
          const file = join(dir, `r${runs++}.pdf`);
          writeFileSync(file, await writePdf(ir, fonts));
          const { misplaced, checked } = misplacedValues({ ir, words: await words(file) });
          expect(misplaced).toEqual([]);
          expect(checked).toBe(200);
          const tables = ir.blocks.flatMap((b) => (b.type === 'group' ? b.blocks : [b])).filter((b): b is TableIR => b.type === 'table');
          const word = wordTables(docxParts(await writeDocx(ir, fonts, { fonts: 'none' }))['word/document.xml']!);
          word.forEach((t, i) => expect(t.cells).toEqual(tables[i]!.cells.map(({ r, c, rs, cs, text }) => ({ r, c, rs, cs, text }))));
        }),
        { numRuns: renderRuns, ...seed },
      );
    },
    Math.max(60_000, renderRuns * 10_000),
  );

  it('a single changed cell is caught by the rules it breaks, and by no other', () => {
    fc.assert(
      fc.property(report, fc.nat(), fc.integer({ min: 1, max: 500 }), (json, pick, delta) => {
        const paths = numberPaths(json);
        const path = paths[pick % paths.length]!;
        let cur = json;
        for (const k of path.slice(0, -1)) cur = cur[k];
        const key = path.at(-1)!;
        cur[key] = cur[key] >= delta && pick % 2 ? cur[key] - delta : cur[key] + delta;
        const parsed = parseReportValue(json);
        if (!parsed.ok) throw new Error('a count stayed a count');
        const codes = new Set(
          runRules(parsed.report)
            .filter((d) => d.severity === 'error')
            .map((d) => d.code),
        );
        // (A change to a cell no rule covers — Table 4 without its 总计 — breaks nothing, and nothing is reported.)
        expect(codes).toEqual(oracle(json));
      }),
      { numRuns: 400, ...seed },
    );
  });

  it('arbitrary JSON never crashes the parser: it is a report or a list of diagnostics', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          report.chain((r) => fc.constant(r)).map((r) => ({ ...r, year: 'x' })),
        ),
        (value) => {
          const r = parseReportValue(value);
          if (!r.ok) for (const d of r.diagnostics) expect(d.message.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 500, ...seed },
    );
  });
});
