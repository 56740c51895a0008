/**
 * The review's checks on reports with planted problems, and on the clean samples (which must give
 * no review finding: their text agrees with their tables, and what every report shares is not a copy).
 */
import { describe, expect, it } from 'vitest';
import { type ReviewDocument, review } from '../src/app/review/review.js';
import { statementsOf } from '../src/app/review/statements.js';
import { matchUnits, parseRosterText, unitKey } from '../src/app/review/units.js';
import { parsed, readJson } from './helpers/reports.js';

const sample = (name: string) => readJson(`samples/${name}.json`);
const doc = (json: Record<string, any>, file: string): ReviewDocument => ({ file, report: parsed(json) });
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));
const REVIEW_CODES = ['TEXT_TABLE', 'TEXT_REPEAT', 'CROSS_UNIT_COPY', 'EMPTY_PART', 'PLAUSIBILITY', 'LATE'];

describe('the clean samples', () => {
  it('give no review finding, with last year matched by agency', () => {
    const names = ['huaian-2024', 'jiangsu-long-2024', 'qingjiang-bureau-2024', 'yangshan-2024'];
    const result = review(
      names.map((n) => doc(sample(n), `${n}.json`)),
      [doc(sample('huaian-2023'), 'huaian-2023.json')],
    );
    expect(result.findings.filter((f) => REVIEW_CODES.includes(f.code))).toEqual([]);
    expect(result.units.find((u) => u.unit === '淮安市人民政府')?.previousFile).toBe('huaian-2023.json');
    // R8 (the overview's length) is the only rule finding, as `validate` gives it.
    expect(result.findings.map((f) => `${f.unit} ${f.code}`)).toEqual(['江苏省自然资源厅 R8']);
  });
});

describe('TEXT_TABLE: numbers in the text against the tables', () => {
  it('reads what the sample says, number by number', () => {
    const text = sample('huaian-2024').overview.sections[1].paragraphs[0] as string;
    const found = statementsOf(text, 2024).map((s) => `${s.measure}=${s.value}`);
    expect(found).toEqual([
      'received=417',
      'carriedOver=15',
      'concluded=415',
      'granted=167',
      'partiallyGranted=26',
      'denied=30',
      'unableToProvide=133',
      'notProcessed=37',
      'otherHandling=22',
      'carriedForward=17',
    ]);
  });

  it('reports a planted contradiction with both numbers and where they are', () => {
    const json = clone(sample('huaian-2024'));
    const p = json.overview.sections[1].paragraphs;
    p[0] = p[0].replace('新收政府信息公开申请417件', '新收政府信息公开申请471件');
    json.proactive.normativeDocuments.issued = 24; // the text says 25
    json.proactive.normativeDocuments.inForce += 1;
    const { findings } = review([doc(json, 'h.json')], []);
    const tt = findings.filter((f) => f.code === 'TEXT_TABLE');
    expect(tt).toHaveLength(2);
    expect(tt[0]).toMatchObject({ severity: 'error', path: 'overview.sections[0].paragraphs[0]' });
    expect(tt[0]!.message).toContain('行政规范性文件25件');
    expect(tt[0]!.message).toContain('表二 行政规范性文件 / 本年制发件数 为 24');
    expect(tt[1]).toMatchObject({ path: 'overview.sections[1].paragraphs[0]', evidence: { kind: 'numbers', text: 471, table: 417 } });
    expect(tt[1]!.message).toContain('（二）依申请公开');
  });

  it("reads a count that includes last year's carried-over applications as such", () => {
    const json = clone(sample('huaian-2024'));
    // 417 new + 15 carried over = 432.
    json.overview.sections[1].paragraphs[0] = '全年共收到政府信息公开申请432件（含上年结转15件），均已按时答复。';
    expect(review([doc(json, 'h.json')], []).findings.filter((f) => f.code === 'TEXT_TABLE')).toEqual([]);
    json.overview.sections[1].paragraphs[0] = '全年共收到政府信息公开申请430件（含上年结转15件），均已按时答复。';
    const tt = review([doc(json, 'h.json')], []).findings.filter((f) => f.code === 'TEXT_TABLE');
    expect(tt.map((f) => f.evidence)).toMatchObject([{ kind: 'numbers', text: 430, table: 417 }]);
  });

  it('never compares what counts something else', () => {
    const year = 2024;
    const none = [
      '12345政务服务便民热线受理群众诉求3000件，办结率100%。',
      '全年办理人大代表建议312件、政协提案405件，均已按期办结。',
      '全年主动公开政府信息12640条，其中政策文件486件。',
      '全年新收政府信息公开申请较上年增加20件。',
      '全市各级行政机关共收到政府信息公开申请900件。',
      '2023年共收到政府信息公开申请40件。',
      '其中自然人申请364件，法人或其他组织申请53件。',
      '全年收到政府信息公开申请417人次。',
      '全县共制发行政规范性文件30件。',
      '规章2件、行政规范性文件25件已纳入数据库。',
    ];
    for (const t of none) expect(statementsOf(t, year), t).toEqual([]);
    expect(statementsOf('全年共受理政府信息公开申请36件。', year)).toMatchObject([{ measure: 'received', value: 36 }]);
    expect(statementsOf('印发规范性文件3件，其中行政规范性文件2件。', year)).toMatchObject([{ measure: 'normativeIssued', value: 2 }]);
    expect(statementsOf('收到行政复议申请2件，被提起行政诉讼1件。', year)).toMatchObject([
      { measure: 'review', value: 2 },
      { measure: 'lawsuit', value: 1 },
    ]);
    expect(statementsOf('清理废止行政规范性文件9件，现行有效行政规范性文件86件。', year)).toMatchObject([
      { measure: 'normativeRepealed', value: 9 },
      { measure: 'normativeInForce', value: 86 },
    ]);
  });
});

describe('TEXT_REPEAT: text copied from last year', () => {
  it('reports a part copied with only its year changed, with the share and the passages', () => {
    const before = sample('huaian-2023');
    const now = clone(sample('huaian-2024'));
    now.problems = before.problems.map((p: string) => p.replaceAll('2023', '2024'));
    const { findings } = review([doc(now, 'now.json')], [doc(before, 'before.json')]);
    const rep = findings.filter((f) => f.code === 'TEXT_REPEAT');
    expect(rep).toHaveLength(1);
    expect(rep[0]).toMatchObject({ where: '五、存在的主要问题及改进情况', severity: 'warning' });
    const ev = rep[0]!.evidence;
    expect(ev?.kind).toBe('passage');
    if (ev?.kind !== 'passage') return;
    expect(ev.share).toBeGreaterThan(0.95);
    expect(ev.passages[0]!.text.length).toBeGreaterThan(20);
    expect(before.problems.join('').replaceAll('2023', '2024')).toContain(ev.passages[0]!.text);
  });

  it('takes the threshold from the options', () => {
    const before = sample('huaian-2023');
    const now = clone(sample('huaian-2024'));
    // Half of 五 copied: the first paragraph from last year, the second this year's own.
    now.problems = [before.problems[0].replaceAll('2023', '2024'), now.problems[1]];
    const at = (threshold: number) =>
      review([doc(now, 'now.json')], [doc(before, 'before.json')], { repeatThreshold: threshold }).findings.filter(
        (f) => f.code === 'TEXT_REPEAT',
      );
    expect(at(0.9)).toEqual([]);
    expect(at(0.2)).toHaveLength(1);
  });
});

describe('CROSS_UNIT_COPY: the same passage in two units', () => {
  it('names both units and the passage; a different unit of the same set is not involved', () => {
    const a = clone(sample('huaian-2024'));
    const b = clone(sample('qingjiang-bureau-2024'));
    const c = clone(sample('yangshan-2024'));
    b.problems = [a.problems[1].replaceAll('我市', '我局')];
    const { findings } = review([doc(a, 'a.json'), doc(b, 'b.json'), doc(c, 'c.json')], []);
    const copies = findings.filter((f) => f.code === 'CROSS_UNIT_COPY');
    expect(copies.map((f) => f.unit).sort()).toEqual(['淮安市人民政府', '淮安市清江浦区市场监督管理局']);
    expect(copies[0]!.message).toMatch(/与 淮安市/u);
  });
});

describe('EMPTY_PART, PLAUSIBILITY, LATE', () => {
  it('finds an empty part, a token part, a jump and a late date', () => {
    const before = sample('huaian-2023');
    const now = clone(sample('huaian-2024'));
    now.problems = [];
    now.other = [{ heading: '其他事项', paragraphs: ['无。'] }];
    now.proactive.licensing = before.proactive.licensing * 10 + 100;
    now.signature.date = '2025-02-15';
    const { findings } = review([doc(now, 'now.json')], [doc(before, 'before.json')]);
    const by = (code: string) => findings.filter((f) => f.code === code);
    expect(by('EMPTY_PART').map((f) => `${f.severity} ${f.where}`)).toEqual([
      'error 五、存在的主要问题及改进情况',
      'warning 六、其他需要报告的事项',
    ]);
    expect(
      by('PLAUSIBILITY')
        .map((f) => f.path)
        .sort(),
    ).toEqual(['other', 'proactive.licensing']);
    expect(by('LATE')[0]!.message).toBe('发布日期 2025-02-15（取自落款日期）晚于截止日期 2025-01-31');
    expect(review([doc(now, 'now.json')], [], { deadline: '2025-03-01' }).findings.some((f) => f.code === 'LATE')).toBe(false);
  });
});

describe('units: the roster and last year, matched without guessing', () => {
  it('normalises spaces and 人民政府 / 办公室 variants, and nothing else', () => {
    expect(unitKey('淮安市 人民政府')).toBe(unitKey('淮安市政府'));
    expect(unitKey('清江浦区人民政府办公室')).toBe(unitKey('清江浦区政府办'));
    expect(unitKey('淮安市人民政府')).not.toBe(unitKey('淮阴区人民政府'));
    const m = matchUnits(['淮安市政府', '某某局'], [{ n: '淮安市人民政府' }, { n: '某某局' }, { n: '某 某 局' }], (x) => x.n);
    expect(m.matched.get('淮安市政府')).toEqual({ n: '淮安市人民政府' });
    expect(m.ambiguous.get('某某局')).toHaveLength(2);
  });

  it('lists missing units, unknown ones and unreadable documents', () => {
    const roster = parseRosterText('单位名称\n淮安市政府\n淮安市清江浦区市场监督管理局\n淮安市教育局\n');
    expect(roster).toEqual(['淮安市政府', '淮安市清江浦区市场监督管理局', '淮安市教育局']);
    const unreadable: ReviewDocument = {
      file: 'scan.pdf',
      problems: [{ code: 'SCANNED', severity: 'error', path: '$', message: '扫描件' }],
    };
    const { units, findings } = review([doc(sample('huaian-2024'), 'h.json'), doc(sample('yangshan-2024'), 'y.json'), unreadable], [], {
      roster,
    });
    const codes = findings.map((f) => `${f.code} ${f.unit}`);
    expect(codes).toContain('MISSING_UNIT 淮安市清江浦区市场监督管理局');
    expect(codes).toContain('MISSING_UNIT 淮安市教育局');
    expect(codes).toContain('UNKNOWN_UNIT 金乡县羊山镇人民政府');
    expect(codes).toContain('UNREADABLE scan.pdf');
    expect(units.map((u) => u.status).slice(0, 3)).toEqual(['missing', 'missing', 'unreadable']);
    expect(units.find((u) => u.unit === '淮安市人民政府')).toMatchObject({ rosterName: '淮安市政府', status: 'ok' });
  });

  it('reads a CSV roster by its name column', () => {
    expect(parseRosterText('序号,单位名称,联系人\n1,"某某县人民政府",张三\n2,某某县教育局,李四\n')).toEqual([
      '某某县人民政府',
      '某某县教育局',
    ]);
  });
});

describe('a format other than gov-2021', () => {
  it('is reviewed by its own parts, and never compared with cells it does not have', async () => {
    const { registerFormat } = await import('../layouts/index.js');
    const { mini, MINI } = await import('./fixtures/formats/mini/index.js');
    registerFormat(mini);
    const report = (summary: string[]) => ({
      format: MINI,
      agency: '测试市信访局',
      year: 2025,
      preface: [],
      summary,
      counts: { consult: { online: 12, offline: 3 }, complaint: { online: 5, offline: 7 } },
    });
    // A sentence that would be a contradiction in a gov-2021 report (its table has no such cell).
    const stated = review([doc(report(['全年新收政府信息公开申请99件，办结99件。']), 'm.json')], []);
    expect(stated.findings.filter((f) => ['TEXT_TABLE', 'PLAUSIBILITY'].includes(f.code))).toEqual([]);
    const empty = review([doc(report([]), 'm.json')], []);
    expect(empty.findings.filter((f) => f.code === 'EMPTY_PART').map((f) => `${f.severity} ${f.where}`)).toEqual(['error 一、工作概述']);
  });
});
