/** Importing DOCX: the official WPS template filled in as a clerk would (scripts/fill-template.ts). */
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importReport } from '../src/readers/index.js';
import { readDocx } from '../src/import/docx.js';
import { expectAllNumbers, expectSameText, fixture, fixtureJson, NUMBER_PATHS } from './helpers/import.js';

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** The filled template with its n-th table removed, through the XML DOM. */
function withoutTable(bytes: Uint8Array, n: number): Uint8Array {
  const zip = unzipSync(bytes);
  const doc = new DOMParser().parseFromString(new TextDecoder().decode(zip['word/document.xml']), 'application/xml');
  const tbl = doc.getElementsByTagNameNS(W, 'tbl')[n]!;
  tbl.parentNode!.removeChild(tbl);
  zip['word/document.xml'] = strToU8(new XMLSerializer().serializeToString(doc));
  return zipSync(zip);
}

/** The filled template with Word's automatic numbering instead of typed 一、 and （一）. */
function autoNumbered(bytes: Uint8Array): Uint8Array {
  const zip = unzipSync(bytes);
  const parse = (name: string) => new DOMParser().parseFromString(new TextDecoder().decode(zip[name]), 'application/xml');
  const doc = parse('word/document.xml');
  let list = 1;
  for (const p of Array.from(doc.getElementsByTagNameNS(W, 'p'))) {
    const ts = Array.from(p.getElementsByTagNameNS(W, 't'));
    const text = ts.map((t) => t.textContent).join('');
    const part = /^[一二三四五六]、/u.exec(text);
    const section = /^（[一二三四五六七八九十]+）/u.exec(text);
    if (!ts.length || (!part && !section) || p.parentNode?.nodeName !== 'w:body') continue;
    if (part) list++; // each part's sections are a list of their own, numbered from （一）
    ts[0]!.textContent = ts[0]!.textContent!.slice((part ?? section)![0].length);
    const numPr = doc.createElementNS(W, 'w:numPr');
    const ilvl = doc.createElementNS(W, 'w:ilvl');
    ilvl.setAttributeNS(W, 'w:val', '0');
    const numId = doc.createElementNS(W, 'w:numId');
    numId.setAttributeNS(W, 'w:val', part ? '1' : String(list));
    numPr.appendChild(ilvl);
    numPr.appendChild(numId);
    const pPr = p.getElementsByTagNameNS(W, 'pPr')[0]!;
    pPr.insertBefore(numPr, pPr.firstChild);
  }
  zip['word/document.xml'] = strToU8(new XMLSerializer().serializeToString(doc));
  const abstract = (id: number, text: string) =>
    `<w:abstractNum w:abstractNumId="${id}"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="${text}"/></w:lvl></w:abstractNum>`;
  const nums = [`<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`];
  for (let n = 2; n <= list; n++) nums.push(`<w:num w:numId="${n}"><w:abstractNumId w:val="1"/></w:num>`);
  zip['word/numbering.xml'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="${W}">${abstract(0, '%1、')}${abstract(1, '（%1）')}${nums.join('')}</w:numbering>`,
  );
  return zipSync(zip);
}

/** The whole filled template moved into the one cell of a layout table. */
function inOneCell(bytes: Uint8Array): Uint8Array {
  const zip = unzipSync(bytes);
  const doc = new DOMParser().parseFromString(new TextDecoder().decode(zip['word/document.xml']), 'application/xml');
  const body = doc.getElementsByTagNameNS(W, 'body')[0]!;
  const [tbl, tr, tc] = ['w:tbl', 'w:tr', 'w:tc'].map((n) => doc.createElementNS(W, n));
  for (const child of Array.from(body.childNodes)) if (child.nodeName !== 'w:sectPr') tc!.appendChild(child);
  tc!.appendChild(doc.createElementNS(W, 'w:p'));
  tr!.appendChild(tc!);
  tbl!.appendChild(tr!);
  body.insertBefore(tbl!, body.firstChild);
  zip['word/document.xml'] = strToU8(new XMLSerializer().serializeToString(doc));
  return zipSync(zip);
}

describe('import DOCX', () => {
  it('has 200 numbers to read, from the form', () => {
    expect(NUMBER_PATHS).toHaveLength(200);
  });

  it('reads the filled official template: all 200 numbers, agency, year, every paragraph, signature', async () => {
    const source = fixtureJson('template-filled.json');
    const { report, gaps } = await importReport(fixture('template-filled.docx'), 'filled.docx');
    expect(gaps).toEqual([]);
    expect(expectAllNumbers(report, source)).toBe(200);
    expectSameText(report as any, source);
  });

  it('reads the messy variant: full-width digits, 1、 labels, a stray space, half-width brackets, run-in headings', async () => {
    const xml = new TextDecoder().decode(unzipSync(fixture('template-messy.docx'))['word/document.xml']);
    for (const mess of ['第二十条 第（一）项', '1、属于国家秘密', '2、其他法律法规禁止公开', '(一)予以公开', '２', '（一）主动公开情况。'])
      expect(xml.includes(mess), mess).toBe(true);
    const source = fixtureJson('template-messy.json');
    const { report, gaps } = await importReport(fixture('template-messy.docx'), 'messy.docx');
    expect(gaps).toEqual([]);
    expect(expectAllNumbers(report, source)).toBe(200);
    expectSameText(report as any, source);
  });

  it("reads Word's automatic numbering: 一、 and （一） that are not in the text", async () => {
    const bytes = autoNumbered(fixture('template-filled.docx'));
    const texts = readDocx(bytes).blocks.flatMap((b) => (b.kind === 'p' ? [b.text] : []));
    expect(new TextDecoder().decode(unzipSync(bytes)['word/document.xml'])).not.toContain('一、总体情况');
    expect(texts).toContain('一、总体情况'); // put back from numbering.xml
    expect(texts).toContain('（三）人大代表建议和政协提案办理结果公开情况');
    const source = fixtureJson('template-filled.json');
    const { report, gaps } = await importReport(bytes, 'numbered.docx');
    expect(gaps).toEqual([]);
    expectSameText(report as any, source);
  });

  it('reads a report laid out inside a one-cell table', async () => {
    const source = fixtureJson('template-filled.json');
    const { report, gaps } = await importReport(inOneCell(fixture('template-filled.docx')), 'cell.docx');
    expect(gaps).toEqual([]);
    expectAllNumbers(report, source);
    expectSameText(report as any, source);
  });

  it('rebuilds merged cells from gridSpan and vMerge', () => {
    const table3 = readDocx(fixture('template-filled.docx')).blocks.filter((b) => b.kind === 'table')[1]!;
    expect(table3.kind === 'table' && table3.cells.find((c) => c.text === '三、本年度办理结果')).toMatchObject({
      r: 5,
      c: 0,
      rs: 22,
      cs: 1,
    });
    expect(table3.kind === 'table' && table3.cells.find((c) => c.text.startsWith('（本列数据'))).toMatchObject({
      r: 0,
      c: 0,
      rs: 3,
      cs: 3,
    });
  });

  it('a missing Table 4 is a gap naming the table; the other numbers are still read', async () => {
    const source = fixtureJson('template-filled.json');
    const { report, gaps } = await importReport(withoutTable(fixture('template-filled.docx'), 2), 'no-table4.docx');
    expect(gaps.map((g) => g.message)).toEqual(['文档中找不到表四（四、政府信息公开行政复议、行政诉讼情况）：其中的数字均未导入']);
    expect((report as any).reviewsAndLawsuits.review).toEqual({ upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 });
    expect((report as any).applications.received).toEqual(source.applications.received);
  });

  it('refuses a document with none of the three tables (exit 2)', async () => {
    let bytes = fixture('template-filled.docx');
    for (let i = 0; i < 3; i++) bytes = withoutTable(bytes, 0);
    await expect(importReport(bytes, 'none.docx')).rejects.toMatchObject({ kind: 'input', diagnostics: [{ code: 'NO_TABLES' }] });
  });

  it('refuses a corrupt zip, a zip bomb, a zip that is not a DOCX, and a DOCX that is really a PNG', async () => {
    const good = fixture('template-filled.docx');
    const cut = good.slice(0, Math.floor(good.length / 2));
    await expect(importReport(cut, 'cut.docx')).rejects.toMatchObject({ kind: 'input', diagnostics: [{ code: 'CORRUPT' }] });
    // 60 MB of zeros compresses to ~60 KB: the directory's sizes give it away before inflating.
    const bomb = zipSync({ 'word/document.xml': new Uint8Array(60 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(200_000);
    await expect(importReport(bomb, 'bomb.docx')).rejects.toMatchObject({ kind: 'input', diagnostics: [{ code: 'ZIP_BOMB' }] });
    // A directory that lies about the size: fflate inflates no more than declared, the XML is cut short.
    const liar = Buffer.from(bomb);
    liar.writeUInt32LE(1000, 22);
    liar.writeUInt32LE(1000, liar.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24);
    await expect(importReport(new Uint8Array(liar), 'liar.docx')).rejects.toMatchObject({
      kind: 'input',
      diagnostics: [{ code: 'CORRUPT' }],
    });
    const dtd = zipSync({ 'word/document.xml': strToU8('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>') });
    await expect(importReport(dtd, 'dtd.docx')).rejects.toMatchObject({ kind: 'input', diagnostics: [{ code: 'CORRUPT' }] });
    await expect(importReport(zipSync({ 'a.txt': strToU8('hello') }), 'a.docx')).rejects.toMatchObject({
      diagnostics: [{ code: 'NOT_DOCX' }],
    });
    await expect(importReport(fixture('scan-page.png'), 'x.docx')).rejects.toMatchObject({
      kind: 'input',
      diagnostics: [{ code: 'NOT_WHAT_IT_SAYS', message: '文件扩展名为 .docx，但内容不是DOCX 文档（实际是PNG 图片），拒绝导入' }],
    });
  });
});
