/**
 * The collection end to end in Chromium (Debian's chromium through playwright-core): the
 * administrator loads a roster and creates accounts in the page; a clerk logs in, changes the
 * one-time password, starts from last year's report in the database, fills, submits; a reviewer
 * returns it with a comment; the clerk fixes and resubmits; the reviewer approves; the office
 * downloads the summary and the bundle. The editor keeps working offline and saves when the
 * connection returns; a second tab's stale save is refused with a message. Every page is looked
 * at at desktop and phone width (screenshots in XXGK_SHOTS when set).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUserCli, Client } from './helpers/collection.js';
import { readJson } from './helpers/reports.js';
import { serve, type Served } from './helpers/serve.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  if (process.env.XXGK_REQUIRE_TOOLS === '1') throw new Error(`${CHROMIUM} is missing: install the Debian package chromium`);
  console.log(`collection-browser: skipped — ${CHROMIUM} not found (install the Debian package chromium)`);
}
const SHOTS = process.env.XXGK_SHOTS;
const YEAR = 2024;

describe.skipIf(!haveChromium)('the collection in Chromium', { timeout: 240_000 }, () => {
  let dir: string;
  let server: Served;
  let browser: Browser;
  let adminOnce: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xxgk-coll-web-'));
    adminOnce = addUserCli(['--data', join(dir, 'data')], 'office-admin', 'admin');
    [server, browser] = await Promise.all([
      serve(['--data', join(dir, 'data')]),
      chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] }),
    ]);
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const errorsOf = new WeakMap<Page, string[]>();
  async function person(): Promise<Page> {
    const ctx = await browser.newContext({ locale: 'zh-CN', acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on(
      'console',
      (m) => m.type() === 'error' && !/status of 40[149]|ERR_INTERNET_DISCONNECTED/u.test(m.text()) && errors.push(m.text()),
    );
    errorsOf.set(page, errors);
    return page;
  }

  /** Desktop and phone width: nothing wider than the screen. */
  async function look(page: Page, name: string) {
    for (const [w, hgt, tag] of [
      [1280, 900, 'desktop'],
      [390, 844, 'phone'],
    ] as const) {
      await page.setViewportSize({ width: w, height: hgt });
      // Sticky bars are drawn where the page was scrolled to: look from the top.
      await page.evaluate(() => window.scrollTo(0, 0));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${name} at ${tag} width scrolls sideways`).toBeLessThanOrEqual(2);
      if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}-${tag}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  async function login(page: Page, loginName: string, password: string) {
    await page.goto(server.url);
    await page.waitForURL(/\/login$/u);
    await page.fill('input[name=login]', loginName);
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]');
  }

  async function firstLogin(page: Page, loginName: string, once: string, shot?: string): Promise<string> {
    await login(page, loginName, once);
    await page.waitForURL(/\/password$/u);
    await page.locator('text=首次登录须先修改密码').waitFor();
    if (shot) await look(page, shot);
    const password = `Neu-${loginName.length}-Passwort-Kq9`;
    await page.fill('input[name=old]', once);
    await page.fill('input[name=new]', password);
    await page.fill('input[name=again]', password);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/board$/u);
    return password;
  }

  it('runs the office’s year from roster to bundle', async () => {
    // ── The administrator: roster and accounts ──
    const admin = await person();
    await login(admin, 'office-admin', 'wrong-password-1');
    await admin.locator('.flash.error', { hasText: '登录名或密码不正确' }).waitFor();
    await look(admin, 'login');
    await firstLogin(admin, 'office-admin', adminOnce, 'password');
    await admin.goto(new URL('/admin', server.url).href);
    await admin.fill(
      'textarea[name=roster]',
      '单位名称,上级单位\n某县人民政府办公室,\n某县教育局,某县人民政府办公室\n某县公安局,某县人民政府办公室',
    );
    await admin.click('button:has-text("导入")');
    await admin.locator('.flash.ok', { hasText: '新增 3 个单位' }).waitFor();
    await admin.waitForLoadState('load');
    await admin.locator('td', { hasText: '某县公安局' }).waitFor();
    const once: Record<string, string> = {};
    for (const [loginName, role, unit] of [
      ['clerk-edu', 'clerk', '某县教育局'],
      ['reviewer-office', 'reviewer', '某县人民政府办公室'],
    ] as const) {
      await admin.fill('input[name=login]', loginName);
      await admin.fill('input[name=displayName]', loginName === 'clerk-edu' ? '张填报' : '李审核');
      await admin.selectOption('select[name=role]', role);
      await admin.selectOption('select[name=unit]', unit);
      await admin.click('button:has-text("新建")');
      await admin.locator('#created', { hasText: `已创建账号 ${loginName}` }).waitFor();
      once[loginName] = await admin.locator('code.once').innerText();
      expect(once[loginName]).toMatch(/^[A-Za-z0-9]{12}$/u);
    }
    await look(admin, 'admin');

    // Last year's report of the education bureau is in the database (approved last year).
    const api = new Client(server.url);
    const seedClerkPassword = await api.firstLogin('clerk-edu', once['clerk-edu']!);
    const last = readJson('samples/huaian-2023.json');
    last.agency = '某县教育局';
    expect((await api.put(`/api/units/2/${YEAR - 1}`, { version: 0, report: last })).status).toBe(200);
    await api.post('/api/logout');

    // ── The clerk: start from last year, fill, submit ──
    const clerk = await person();
    await login(clerk, 'clerk-edu', seedClerkPassword);
    await clerk.waitForURL(/\/board$/u);
    await clerk.goto(new URL(`/board?year=${YEAR}`, server.url).href);
    await clerk.locator('td a', { hasText: '某县教育局' }).waitFor();
    await look(clerk, 'board-clerk');
    await clerk.click('td a:has-text("某县教育局")');
    await clerk.waitForURL(/\/units\/2\/2024$/u);
    await clerk.click('a:has-text("开始填写")');
    await clerk.waitForURL(/\/edit$/u);
    await clerk.locator('#notice', { hasText: '已从本单位 2023 年度的报告开始' }).waitFor();
    const carried = await clerk.inputValue('[name="applications.carriedOver.naturalPerson"]');
    expect(carried).toBe(String(readJson('samples/huaian-2023.json').applications.carriedForward.naturalPerson));
    // Fill this year from the 2024 sample's numbers and texts, then let it save.
    const now = readJson('samples/huaian-2024.json');
    await clerk.evaluate((r) => document.dispatchEvent(new CustomEvent('xxgk:load', { detail: { report: r, message: '已填入' } })), {
      ...now,
      agency: '某县教育局',
    });
    await clerk.fill('[name="applications.received.naturalPerson"]', String(now.applications.received.naturalPerson + 1));
    await clerk.fill('[name="applications.received.naturalPerson"]', String(now.applications.received.naturalPerson));
    await clerk.locator('#remote', { hasText: '已保存到服务器' }).waitFor();
    await look(clerk, 'editor-remote');

    // Offline: the editor keeps working and saves when the connection returns.
    await clerk.context().setOffline(true);
    await clerk.fill('[name="preface.0"]', '本报告根据《中华人民共和国政府信息公开条例》编制（断网时修改）。').catch(async () => {
      await clerk.locator('textarea').first().fill('本报告根据《中华人民共和国政府信息公开条例》编制（断网时修改）。');
    });
    await clerk.locator('#remote', { hasText: '连接已断开' }).waitFor();
    await clerk.context().setOffline(false);
    await clerk.locator('#remote', { hasText: '已保存到服务器' }).waitFor({ timeout: 20_000 });
    const afterOffline = await new Client(server.url);
    await afterOffline.login('clerk-edu', seedClerkPassword);
    const stored = await afterOffline.get(`/api/units/2/${YEAR}`);
    expect(JSON.stringify(stored.json.report)).toContain('断网时修改');

    // A second tab saves; the first tab's next save is refused with a message, never an overwrite.
    const tab2 = await clerk.context().newPage();
    await tab2.goto(new URL(`/units/2/${YEAR}/edit`, server.url).href);
    await tab2.locator('#remote', { hasText: '已连接服务器' }).waitFor();
    await tab2.fill('[name="applications.received.commercial"]', '77');
    await tab2.locator('#remote', { hasText: '已保存到服务器' }).waitFor();
    await clerk.fill('[name="applications.received.commercial"]', '55');
    await clerk.locator('#remote', { hasText: '未保存' }).waitFor();
    expect(await clerk.locator('#remote').innerText()).toContain('第');
    await tab2.close();
    const kept = await afterOffline.get(`/api/units/2/${YEAR}`);
    expect(kept.json.report.applications.received.commercial).toBe(77);
    // Put the numbers back through the fresh tab's way: reload and fix.
    // The refused change stays in this browser until the clerk decides; after a reload too.
    clerk.on('dialog', (d) => void d.accept());
    await clerk.reload();
    await clerk.locator('#remote', { hasText: '为避免覆盖，未自动保存' }).waitFor();
    await clerk.click('#remote button:has-text("放弃本浏览器中的修改")');
    await clerk.locator('#remote', { hasText: '已连接服务器' }).waitFor();
    expect(await clerk.inputValue('[name="applications.received.commercial"]')).toBe('77');
    await clerk.fill('[name="applications.received.commercial"]', String(now.applications.received.commercial));
    await clerk.locator('#remote', { hasText: '已保存到服务器' }).waitFor();

    await clerk.click('a:has-text("返回报告页")');
    await clerk.click('button:has-text("报送")');
    await clerk.locator('.state.submitted').waitFor();
    await look(clerk, 'report-submitted');

    // ── The reviewer returns it with a comment ──
    const reviewer = await person();
    await firstLogin(reviewer, 'reviewer-office', once['reviewer-office']!);
    await reviewer.goto(new URL(`/board?year=${YEAR}`, server.url).href);
    await reviewer.locator('text=尚未报送').waitFor();
    await look(reviewer, 'board-reviewer');
    await reviewer.click('td a:has-text("某县教育局")');
    await reviewer.fill('textarea[placeholder^="总体意见"]', '请在前言中写明报告的数据统计期限');
    await reviewer.click('button:has-text("退回")');
    await reviewer.locator('.state.returned').waitFor();

    // ── The clerk sees it, fixes, resubmits ──
    await clerk.reload();
    await clerk.locator('.comments', { hasText: '请在前言中写明报告的数据统计期限' }).waitFor();
    await look(clerk, 'report-returned');
    await clerk.click('a:has-text("在线填写")');
    await clerk.locator('#remote', { hasText: '已连接服务器' }).waitFor();
    await clerk.locator('textarea').first().fill('本报告统计期限自2024年1月1日起至2024年12月31日止。');
    await clerk.locator('#remote', { hasText: '已保存到服务器' }).waitFor();
    await clerk.click('a:has-text("返回报告页")');
    await clerk.click('button:has-text("报送")');
    await clerk.locator('.state.submitted').waitFor();

    // ── The reviewer compares, approves; the office downloads ──
    await reviewer.reload();
    await reviewer.click('button:has-text("比较")');
    await reviewer.locator('.diff td', { hasText: '前言 第1段' }).waitFor();
    await look(reviewer, 'report-review');
    await reviewer.click('button:has-text("审核通过")');
    await reviewer.locator('.state.approved').waitFor();
    await reviewer.goto(new URL(`/board?year=${YEAR}`, server.url).href);
    for (const [label, pattern] of [
      ['下载汇总表', /\.xlsx$/u],
      ['下载发布包', /\.zip$/u],
    ] as const) {
      const [download] = await Promise.all([reviewer.waitForEvent('download'), reviewer.click(`a:has-text("${label}")`)]);
      expect(download.suggestedFilename()).toMatch(pattern);
      const path = await download.path();
      expect(path && existsSync(path)).toBe(true);
    }
    for (const page of [admin, clerk, reviewer]) expect(errorsOf.get(page)).toEqual([]);
  });
});
