import { describe, expect, it } from 'vitest';
import { blankReport } from '../src/model/blank.js';
import { nextYearReport } from '../src/model/next-year.js';
import { runRules } from '../src/rules/index.js';
import { parsed, readJson } from './helpers/reports.js';

describe('nextYearReport', () => {
  const last = parsed(readJson('samples/huaian-2023.json'));
  const next = nextYearReport(last);

  it('carries 四、结转下年度继续办理 into 二、上年结转 and 现行有效件数, zeroes the rest', () => {
    expect(next.year).toBe(2024);
    expect(next.agency).toBe(last.agency);
    expect(next.applications.carriedOver).toEqual({
      naturalPerson: 12,
      commercial: 2,
      research: 0,
      publicInterest: 0,
      legalService: 1,
      other: 0,
    });
    // No 总计 written: computed, so a filled-in file has no stale total (issue 26, item 3).
    expect(next.applications.carriedOver.total).toBeUndefined();
    expect(next.proactive.regulations).toEqual({ issued: 0, repealed: 0, inForce: 37 });
    expect(next.proactive.normativeDocuments).toEqual({ issued: 0, repealed: 0, inForce: 296 });
    expect(next.proactive.licensing).toBe(0);
    expect(next.proactive.fees).toBe('0');
    expect(next.applications.received.naturalPerson).toBe(0);
    expect(next.reviewsAndLawsuits.review.total).toBeUndefined();
    expect(JSON.stringify(next)).not.toContain('"total"');
    expect(parsed(next).applications.carriedOver.total).toBeUndefined();
  });

  it('states nothing that may be false: the fee heading is there, no sentence under it (issue 26, item 4)', () => {
    // Last year's report charged a fee; the skeleton must not say none was charged this year.
    expect(JSON.stringify(next)).not.toContain('未收取');
    expect(next.other).toEqual([{ heading: '依据《政府信息公开信息处理费管理办法》收取信息处理费的情况', paragraphs: [] }]);
    // And the fee check fires until the clerk writes the sentence.
    const ds = runRules(parsed(next), { previous: last });
    expect(ds.find((d) => d.code === 'FEE_SECTION')).toMatchObject({ severity: 'warning', path: 'other' });
  });

  it('writes the text as blankReport does for the new year, without last year’s title or 落款', () => {
    const blank = blankReport(last.agency, 2024);
    expect(next.preface).toEqual(blank.preface);
    expect(next.overview).toEqual(blank.overview);
    expect(next.problems).toEqual([]);
    expect(next.other).toEqual(blank.other);
    expect(next.title).toBeUndefined();
    expect(next.signature).toBeUndefined();
  });

  it('is a valid report whose cross-year rules hold against last year (R5, R6), and R1 fails until filled', () => {
    const report = parsed(next);
    const ds = runRules(report, { previous: last });
    expect(ds.filter((d) => ['R5', 'R6', 'PREVIOUS'].includes(d.code))).toEqual([]);
    expect(ds.filter((d) => d.code === 'R1').map((d) => d.path)).toContain('applications.*.naturalPerson');
  });

  it('leaves 总计 of the carried row to the program when last year omitted it', () => {
    const json = readJson('samples/huaian-2023.json');
    delete json.applications.carriedForward.total;
    const report = nextYearReport(parsed(json));
    expect(report.applications.carriedOver.total).toBeUndefined();
    // …and R5 on the 总计 column still holds: the program's 总计 is 15 on both sides.
    expect(runRules(parsed(report), { previous: parsed(json) }).filter((d) => d.code === 'R5')).toEqual([]);
  });

  it('does not share objects with its input', () => {
    next.applications.carriedOver.naturalPerson = 99;
    expect(last.applications.carriedForward.naturalPerson).toBe(12);
  });
});
