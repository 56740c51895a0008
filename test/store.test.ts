/**
 * The collection's database on both engines (the embedded one and a real PostgreSQL): the same
 * schema and behaviour — units and who may see them, accounts and logins, optimistic saves, the
 * workflow, the append-only audit log, SQL metacharacters as text, backup and restore; and on the
 * embedded engine, the files' permissions and saves that survive `kill -9`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCollection, importCollection } from '../src/store/backup.js';
import { type Engine, openEmbedded, openPostgres } from '../src/store/engine.js';
import { Store, StoreError, type User } from '../src/store/store.js';
import { havePostgres, startCluster, type TestCluster } from './helpers/postgres.js';
import { ROOT } from './helpers/reports.js';

const tmp = mkdtempSync(join(tmpdir(), 'xxgk-store-'));
let cluster: TestCluster | undefined;
const pgAvailable = havePostgres();

beforeAll(async () => {
  if (pgAvailable) cluster = await startCluster();
}, 120_000);

afterAll(() => {
  cluster?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

let n = 0;
const engines: [string, boolean, () => Promise<Engine>][] = [
  ['embedded (PGlite)', true, () => openEmbedded(join(tmp, `data-${++n}`))],
  ['PostgreSQL', pgAvailable, () => openPostgres(cluster!.newDatabase())],
];

const refused = async (p: Promise<unknown>, kind: string, text?: string | RegExp) => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, 'expected a refusal').toBeInstanceOf(StoreError);
  expect((e as StoreError).kind).toBe(kind);
  if (text) expect((e as StoreError).message).toMatch(text);
  return e as StoreError;
};

describe.each(engines)('the collection on %s', (_name, available, open) => {
  let store: Store;
  let admin: User;
  let clerk: User;
  let clerkPassword: string;
  let reviewer: User;

  beforeAll(async () => {
    if (!available) return;
    store = await Store.open(await open());
    ({ user: admin } = await store.addUser({ login: 'admin', role: 'admin' }, null));
    await store.addUnits(
      [
        { name: '某某县人民政府办公室' },
        { name: '某某县教育局', parent: '某某县人民政府办公室' },
        { name: '某某县某某镇人民政府', parent: '某某县人民政府办公室' },
        { name: "某某县'; DROP TABLE units; --局", parent: '某某县人民政府办公室' },
      ],
      admin,
    );
    ({ user: clerk, password: clerkPassword } = await store.addUser(
      { login: 'jiaoyu', displayName: '教育局 张三', role: 'clerk', unit: '某某县教育局' },
      admin,
    ));
    ({ user: reviewer } = await store.addUser(
      { login: 'shenhe', displayName: '县政务公开办 李四', role: 'reviewer', unit: '某某县人民政府办公室' },
      admin,
    ));
  }, 120_000);

  afterAll(async () => {
    if (available) await store.close();
  });

  it.skipIf(!available)('keeps SQL metacharacters as text and knows who may see which unit', async () => {
    const units = await store.units();
    expect(units.map((u) => u.name)).toContain("某某县'; DROP TABLE units; --局");
    const edu = (await store.unitByName('某某县教育局'))!;
    const town = (await store.unitByName('某某县某某镇人民政府'))!;
    expect(await store.canAccess(clerk, edu.id)).toBe(true);
    expect(await store.canAccess(clerk, town.id)).toBe(false);
    expect(await store.canAccess(reviewer, town.id)).toBe(true);
    expect((await store.visibleUnits(clerk)).map((u) => u.name)).toEqual(['某某县教育局']);
    expect((await store.visibleUnits(reviewer)).length).toBe(4);
    await refused(store.addUnits([{ name: '某局', parent: '不存在的单位' }], admin), 'invalid', '上级单位“不存在的单位”不存在');
  });

  it.skipIf(!available)(
    'logs in with the one-time password, which must be changed, and limits wrong passwords',
    async () => {
      const first = await store.login('jiaoyu', clerkPassword, '127.0.0.1');
      expect(first.user.mustChangePassword).toBe(true);
      const session = await store.session(first.token);
      expect(session?.user.login).toBe('jiaoyu');
      expect(session?.csrf).toBe(first.csrf);
      await refused(store.changePassword(first.user, clerkPassword, '12345678901', first.token), 'invalid', '密码不能全是数字');
      await store.changePassword(first.user, clerkPassword, '新的密码 correct horse', first.token);
      const again = await store.login('jiaoyu', '新的密码 correct horse', '127.0.0.1');
      expect(again.user.mustChangePassword).toBe(false);
      await store.logout(again.token, again.user);
      expect(await store.session(again.token)).toBeUndefined();
      // Five wrong passwords lock the account, for the right password too.
      const { password } = await store.addUser({ login: 'victim', role: 'clerk', unit: '某某县某某镇人民政府' }, admin);
      for (let i = 0; i < 5; i++)
        await refused(store.login('victim', 'wrong password', '10.0.0.1'), 'unauthenticated', '登录名或密码不正确');
      await refused(store.login('victim', password, '10.0.0.2'), 'locked', '已暂时锁定');
      // Twenty wrong attempts from one address lock that address for any account.
      for (let i = 0; i < 20; i++) await refused(store.login(`nobody${i}`, 'x', '10.0.0.9'), 'unauthenticated');
      await refused(store.login('admin', 'anything', '10.0.0.9'), 'locked', '此地址');
    },
    120_000,
  );

  it.skipIf(!available)('stores passwords as scrypt hashes only', async () => {
    const rows = await store.db.query<{ password_hash: string }>('SELECT password_hash FROM users');
    for (const r of rows) expect(r.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/u);
    expect(rows.some((r) => r.password_hash.includes(clerkPassword))).toBe(false);
  });

  it.skipIf(!available)('saves versions with optimistic concurrency and refuses a silent overwrite', async () => {
    const edu = (await store.unitByName('某某县教育局'))!;
    const v1 = await store.save(edu.id, 2025, '{"v":1}', 0, clerk);
    expect(v1).toMatchObject({ version: 1, state: 'draft', body: '{"v":1}' });
    const v2 = await store.save(edu.id, 2025, '{"v":2}', 1, clerk);
    expect(v2.version).toBe(2);
    // A second tab still on version 1.
    const e = await refused(
      store.save(edu.id, 2025, '{"v":"other tab"}', 1, clerk),
      'conflict',
      /已被教育局 张三在 .* 修改（第 2 版），你的修改基于第 1 版/u,
    );
    expect(e.detail).toEqual({ version: 2 });
    expect((await store.report(edu.id, 2025))?.body).toBe('{"v":2}');
    // Two saves at once from the same version: exactly one wins.
    const both = await Promise.allSettled([
      store.save(edu.id, 2025, '{"v":"a"}', 2, clerk),
      store.save(edu.id, 2025, '{"v":"b"}', 2, clerk),
    ]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await store.versions(v1.id)).map((v) => v.version)).toEqual([1, 2, 3]);
  });

  it.skipIf(!available)('moves a report through the workflow, by role, and freezes an approved version', async () => {
    const town = (await store.unitByName('某某县某某镇人民政府'))!;
    const { user: townClerk } = await store.addUser({ login: 'zhen', role: 'clerk', unit: '某某县某某镇人民政府' }, admin);
    const r = await store.save(town.id, 2025, '{"draft":1}', 0, townClerk);
    await refused(store.transition(r.id, 'approve', townClerk, { version: 1 }), 'forbidden', '填报人员不能审核通过报告');
    const submitted = await store.transition(r.id, 'submit', townClerk, { version: 1 });
    expect(submitted.state).toBe('submitted');
    await refused(store.save(town.id, 2025, '{"edit":1}', 1, townClerk), 'locked', '审核人员退回后才能修改');
    await refused(store.transition(r.id, 'return', reviewer, { version: 1 }), 'invalid', '退回时请写明退回原因');
    await store.transition(r.id, 'return', reviewer, {
      version: 1,
      comments: [{ path: 'problems', body: "五、存在的问题写得太简单'; --" }],
    });
    expect((await store.comments(r.id)).map((c) => [c.path, c.body])).toEqual([['problems', "五、存在的问题写得太简单'; --"]]);
    const fixed = await store.save(town.id, 2025, '{"fixed":1}', 1, townClerk);
    await store.transition(r.id, 'submit', townClerk, { version: fixed.version });
    const approved = await store.transition(r.id, 'approve', reviewer, { version: fixed.version });
    expect(approved).toMatchObject({ state: 'approved', approvedVersion: 2 });
    await refused(store.save(town.id, 2025, '{"late":1}', 2, townClerk), 'locked', '已审核通过');
    const published = await store.transition(r.id, 'publish', reviewer, { version: 2 });
    expect(published.state).toBe('published');
    expect(await store.version(r.id, 1)).toBe('{"draft":1}');
    const board = await store.board(reviewer, 2025);
    expect(board.find((b) => b.unit.id === town.id)?.report?.state).toBe('published');
    expect(board.find((b) => b.unit.name === '某某县人民政府办公室')?.report).toBeUndefined();
  });

  it.skipIf(!available)('logs every change in an audit log that cannot be edited', async () => {
    const log = await store.auditLog();
    const actions = new Set(log.map((a) => a.action));
    for (const a of [
      'unit.add',
      'user.add',
      'login',
      'login.failed',
      'logout',
      'user.password',
      'report.save',
      'report.submit',
      'report.return',
      'report.approve',
      'report.publish',
    ])
      expect(actions, a).toContain(a);
    const text = JSON.stringify(log);
    expect(text).not.toContain(clerkPassword);
    expect(text).not.toContain('新的密码');
    await expect(store.db.query('UPDATE audit SET action = $1', ['x'])).rejects.toThrow(/append-only/u);
    await expect(store.db.query('DELETE FROM audit')).rejects.toThrow(/append-only/u);
  });

  it.skipIf(!available)(
    'backs up and restores into a new collection with the same content',
    async () => {
      const backup = await exportCollection(store.db);
      expect(backup.tables.audit!.length).toBeGreaterThan(10);
      const target = await open();
      await importCollection(target, backup);
      expect(await exportCollection(target)).toEqual(backup);
      // The counters continue after the restored rows.
      const restored = await Store.open(target);
      const { user } = await restored.addUser({ login: 'after-restore', role: 'admin' }, null);
      expect(user.id).toBeGreaterThan(Math.max(...backup.tables.users!.map((u) => Number(u.id))));
      await restored.close();
    },
    120_000,
  );
});

describe('the embedded engine on disk', () => {
  it('keeps its files readable by their owner only', async () => {
    const dir = join(tmp, 'perm');
    const store = await Store.open(await openEmbedded(dir));
    await store.addUnits([{ name: '权限测试单位' }], null);
    await store.close();
    const walk = (p: string): string[] => {
      const st = statSync(p);
      const bad = (st.mode & 0o077) !== 0 ? [`${p} ${(st.mode & 0o777).toString(8)}`] : [];
      return st.isDirectory() ? [...bad, ...readdirSync(p).flatMap((f) => walk(join(p, f)))] : bad;
    };
    expect(walk(dir)).toEqual([]);
  }, 120_000);

  it('loses no acknowledged save when the process is killed with SIGKILL', async () => {
    const dir = join(tmp, 'crash');
    const child = spawn(process.execPath, [join(ROOT, 'test/fixtures/store-saver.mjs'), join(ROOT, 'dist/src/store/index.js'), dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acked: number[] = [];
    await new Promise<void>((resolve) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        for (const line of buf.split('\n').slice(0, -1)) {
          const m = /^saved (\d+)$/u.exec(line);
          if (m) acked.push(Number(m[1]));
        }
        buf = buf.slice(buf.lastIndexOf('\n') + 1);
        if (acked.length >= 40 && !child.killed) {
          // Resolved by 'exit': the folder's lock is the dead process's only once it is gone.
          child.kill('SIGKILL');
        }
      });
      child.on('exit', () => resolve());
    });
    expect(acked.length).toBeGreaterThanOrEqual(40);
    const store = await Store.open(await openEmbedded(dir));
    const unit = (await store.unitByName('崩溃测试单位'))!;
    const report = (await store.report(unit.id, 2025))!;
    expect(report.version).toBeGreaterThanOrEqual(acked.at(-1)!);
    for (const v of acked) expect(await store.version(report.id, v)).toBe(JSON.stringify({ saved: v }));
    await store.close();
  }, 180_000);
});
