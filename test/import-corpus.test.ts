/**
 * The import corpus (test/fixtures/import-corpus/, made by its make.py the way portals make
 * documents, not by our writers): each class of variant of issue 24 read fully, every tolerance
 * said in a warning naming the cell and what was printed, and no number ever guessed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { convertDoc, findSoffice } from '../src/import/doc.js';
import { readDocument, readReport } from '../src/readers/index.js';
import { expectAllNumbers, expectSameText } from './helpers/import.js';
import { pageTexts } from './helpers/pdf.js';
import { ROOT } from './helpers/reports.js';

const CORPUS = `${ROOT}test/fixtures/import-corpus/`;
const bytes = (name: string) => new Uint8Array(readFileSync(`${CORPUS}${name}`));
const expected = (name: string) => JSON.parse(readFileSync(`${CORPUS}${name.replace(/\.\w+$/u, '')}.expected.json`, 'utf8'));
const read = async (name: string) => readReport(bytes(name), name);
const messages = (ds: { message: string }[]) => ds.map((d) => d.message);

describe('import corpus: every document imports fully, with the numbers it prints', () => {
  it.each(['cms-title-variants.html', 'cms-department.html', 'cms-single6-zero.html', 'lo-department.docx', 'lo-department.pdf'])(
    '%s',
    async (name) => {
      const r = await read(name);
      const want = expected(name);
      expect(messages(r.gaps)).toEqual([]);
      expect(expectAllNumbers(r.report, want)).toBe(200);
      expectSameText(r.report as any, want);
      expect((r.report as any).title).toBe(want.title);
    },
  );
});

describe('class 1: variant and old labels, a missing 规章 row, （六）其他处理 as one row', () => {
  it('an older label is read with a warning naming the cell and what was printed', async () => {
    for (const name of ['cms-title-variants.html', 'lo-department.docx', 'lo-department.pdf']) {
      const r = await read(name);
      expect(messages(r.notes)).toContain('表二“行政规范性文件”印作“规范性文件”（旧称或另一种写法），按“行政规范性文件”读取');
    }
  });

  it('a typo inside an identified table is read with a warning naming the cell; 1、 for 1. is counted once', async () => {
    const r = await read('cms-title-variants.html');
    expect(messages(r.notes)).toContain(
      '表三“2.其他法律行政法规禁止公开”印作“2、其他法律行政止公开”（与正式标签相近，疑为笔误），按“2.其他法律行政法规禁止公开”读取',
    );
    // 1、 for 1. is not a typo: said once for the table, not cell by cell.
    expect(messages(r.notes).join('\n')).not.toContain('1.属于国家秘密');
    expect(messages(r.notes)).toContain('表三有 1 个标签的序号或括号与正式标签写法不同（如“1、属于国家秘密”），按正式标签读取');
    expect((r.report as any).applications.denied.prohibitedByLaw.naturalPerson).toBe(41);
  });

  it('a header cell with a typo (法人或其它组织) is read with a warning naming it', async () => {
    const html = readFileSync(`${CORPUS}cms-department.html`, 'utf8').replace('>法人或其他组织<', '>法人或其它组织<');
    const r = await readReport(new TextEncoder().encode(html), 'x.html');
    expect(messages(r.gaps)).toEqual([]);
    expect(expectAllNumbers(r.report, expected('cms-department.html'))).toBe(200);
    expect(messages(r.notes)).toContain('表三表头“法人或其他组织”印作“法人或其它组织”（与正式标签相近，疑为笔误），按“法人或其他组织”读取');
  });

  it('a label too far from any official one stays a gap, never a guess', async () => {
    const html = readFileSync(`${CORPUS}cms-title-variants.html`, 'utf8').replace('2、其他法律行政止公开', '2、其他原因');
    const r = await readReport(new TextEncoder().encode(html), 'x.html');
    const paths = r.gaps.map((g) => g.path);
    expect(paths).toContain('applications.denied.prohibitedByLaw.naturalPerson');
    expect(paths.every((p) => p.startsWith('applications.denied.prohibitedByLaw.'))).toBe(true);
  });

  it('a table 2 without the 规章 row reads it as 0, with a warning', async () => {
    for (const name of ['cms-department.html', 'lo-department.docx', 'lo-department.pdf']) {
      const r = await read(name);
      expect((r.report as any).proactive.regulations).toEqual({ issued: 0, repealed: 0, inForce: 0 });
      expect(messages(r.notes)).toContain('表二中没有“规章”这一行，按 0 导入');
    }
  });

  it('（六）其他处理 printed as one row with numbers: they go to 3.其他, with a warning that the document does not split them', async () => {
    const r = await read('lo-department.pdf');
    const oh = (r.report as any).applications.otherHandling;
    // 191…196 + 201…206 + 211…216 in the filled template: the one row prints their sums.
    expect(oh.other).toEqual({
      naturalPerson: 603,
      commercial: 606,
      research: 609,
      publicInterest: 612,
      legalService: 615,
      other: 618,
      total: 3663,
    });
    expect(oh.noCorrection.total).toBe(0);
    expect(oh.feeUnpaid.naturalPerson).toBe(0);
    expect(
      messages(r.notes).find((m) => m.startsWith('表三“（六）其他处理”印作一行，文档没有分列其下 3 行：这一行的数字按“3.其他”导入')),
    ).toBeTruthy();
  });

  it('（六）其他处理 printed as one row of zeros (blank cells): its three rows are 0', async () => {
    const r = await read('cms-single6-zero.html');
    for (const leaf of Object.values((r.report as any).applications.otherHandling) as Record<string, number>[])
      expect(Object.values(leaf).every((v) => v === 0)).toBe(true);
    expect(messages(r.notes)).toContain('表三“（六）其他处理”印作一行（未分列其下 3 行），且数字均为 0：其下各行均按 0 导入');
  });

  it('another group printed as one row is not split by guess: its rows are gaps', async () => {
    const html = readFileSync(`${CORPUS}cms-department.html`, 'utf8');
    // （四）无法提供 as one row: the form does not say which of its rows would take the numbers.
    const start = html.indexOf('<tr><td rowspan="3" style="border:1px solid #000">（四）无法提供');
    const end = html.indexOf('<tr><td rowspan="5"', start);
    const merged = `${html.slice(0, start)}<tr><td colspan="2">（四）无法提供</td>${'<td>9</td>'.repeat(7)}</tr>${html.slice(end)}`;
    const r = await readReport(new TextEncoder().encode(merged), 'x.html');
    expect(r.gaps.map((g) => g.path).filter((p) => p.startsWith('applications.unableToProvide.')).length).toBe(21);
    expect(JSON.stringify((r.report as any).applications.unableToProvide)).not.toContain('9');
  });

  it('part headings are found by their number and key words, with a warning', async () => {
    const a = messages((await read('cms-title-variants.html')).notes);
    expect(a).toContain('第4部分的标题印作“四、政府信息公开行政法复议、行政诉讼情况”，按“四、政府信息公开行政复议、行政诉讼情况”读取');
    expect(a).toContain('第5部分的标题印作“五、政府信息公开工作存在的主要问题及改进情况”，按“五、存在的主要问题及改进情况”读取');
    const b = messages((await read('cms-department.html')).notes);
    expect(b).toContain('第5部分的标题印作“五、存在的主要问题及整改措施”，按“五、存在的主要问题及改进情况”读取');
  });
});

describe('class 2: identity from wherever the document states it', () => {
  it('the title only in <title> (with the site name after it), the period written 统计期限为…', async () => {
    const r = await read('cms-title-variants.html');
    expect([r.report.agency, r.report.year]).toEqual(['淮安市人民政府', 2024]);
    expect(messages(r.notes)).toContain(
      '正文中没有标题，标题取自网页的标题：“淮安市人民政府2024年度政府信息公开工作年度报告_淮安市人民政府”',
    );
    expect(messages(r.notes)).toContain('网页的导航或发布信息未导入：“首页 > 政府信息公开 > 政府信息公开年报”');
  });

  it('the ArticleTitle meta when the page title says nothing; a title as printed is kept', async () => {
    const html = readFileSync(`${CORPUS}cms-department.html`, 'utf8').replace(/<div class="title">[\s\S]*?<\/div>/u, '');
    const r = await readReport(new TextEncoder().encode(html), 'x.html');
    expect(messages(r.gaps)).toEqual([]);
    expect([r.report.agency, r.report.year]).toEqual(['淮安市人民政府', 2024]);
    expect((await read('cms-single6-zero.html')).report.title).toBe('淮安市人民政府2024年政府信息公开工作年度报告');
  });

  it.each([
    // A department's title without its name: the agency from the signature, never the breadcrumb above it.
    ['2024年度政府信息公开工作年度报告', '淮安市人民政府办公室', '2024年度政府信息公开工作年度报告'],
    ['2024年度淮安市人民政府政府信息公开工作年度报告', '淮安市人民政府', '2024年度淮安市人民政府政府信息公开工作年度报告'],
    ['淮安市人民政府<br>2024年度政府信息公开工作年度报告', '淮安市人民政府', undefined],
    ['淮安市人民政府２０２４年度政府信息公开工作年度报告', '淮安市人民政府', '淮安市人民政府２０２４年度政府信息公开工作年度报告'],
  ])('the first heading “%s”: agency %s, the title kept as printed', async (heading, agency, title) => {
    const html = readFileSync(`${CORPUS}cms-department.html`, 'utf8')
      .replace(/<div class="title">[\s\S]*?<\/div>/u, `<h1>${heading}</h1>`)
      .replace(/<meta name="ArticleTitle"[^>]*>/u, '');
    const r = await readReport(new TextEncoder().encode(html), 'x.html');
    expect(messages(r.gaps)).toEqual([]);
    expect([r.report.agency, r.report.year, r.report.title]).toEqual([agency, 2024, title]);
    expect(r.report.preface[0]).toMatch(/^本报告由/u);
  });

  it.each([
    ['本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。', 2023],
    ['本报告统计期限为2023年1月1日至2023年12月31日。', 2023],
    ['报告中所列数据统计时限为2023年度。', 2023],
    ['本报告所列数据的统计时间从2023年1月1日到2023年12月31日。', 2023],
  ])('the year from the period sentence “%s”', async (sentence, year) => {
    // No title anywhere: the agency comes from the signature, the year from the period sentence.
    const html = readFileSync(`${CORPUS}cms-title-variants.html`, 'utf8')
      .replace(/<title>.*<\/title>/u, '<title>年报</title>')
      .replace('本报告统计期限为2024年1月1日至2024年12月31日。', sentence);
    const r = await readReport(new TextEncoder().encode(html), 'x.html');
    expect(r.report.year).toBe(year);
    expect(r.report.agency).toBe('淮安市人民政府办公室');
  });
});

describe('class 3: paragraphs rebuilt from the lines of a WPS-style PDF (make-wps-pdf.cjs)', () => {
  const name = 'wps-paragraphs.pdf';
  const want: string[] = JSON.parse(readFileSync(`${CORPUS}wps-paragraphs.expected.json`, 'utf8')).paragraphs;

  it('every paragraph whole: joined across justified lines and page breaks, split at short lines and indents', async () => {
    const { blocks } = await readDocument(bytes(name), name);
    expect(blocks.filter((b) => b.kind === 'p').map((b) => (b.kind === 'p' ? b.text : ''))).toEqual(want);
  });

  it('the PDF really runs paragraphs across page breaks', async () => {
    const pages = (await pageTexts(`${CORPUS}${name}`)).map((t) => t.replace(/\s+/gu, ''));
    expect(pages.length).toBe(4);
    // Some paragraph starts on one page and ends on the next.
    const split = want.filter((p) =>
      pages.some((t, i) => i + 1 < pages.length && !t.includes(p) && t.includes(p.slice(0, 20)) && pages[i + 1]!.includes(p.slice(-10))),
    );
    expect(split.length).toBeGreaterThan(0);
  });

  it('a loose line keeps no spaces between Han characters (址： 淮 安 市)', async () => {
    const text = execFileSync('pdftotext', ['-layout', `${CORPUS}${name}`, '-'], { encoding: 'utf8' });
    expect(text).toMatch(/址\s+：\s+淮\s+安\s+市/u); // the PDF spreads them
    const { blocks } = await readDocument(bytes(name), name);
    const p = blocks.find((b) => b.kind === 'p' && b.text.includes('地址'));
    expect(p?.kind === 'p' && p.text).toContain('（地址：淮安市清江浦区http://www.huaian.gov.cn/col/xxgk/index.html健康东路1号）');
  });
});

describe('class 4: legacy .doc (Word 97–2003) through LibreOffice', () => {
  const soffice = findSoffice();

  it.skipIf(!soffice)(
    'a .doc saved by LibreOffice imports fully, the conversion said in a note',
    async () => {
      const r = await read('lo-department.doc');
      expect(r.kind).toBe('doc');
      expect(messages(r.gaps)).toEqual([]);
      const want = expected('lo-department.doc');
      expect(expectAllNumbers(r.report, want)).toBe(200);
      expectSameText(r.report as any, want);
      expect(messages(r.notes)).toContain('旧版 Word 文档（.doc）已由 LibreOffice 转换为 DOCX 后读取');
    },
    120_000,
  );

  it('without LibreOffice, a .doc is refused naming the Debian package', async () => {
    const saved = process.env.XXGK_SOFFICE;
    process.env.XXGK_SOFFICE = '';
    try {
      await expect(read('lo-department.doc')).rejects.toMatchObject({
        kind: 'input',
        diagnostics: [expect.objectContaining({ code: 'NO_CONVERTER', message: expect.stringContaining('libreoffice-writer-nogui') })],
      });
    } finally {
      if (saved === undefined) delete process.env.XXGK_SOFFICE;
      else process.env.XXGK_SOFFICE = saved;
    }
  });

  it('a conversion that hangs is stopped at its time limit and refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xxgk-fake-soffice-'));
    const fake = join(dir, 'soffice');
    writeFileSync(fake, '#!/bin/sh\nsleep 30\n', { mode: 0o755 });
    const saved = process.env.XXGK_SOFFICE;
    process.env.XXGK_SOFFICE = fake;
    const started = Date.now();
    try {
      await expect(convertDoc(bytes('lo-department.doc'), 'x.doc', 500)).rejects.toMatchObject({
        diagnostics: [expect.objectContaining({ code: 'DOC_CONVERSION' })],
      });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      if (saved === undefined) delete process.env.XXGK_SOFFICE;
      else process.env.XXGK_SOFFICE = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a .doc name on other content is refused by what it really is', async () => {
    await expect(readReport(bytes('cms-department.html'), 'x.doc')).rejects.toMatchObject({
      diagnostics: [expect.objectContaining({ code: 'NOT_WHAT_IT_SAYS' })],
    });
  });
});
