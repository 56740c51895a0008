/**
 * The collection's commands and processes from the outside: `xxgk users add`, `xxgk backup` and
 * `xxgk restore` (a restored folder holds the same content and serves the same people), a server
 * killed with SIGKILL during saves loses no acknowledged save, and two server processes on one
 * PostgreSQL share a session.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUserCli, Client } from './helpers/collection.js';
import { havePostgres, startCluster, type TestCluster } from './helpers/postgres.js';
import { readJson, runCli } from './helpers/reports.js';
import { serve } from './helpers/serve.js';

const YEAR = 2024;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xxgk-coll-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Units, a clerk with a changed password, a report saved `saves` times; returns the clerk's password. */
async function seed(adminOnce: string, url: string, saves = 2) {
  const admin = new Client(url);
  await admin.firstLogin('office-admin', adminOnce);
  expect((await admin.post('/api/admin/units', { text: '某县教育局\n' })).status).toBe(200);
  const once = (await admin.post('/api/admin/users', { login: 'clerk-edu', role: 'clerk', unit: '某县教育局' })).json.password;
  const clerk = new Client(url);
  const password = await clerk.firstLogin('clerk-edu', once);
  const report = readJson('samples/qingjiang-bureau-2024.json');
  let version = 0;
  for (let i = 0; i < saves; i++) {
    report.preface = [`第 ${i + 1} 次保存`];
    version = (await clerk.put(`/api/units/1/${YEAR}`, { version, report })).json.version;
  }
  return { password, clerk };
}

describe('xxgk users add', () => {
  it('needs a data location and tells which', () => {
    const r = runCli(['users', 'add', '--login', 'someone', '--role', 'admin']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--data');
    expect(r.stderr).toContain('--database');
  });

  it('refuses a clerk without a unit, in Chinese, and prints a one-time password otherwise', () => {
    const data = join(dir, 'users');
    const r = runCli(['users', 'add', '--data', data, '--login', 'clerk1', '--role', 'clerk']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('填报人员必须属于一个单位');
    const ok = runCli(['users', 'add', '--data', data, '--login', 'admin1', '--role', 'admin']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/一次性密码：[A-Za-z0-9]{12}\n/u);
    const again = runCli(['users', 'add', '--data', data, '--login', 'admin1', '--role', 'admin']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('已被使用');
  });
});

describe('xxgk backup and restore (embedded)', { timeout: 120_000 }, () => {
  it('restores into a new data folder with the same content, and the same people can log in', async () => {
    const data = join(dir, 'b-data');
    const once = addUserCli(['--data', data], 'office-admin', 'admin');
    const server = await serve(['--data', data]);
    // While the server has the folder, no other process may open it.
    const busy = runCli(['users', 'add', '--data', data, '--login', 'late', '--role', 'admin']);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toContain('正被另一个进程');
    const { password } = await seed(once, server.url, 3);
    await server.stop();
    const file = join(dir, 'backup.json');
    const b = runCli(['backup', '--data', data, '-o', file]);
    expect(b.code, b.stderr).toBe(0);
    expect(statSync(file).mode & 0o077).toBe(0);
    const restored = join(dir, 'r-data');
    const r = runCli(['restore', file, '--data', restored]);
    expect(r.code, r.stderr).toBe(0);
    const file2 = join(dir, 'backup2.json');
    expect(runCli(['backup', '--data', restored, '-o', file2]).code).toBe(0);
    expect(JSON.parse(readFileSync(file2, 'utf8'))).toEqual(JSON.parse(readFileSync(file, 'utf8')));
    // Not over a collection that has data.
    const over = runCli(['restore', file, '--data', data]);
    expect(over.code).toBe(2);
    expect(over.stderr).toContain('不是空的');
    const again = await serve(['--data', restored]);
    try {
      const clerk = new Client(again.url);
      expect((await clerk.login('clerk-edu', password)).status).toBe(200);
      const got = await clerk.get(`/api/units/1/${YEAR}`);
      expect(got.json.version).toBe(3);
      expect(got.json.report.preface).toEqual(['第 3 次保存']);
      expect((await clerk.get(`/api/units/1/${YEAR}/versions`)).json.versions).toHaveLength(3);
    } finally {
      await again.stop();
    }
  });
});

describe('kill -9 during saves (embedded)', { timeout: 120_000 }, () => {
  it('loses no acknowledged save and opens again', async () => {
    const data = join(dir, 'k-data');
    const once = addUserCli(['--data', data], 'office-admin', 'admin');
    const server = await serve(['--data', data]);
    const { password, clerk } = await seed(once, server.url, 1);
    const report = readJson('samples/qingjiang-bureau-2024.json');
    let acknowledged = 1;
    let stop = false;
    const loop = (async () => {
      while (!stop) {
        report.preface = [`保存 ${acknowledged + 1}`];
        const a = await clerk.put(`/api/units/1/${YEAR}`, { version: acknowledged, report }).catch(() => undefined);
        if (a?.status !== 200) break;
        acknowledged = a!.json.version;
      }
    })();
    await new Promise((r) => setTimeout(r, 1500));
    server.proc.kill('SIGKILL');
    stop = true;
    await loop;
    // (The process may be gone already: then its exit event has fired and will not fire again.)
    if (server.proc.exitCode === null && server.proc.signalCode === null) await new Promise((r) => server.proc.once('exit', r));
    expect(acknowledged).toBeGreaterThan(3);
    const again = await serve(['--data', data]);
    try {
      const c = new Client(again.url);
      expect((await c.login('clerk-edu', password)).status).toBe(200);
      const got = await c.get(`/api/units/1/${YEAR}`);
      // The last acknowledged save is there (one more may have been written but not acknowledged).
      expect(got.json.version).toBeGreaterThanOrEqual(acknowledged);
      expect(got.json.report.preface).toEqual([`保存 ${got.json.version}`]);
      const versions = (await c.get(`/api/units/1/${YEAR}/versions`)).json.versions;
      expect(versions.map((v: { version: number }) => v.version)).toEqual(Array.from({ length: got.json.version }, (_, i) => i + 1));
    } finally {
      await again.stop();
    }
  });
});

describe.skipIf(!havePostgres())('two server processes on one PostgreSQL', { timeout: 120_000 }, () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(() => cluster?.stop());

  it('share a session: log in on one, save on the other, log out on one ends it on both', async () => {
    const url = cluster.newDatabase();
    const once = addUserCli(['--database', url], 'office-admin', 'admin');
    const [a, b] = await Promise.all([serve(['--database', url]), serve(['--database', url])]);
    try {
      const { clerk } = await seed(once, a.url, 1);
      const onB = new Client(b.url);
      onB.cookie = clerk.cookie;
      onB.csrf = clerk.csrf;
      expect((await onB.get('/api/me')).json.user.login).toBe('clerk-edu');
      const report = readJson('samples/qingjiang-bureau-2024.json');
      const saved = await onB.put(`/api/units/1/${YEAR}`, { version: 1, report });
      expect(saved.status).toBe(200);
      // The first process sees the second's save: a stale save there is a conflict.
      const stale = await clerk.put(`/api/units/1/${YEAR}`, { version: 1, report });
      expect(stale.status).toBe(409);
      expect((await clerk.post('/api/logout')).status).toBe(200);
      expect((await onB.get('/api/me')).status).toBe(401);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
