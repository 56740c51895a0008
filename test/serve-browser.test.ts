/**
 * The web editor of `xxgk serve` in a real Chromium (Debian's `chromium`, driven by playwright-core):
 * filling from blank, live 勾稽 checks on the cells, keeping work across a reload, opening a JSON,
 * downloading the PDF, the keyboard, the number cells, starting from last year's report.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamText } from './helpers/pdf.js';
import { ROOT } from './helpers/reports.js';
import { serve, type Served } from './helpers/serve.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  if (process.env.XXGK_REQUIRE_TOOLS === '1') throw new Error(`${CHROMIUM} is missing: install the Debian package chromium`);
  console.log(`serve-browser: skipped — ${CHROMIUM} not found (install the Debian package chromium)`);
}

const SAMPLE = join(ROOT, 'samples/huaian-2024.json');
const LAST_YEAR = join(ROOT, 'samples/huaian-2023.json');
const cell = (name: string) => `[name="${name}"]`;

describe.skipIf(!haveChromium)('the web editor', () => {
  let server: Served;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      serve(),
      chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      }),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    if (server) expect(await server.stop()).toBe(0);
  });

  async function open(context?: BrowserContext): Promise<Page> {
    const ctx = context ?? (await browser.newContext({ locale: 'zh-CN', acceptDownloads: true, viewport: { width: 1280, height: 900 } }));
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

  it('fills a report from blank: R1 is flagged on its cells and listed, fixed, and kept across a reload', {
    timeout: 180_000,
  }, async () => {
    const page = await open();
    await expect(page.locator('.hint').innerText()).resolves.toContain('数字填写后自动核对勾稽关系，总计自动计算');
    await page.fill(cell('agency'), '测试县人民政府');
    await page.fill(cell('year'), '2025');
    await page.fill(cell('applications.received.naturalPerson'), '5');

    // Every cell of the column in R1 is marked, and the rule is listed by its code.
    for (const row of ['received', 'carriedOver', 'total', 'carriedForward'])
      await expect.poll(() => page.getAttribute(cell(`applications.${row}.naturalPerson`), 'aria-invalid')).toBe('true');
    expect(await page.getAttribute(cell('applications.granted.naturalPerson'), 'aria-invalid')).toBeNull();
    const r1 = page.locator('[data-diagnostics] [data-code="R1"]');
    await expect.poll(() => r1.count()).toBe(2);
    // For people: severity and message; the code is the entry's data-code (and in the API's JSON), not its text.
    expect(await r1.first().innerText()).toMatch(/^错误 表三 自然人 列：第一项加第二项之和 5 ≠ 第三项加第四项之和 0/);
    // The red is visible, not only an attribute.
    const background = await page.$eval(cell('applications.received.naturalPerson'), (el) => getComputedStyle(el).backgroundColor);
    expect(background).toBe('rgb(253, 236, 236)');

    // Totals are computed and read-only.
    expect(await page.inputValue(cell('applications.received.total'))).toBe('5');
    expect(await page.$eval(cell('applications.received.total'), (el) => (el as HTMLInputElement).readOnly)).toBe(true);

    // Clicking the entry focuses the first cell involved.
    await r1.first().locator('button').click();
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('applications.received.naturalPerson');

    // Fix it: 5 granted. （七）总计 follows, R1 goes away.
    await page.fill(cell('applications.granted.naturalPerson'), '5');
    await expect.poll(() => r1.count()).toBe(0);
    expect(await page.inputValue(cell('applications.total.naturalPerson'))).toBe('5');
    expect(await page.locator('[aria-invalid="true"]').count()).toBe(0);
    // What remains is the text still to write (the blank's parts have none yet; the fee sentence is the clerk's).
    expect(await page.$$eval('[data-diagnostics] li', (els) => els.map((e) => e.getAttribute('data-code')))).toEqual([
      'EMPTY_TEXT',
      'EMPTY_TEXT',
      'EMPTY_TEXT',
      'FEE_SECTION',
    ]);

    // A reload restores everything, with a note and a way to start over (which can be undone).
    await page.reload();
    await page.locator(cell('agency')).waitFor();
    expect(await page.inputValue(cell('agency'))).toBe('测试县人民政府');
    expect(await page.inputValue(cell('applications.granted.naturalPerson'))).toBe('5');
    expect(await page.locator('#notice').innerText()).toContain('已恢复上次未保存的内容');
    await page.locator('#notice button', { hasText: '重新开始' }).click();
    expect(await page.inputValue(cell('applications.granted.naturalPerson'))).toBe('0');
    await page.locator('#notice button', { hasText: '撤销' }).click();
    expect(await page.inputValue(cell('applications.granted.naturalPerson'))).toBe('5');
    expect(errorsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('keyboard: Enter moves to the next cell in reading order; number cells refuse letters with a hint and convert full-width digits', {
    timeout: 180_000,
  }, async () => {
    const page = await open();
    await page.focus(cell('applications.received.naturalPerson'));
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('applications.received.commercial');
    // The computed 总计 is skipped: after 其他 comes the next row's 自然人.
    await page.focus(cell('applications.received.other'));
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('applications.carriedOver.naturalPerson');
    await page.keyboard.press('Shift+Enter');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('applications.received.other');
    // Arrow keys go up and down a column.
    await page.focus(cell('applications.granted.commercial'));
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('applications.partiallyGranted.commercial');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('applications.carriedOver.commercial');
    // Tab also follows reading order across a row.
    await page.focus(cell('proactive.regulations.issued'));
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('proactive.regulations.repealed');

    const target = cell('applications.granted.research');
    // In view first, as a user sees the cell they type in: the scroll that focusing would cause
    // closes a cell's hint, and must not race the hint this test reads.
    await page.locator(target).scrollIntoViewIfNeeded();
    await page.focus(target);
    await page.keyboard.type('7a');
    expect(await page.inputValue(target)).toBe('7');
    await expect.poll(() => page.locator('.cell-hint').innerText()).toContain('只能填写非负整数');
    // A refused character typed over a selected value leaves the value alone.
    await page.focus(cell('applications.granted.commercial'));
    await page.keyboard.type('3');
    await page.focus(cell('applications.granted.commercial'));
    await page.keyboard.type('x');
    expect(await page.inputValue(cell('applications.granted.commercial'))).toBe('3');
    await page.fill(target, '');
    await page.keyboard.type('１２');
    expect(await page.inputValue(target)).toBe('12');
    expect(await page.inputValue(cell('applications.granted.total'))).toBe('15');

    // The fee takes a decimal, as typed.
    await page.fill(cell('proactive.fees'), '');
    await page.focus(cell('proactive.fees'));
    await page.keyboard.type('96171.6万');
    expect(await page.inputValue(cell('proactive.fees'))).toBe('96171.6');
    await expect.poll(() => page.locator('.cell-hint').innerText()).toContain('只能填写非负数');
    await page.context().close();
  });

  it('opens a JSON file into every field, and downloads the PDF the server renders', { timeout: 180_000 }, async () => {
    const page = await open();
    await page.setInputFiles('#open-json', SAMPLE);
    await expect.poll(() => page.inputValue(cell('agency'))).toBe('淮安市人民政府');

    // The form contract: every value of the file has a control named by its dotted JSON path.
    const json = JSON.parse(readFileSync(SAMPLE, 'utf8'));
    const leaves: [string, string][] = [];
    const walk = (v: unknown, path: string) => {
      if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
      else if (path !== 'format' && path !== '$schema') leaves.push([path, String(v)]);
    };
    walk(json, '');
    const values = await page.$$eval('[name]', (els) =>
      Object.fromEntries(els.map((e) => [(e as HTMLInputElement).name, (e as HTMLInputElement).value])),
    );
    const missing = leaves.filter(([path, value]) => values[path] !== value).map(([p, v]) => `${p}=${v} (form: ${values[p]})`);
    expect(missing).toEqual([]);
    expect(leaves.length).toBeGreaterThan(200);
    expect(await page.locator('[data-diagnostics] li.error').count()).toBe(0);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button.download[data-format="pdf"]')]);
    expect(download.suggestedFilename()).toBe('淮安市人民政府2024年度政府信息公开工作年度报告.pdf');
    const file = join(mkdtempSync(join(tmpdir(), 'xxgk-editor-')), 'report.pdf');
    await download.saveAs(file);
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await streamText(file)).toContain('淮安市人民政府');

    const [docx] = await Promise.all([page.waitForEvent('download'), page.click('button.download[data-format="docx"]')]);
    expect(docx.suggestedFilename()).toBe('淮安市人民政府2024年度政府信息公开工作年度报告.docx');

    // The preview: the same PDF, drawn page by page.
    await page.click('#refresh-preview');
    await page.locator('#preview[data-pages]').waitFor({ timeout: 90_000 });
    expect(await page.locator('#preview canvas.page').count()).toBe(Number(await page.getAttribute('#preview', 'data-pages')));
    expect(errorsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('saves the model as JSON that opens again unchanged', { timeout: 180_000 }, async () => {
    const page = await open();
    await page.setInputFiles('#open-json', SAMPLE);
    await expect.poll(() => page.inputValue(cell('agency'))).toBe('淮安市人民政府');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-json')]);
    expect(download.suggestedFilename()).toBe('淮安市人民政府-2024.json');
    const file = join(mkdtempSync(join(tmpdir(), 'xxgk-editor-')), 'saved.json');
    await download.saveAs(file);
    const { $schema: _, ...original } = JSON.parse(readFileSync(SAMPLE, 'utf8'));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ format: 'gov-2021', ...original });
    await page.context().close();
  });

  it('starts from last year’s report: carried numbers filled, R5 and R6 checked against it', { timeout: 180_000 }, async () => {
    const page = await open();
    await page.setInputFiles('#from-last-year', LAST_YEAR);
    await expect.poll(() => page.inputValue(cell('year'))).toBe('2024');
    expect(await page.inputValue(cell('applications.carriedOver.naturalPerson'))).toBe('12');
    expect(await page.inputValue(cell('proactive.normativeDocuments.inForce'))).toBe('296');
    expect(await page.locator('#notice').innerText()).toContain('已根据 2023 年报告生成 2024 年报告');
    expect(await page.locator('[data-diagnostics] [data-code="R5"]').count()).toBe(0);
    // Changing a carried number breaks R5 against last year's file (its column and the 总计 column).
    await page.fill(cell('applications.carriedOver.commercial'), '3');
    await expect.poll(() => page.locator('[data-diagnostics] [data-code="R5"]').count()).toBe(2);
    expect(await page.locator('[data-diagnostics] [data-code="R5"]').first().innerText()).toContain('2023年报告“四、结转下年度继续办理” 2');
    expect(await page.getAttribute(cell('applications.carriedOver.commercial'), 'aria-invalid')).toBe('true');
    await page.context().close();
  });

  it('imports last year’s Word file through /api/import, and says why a broken file is refused', { timeout: 180_000 }, async () => {
    const page = await open();
    await page.setInputFiles('#import-file', join(ROOT, 'test/fixtures/import/template-filled.docx'));
    const filled = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/import/template-filled.json'), 'utf8'));
    await expect.poll(() => page.inputValue(cell('agency'))).toBe(filled.agency);
    expect(await page.inputValue(cell('applications.received.naturalPerson'))).toBe(String(filled.applications.received.naturalPerson));
    const dir = mkdtempSync(join(tmpdir(), 'xxgk-editor-'));
    writeFileSync(join(dir, '2024.docx'), 'PK\u0003\u0004');
    await page.setInputFiles('#import-file', join(dir, '2024.docx'));
    await expect.poll(() => page.locator('#notice').innerText()).not.toBe('');
    await page.setInputFiles('#import-file', SAMPLE);
    await expect.poll(() => page.inputValue(cell('agency'))).toBe('淮安市人民政府');
    await page.context().close();
  });

  it('edits paragraphs and subsections: add, Enter splits, reorder, remove', { timeout: 180_000 }, async () => {
    const page = await open();
    await page.click('[data-action="add"][data-list="problems"]');
    expect(await page.evaluate(() => (document.activeElement as HTMLTextAreaElement).name)).toBe('problems.0');
    await page.keyboard.type('第一段第二段');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    expect(await page.inputValue(cell('problems.0'))).toBe('第一段');
    expect(await page.inputValue(cell('problems.1'))).toBe('第二段');
    expect(await page.evaluate(() => (document.activeElement as HTMLTextAreaElement).name)).toBe('problems.1');
    await page.click('[data-action="up"][data-list="problems"][data-index="1"]');
    expect(await page.inputValue(cell('problems.0'))).toBe('第二段');
    await page.click('[data-action="remove"][data-list="problems"][data-index="0"]');
    expect(await page.inputValue(cell('problems.0'))).toBe('第一段');
    expect(await page.locator(cell('problems.1')).count()).toBe(0);

    // A character no font has: the server's glyph check (run once the report is well-formed) marks the paragraph a moment later.
    await page.fill(cell('agency'), '测试县人民政府');
    await page.fill(cell('problems.0'), '表情😀');
    await expect.poll(() => page.locator('[data-diagnostics] [data-code="GLYPH"]').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getAttribute(cell('problems.0'), 'aria-invalid')).toBe('true');
    await page.fill(cell('problems.0'), '第一段');

    const before = await page.inputValue(cell('overview.sections.1.heading'));
    await page.click('[data-action="down"][data-list="overview.sections"][data-index="0"]');
    expect(await page.inputValue(cell('overview.sections.0.heading'))).toBe(before);
    await page.click('[data-action="add"][data-list="other"]');
    await page.keyboard.type('（二）其他事项');
    // A heading with its own number is refused by the schema, and says so.
    await expect.poll(() => page.locator('[data-diagnostics]').innerText()).toContain('小标题不应自带编号');
    expect(await page.getAttribute(cell('other.1.heading'), 'aria-invalid')).toBe('true');
    await page.context().close();
  });
});
