/** The mapper on the intermediate form: tables read by labels, whatever the document did to them. */
import { describe, expect, it } from 'vitest';
import type { Block, TableBlock } from '../src/import/blocks.js';
import { readDocx } from '../src/import/docx.js';
import { mapBlocks } from '../src/import/map.js';
import { expectAllNumbers, fixture, fixtureJson } from './helpers/import.js';

const source = fixtureJson('template-filled.json');
const blocks = (): Block[] => readDocx(fixture('template-filled.docx')).blocks;
const table = (bs: Block[], n: number) => bs.filter((b): b is TableBlock => b.kind === 'table')[n]!;

/** Split a table after row `at` into two blocks with `between` paragraphs; optionally repeat the header rows. */
function split(
  bs: Block[],
  n: number,
  at: number,
  options: { between?: string[]; repeatHeader?: number; dropSpannedText?: boolean } = {},
): Block[] {
  const t = table(bs, n);
  const head: TableBlock = { ...t, rows: at, cells: t.cells.filter((c) => c.r < at).map((c) => ({ ...c, rs: Math.min(c.rs, at - c.r) })) };
  const headerCopy = t.cells.filter((c) => c.r < (options.repeatHeader ?? 0)).map((c) => ({ ...c }));
  const off = options.repeatHeader ?? 0;
  const tail: TableBlock = {
    ...t,
    rows: t.rows - at + off,
    cells: [
      ...headerCopy,
      // Cells spanning the break start again on the new page, without their text (as LibreOffice prints them).
      ...t.cells
        .filter((c) => c.r < at && c.r + c.rs > at)
        .map((c) => ({ ...c, r: off, rs: c.r + c.rs - at, text: options.dropSpannedText ? '' : c.text })),
      ...t.cells.filter((c) => c.r >= at).map((c) => ({ ...c, r: c.r - at + off })),
    ],
  };
  const i = bs.indexOf(t);
  return [...bs.slice(0, i), head, ...(options.between ?? []).map((text): Block => ({ kind: 'p', text })), tail, ...bs.slice(i + 1)];
}

describe('import mapper', () => {
  it('joins Table 3 split inside a group, without the group label on the second part', () => {
    const { report, gaps } = mapBlocks(split(blocks(), 1, 20, { dropSpannedText: true }));
    expect(gaps).toEqual([]);
    expectAllNumbers(report, source);
  });

  it('joins Table 3 split with a repeated header and a page number between the parts', () => {
    const { report, gaps } = mapBlocks(split(blocks(), 1, 12, { repeatHeader: 3, between: ['- 3 -'] }));
    expect(gaps).toEqual([]);
    expectAllNumbers(report, source);
  });

  it('joins Table 2 split between blocks, and Table 4 split between its header and its numbers', () => {
    const { report, gaps } = mapBlocks(split(split(blocks(), 0, 7), 3, 3));
    expect(gaps).toEqual([]);
    expectAllNumbers(report, source);
  });

  it('finds rows by label, not position: Table 3 rows in another order are still read right', () => {
    const bs = blocks();
    const t = table(bs, 1);
    // Swap the rows （一）予以公开 (R5) and （二）部分公开 (R6): labels move with their numbers.
    for (const c of t.cells) if (c.c >= 1 && (c.r === 5 || c.r === 6)) c.r = c.r === 5 ? 6 : 5;
    const { report, gaps } = mapBlocks(bs);
    expect(gaps).toEqual([]);
    expectAllNumbers(report, source);
  });

  it('names a number it cannot read: table, row and column labels, the text, the JSON path', () => {
    const bs = blocks();
    const cell = table(bs, 1).cells.find((c) => c.r === 7 && c.c === 4)!;
    cell.text = '约10';
    const { gaps } = mapBlocks(bs);
    expect(gaps.map((g) => g.message)).toEqual([
      '表三 三、本年度办理结果 （三）不予公开 1.属于国家秘密 / 申请人情况 法人或其他组织 商业企业：单元格内容不是数字：“约10”（applications.denied.stateSecret.commercial）',
    ]);
  });

  it('a number cell merged with the row below (a lost border) is a gap for both rows, not one number', () => {
    const bs = blocks();
    const t = table(bs, 1);
    const upper = t.cells.find((c) => c.r === 7 && c.c === 3)!;
    t.cells = t.cells.filter((c) => !(c.r === 8 && c.c === 3));
    Object.assign(upper, { rs: 2, text: `${upper.text}${source.applications.denied.prohibitedByLaw.naturalPerson}` });
    const { gaps } = mapBlocks(bs);
    expect(gaps.map((g) => g.path)).toEqual([
      'applications.denied.stateSecret.naturalPerson',
      'applications.denied.prohibitedByLaw.naturalPerson',
    ]);
    expect(gaps[0]!.message).toContain('文档中这一格与上下行的格子连成一格（“3141”），无法分开');
  });

  it('a missing row is a gap per number; empty cells are 0 and said so', () => {
    const bs = blocks();
    const t = table(bs, 2);
    for (const c of t.cells) if (c.r === 3) c.text = '';
    const t3 = table(bs, 1);
    t3.cells = t3.cells.filter((c) => c.r !== 27);
    const { gaps, notes, report } = mapBlocks(bs);
    expect(gaps).toHaveLength(7);
    expect(gaps[0]!.message).toBe(
      '表三 四、结转下年度继续办理 / 申请人情况 自然人：文档的表格中找不到这一行（applications.carriedForward.naturalPerson）',
    );
    expect(notes.map((n) => n.message)).toContain(
      '15 个单元格在文档中为空，按 0 导入：表四 行政复议 结果维持；表四 行政复议 结果纠正；表四 行政复议 其他结果 等',
    );
    expect((report as any).reviewsAndLawsuits.review.upheld).toBe(0);
  });

  it.each([
    ['某县人民政府2024年度政府信息公开工作年度报告', undefined],
    ['某县人民政府2024年政府信息公开工作年度报告', '某县人民政府2024年政府信息公开工作年度报告'],
    ['某县人民政府 ２０２４ 年度政府信息公开年度报告', '某县人民政府 ２０２４ 年度政府信息公开年度报告'],
  ])('agency and year from the title %s (the title kept unless it is the default)', (title, kept) => {
    const bs = blocks().filter((b) => !(b.kind === 'p' && b.text.endsWith('年度报告')));
    bs.unshift({ kind: 'p', text: title });
    const { report } = mapBlocks(bs);
    expect([(report as any).agency, (report as any).year, (report as any).title]).toEqual(['某县人民政府', 2024, kept]);
  });

  it('a year it cannot find is a gap', () => {
    const bs = blocks().filter((b) => !(b.kind === 'p' && /年度报告$|统计期限/u.test(b.text)));
    const { gaps } = mapBlocks(bs);
    expect(gaps.map((g) => g.path)).toEqual(['year']);
  });

  it('skips a table of contents before the parts, and reads a date in Chinese numerals as the signature', () => {
    const bs = blocks();
    const title = bs.findIndex((b) => b.kind === 'p' && b.text.endsWith('年度报告'));
    const toc: Block[] = [
      '目录',
      '一、总体情况',
      '二、主动公开政府信息情况',
      '三、收到和处理政府信息公开申请情况',
      '四、政府信息公开行政复议、行政诉讼情况',
      '五、存在的主要问题及改进情况',
      '六、其他需要报告的事项',
    ].map((text) => ({ kind: 'p', text }));
    bs.splice(title + 1, 0, ...toc);
    const date = bs.findLastIndex((b) => b.kind === 'p' && b.text === '2025年1月20日');
    bs[date] = { kind: 'p', text: '二〇二五年一月二十日' };
    const { report, gaps, notes } = mapBlocks(bs);
    expect(gaps).toEqual([]);
    expect((report as any).preface).toEqual(source.preface);
    expect((report as any).overview).toEqual(source.overview);
    expect((report as any).signature).toEqual({ name: '淮安市人民政府办公室', date: '2025-01-20' });
    expect(notes.map((n) => n.message)).toContain('正文前的目录未导入');
  });

  it('a page footer after the signature is noted, not imported into 六', () => {
    const bs = [...blocks(), ...['网站标识码：3208000001', '主办单位：淮安市人民政府办公室'].map((text): Block => ({ kind: 'p', text }))];
    const { report, notes } = mapBlocks(bs);
    expect((report as any).signature).toEqual(source.signature);
    expect((report as any).other).toEqual(source.other);
    expect(notes.map((n) => n.message)).toContain('落款之后的 2 段文字未导入：“网站标识码：3208000001”');
  });

  it('（一） subsections of 五 stay as the first words of their paragraph (problems is a plain list)', () => {
    const bs = blocks();
    const five = bs.findIndex((b) => b.kind === 'p' && b.text === '五、存在的主要问题及改进情况');
    bs.splice(five + 1, 0, { kind: 'p', text: '（一）存在的主要问题' });
    const { report } = mapBlocks(bs);
    expect((report as any).problems).toEqual([`（一）存在的主要问题。${source.problems[0]}`, ...source.problems.slice(1)]);
  });
});

describe('import mapper on a real report', () => {
  it('reads a published WPS-made 2024 report as extracted text (merged cells lost): labels as that report spells them', async () => {
    const text = new TextDecoder().decode(fixture('seed-yangshan-2024.txt'));
    // Tab-separated lines are table rows (merged cells lost), runs of them one table; other lines paragraphs.
    const bs: Block[] = [];
    for (const line of text.split('\n')) {
      if (!line.includes('\t')) {
        if (line.trim()) bs.push({ kind: 'p', text: line.trim() });
        continue;
      }
      let t = bs.at(-1);
      if (t?.kind !== 'table') bs.push((t = { kind: 'table', rows: 0, cols: 0, cells: [] }));
      const cells = line.split('\t');
      cells.forEach((c, i) => c.trim() && t.cells.push({ r: t.rows, c: i, rs: 1, cs: 1, text: c }));
      t.rows++;
      t.cols = Math.max(t.cols, cells.length);
    }
    const { report, gaps, notes } = mapBlocks(bs);
    expect(gaps.map((g) => g.message)).toEqual([]);
    const r = report as any;
    expect([r.agency, r.year, r.title]).toEqual(['金乡县羊山镇人民政府', 2024, undefined]); // the title is the default one
    expect(r.overview.sections.map((s: { heading: string }) => s.heading)[0]).toBe('主动公开情况');
    expect(r.other).toHaveLength(5);
    expect(r.problems).toHaveLength(2);
    expect(r.applications.denied.prohibitedByLaw.total).toBe(0);
    expect(notes.map((n) => n.message).join('\n')).toContain('按该行数字的先后顺序读取');
  });
});
