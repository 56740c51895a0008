/**
 * The collection server from the outside, over HTTP, on both engines: accounts and sessions, CSRF,
 * every endpoint refused to a clerk of another unit and to nobody, SQL metacharacters as text,
 * bounded bodies, the workflow with its checks, versions and their comparison, the audit log, and
 * no password or token in the server's output.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUserCli, Client } from './helpers/collection.js';
import { havePostgres, startCluster, type TestCluster } from './helpers/postgres.js';
import { readJson } from './helpers/reports.js';
import { serve, type Served } from './helpers/serve.js';

const YEAR = 2024;
const ROSTER = '单位名称,上级单位\n某县人民政府办公室,\n某县教育局,某县人民政府办公室\n某县公安局,某县人民政府办公室\n';

const engines: { name: string; skip: boolean }[] = [
  { name: 'embedded', skip: false },
  { name: 'postgres', skip: !havePostgres() },
];

for (const engine of engines) {
  describe.skipIf(engine.skip)(`collection over HTTP (${engine.name})`, { timeout: 120_000 }, () => {
    let dir: string;
    let cluster: TestCluster | undefined;
    let where: string[];
    let server: Served;
    const secrets: string[] = [];
    const admin = () => new Client(server.url);
    let adminC: Client;
    let clerkA: Client;
    let clerkB: Client;
    let reviewer: Client;
    let unitA: number;
    let unitB: number;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'xxgk-coll-'));
      if (engine.name === 'embedded') where = ['--data', join(dir, 'data')];
      else {
        cluster = await startCluster();
        where = ['--database', cluster.newDatabase()];
      }
      const once = addUserCli(where, 'office-admin', 'admin');
      secrets.push(once);
      server = await serve(where);
      adminC = admin();
      secrets.push(await adminC.firstLogin('office-admin', once));
      secrets.push(adminC.csrf, adminC.cookie.split('=')[1]!);
      const roster = await adminC.post('/api/admin/units', { text: ROSTER });
      expect(roster.status).toBe(200);
      const units = roster.json.units as { id: number; name: string; parentId: number | null }[];
      const office = units.find((u) => u.name === '某县人民政府办公室')!;
      unitA = units.find((u) => u.name === '某县教育局')!.id;
      unitB = units.find((u) => u.name === '某县公安局')!.id;
      expect(units.find((u) => u.id === unitA)!.parentId).toBe(office.id);
      const make = async (login: string, role: string, unit: string) => {
        const a = await adminC.post('/api/admin/users', { login, role, unit });
        expect(a.status).toBe(200);
        secrets.push(a.json.password);
        const c = new Client(server.url);
        secrets.push(await c.firstLogin(login, a.json.password));
        secrets.push(c.csrf, c.cookie.split('=')[1]!);
        return c;
      };
      clerkA = await make('clerk-edu', 'clerk', '某县教育局');
      clerkB = await make('clerk-police', 'clerk', '某县公安局');
      reviewer = await make('reviewer-office', 'reviewer', '某县人民政府办公室');
    });

    afterAll(async () => {
      await server?.stop();
      cluster?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('first login forces the password change; the cookie is HttpOnly, SameSite=Strict and expires', async () => {
      const once = (await adminC.post('/api/admin/users', { login: 'newcomer', role: 'clerk', unit: '某县教育局' })).json.password;
      secrets.push(once);
      const c = new Client(server.url);
      const raw = await fetch(new URL('/api/login', server.url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: server.url.replace(/\/$/u, '') },
        body: JSON.stringify({ login: 'newcomer', password: once }),
      });
      const cookie = raw.headers.get('set-cookie')!;
      expect(cookie).toMatch(/HttpOnly/u);
      expect(cookie).toMatch(/SameSite=Strict/u);
      expect(cookie).toMatch(/Max-Age=\d{4,}/u);
      expect(cookie).not.toMatch(/Secure/u); // loopback, plain HTTP
      expect((await raw.json()).user.mustChangePassword).toBe(true);
      await c.login('newcomer', once);
      const blocked = await c.get(`/api/units/${unitA}/${YEAR}`);
      expect(blocked.status).toBe(403);
      expect(blocked.json.message).toContain('首次登录须先修改密码');
      const weak = await c.post('/api/password', { old: once, new: '123' });
      expect(weak.status).toBe(400);
      expect(weak.json.message).toContain('至少 10 个字符');
      secrets.push(await c.firstLogin('newcomer', once));
      expect((await c.get(`/api/units/${unitA}/${YEAR}`)).status).toBe(200);
      // Logout ends the session on the server, not only in the browser.
      const kept = c.cookie;
      expect((await c.post('/api/logout')).status).toBe(200);
      c.cookie = kept;
      expect((await c.get('/api/me')).status).toBe(401);
    });

    it('a wrong password is refused with one message for unknown logins and wrong passwords', async () => {
      const c = new Client(server.url);
      const a = await c.login('clerk-edu', 'not-the-password');
      const b = await c.login('nobody-here', 'not-the-password');
      expect(a.status).toBe(401);
      expect(b.status).toBe(401);
      expect(a.json.message).toBe(b.json.message);
    });

    it('locks an account after five wrong passwords, even for the right one (429)', async () => {
      const once = (await adminC.post('/api/admin/users', { login: 'target', role: 'clerk', unit: '某县公安局' })).json.password;
      secrets.push(once);
      const c = new Client(server.url);
      for (let i = 0; i < 5; i++) expect((await c.login('target', `wrong-password-${i}`)).status).toBe(401);
      const locked = await c.login('target', once);
      expect(locked.status).toBe(429);
      expect(locked.json.message).toContain('暂时锁定');
    });

    it('saves with optimistic concurrency: a stale version is a 409 with the store’s message, never an overwrite', async () => {
      const report = readJson('samples/qingjiang-bureau-2024.json');
      report.agency = '某县教育局';
      const first = await clerkA.put(`/api/units/${unitA}/${YEAR}`, { version: 0, report });
      expect(first.status).toBe(200);
      expect(first.json.version).toBe(1);
      const second = await clerkA.put(`/api/units/${unitA}/${YEAR}`, { version: 1, report: { ...report, preface: ['第二版'] } });
      expect(second.json.version).toBe(2);
      const stale = await clerkA.put(`/api/units/${unitA}/${YEAR}`, { version: 1, report: { ...report, preface: ['另一个标签页'] } });
      expect(stale.status).toBe(409);
      expect(stale.json.message).toContain('第 2 版');
      expect(stale.json.message).toContain('未保存');
      expect(stale.json.version).toBe(2);
      const now = await clerkA.get(`/api/units/${unitA}/${YEAR}`);
      expect(now.json.report.preface).toEqual(['第二版']);
    });

    it('SQL metacharacters are stored and shown as text', async () => {
      const nasty = `'); DROP TABLE reports; -- " \\ %_ $1 ' OR '1'='1`;
      const report = readJson('samples/yangshan-2024.json');
      report.agency = nasty;
      report.preface = [nasty];
      const saved = await clerkB.put(`/api/units/${unitB}/${YEAR}`, { version: 0, report });
      expect(saved.status).toBe(200);
      const back = await clerkB.get(`/api/units/${unitB}/${YEAR}`);
      expect(back.json.report.agency).toBe(nasty);
      expect(back.json.report.preface).toEqual([nasty]);
      const roster = await adminC.post('/api/admin/units', { text: `单位名称\n${nasty}\n` });
      expect(roster.status).toBe(200);
      expect(roster.json.added).toEqual([nasty]);
      // The other tables are all still there.
      expect((await reviewer.get(`/api/board?year=${YEAR}`)).status).toBe(200);
    });

    it('refuses unauthenticated requests (401) and another unit’s report on every endpoint (404)', async () => {
      const base = `/api/units/${unitA}/${YEAR}`;
      const endpoints: [string, string, unknown?][] = [
        ['GET', base],
        ['PUT', base, { version: 2, report: readJson('samples/yangshan-2024.json') }],
        ['GET', `${base}/previous`],
        ['POST', `${base}/check`, {}],
        ['POST', `${base}/submit`, { version: 2, confirm: true }],
        ['POST', `${base}/return`, { version: 2, comments: [{ body: 'x' }] }],
        ['POST', `${base}/approve`, { version: 2 }],
        ['POST', `${base}/publish`, { version: 2 }],
        ['GET', `${base}/versions`],
        ['GET', `${base}/versions/1`],
        ['GET', `${base}/compare?a=1&b=2`],
        ['GET', `${base}/comments`],
        ['GET', `${base}/history`],
        ['GET', `${base}/render?format=pdf`],
        ['GET', `${base}/render?format=docx`],
        ['GET', `${base}/render?format=html`],
      ];
      const nobody = new Client(server.url);
      for (const [method, path, body] of endpoints) {
        const other = await clerkB.request(method, path, body);
        expect([403, 404], `${method} ${path} as another unit's clerk`).toContain(other.status);
        expect(JSON.stringify(other.json)).not.toContain('第二版');
        const anon = await nobody.request(method, path, body);
        expect(anon.status, `${method} ${path} unauthenticated`).toBe(401);
      }
      for (const path of ['/api/board', '/api/audit', '/api/admin/users', '/api/me', '/api/validate'])
        expect(
          (await nobody.request(path === '/api/validate' ? 'POST' : 'GET', path, path === '/api/validate' ? {} : undefined)).status,
        ).toBe(401);
      // The report is unchanged.
      expect((await clerkA.get(base)).json.version).toBe(2);
      // A clerk cannot administer, nor read the audit log.
      expect((await clerkB.post('/api/admin/users', { login: 'sneaky', role: 'admin' })).status).toBe(403);
      expect((await clerkB.get('/api/audit')).status).toBe(403);
    });

    it('refuses a state-changing request without the CSRF token or from another origin', async () => {
      const path = `/api/units/${unitA}/${YEAR}`;
      const body = { version: 2, report: readJson('samples/qingjiang-bureau-2024.json') };
      const noToken = await clerkA.request('PUT', path, body, { 'X-CSRF-Token': '' });
      expect(noToken.status).toBe(403);
      expect(noToken.json.message).toContain('安全令牌');
      const evil = await clerkA.request('PUT', path, body, { Origin: 'https://evil.example' });
      expect(evil.status).toBe(403);
      expect(evil.json.message).toContain('其他网站');
      const crossSite = await clerkA.request('PUT', path, body, { 'Sec-Fetch-Site': 'cross-site' });
      expect(crossSite.status).toBe(403);
      const form = await clerkA.request('PUT', path, JSON.stringify(body), { 'Content-Type': 'text/plain' });
      expect(form.status).toBe(415);
      const login = await new Client(server.url, 'https://evil.example').post('/api/login', { login: 'clerk-edu', password: 'x' });
      expect(login.status).toBe(403);
      expect((await clerkA.get(path)).json.version).toBe(2);
    });

    it('bounds request bodies', async () => {
      const big = await clerkA.request('PUT', `/api/units/${unitA}/${YEAR}`, { version: 2, report: { preface: ['字'.repeat(3_000_000)] } });
      expect(big.status).toBe(413);
      const bigLogin = await new Client(server.url).post('/api/login', { login: 'x', password: 'p'.repeat(200_000) });
      expect(bigLogin.status).toBe(413);
    });

    it('runs the workflow: checks on submit, return with comments, fix, resubmit, approve, publish; versions compared', async () => {
      const base = `/api/units/${unitA}/${YEAR}`;
      // An error blocks submission: a total that does not add up (R1–R6).
      const cur = await clerkA.get(base);
      const broken = structuredClone(cur.json.report);
      broken.applications.received.total += 7;
      const savedBroken = await clerkA.put(base, { version: cur.json.version, report: broken });
      expect(savedBroken.status).toBe(200);
      const blocked = await clerkA.post(`${base}/submit`, { version: savedBroken.json.version, confirm: true });
      expect(blocked.status).toBe(422);
      expect(blocked.json.diagnostics.some((d: any) => d.severity === 'error')).toBe(true);
      expect(blocked.json.message).toContain('不能报送');
      // Fixed again; a warning needs confirmation.
      const fixed = await clerkA.put(base, { version: savedBroken.json.version, report: cur.json.report });
      const check = await clerkA.post(`${base}/check`, {});
      expect(check.status).toBe(200);
      const submitted = await clerkA.post(`${base}/submit`, { version: fixed.json.version, confirm: true });
      expect(submitted.status, JSON.stringify(submitted.json)).toBe(200);
      expect(submitted.json.state).toBe('submitted');
      // Submitted reports cannot be edited.
      const locked = await clerkA.put(base, { version: submitted.json.version, report: cur.json.report });
      expect(locked.status).toBe(409);
      expect(locked.json.message).toContain('已报送');
      // A clerk cannot approve; the reviewer of the parent unit returns with comments.
      expect((await clerkA.post(`${base}/approve`, { version: submitted.json.version })).status).toBe(403);
      const noReason = await reviewer.post(`${base}/return`, { version: submitted.json.version, comments: [] });
      expect(noReason.status).toBe(400);
      const returned = await reviewer.post(`${base}/return`, {
        version: submitted.json.version,
        comments: [{ body: '请补充总体情况' }, { path: 'overview.sections[0].paragraphs[0]', body: '主动公开情况过于简单' }],
      });
      expect(returned.status).toBe(200);
      expect(returned.json.state).toBe('returned');
      const comments = (await clerkA.get(`${base}/comments`)).json.comments;
      expect(comments.map((c: any) => c.body)).toEqual(['请补充总体情况', '主动公开情况过于简单']);
      expect(comments[1]).toMatchObject({ path: 'overview.sections[0].paragraphs[0]', label: '一、总体情况 （一）小节 第1段' });
      // The clerk fixes and resubmits; the reviewer approves, then publishes.
      const report = structuredClone(cur.json.report);
      report.preface = ['第二版', '已按审核意见补充。'];
      const again = await clerkA.put(base, { version: returned.json.version, report });
      expect(again.status).toBe(200);
      const resubmitted = await clerkA.post(`${base}/submit`, { version: again.json.version, confirm: true });
      expect(resubmitted.status).toBe(200);
      const approved = await reviewer.post(`${base}/approve`, { version: resubmitted.json.version });
      expect(approved.json.state).toBe('approved');
      expect(approved.json.approvedVersion).toBe(again.json.version);
      expect((await clerkA.put(base, { version: approved.json.version, report: cur.json.report })).status).toBe(409);
      const published = await reviewer.post(`${base}/publish`, { version: approved.json.version });
      expect(published.json.state).toBe('published');
      // Every version is kept; two are compared field by field with the official labels.
      const versions = (await reviewer.get(`${base}/versions`)).json.versions;
      expect(versions.map((v: any) => v.version)).toEqual([1, 2, 3, 4, 5]);
      const diff = await reviewer.get(`${base}/compare?a=3&b=4`);
      expect(diff.status).toBe(200);
      const total = diff.json.changes.find((c: any) => c.path === 'applications.received.total');
      expect(total.after - total.before).toBe(-7);
      expect(total.label).toBe('表三 一、本年新收政府信息公开申请数量 / 申请人情况 总计');
      const pre = (await reviewer.get(`${base}/compare?a=4&b=5`)).json.changes.find((c: any) => c.path === 'preface[1]');
      expect(pre).toMatchObject({ label: '前言 第2段', before: null, after: '已按审核意见补充。' });
      // The document of the approved report, rendered by the server's pool.
      const pdf = await reviewer.get(`${base}/render?format=pdf`);
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
      // History and the audit log name who did what.
      const history = (await clerkA.get(`${base}/history`)).json.history.map((e: any) => `${e.user} ${e.action}`);
      expect(history).toEqual(
        expect.arrayContaining([
          'clerk-edu report.submit',
          'reviewer-office report.return',
          'reviewer-office report.approve',
          'reviewer-office report.publish',
        ]),
      );
      const audit = (await reviewer.get('/api/audit')).json.audit;
      expect(audit.some((e: any) => e.action === 'report.approve' && e.unitId === unitA)).toBe(true);
      // The reviewer of the office sees its subtree only; nothing of units outside.
      expect(audit.every((e: any) => e.unitId !== null)).toBe(true);
    });

    it('shows the board with states, check results and who has not submitted', async () => {
      expect((await adminC.post('/api/admin/deadline', { year: YEAR, due: '2025-01-15' })).status).toBe(200);
      const board = await reviewer.get(`/api/board?year=${YEAR}`);
      expect(board.status).toBe(200);
      const byName = Object.fromEntries(board.json.units.map((u: any) => [u.unit.name, u]));
      expect(byName.某县教育局.stateName).toBe('已发布');
      expect(byName.某县公安局.notSubmitted).toBe(true);
      expect(byName.某县公安局.deadline).toBe('2025-01-15');
      expect(board.json.notSubmitted).toContain('某县公安局');
      // A clerk's board is their own unit.
      const own = await clerkB.get(`/api/board?year=${YEAR}`);
      expect(own.json.units.map((u: any) => u.unit.name)).toEqual(['某县公安局']);
    });

    it('gives the office the 汇总 of approved reports (JSON and XLSX) and the publication bundle', async () => {
      const approved = (await clerkA.get(`/api/units/${unitA}/${YEAR}`)).json.report;
      const sum = await reviewer.get(`/api/summary?year=${YEAR}`);
      expect(sum.status).toBe(200);
      expect(sum.json.units).toEqual(['某县教育局']);
      expect(sum.json.agency).toBe('某县人民政府办公室');
      expect(sum.json.report.applications.received.total).toBe(approved.applications.received.total);
      const xlsx = await reviewer.get(`/api/summary.xlsx?year=${YEAR}`);
      expect(xlsx.status).toBe(200);
      expect(xlsx.bytes.subarray(0, 2).toString()).toBe('PK');
      const { default: excel } = await import('exceljs');
      const wb = new excel.Workbook();
      await wb.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
      expect(wb.worksheets.length).toBeGreaterThan(1);
      expect((await clerkA.get(`/api/summary?year=${YEAR}`)).status).toBe(403);
      const bundle = await reviewer.get(`/api/bundle?year=${YEAR}`);
      expect(bundle.status).toBe(200);
      expect(bundle.headers.get('content-type')).toBe('application/zip');
      const files = unzipSync(new Uint8Array(bundle.bytes));
      const names = Object.keys(files).sort();
      const stem = `某县教育局/某县教育局${YEAR}年度政府信息公开工作年度报告`;
      expect(names).toEqual(['index.html', `${stem}.docx`, `${stem}.html`, `${stem}.pdf`].sort());
      expect(Buffer.from(files[`${stem}.pdf`]!).subarray(0, 5).toString()).toBe('%PDF-');
      const index = Buffer.from(files['index.html']!).toString();
      expect(index).toContain('某县教育局');
      expect(index).toContain(`href="${encodeURI(`${stem}.pdf`)}"`);
      // The unit that has not reached approval is not in it.
      expect(names.some((n) => n.includes('公安局'))).toBe(false);
    });

    it('never writes a password, a one-time password or a session token to its output', () => {
      const out = server.output();
      expect(out).toContain('PUT /api/units/'); // the request log is there …
      for (const s of secrets) expect(out.includes(s), `secret ${s.slice(0, 3)}… in the server output`).toBe(false);
    });

    it.runIf(engine.name === 'embedded')('keeps the data folder private to its owner', () => {
      const data = where[1]!;
      expect(statSync(data).mode & 0o077).toBe(0);
      for (const name of readdirSync(data)) expect(statSync(join(data, name)).mode & 0o077, name).toBe(0);
    });
  });
}
