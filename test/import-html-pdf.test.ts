/** Importing LibreOffice's HTML and PDF of the filled template: the same numbers and text as the DOCX. */
import { describe, expect, it } from 'vitest';
import { importReport, readDocument } from '../src/readers/index.js';
import { pageTexts } from './helpers/pdf.js';
import { expectAllNumbers, expectSameText, fixture, fixtureJson, FIXTURES, makePdf } from './helpers/import.js';

describe.each(['html', 'pdf'])('import %s made by LibreOffice', (ext) => {
  it.each(['template-filled', 'template-messy'])('%s: all 200 numbers, agency, year, every paragraph', async (name) => {
    const source = fixtureJson(`${name}.json`);
    const { report, gaps } = await importReport(fixture(`${name}.${ext}`), `${name}.${ext}`);
    expect(gaps).toEqual([]);
    expect(expectAllNumbers(report, source)).toBe(200);
    expectSameText(report as any, source);
  });
});

describe('import PDF', () => {
  it('joins Table 3 split across two pages without a repeated header', async () => {
    const pages = (await pageTexts(`${FIXTURES}template-messy.pdf`)).map((t) => t.replace(/\s+/gu, ''));
    const first = pages.findIndex((t) => t.includes('一、本年新收'));
    const last = pages.findIndex((t) => t.includes('四、结转下年度继续办理'));
    expect(last).toBeGreaterThan(first); // the table really breaks
    expect(pages[last]).not.toContain('申请人情况'); // and its header is not repeated
    const { blocks } = await readDocument(fixture('template-messy.pdf'), 'm.pdf');
    const tables = blocks.filter((b) => b.kind === 'table');
    expect(tables.map((t) => t.kind === 'table' && [t.rows, t.cols])).toEqual([
      [14, 4],
      [28, 10],
      [4, 15],
    ]);
  });

  it('keeps run-in headings as headings and their text as the first paragraph', async () => {
    const { report } = await importReport(fixture('template-messy.pdf'), 'm.pdf');
    const source = fixtureJson('template-messy.json');
    expect((report as any).overview.sections[0]).toEqual(source.overview.sections[0]);
    expect((report as any).overview.sections[0].heading).toBe('主动公开情况');
  });

  it('drops page numbers (`-3-`) and the running header, even between the fragments of a table', async () => {
    const pages = await pageTexts(`${FIXTURES}template-messy.pdf`);
    expect(pages[2]).toMatch(/-\s*3\s*-/u);
    expect(pages.filter((t) => t.includes('金乡县羊山镇人民政府政务公开')).length).toBeGreaterThan(3);
    const { blocks } = await readDocument(fixture('template-messy.pdf'), 'm.pdf');
    const texts = blocks.flatMap((b) => (b.kind === 'p' ? [b.text] : []));
    expect(texts.filter((t) => /^[-—\s\d]+$/u.test(t) || t.includes('金乡县羊山镇人民政府政务公开'))).toEqual([]);
  });

  it('refuses a scan: pages of images, no text layer (exit 2)', async () => {
    const scan = await makePdf({ image: fixture('scan-page.png') });
    await expect(importReport(scan, 'scan.pdf')).rejects.toMatchObject({
      kind: 'input',
      diagnostics: [{ code: 'SCAN', message: expect.stringContaining('扫描件，没有文字层，无法导入') }],
    });
  });

  it('refuses a password-protected PDF (exit 2)', async () => {
    const locked = await makePdf({ text: '一、总体情况', userPassword: 'secret' });
    await expect(importReport(locked, 'locked.pdf')).rejects.toMatchObject({ kind: 'input', diagnostics: [{ code: 'PASSWORD' }] });
  });

  it('refuses a .pdf that is really a PNG, and a PDF without any of the three tables', async () => {
    await expect(importReport(fixture('scan-page.png'), 'report.pdf')).rejects.toMatchObject({
      kind: 'input',
      diagnostics: [{ code: 'NOT_WHAT_IT_SAYS', message: '文件扩展名为 .pdf，但内容不是PDF（实际是PNG 图片），拒绝导入' }],
    });
    const text = await makePdf({ text: '某某县人民政府2024年度政府信息公开工作年度报告\n一、总体情况\n正文。' });
    await expect(importReport(text, 'notables.pdf')).rejects.toMatchObject({ kind: 'input', diagnostics: [{ code: 'NO_TABLES' }] });
  });
});

describe('import HTML from a portal', () => {
  it('a GB2312 page with navigation before the title: numbers, title and preface still right, the rest noted', async () => {
    const { execFileSync } = await import('node:child_process');
    const html = new TextDecoder()
      .decode(fixture('template-filled.html'))
      .replace('charset=utf-8', 'charset=gb2312')
      .replace(
        /<body[^>]*>/u,
        (b) => `${b}<div>首页 &gt; 政务公开 &gt; 政府信息公开年报</div><p>发布日期：2025-01-20　来源：市政府办公室</p>`,
      );
    const gb = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: html });
    const source = fixtureJson('template-filled.json');
    const { report, gaps, diagnostics } = await importReport(new Uint8Array(gb), 'portal.htm');
    expect(gaps).toEqual([]);
    expectAllNumbers(report, source);
    expectSameText(report as any, source);
    expect(diagnostics.map((d) => d.message)).toContain('标题之前的 2 段文字未导入：“首页 > 政务公开 > 政府信息公开年报”');
  });

  it('a page laid out with tables (navigation beside the content, the report inside a cell)', async () => {
    const html = new TextDecoder()
      .decode(fixture('template-filled.html'))
      .replace(/<body[^>]*>/u, (b) => `${b}<table><tr><td><p>首页</p><p>政务公开</p></td><td>`)
      .replace('</body>', '</td></tr></table></body>');
    const source = fixtureJson('template-filled.json');
    const { report, gaps } = await importReport(new TextEncoder().encode(html), 'layout.html');
    expect(gaps).toEqual([]);
    expectAllNumbers(report, source);
    expect((report as any).overview).toEqual(source.overview);
  });
});
