/** `xxgk import` and `xxgk init --from` as a user runs them. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { expectAllNumbers, FIXTURES, fixture, fixtureJson, tempDir } from './helpers/import.js';
import { ROOT, runCli } from './helpers/reports.js';

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const noTable4 = (dir: string): string => {
  const zip = unzipSync(fixture('template-filled.docx'));
  const doc = new DOMParser().parseFromString(new TextDecoder().decode(zip['word/document.xml']), 'application/xml');
  const tbl = doc.getElementsByTagNameNS(W, 'tbl')[2]!;
  tbl.parentNode!.removeChild(tbl);
  zip['word/document.xml'] = strToU8(new XMLSerializer().serializeToString(doc));
  const file = join(dir, 'no-table4.docx');
  writeFileSync(file, zipSync(zip));
  return file;
};

describe('xxgk import', () => {
  it('without -o writes the report JSON to stdout (exit 0)', () => {
    const r = runCli(['import', `${FIXTURES}template-filled.pdf`]);
    expect(r.code).toBe(0);
    expectAllNumbers(JSON.parse(r.stdout), fixtureJson('template-filled.json'));
  });

  it('-o file.json for one input; -o folder/ for many, <basename>.json each', () => {
    const dir = tempDir();
    const one = runCli(['import', `${FIXTURES}template-filled.docx`, '-o', join(dir, 'r.json')]);
    expect(one.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).agency).toBe('淮安市人民政府');
    const out = join(dir, 'out');
    const many = runCli(['import', `${FIXTURES}template-messy.html`, `${FIXTURES}template-filled.pdf`, '-o', out]);
    expect(many.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['template-filled.json', 'template-messy.json']);
    expectAllNumbers(JSON.parse(readFileSync(join(out, 'template-messy.json'), 'utf8')), fixtureJson('template-messy.json'));
    const clash = runCli(['import', `${FIXTURES}template-filled.docx`, `${FIXTURES}template-filled.pdf`, '-o', join(dir, 'clash')]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain('都会写成 template-filled.json，请分开导入');
    expect(existsSync(join(dir, 'clash'))).toBe(false);
  });

  it('a JSON report passes through validation', () => {
    const r = runCli(['import', `${ROOT}samples/huaian-2024.json`]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(`${ROOT}samples/huaian-2024.json`, 'utf8')));
  });

  it('a missing Table 4: exit 1 and nothing written; with --partial written, gaps listed', () => {
    const dir = tempDir();
    const input = noTable4(dir);
    const refused = runCli(['import', input, '-o', join(dir, 'out.json')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('错误 [IMPORT_GAP] 文档中找不到表四（四、政府信息公开行政复议、行政诉讼情况）');
    expect(refused.stderr).toContain('未写出');
    expect(existsSync(join(dir, 'out.json'))).toBe(false);
    const partial = runCli(['import', input, '-o', join(dir, 'out.json'), '--partial']);
    expect(partial.code).toBe(1);
    expect(partial.stderr).toContain('警告 [IMPORT_GAP] 文档中找不到表四');
    expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')).reviewsAndLawsuits.review.upheld).toBe(0);
  });

  it('refusals exit 2 and write nothing: a PNG called .pdf, a corrupt DOCX, a file over 5 MB', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'fake.pdf'), fixture('scan-page.png'));
    writeFileSync(join(dir, 'cut.docx'), fixture('template-filled.docx').slice(0, 5000));
    writeFileSync(join(dir, 'big.pdf'), new Uint8Array(5 * 1024 * 1024 + 1));
    for (const name of ['fake.pdf', 'cut.docx', 'big.pdf']) {
      const r = runCli(['import', join(dir, name), '-o', join(dir, 'out')]);
      expect(r.code, name).toBe(2);
      expect(r.stderr).toContain('未导入');
    }
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(runCli(['import', join(dir, 'fake.pdf')]).stderr).toContain('文件扩展名为 .pdf，但内容不是PDF（实际是PNG 图片），拒绝导入');
  });

  it('rule errors in a published report are warnings; the file is still written', () => {
    const dir = tempDir();
    const zip = unzipSync(fixture('template-filled.docx'));
    const xml = new TextDecoder().decode(zip['word/document.xml']);
    // 一、本年新收 自然人 2332 → 2333: R1 and R3 break.
    zip['word/document.xml'] = strToU8(xml.replace('>2332<', '>2333<'));
    writeFileSync(join(dir, 'r1.docx'), zipSync(zip));
    const r = runCli(['import', join(dir, 'r1.docx'), '-o', join(dir, 'r1.json')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('警告 [R1] 表三 自然人 列：第一项加第二项之和');
    expect(existsSync(join(dir, 'r1.json'))).toBe(true);
  });
});

describe('xxgk init --from', () => {
  it.each(['template-filled.docx', 'template-filled.pdf', 'template-filled.json'])(
    '%s → next year: carried over, in force kept, the rest 0',
    (name) => {
      const last = fixtureJson('template-filled.json');
      const r = runCli(['init', '--from', `${FIXTURES}${name}`]);
      expect(r.code, r.stderr).toBe(0);
      const next = JSON.parse(r.stdout);
      expect(next.year).toBe(last.year + 1);
      expect(next.agency).toBe(last.agency);
      // The carried row without its 总计: totals are computed, none written (issue 26, item 3).
      const { total: _total, ...carried } = last.applications.carriedForward;
      expect(next.applications.carriedOver).toEqual(carried);
      expect(r.stdout).not.toContain('"total"');
      expect(next.proactive.regulations).toEqual({ issued: 0, repealed: 0, inForce: last.proactive.regulations.inForce });
      expect(next.proactive.normativeDocuments).toEqual({ issued: 0, repealed: 0, inForce: last.proactive.normativeDocuments.inForce });
      expect(next.applications.received.naturalPerson).toBe(0);
      expect(next.reviewsAndLawsuits.review.upheld).toBe(0);
      expect(next.overview.sections.every((s: { paragraphs: string[] }) => s.paragraphs.length === 0)).toBe(true);
      expect(next.problems).toEqual([]);
      expect(next.preface[1]).toBe(`本报告所列数据的统计期限自${last.year + 1}年1月1日起至${last.year + 1}年12月31日止。`);
    },
  );

  it('the skeleton passes R5 against last year (validate --previous)', () => {
    const dir = tempDir();
    const r = runCli(['init', '--from', `${FIXTURES}template-filled.docx`]);
    writeFileSync(join(dir, 'next.json'), r.stdout);
    const v = runCli(['validate', join(dir, 'next.json'), '--previous', `${FIXTURES}template-filled.json`, '--json']);
    const codes = JSON.parse(v.stdout).diagnostics.map((d: { code: string }) => d.code);
    expect(codes).not.toContain('R5');
    expect(codes).not.toContain('R6');
  });

  it('init without --from still needs --agency and --year', () => {
    const r = runCli(['init', '--year', '2025']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('缺少必需的选项 --agency');
  });
});
