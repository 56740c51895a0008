import { describe, expect, it } from 'vitest';
import { runRules } from '../src/rules/index.js';
import { blank, parsed } from './helpers/reports.js';

const row = (naturalPerson: number, commercial = 0, total?: number) => ({
  naturalPerson,
  commercial,
  research: 0,
  publicInterest: 0,
  legalService: 0,
  other: 0,
  ...(total === undefined ? {} : { total }),
});

/** A small consistent report: 10 received + 2 carried over = 9 handled + 3 carried forward (自然人 8+2, 商业企业 2). */
function consistent() {
  const b = blank();
  const a = b.applications;
  a.received = row(8, 2, 10);
  a.carriedOver = row(2, 0, 2);
  a.granted = row(5, 1, 6);
  a.partiallyGranted = row(1, 0, 1);
  a.unableToProvide.notHeld = row(2, 0, 2);
  a.total = row(8, 1, 9);
  a.carriedForward = row(2, 1, 3);
  b.reviewsAndLawsuits.review = { upheld: 2, corrected: 1, other: 0, pending: 1, total: 4 };
  return b;
}

const codes = (json: unknown, previous?: unknown) => runRules(parsed(json), previous ? { previous: parsed(previous) } : {});

describe('consistency rules R1–R8', () => {
  it('pass on consistent data', () => {
    expect(codes(consistent())).toEqual([]);
  });

  it('R1 names the column and both sums', () => {
    const b = consistent();
    b.applications.received = row(3035, 2, 3037);
    b.applications.carriedOver = row(1, 0, 1);
    b.applications.total = row(3034, 1, 3035);
    b.applications.granted = row(3027, 1, 3028);
    b.applications.carriedForward = row(0, 1, 1);
    const ds = codes(b).filter((d) => d.code === 'R1');
    expect(ds.map((d) => d.message)).toContain(
      '表三 自然人 列：第一项加第二项之和 3036 ≠ 第三项加第四项之和 3034（一、本年新收 3035 + 二、上年结转 1；（七）总计 3034 + 四、结转下年度继续办理 0）',
    );
    expect(ds.some((d) => d.message.startsWith('表三 总计 列'))).toBe(true);
    expect(ds.every((d) => d.severity === 'error')).toBe(true);
  });

  it('R2 checks a given （七）总计 against the leaf rows, column by column', () => {
    const b = consistent();
    b.applications.total = row(8, 2, 10);
    b.applications.carriedForward = row(2, 0, 2);
    const ds = codes(b).filter((d) => d.code === 'R2');
    expect(ds).toHaveLength(2);
    expect(ds[0]!.message).toBe(
      '表三 商业企业 列：（七）总计 2 ≠ 三、本年度办理结果（一）至（六）各项之和 1（合计与明细不符：可删除 total 让程序计算）',
    );
    expect(ds[0]!.path).toBe('applications.total.commercial');
  });

  it('R2 does not fire when （七）总计 is omitted (it is computed)', () => {
    const b = consistent();
    delete b.applications.total;
    expect(codes(b)).toEqual([]);
  });

  it('R3 checks every row total against its six columns', () => {
    const b = consistent();
    b.applications.denied.thirdPartyRights = row(1, 1, 3);
    const ds = codes(b).filter((d) => d.code === 'R3');
    expect(ds).toHaveLength(1);
    expect(ds[0]!.message).toContain('表三 （三）不予公开 4.保护第三方合法权益 行：总计 3 ≠');
    expect(ds[0]!.message).toContain('之和 2');
    expect(ds[0]!.path).toBe('applications.denied.thirdPartyRights.total');
  });

  it('R4 checks each block of Table 4', () => {
    const b = consistent();
    b.reviewsAndLawsuits.lawsuitAfterReview = { upheld: 1, corrected: 0, other: 0, pending: 2, total: 4 };
    const ds = codes(b).filter((d) => d.code === 'R4');
    expect(ds).toHaveLength(1);
    expect(ds[0]!.message).toContain('表四 行政诉讼 复议后起诉：总计 4 ≠');
    expect(ds[0]!.message).toContain('之和 3');
  });

  it('R5 compares this year’s 上年结转 with last year’s 结转下年度', () => {
    const previous = consistent();
    previous.year = 2023;
    previous.applications.carriedForward = row(2, 0, 2);
    previous.applications.total = row(8, 2, 10);
    previous.applications.granted = row(5, 2, 7);
    expect(codes(previous)).toEqual([]);
    const now = consistent();
    const ds = codes(now, previous);
    expect(ds.filter((d) => d.code === 'R5').map((d) => d.message)).toEqual([]);
    previous.applications.carriedForward = row(3, 0, 3);
    previous.applications.received = row(9, 2, 11);
    const bad = codes(now, previous).filter((d) => d.code === 'R5');
    expect(bad.map((d) => d.message)).toContain(
      '表三 自然人 列：本年“二、上年结转政府信息公开申请数量” 2 ≠ 2023年报告“四、结转下年度继续办理” 3',
    );
  });

  it('a previous report of the wrong year is an error', () => {
    const previous = consistent();
    previous.year = 2022;
    const ds = codes(consistent(), previous);
    expect(ds).toEqual([expect.objectContaining({ code: 'PREVIOUS', severity: 'error' })]);
    expect(ds[0]!.message).toContain('应为 2023 年');
  });

  it('R6 warns when 现行有效件数 does not follow from last year', () => {
    const previous = consistent();
    previous.year = 2023;
    previous.proactive.normativeDocuments = { issued: 0, repealed: 0, inForce: 40 };
    const now = consistent();
    now.proactive.normativeDocuments = { issued: 5, repealed: 2, inForce: 44 };
    const ds = codes(now, previous).filter((d) => d.code === 'R6');
    expect(ds).toHaveLength(1);
    expect(ds[0]!.severity).toBe('warning');
    expect(ds[0]!.message).toContain('表二 行政规范性文件：现行有效件数 44 ≠ 上年现行有效件数 40 + 本年制发件数 5 − 本年废止件数 2 = 43');
    now.proactive.normativeDocuments.inForce = 43;
    expect(codes(now, previous).filter((d) => d.code === 'R6')).toEqual([]);
  });

  it('R8 warns about an overlong 一、总体情况', () => {
    const b = consistent();
    b.overview.sections[0].paragraphs = ['政'.repeat(1200)];
    const ds = codes(b);
    expect(ds).toEqual([expect.objectContaining({ code: 'R8', severity: 'warning' })]);
    expect(ds[0]!.message).toContain('共 1237 字'); // 1200 + the five headings' 29 + the other four sections' 略。
  });

  it('warns when 六、其他需要报告的事项 does not report the information-processing fee', () => {
    const b = consistent();
    b.other = [{ heading: '人大代表建议和政协提案办理结果公开情况', paragraphs: ['无。'] }];
    const ds = codes(b);
    expect(ds).toEqual([expect.objectContaining({ code: 'FEE_SECTION', severity: 'warning', path: 'other' })]);
    expect(ds[0]!.message).toContain('信息处理费');
  });
  it('（七）总计 omitted: added up down its columns, 总计 included; a given row without its 总计: added up across', () => {
    // Omitted row, a leaf's given 总计 one too many: R3 names the leaf, and R1 sees the 总计 column
    // of （七） as the 21 leaf 总计 add up (10 ≠ 10 would hold with the row added up across).
    const omitted = consistent();
    delete omitted.applications.total;
    omitted.applications.granted = row(5, 1, 7);
    expect(codes(omitted).map((d) => d.message)).toEqual([
      '表三 总计 列：第一项加第二项之和 12 ≠ 第三项加第四项之和 13（一、本年新收 10 + 二、上年结转 2；（七）总计 10 + 四、结转下年度继续办理 3）',
      '表三 （一）予以公开 行：总计 7 ≠ 自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他之和 6（合计与明细不符：可删除 total 让程序计算）',
    ]);
    // Given row without its 总计, one 自然人 too many: its 总计 is added up across (10), and R2
    // compares it with the leaves down the 总计 column (9) as well as the 自然人 column.
    const across = consistent();
    across.applications.total = row(9, 1);
    expect(codes(across).map((d) => [d.code, d.path])).toEqual([
      ['R1', 'applications.*.naturalPerson'],
      ['R1', 'applications.*.total'],
      ['R2', 'applications.total.naturalPerson'],
      ['R2', 'applications.total.total'],
    ]);
    expect(codes(across).find((d) => d.path === 'applications.total.total')?.message).toBe(
      '表三 总计 列：（七）总计 10 ≠ 三、本年度办理结果（一）至（六）各项之和 9（合计与明细不符：可删除 total 让程序计算）',
    );
  });
});
