import { describe, expect, it } from 'vitest';
import { parseJsonText, parseReportValue } from '../src/model/load.js';
import { resolve } from '../src/model/resolve.js';
import { gov2021 } from '../layouts/gov-2021/index.js';
import { blank, parsed } from './helpers/reports.js';

function errors(json: unknown) {
  const r = parseReportValue(json);
  if (r.ok) throw new Error('expected the schema to reject this input');
  return r.diagnostics;
}

describe('report schema', () => {
  it('accepts the blank report and applies the default format', () => {
    const b = blank();
    delete b.format;
    expect(parsed(b).format).toBe('gov-2021');
  });

  it('rejects an unknown key and suggests the misspelt one', () => {
    const b = blank();
    b.applications.recieved = b.applications.received;
    delete b.applications.received;
    const ds = errors(b);
    const unknown = ds.find((d) => d.path === 'applications.recieved')!;
    expect(unknown.message).toContain('未知字段 "recieved"');
    expect(unknown.message).toContain('是否应为 "received"');
    const missing = ds.find((d) => d.path === 'applications.received')!;
    expect(missing.message).toContain('表三 一、本年新收政府信息公开申请数量');
    expect(missing.message).toContain('缺少此项');
  });

  it('rejects a negative count naming the cell by its official labels', () => {
    const b = blank();
    b.applications.denied.stateSecret.naturalPerson = -2;
    const [d] = errors(b);
    expect(d!.code).toBe('R7');
    expect(d!.path).toBe('applications.denied.stateSecret.naturalPerson');
    expect(d!.message).toContain('表三 三、本年度办理结果 （三）不予公开 1.属于国家秘密');
    expect(d!.message).toContain('自然人');
    expect(d!.message).toContain('-2');
  });

  it('rejects a fractional count', () => {
    const b = blank();
    b.proactive.licensing = 1.5;
    const [d] = errors(b);
    expect(d!.path).toBe('proactive.licensing');
    expect(d!.message).toContain('表二 行政许可');
    expect(d!.message).toContain('应为非负整数，实际为 1.5');
  });

  it('rejects a count given as a string', () => {
    const b = blank();
    b.reviewsAndLawsuits.review.upheld = '3';
    const [d] = errors(b);
    expect(d!.message).toContain('表四 行政复议 结果维持');
    expect(d!.message).toContain('"3"');
  });

  it('rejects a count beyond the safe-integer range', () => {
    const b = blank();
    b.applications.received.other = 2 ** 60;
    expect(errors(b)[0]!.message).toContain('超过上限 1000000000000');
  });

  it('rejects each missing part with its official label', () => {
    for (const [key, label] of [
      ['proactive', '二、主动公开政府信息情况'],
      ['applications', '三、收到和处理政府信息公开申请情况'],
      ['reviewsAndLawsuits', '四、政府信息公开行政复议、行政诉讼情况'],
      ['problems', '五、存在的主要问题及改进情况'],
      ['other', '六、其他需要报告的事项'],
      ['agency', '机关名称'],
      ['year', '报告年度'],
    ] as const) {
      const b = blank();
      delete b[key];
      const ds = errors(b);
      expect(ds.map((d) => d.message).join('\n')).toContain(`${label}：缺少此项`);
    }
  });

  it('keeps the fee as typed and rejects malformed fees', () => {
    for (const fee of ['0.50', '96171.6', '24252.311082', '0']) {
      const b = blank();
      b.proactive.fees = fee;
      expect(parsed(b).proactive.fees).toBe(fee);
    }
    const n = blank();
    n.proactive.fees = 96171.6;
    expect(parsed(n).proactive.fees).toBe('96171.6');
    for (const fee of ['12,3', '-1', '1e5', '', '十万', -1]) {
      const b = blank();
      b.proactive.fees = fee;
      const [d] = errors(b);
      expect(d!.path).toBe('proactive.fees');
      expect(d!.message).toContain('收费金额应为非负十进制数');
    }
  });

  it('rejects a heading that already carries its number', () => {
    for (const heading of ['（一）主动公开', '一、主动公开', '1.主动公开', '(二)依申请公开']) {
      const b = blank();
      b.overview.sections[0].heading = heading;
      const [d] = errors(b);
      expect(d!.path).toBe('overview.sections[0].heading');
      expect(d!.message).toContain('小标题不应自带编号');
    }
  });

  it('rejects control characters and a paragraph list given as a string', () => {
    const b = blank();
    b.problems = ['第一行\n第二行'];
    expect(errors(b)[0]!.message).toContain('控制字符 U+000A');
    const c = blank();
    c.problems = '一段文字';
    expect(errors(c)[0]!.message).toContain('段落应写成数组');
  });

  it('rejects a year out of range and an unknown format', () => {
    const b = blank();
    b.year = 2007;
    expect(errors(b)[0]!.message).toContain('报告年度：应在 2008 年至');
    const c = blank();
    c.format = 'gov-2030';
    expect(errors(c)[0]!.message).toContain('未知的格式 "gov-2030"');
  });

  it('rejects non-objects and reads JSON with a BOM', () => {
    expect(errors([])[0]!.message).toContain('顶层应为对象');
    expect(errors(null)[0]!.message).toContain('顶层应为对象');
    const text = `\uFEFF${JSON.stringify(blank())}`;
    const json = parseJsonText(new TextEncoder().encode(text));
    expect(json.ok).toBe(true);
    const bad = parseJsonText(new TextEncoder().encode('{"agency": }'));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.diagnostics[0]!.message).toContain('第 1 行');
    const empty = parseJsonText(new TextEncoder().encode('\uFEFF'));
    expect(!empty.ok && empty.diagnostics[0]!.message).toContain('文件为空');
  });
});

describe('computed totals', () => {
  it('computes omitted totals and keeps given ones', () => {
    const b = blank();
    b.applications.granted = { naturalPerson: 3, commercial: 2, research: 0, publicInterest: 0, legalService: 1, other: 0 };
    delete b.applications.total;
    b.reviewsAndLawsuits.review = { upheld: 1, corrected: 2, other: 0, pending: 1 };
    const r = resolve(parsed(b), gov2021.defaultTitle);
    expect(r.applications.granted.total).toBe(6);
    expect(r.applications.total).toMatchObject({ naturalPerson: 3, commercial: 2, legalService: 1, total: 6 });
    expect(r.reviewsAndLawsuits.review.total).toBe(4);
    expect(r.title).toBe('测试县人民政府2024年度政府信息公开工作年度报告');
  });
});
