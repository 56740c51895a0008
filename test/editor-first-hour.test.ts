/**
 * Issue 26 in the editor, in a real Chromium at desktop width and on a phone (390 × 844), with an
 * English browser (the date must not depend on the locale): the preface follows the agency, a
 * block pasted from a spreadsheet fills the cells like a spreadsheet (or is refused whole),
 * 从上年报告开始 states nothing that may be false, empty text is flagged, the check panel stays
 * reachable on a phone, messages are for people, the date is 年/月/日; issue 27 class 7: a
 * damaged autosave is read as far as it can be, said so, and kept; and axe-core finds nothing at
 * WCAG 2.1 AA. (The items outside the browser: test/first-hour.test.ts.)
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/reports.js';
import { serve, type Served } from './helpers/serve.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const cell = (name: string) => `[name="${name}"]`;
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const LAST_YEAR = join(ROOT, 'samples/huaian-2023.json');
const SAMPLE = join(ROOT, 'samples/huaian-2024.json');

const SIZES = [
  { name: 'desktop', viewport: { width: 1280, height: 900 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
] as const;

describe.skipIf(!haveChromium)('the editor, a clerk’s first hour', () => {
  let server: Served;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      serve(),
      chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] }),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    if (server) expect(await server.stop()).toBe(0);
  });

  async function open(viewport: { width: number; height: number }, options: { bypassCSP?: boolean } = {}): Promise<Page> {
    const ctx = await browser.newContext({ locale: 'en-US', acceptDownloads: true, viewport, ...options });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    (page as Page & { errors: string[] }).errors = errors;
    await page.goto(server.url);
    await page.locator(cell('agency')).waitFor();
    return page;
  }
  const errorsOf = (page: Page) => (page as Page & { errors: string[] }).errors;
  const list = (page: Page) => page.locator('[data-diagnostics] li');
  const codes = (page: Page) => page.$$eval('[data-diagnostics] li', (els) => els.map((e) => e.getAttribute('data-code')));
  /** A paste as the browser delivers one from Excel or WPS: text/plain on the clipboard event. */
  const paste = async (page: Page, name: string, text: string) => {
    // Focused first, as a user clicks before pasting (the scroll that focusing causes closes a cell's hint).
    await page.locator(cell(name)).scrollIntoViewIfNeeded();
    await page.focus(cell(name));
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.$eval(
      cell(name),
      (el, t) => {
        const data = new DataTransfer();
        data.setData('text/plain', t);
        el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      },
      text,
    );
  };
  const values = (page: Page, names: string[]) => Promise.all(names.map((n) => page.inputValue(cell(n))));
  const inView = (page: Page, selector: string) =>
    page.$eval(selector, (el) => {
      const r = el.getBoundingClientRect();
      return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
    });

  for (const { name, viewport } of SIZES) {
    describe(name, () => {
      it('1, 7: the preface names the agency as it is typed; the first error is the label and what to do', {
        timeout: 120_000,
      }, async () => {
        const page = await open(viewport);
        // A blank form: the preface has the gap, and says so.
        expect(await page.inputValue(cell('preface.0'))).toContain('本报告由按照');
        await expect.poll(() => codes(page)).toContain('PREFACE_AGENCY');
        // 7: the first entry reads as the label and what to do — no code, no JSON field name.
        const first = await list(page).first().innerText();
        expect(first).toBe('错误 请填写“机关名称”');
        expect(await list(page).first().getAttribute('data-code')).toBe('SCHEMA');
        const all = await page.locator('[data-diagnostics]').innerText();
        expect(all).not.toMatch(/SCHEMA|EMPTY_TEXT|PREFACE_AGENCY|（agency）|[a-z]{4,}/);
        // 5: the empty parts are errors, by their official headings.
        expect(all).toContain('五、存在的主要问题及改进情况 没有任何文字');

        await page.locator(cell('agency')).pressSequentially('测试县人民政府');
        expect(await page.inputValue(cell('preface.0'))).toBe(
          '本报告由测试县人民政府按照《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）要求编制。',
        );
        await page.fill(cell('year'), '2024');
        expect(await page.inputValue(cell('preface.1'))).toBe('本报告所列数据的统计期限自2024年1月1日起至2024年12月31日止。');
        await expect.poll(() => codes(page)).not.toContain('PREFACE_AGENCY');
        expect(await codes(page)).not.toContain('SCHEMA');
        // A preface the clerk rewrote is theirs: the agency no longer changes it.
        await page.fill(cell('preface.0'), '本报告由本局编制。');
        await page.fill(cell('agency'), '测试县人民政府办公室');
        expect(await page.inputValue(cell('preface.0'))).toBe('本报告由本局编制。');
        expect(errorsOf(page)).toEqual([]);
        await page.context().close();
      });

      it('2: a block pasted from a spreadsheet fills right and down, or is refused whole with a message', {
        timeout: 120_000,
      }, async () => {
        const page = await open(viewport);
        const row = ['naturalPerson', 'commercial', 'research', 'publicInterest', 'legalService', 'other'].map(
          (c) => `applications.received.${c}`,
        );
        // The row: six numbers into six cells, 总计 computed.
        await paste(page, row[0]!, '3001\t53\t0\t0\t61\t4\r\n');
        expect(await values(page, row)).toEqual(['3001', '53', '0', '0', '61', '4']);
        expect(await page.inputValue(cell('applications.received.total'))).toBe('3119');
        // Two rows, from the second column: right and down.
        await paste(page, 'applications.granted.commercial', '1\t2\n3\t4');
        expect(
          await values(page, [
            'applications.granted.commercial',
            'applications.granted.research',
            'applications.partiallyGranted.commercial',
            'applications.partiallyGranted.research',
          ]),
        ).toEqual(['1', '2', '3', '4']);
        // A 总计 pasted with its row must be the sum; a wrong one refuses the whole block.
        await paste(page, 'applications.granted.naturalPerson', '5\t1\t2\t0\t0\t0\t8');
        expect(await page.inputValue(cell('applications.granted.naturalPerson'))).toBe('5');
        await paste(page, 'applications.granted.naturalPerson', '6\t1\t2\t0\t0\t0\t99');
        await expect.poll(() => page.locator('#notice').innerText()).toContain('未填入');
        expect(await page.locator('#notice').innerText()).toContain('由程序计算为 9，粘贴的是 99');
        expect(await page.inputValue(cell('applications.granted.naturalPerson'))).toBe('5');
        // Too wide: refused, nothing changed, the reason given.
        await paste(page, row[0]!, '1\t2\t3\t4\t5\t6\t7\t8');
        expect(await page.locator('#notice').innerText()).toContain(
          '第 1 行有 8 个数，从“表三 一、本年新收政府信息公开申请数量 / 申请人情况 自然人”起向右只有 7 格',
        );
        expect(await values(page, row)).toEqual(['3001', '53', '0', '0', '61', '4']);
        // …and beside the cell, where a phone user is looking.
        await expect.poll(() => page.locator('.cell-hint').innerText()).toContain('未粘贴：第 1 行有 8 个数');
        // Past the last row of a table: refused.
        await paste(page, 'applications.carriedForward.naturalPerson', '1\n2');
        expect(await page.locator('#notice').innerText()).toContain('第 2 行：表格在此以下没有可填的行');
        expect(await page.inputValue(cell('applications.carriedForward.naturalPerson'))).toBe('0');
        // A value that is not a clean number is refused, not squeezed.
        await paste(page, 'applications.received.research', '5\tx');
        expect(await page.locator('#notice').innerText()).toContain('第 1 行第 2 个“x”不是非负整数');
        expect(await page.inputValue(cell('applications.received.research'))).toBe('0');
        await paste(page, 'proactive.fees', '12,3');
        expect(await page.inputValue(cell('proactive.fees'))).toBe('0');
        await expect.poll(() => page.locator('.cell-hint').innerText()).toContain('“12,3”不是非负数');
        // Grouping in thousands is a number.
        await paste(page, 'proactive.fees', '1,234.5');
        expect(await page.inputValue(cell('proactive.fees'))).toBe('1234.5');
        await paste(page, 'proactive.licensing', '１,２３４');
        expect(await page.inputValue(cell('proactive.licensing'))).toBe('1234');
        expect(errorsOf(page)).toEqual([]);
        await page.context().close();
      });

      it('4: 从上年报告开始 pre-fills nothing that may be false; the fee check fires until the sentence is written', {
        timeout: 120_000,
      }, async () => {
        const page = await open(viewport);
        await page.setInputFiles('#from-last-year', LAST_YEAR);
        await expect.poll(() => page.inputValue(cell('year'))).toBe('2024');
        const texts = await page.$$eval('textarea', (els) => els.map((e) => (e as HTMLTextAreaElement).value).join('\n'));
        expect(texts).not.toContain('未收取');
        expect(await page.inputValue(cell('other.0.heading'))).toContain('信息处理费');
        expect(await page.locator(cell('other.0.paragraphs.0')).count()).toBe(0);
        await expect.poll(() => codes(page)).toContain('FEE_SECTION');
        await page.click('[data-action="add"][data-list="other.0.paragraphs"]');
        await page.keyboard.type('2024年度，本机关收取信息处理费3940元。');
        await expect.poll(() => codes(page)).not.toContain('FEE_SECTION');
        await page.context().close();
      });

      it('9: the date is entered as 年/月/日 in an English browser', { timeout: 120_000 }, async () => {
        const page = await open(viewport);
        expect(await page.locator('input[type="date"]').count()).toBe(0);
        const box = page.locator('[data-date-of="signature.date"]');
        expect(await box.innerText()).toMatch(/日期[\s\S]*年[\s\S]*月[\s\S]*日/);
        expect(await box.innerText()).not.toMatch(/mm|dd|yyyy/i);
        await box.locator('[data-date="y"]').fill('2025');
        await box.locator('[data-date="m"]').selectOption('01');
        expect(await box.innerText()).toContain('请把年、月、日填写完整');
        await box.locator('[data-date="d"]').selectOption('20');
        expect(await page.inputValue(cell('signature.date'))).toBe('2025-01-20');
        expect(await box.innerText()).not.toContain('请把年、月、日填写完整');
        // Opened from a file, the date shows in the three parts.
        await page.setInputFiles('#open-json', SAMPLE);
        await expect.poll(() => page.inputValue(cell('agency'))).toBe('淮安市人民政府');
        const date = JSON.parse(readFileSync(SAMPLE, 'utf8')).signature.date as string;
        const [y, m, d] = date.split('-');
        expect([
          await box.locator('[data-date="y"]').inputValue(),
          await box.locator('[data-date="m"]').inputValue(),
          await box.locator('[data-date="d"]').inputValue(),
        ]).toEqual([y, m, d]);
        await page.context().close();
      });

      it('6: headings wrap, the 表二 hint shows only when 表二 is wider than the screen, the check count stays in sight', {
        timeout: 120_000,
      }, async () => {
        const page = await open(viewport);
        const fee = page.locator(cell('other.0.heading'));
        expect(await fee.evaluate((el) => el.tagName)).toBe('TEXTAREA');
        // The whole heading is shown: nothing scrolled out of its box.
        expect(await fee.evaluate((el) => el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1)).toBe(true);
        // Enter in a heading moves on, and does not break the heading into two.
        await fee.focus();
        await page.keyboard.press('End');
        await page.keyboard.press('Enter');
        expect(await fee.inputValue()).toBe('依据《政府信息公开信息处理费管理办法》收取信息处理费的情况');

        const hint2 = page.locator('[data-table="table2"]').locator('xpath=..').locator('.scroll-hint');
        const hint3 = page.locator('[data-table="table3"]').locator('xpath=..').locator('.scroll-hint');
        const table2Fits = await page.$eval(
          '[data-table="table2"]',
          (t) => t.getBoundingClientRect().width <= t.parentElement!.clientWidth + 1,
        );
        expect(table2Fits).toBe(true);
        expect(await hint2.isVisible()).toBe(false);
        expect(await hint3.isVisible()).toBe(name === 'phone');

        // Editing a cell deep in the page: the count of problems is on screen, and one tap away.
        await page.fill(cell('applications.received.naturalPerson'), '5');
        await page.locator(cell('reviewsAndLawsuits.review.upheld')).scrollIntoViewIfNeeded();
        await page.focus(cell('reviewsAndLawsuits.review.upheld'));
        if (name === 'phone') {
          expect(await inView(page, '#check-bar')).toBe(true);
          expect(await inView(page, '#checks-title')).toBe(false);
          await expect.poll(() => page.locator('#check-bar').innerText()).toMatch(/\d+ 个错误/);
          await page.click('#check-bar-jump');
          expect(await inView(page, '#checks-title')).toBe(true);
          expect(await page.evaluate(() => document.activeElement?.closest('[data-diagnostics]') !== null)).toBe(true);
        } else {
          // Side by side: the list itself is on screen.
          expect(await page.locator('#check-bar').isVisible()).toBe(false);
          expect(await inView(page, '#check-summary')).toBe(true);
        }
        expect(errorsOf(page)).toEqual([]);
        await page.context().close();
      });

      it('axe-core: no WCAG 2.1 AA violation on the blank form, with a notice, or with a report open', { timeout: 120_000 }, async () => {
        const page = await open(viewport, { bypassCSP: true });
        await page.evaluate(AXE);
        const run = () =>
          page.evaluate(async () => {
            const axe = (
              window as unknown as {
                axe: { run: (c: Document, o: unknown) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> };
              }
            ).axe;
            const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
            return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
          });
        expect(await run()).toEqual([]);
        await page.setInputFiles('#open-json', SAMPLE);
        await expect.poll(() => page.inputValue(cell('agency'))).toBe('淮安市人民政府');
        expect(await page.locator('#notice').isVisible()).toBe(true);
        expect(await run()).toEqual([]);
        await page.context().close();
      });
    });
  }

  it('27.7: a damaged autosave is read as far as it can be, said so, and kept; 重新开始 and 撤销 work', { timeout: 120_000 }, async () => {
    const page = await open({ width: 1280, height: 900 });
    const damaged = {
      version: 1,
      report: {
        format: 'gov-2021',
        agency: '测试县人民政府',
        year: 2025,
        preface: 5,
        overview: { intro: ['我写的引言'], sections: 'x' },
        problems: ['我写的问题段落', null],
        other: [null, { heading: '其他事项', paragraphs: ['我写的其他事项'] }],
        proactive: { fees: '12.5', licensing: 'many' },
        applications: { received: { naturalPerson: 7 } },
      },
    };
    await page.evaluate((d) => localStorage.setItem('xxgk-editor/v1', JSON.stringify(d)), damaged);
    await page.reload();
    await page.locator(cell('agency')).waitFor();
    const note = page.locator('#notice');
    await expect.poll(() => note.innerText()).toContain('无法读取，其余内容已恢复');
    const text = await note.innerText();
    expect(text).toContain('前言：应为段落列表，实际为 5，已作为一段保留');
    expect(text).toContain('五、存在的主要问题及改进情况 第 2 段：null 不是文字，未恢复');
    expect(text).toContain('六、其他需要报告的事项 第 1 个小节：null 不是小节，未恢复');
    expect(text).toMatch(/许可.*"many" 不是非负整数，已记为 0/);
    // What could be kept is there: every piece of the user's text.
    expect(await page.inputValue(cell('agency'))).toBe('测试县人民政府');
    expect(await page.inputValue(cell('preface.0'))).toBe('5');
    expect(await page.inputValue(cell('overview.intro.0'))).toBe('我写的引言');
    expect(await page.inputValue(cell('overview.sections.0.paragraphs.0'))).toBe('x');
    expect(await page.inputValue(cell('problems.0'))).toBe('我写的问题段落');
    expect(await page.inputValue(cell('other.0.paragraphs.0'))).toBe('我写的其他事项');
    expect(await page.inputValue(cell('proactive.fees'))).toBe('12.5');
    expect(await page.inputValue(cell('applications.received.naturalPerson'))).toBe('7');
    // The original, byte for byte, as a file.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      note.locator('button', { hasText: '下载原来保存的内容' }).click(),
    ]);
    const file = join(mkdtempSync(join(tmpdir(), 'xxgk-damaged-')), 'raw.json');
    await download.saveAs(file);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(damaged);
    expect(await page.evaluate(() => localStorage.getItem('xxgk-editor/v1/damaged'))).toBe(JSON.stringify(damaged));
    // A reload now finds the readable state saved again: no second warning.
    await page.reload();
    await page.locator(cell('agency')).waitFor();
    expect(await note.innerText()).toContain('已恢复上次未保存的内容');
    expect(await page.inputValue(cell('problems.0'))).toBe('我写的问题段落');

    // 撤销 with a damaged backup: no crash, the readable part back, the damage named.
    await page.click('#new');
    await page.evaluate(() =>
      localStorage.setItem(
        'xxgk-editor/v1/backup',
        JSON.stringify({
          version: 1,
          report: { agency: '测试县人民政府', year: 2025, overview: { sections: [null] }, preface: 5, problems: ['留下的段落'] },
        }),
      ),
    );
    await note.locator('button', { hasText: '撤销' }).click();
    expect(await page.inputValue(cell('problems.0'))).toBe('留下的段落');
    await expect.poll(() => note.innerText()).toContain('清空前的内容有 2 处无法读取');
    // Not JSON at all: said, kept, and the editor still works.
    await page.evaluate(() => localStorage.setItem('xxgk-editor/v1', '{"report": {"agency": "半'));
    await page.reload();
    await page.locator(cell('agency')).waitFor();
    await expect.poll(() => note.innerText()).toContain('保存的内容不是完整的 JSON');
    await page.fill(cell('agency'), '某局');
    await expect.poll(() => page.inputValue(cell('preface.0'))).toContain('本报告由某局按照');
    expect(errorsOf(page)).toEqual([]);
    await page.context().close();
  });
});
