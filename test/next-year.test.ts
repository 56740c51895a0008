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
      total: 15,
    });
    expect(next.proactive.regulations).toEqual({ issued: 0, repealed: 0, inForce: 37 });
    expect(next.proactive.normativeDocuments).toEqual({ issued: 0, repealed: 0, inForce: 296 });
    expect(next.proactive.licensing).toBe(0);
    expect(next.proactive.fees).toBe('0');
    expect(next.applications.received.naturalPerson).toBe(0);
    expect(next.reviewsAndLawsuits.review.total).toBe(0);
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

  it('computes 总计 of the carried row when last year omitted it', () => {
    const json = readJson('samples/huaian-2023.json');
    delete json.applications.carriedForward.total;
    expect(nextYearReport(parsed(json)).applications.carriedOver.total).toBe(15);
  });

  it('does not share objects with its input', () => {
    next.applications.carriedOver.naturalPerson = 99;
    expect(last.applications.carriedForward.naturalPerson).toBe(12);
  });
});
