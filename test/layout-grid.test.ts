import { describe, expect, it } from 'vitest';
import { gov2021 } from '../layouts/gov-2021/index.js';
import { chineseNumeral, resolveGrid } from '../src/form/index.js';

const grid = (id: string) => resolveGrid(gov2021.tables[id]!);
const at = (id: string, r: number, c: number) => {
  const cell = grid(id).cells.find((x) => x.r === r && x.c === c);
  if (!cell) throw new Error(`${id}: no cell originates at R${r}C${c}`);
  return { text: cell.text, bind: cell.bind, rs: cell.rs, cs: cell.cs };
};

describe('gov-2021 official grids (docs/form.md)', () => {
  it('Table 2: 4 columns × 14 rows with its blocks', () => {
    const g = grid('table2');
    expect([g.rows, g.cols]).toEqual([14, 4]);
    expect(at('table2', 0, 0)).toMatchObject({ text: '第二十条第（一）项', cs: 4 });
    expect(['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'].map((_t, c) => at('table2', 1, c).text)).toEqual([
      '信息内容',
      '本年制发件数',
      '本年废止件数',
      '现行有效件数',
    ]);
    expect(at('table2', 3, 0).text).toBe('行政规范性文件');
    expect(at('table2', 3, 3).bind).toBe('proactive.normativeDocuments.inForce');
    expect(at('table2', 5, 1)).toMatchObject({ text: '本年处理决定数量', cs: 3 });
    expect(at('table2', 6, 1)).toMatchObject({ bind: 'proactive.licensing', cs: 3 });
    expect(at('table2', 10, 0).text).toBe('行政强制');
    expect(at('table2', 12, 1)).toMatchObject({ text: '本年收费金额（单位：万元）', cs: 3 });
    expect(at('table2', 13, 1)).toMatchObject({ bind: 'proactive.fees', cs: 3 });
  });

  it('Table 3: 10 columns × 28 rows, the 22-row span and the group spans', () => {
    const g = grid('table3');
    expect([g.rows, g.cols]).toEqual([28, 10]);
    expect(at('table3', 0, 0)).toMatchObject({
      text: '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）',
      rs: 3,
      cs: 3,
    });
    expect(at('table3', 0, 3)).toMatchObject({ text: '申请人情况', cs: 7 });
    expect(at('table3', 1, 3)).toMatchObject({ text: '自然人', rs: 2 });
    expect(at('table3', 1, 4)).toMatchObject({ text: '法人或其他组织', cs: 5 });
    expect(at('table3', 1, 9)).toMatchObject({ text: '总计', rs: 2 });
    expect([4, 5, 6, 7, 8].map((c) => at('table3', 2, c).text)).toEqual(['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他']);
    expect(at('table3', 5, 0)).toMatchObject({ text: '三、本年度办理结果', rs: 22 });
    expect(at('table3', 7, 1)).toMatchObject({ text: '（三）不予公开', rs: 8 });
    expect(at('table3', 15, 1)).toMatchObject({ text: '（四）无法提供', rs: 3 });
    expect(at('table3', 18, 1)).toMatchObject({ text: '（五）不予处理', rs: 5 });
    expect(at('table3', 23, 1)).toMatchObject({ text: '（六）其他处理', rs: 3 });
    expect(at('table3', 24, 2).text).toBe('2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请');
    expect(at('table3', 26, 1)).toMatchObject({ text: '（七）总计', cs: 2 });
    expect(at('table3', 27, 0)).toMatchObject({ text: '四、结转下年度继续办理', cs: 3 });
    // Rows R3–R27 each have 7 data cells C3–C9.
    for (let r = 3; r < 28; r++) expect(g.cells.filter((x) => x.r === r && x.bind).map((x) => x.c)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(at('table3', 12, 9).bind).toBe('applications.denied.processInformation.total');
  });

  it('Table 4: 15 columns × 4 rows', () => {
    const g = grid('table4');
    expect([g.rows, g.cols]).toEqual([4, 15]);
    expect(at('table4', 0, 0)).toMatchObject({ text: '行政复议', cs: 5 });
    expect(at('table4', 0, 5)).toMatchObject({ text: '行政诉讼', cs: 10 });
    expect(at('table4', 1, 4)).toMatchObject({ text: '总计', rs: 2 });
    expect(at('table4', 1, 5)).toMatchObject({ text: '未经复议直接起诉', cs: 5 });
    expect(at('table4', 1, 10)).toMatchObject({ text: '复议后起诉', cs: 5 });
    expect(at('table4', 2, 13).text).toBe('尚未审结');
    expect(g.cells.filter((x) => x.r === 3).map((x) => x.bind)).toHaveLength(15);
    expect(at('table4', 3, 12).bind).toBe('reviewsAndLawsuits.lawsuitAfterReview.other');
  });

  it('labels use full-width brackets and no stray spaces', () => {
    for (const t of Object.values(gov2021.tables))
      for (const row of t.rows) for (const cell of row.cells) if (cell.text) expect(cell.text).not.toMatch(/[() ,:]/);
  });
});

describe('subsection numbers', () => {
  it.each([
    [1, '（一）'],
    [10, '（十）'],
    [11, '（十一）'],
    [19, '（十九）'],
    [20, '（二十）'],
    [21, '（二十一）'],
    [99, '（九十九）'],
    [100, '（一百）'],
    [101, '（一百零一）'],
    [110, '（一百一十）'],
    [111, '（一百一十一）'],
    [1000, '（一千）'],
    [1010, '（一千零一十）'],
  ])('the %ith subsection is %s', (n, expected) => {
    expect(gov2021.subsectionNumber(n - 1)).toBe(expected);
  });

  it('refuses a number outside what it can write', () => {
    expect(() => chineseNumeral(0)).toThrow(RangeError);
    expect(() => chineseNumeral(10_000)).toThrow(RangeError);
  });
});
