/**
 * The office's collection: units in a tree, people with roles, sessions, each unit's report for
 * a year with every version kept, the workflow (draft → submitted → returned | approved →
 * published), comments, and an audit log that no function here can change. Every change is one
 * transaction that writes its audit entry with it: when a call returns, both are on disk.
 *
 * This layer knows who may do what to a report's state (a clerk submits, a reviewer returns or
 * approves); whether the asker may see the unit at all is `canAccess`, which the server asks on
 * every request.
 */
import type { Engine, Queryable } from './engine.js';
import { migrate } from './migrations.js';
import { hashPassword, newToken, oneTimePassword, passwordProblem, tokenHash, verifyPassword } from './secrets.js';

export type Role = 'clerk' | 'reviewer' | 'admin';
export type ReportState = 'draft' | 'submitted' | 'returned' | 'approved' | 'published';

export interface User {
  id: number;
  login: string;
  displayName: string;
  role: Role;
  unitId: number | null;
  mustChangePassword: boolean;
}

export interface Unit {
  id: number;
  name: string;
  parentId: number | null;
}

export interface StoredReport {
  id: number;
  unitId: number;
  year: number;
  state: ReportState;
  version: number;
  approvedVersion: number | null;
  updatedAt: Date;
  body: string;
}

export type StoreErrorKind = 'invalid' | 'forbidden' | 'not-found' | 'conflict' | 'locked' | 'unauthenticated';

/** A refusal for people (Chinese), with a kind the server maps to an HTTP status. */
export class StoreError extends Error {
  constructor(
    readonly kind: StoreErrorKind,
    message: string,
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** Sessions last a working day. */
export const SESSION_HOURS = 10;
/** Five wrong passwords lock an account for 15 minutes. */
export const ACCOUNT_FAILURES = 5;
/** Twenty wrong passwords from one address in 15 minutes lock the address for the rest of the window. */
export const ADDRESS_FAILURES = 20;
export const LOCK_MINUTES = 15;

const ROLE_NAMES: Record<Role, string> = { clerk: '填报人员', reviewer: '审核人员', admin: '管理员' };
export const STATE_NAMES: Record<ReportState, string> = {
  draft: '草稿',
  submitted: '已报送',
  returned: '已退回',
  approved: '已审核通过',
  published: '已发布',
};

type UserRow = {
  id: number;
  login: string;
  display_name: string;
  role: Role;
  unit_id: number | null;
  must_change_password: boolean;
  password_hash: string;
  failed_logins: number;
  locked_until: Date | null;
};
const toUser = (r: UserRow): User => ({
  id: r.id,
  login: r.login,
  displayName: r.display_name,
  role: r.role,
  unitId: r.unit_id,
  mustChangePassword: r.must_change_password,
});

type ReportRow = {
  id: number;
  unit_id: number;
  year: number;
  state: ReportState;
  version: number;
  approved_version: number | null;
  updated_at: Date;
  body: string;
};
const toReport = (r: ReportRow): StoredReport => ({
  id: r.id,
  unitId: r.unit_id,
  year: r.year,
  state: r.state,
  version: r.version,
  approvedVersion: r.approved_version,
  updatedAt: r.updated_at,
  body: r.body,
});

const REPORT_SELECT = `SELECT r.id, r.unit_id, r.year, r.state, r.version, r.approved_version, r.updated_at, v.body
  FROM reports r JOIN report_versions v ON v.report_id = r.id AND v.version = r.version`;

export class Store {
  private constructor(readonly db: Engine) {}

  static async open(db: Engine): Promise<Store> {
    await migrate(db);
    return new Store(db);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  private audit(
    tx: Queryable,
    actor: User | null,
    action: string,
    refs: { unitId?: number | null; reportId?: number },
    detail: object = {},
  ) {
    return tx.query('INSERT INTO audit (user_id, action, unit_id, report_id, detail) VALUES ($1, $2, $3, $4, $5)', [
      actor?.id ?? null,
      action,
      refs.unitId ?? null,
      refs.reportId ?? null,
      JSON.stringify(detail),
    ]);
  }

  // ── Units ────────────────────────────────────────────────────────────────────────────────

  async units(): Promise<Unit[]> {
    const rows = await this.db.query<{ id: number; name: string; parent_id: number | null }>(
      'SELECT id, name, parent_id FROM units ORDER BY id',
    );
    return rows.map((r) => ({ id: r.id, name: r.name, parentId: r.parent_id }));
  }

  async unitById(id: number): Promise<Unit | undefined> {
    const [r] = await this.db.query<{ id: number; name: string; parent_id: number | null }>(
      'SELECT id, name, parent_id FROM units WHERE id = $1',
      [id],
    );
    return r && { id: r.id, name: r.name, parentId: r.parent_id };
  }

  async unitByName(name: string): Promise<Unit | undefined> {
    const [r] = await this.db.query<{ id: number; name: string; parent_id: number | null }>(
      'SELECT id, name, parent_id FROM units WHERE name = $1',
      [name.trim()],
    );
    return r && { id: r.id, name: r.name, parentId: r.parent_id };
  }

  /**
   * Add units from a roster (each with its parent's name, when it has one), parents before
   * children; units already there are kept. Returns the names added.
   */
  async addUnits(entries: readonly { name: string; parent?: string }[], actor: User | null): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      const added: string[] = [];
      const idOf = async (name: string) => (await tx.query<{ id: number }>('SELECT id FROM units WHERE name = $1', [name]))[0]?.id;
      for (const e of entries) {
        const name = e.name.trim();
        if (!name) throw new StoreError('invalid', '单位名称不能为空');
        if ([...name].length > 100) throw new StoreError('invalid', `单位名称过长：${[...name].length} 字，上限 100 字`);
        if (await idOf(name)) continue;
        let parentId: number | null = null;
        if (e.parent?.trim()) {
          parentId = (await idOf(e.parent.trim())) ?? null;
          if (parentId === null) throw new StoreError('invalid', `“${name}”的上级单位“${e.parent.trim()}”不存在：请先添加上级单位`);
        }
        const [row] = await tx.query<{ id: number }>('INSERT INTO units (name, parent_id) VALUES ($1, $2) RETURNING id', [name, parentId]);
        await this.audit(tx, actor, 'unit.add', { unitId: row!.id }, { name, parent: e.parent?.trim() || null });
        added.push(name);
      }
      return added;
    });
  }

  /** The unit and every unit below it. */
  async subtree(unitId: number): Promise<number[]> {
    const rows = await this.db.query<{ id: number }>(
      `WITH RECURSIVE t(id) AS (SELECT id FROM units WHERE id = $1 UNION ALL SELECT u.id FROM units u JOIN t ON u.parent_id = t.id)
       SELECT id FROM t`,
      [unitId],
    );
    return rows.map((r) => r.id);
  }

  /** Whether a user may see a unit's reports: a clerk their own unit, a reviewer their subtree, an administrator all. */
  async canAccess(user: User, unitId: number): Promise<boolean> {
    if (user.role === 'admin') return true;
    if (user.unitId === null) return false;
    if (user.role === 'clerk') return user.unitId === unitId;
    return (await this.subtree(user.unitId)).includes(unitId);
  }

  /** The units a user may see. */
  async visibleUnits(user: User): Promise<Unit[]> {
    const all = await this.units();
    if (user.role === 'admin') return all;
    if (user.unitId === null) return [];
    const ids = new Set(user.role === 'clerk' ? [user.unitId] : await this.subtree(user.unitId));
    return all.filter((u) => ids.has(u.id));
  }

  // ── People ───────────────────────────────────────────────────────────────────────────────

  /** A new account with a one-time password that must be changed at the first login. */
  async addUser(
    spec: { login: string; displayName?: string; role: Role; unit?: string },
    actor: User | null,
  ): Promise<{ user: User; password: string }> {
    const login = spec.login.trim();
    if (!/^[A-Za-z0-9._@-]{2,64}$/u.test(login))
      throw new StoreError('invalid', `登录名“${login}”无效：只能用 2–64 个英文字母、数字和 . _ @ -`);
    if (!ROLE_NAMES[spec.role])
      throw new StoreError('invalid', `角色“${spec.role}”无效：可选 clerk（填报人员）、reviewer（审核人员）、admin（管理员）`);
    const password = oneTimePassword();
    const hash = await hashPassword(password);
    return this.db.transaction(async (tx) => {
      let unitId: number | null = null;
      if (spec.role !== 'admin') {
        if (!spec.unit?.trim()) throw new StoreError('invalid', `${ROLE_NAMES[spec.role]}必须属于一个单位`);
        unitId = (await tx.query<{ id: number }>('SELECT id FROM units WHERE name = $1', [spec.unit.trim()]))[0]?.id ?? null;
        if (unitId === null) throw new StoreError('invalid', `单位“${spec.unit.trim()}”不存在：请先在名单中添加该单位`);
      }
      if ((await tx.query('SELECT 1 FROM users WHERE login = $1', [login])).length)
        throw new StoreError('conflict', `登录名“${login}”已被使用`);
      const [row] = await tx.query<UserRow>(
        `INSERT INTO users (login, display_name, role, unit_id, password_hash) VALUES ($1, $2, $3, $4, $5)
         RETURNING id, login, display_name, role, unit_id, must_change_password, password_hash, failed_logins, locked_until`,
        [login, spec.displayName?.trim() || login, spec.role, unitId, hash],
      );
      await this.audit(tx, actor, 'user.add', { unitId }, { login, role: spec.role });
      return { user: toUser(row!), password };
    });
  }

  async users(): Promise<(User & { unitName: string | null })[]> {
    const rows = await this.db.query<UserRow & { unit_name: string | null }>(
      `SELECT u.id, u.login, u.display_name, u.role, u.unit_id, u.must_change_password, u.password_hash, u.failed_logins, u.locked_until, n.name AS unit_name
       FROM users u LEFT JOIN units n ON n.id = u.unit_id ORDER BY u.id`,
    );
    return rows.map((r) => ({ ...toUser(r), unitName: r.unit_name }));
  }

  /**
   * Log in: a session token (for the cookie) and its CSRF token. Wrong passwords are counted per
   * account and per address; either limit refuses further attempts for a while, even right ones.
   */
  async login(login: string, password: string, address: string): Promise<{ token: string; csrf: string; user: User; expires: Date }> {
    const now = new Date();
    const [limit] = await this.db.query<{ failures: number; window_start: Date }>(
      'SELECT failures, window_start FROM login_failures WHERE address = $1',
      [address],
    );
    const windowMs = LOCK_MINUTES * 60_000;
    if (limit && limit.failures >= ADDRESS_FAILURES && now.getTime() - limit.window_start.getTime() < windowMs)
      throw new StoreError('locked', `此地址登录失败次数过多，请 ${LOCK_MINUTES} 分钟后再试`);
    const [row] = await this.db.query<UserRow>(
      'SELECT id, login, display_name, role, unit_id, must_change_password, password_hash, failed_logins, locked_until FROM users WHERE login = $1',
      [login.trim()],
    );
    if (row?.locked_until && row.locked_until > now)
      throw new StoreError('locked', `该账号登录失败次数过多，已暂时锁定，请 ${LOCK_MINUTES} 分钟后再试`);
    // A login that does not exist costs the same time as a wrong password.
    const ok = row ? await verifyPassword(password, row.password_hash) : (await hashPassword(password), false);
    if (!ok || !row) {
      await this.db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO login_failures (address, failures, window_start) VALUES ($1, 1, now())
           ON CONFLICT (address) DO UPDATE SET
             failures = CASE WHEN login_failures.window_start < now() - interval '${LOCK_MINUTES} minutes' THEN 1 ELSE login_failures.failures + 1 END,
             window_start = CASE WHEN login_failures.window_start < now() - interval '${LOCK_MINUTES} minutes' THEN now() ELSE login_failures.window_start END`,
          [address],
        );
        if (row)
          await tx.query(
            `UPDATE users SET failed_logins = failed_logins + 1,
               locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + interval '${LOCK_MINUTES} minutes' ELSE locked_until END
             WHERE id = $1`,
            [row.id, ACCOUNT_FAILURES],
          );
        await this.audit(tx, null, 'login.failed', { unitId: row?.unit_id ?? null }, { login: login.trim().slice(0, 64), address });
      });
      throw new StoreError('unauthenticated', '登录名或密码不正确');
    }
    const token = newToken();
    const csrf = newToken();
    const expires = new Date(now.getTime() + SESSION_HOURS * 3_600_000);
    await this.db.transaction(async (tx) => {
      await tx.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1', [row.id]);
      await tx.query('INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)', [
        tokenHash(token),
        row.id,
        csrf,
        expires,
      ]);
      await tx.query('DELETE FROM sessions WHERE expires_at < now()');
      await this.audit(tx, toUser(row), 'login', { unitId: row.unit_id }, { address });
    });
    return { token, csrf, user: toUser(row), expires };
  }

  /** The session a cookie's token opens, if it has not expired. */
  async session(token: string): Promise<{ user: User; csrf: string; expires: Date } | undefined> {
    if (!token || token.length > 100) return undefined;
    const [row] = await this.db.query<UserRow & { csrf_token: string; expires_at: Date }>(
      `SELECT u.id, u.login, u.display_name, u.role, u.unit_id, u.must_change_password, u.password_hash, u.failed_logins, u.locked_until, s.csrf_token, s.expires_at
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > now()`,
      [tokenHash(token)],
    );
    return row && { user: toUser(row), csrf: row.csrf_token, expires: row.expires_at };
  }

  async logout(token: string, actor: User): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash(token)]);
      await this.audit(tx, actor, 'logout', { unitId: actor.unitId });
    });
  }

  /** Change a password (the old one is asked again); every other session of the user ends. */
  async changePassword(user: User, oldPassword: string, newPassword: string, keepToken: string): Promise<void> {
    const [row] = await this.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [user.id]);
    if (!row || !(await verifyPassword(oldPassword, row.password_hash))) throw new StoreError('invalid', '原密码不正确');
    const problem = passwordProblem(newPassword, user.login);
    if (problem) throw new StoreError('invalid', problem);
    if (newPassword === oldPassword) throw new StoreError('invalid', '新密码不能与原密码相同');
    const hash = await hashPassword(newPassword);
    await this.db.transaction(async (tx) => {
      await tx.query('UPDATE users SET password_hash = $2, must_change_password = false WHERE id = $1', [user.id, hash]);
      await tx.query('DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2', [user.id, tokenHash(keepToken)]);
      await this.audit(tx, user, 'user.password', { unitId: user.unitId });
    });
  }

  // ── Reports ──────────────────────────────────────────────────────────────────────────────

  async report(unitId: number, year: number): Promise<StoredReport | undefined> {
    const [row] = await this.db.query<ReportRow>(`${REPORT_SELECT} WHERE r.unit_id = $1 AND r.year = $2`, [unitId, year]);
    return row && toReport(row);
  }

  async reportById(id: number): Promise<StoredReport | undefined> {
    const [row] = await this.db.query<ReportRow>(`${REPORT_SELECT} WHERE r.id = $1`, [id]);
    return row && toReport(row);
  }

  /**
   * Save a new version of a unit's report for a year. `baseVersion` is the version the editor
   * started from (0 for a new report): if someone saved since, nothing is written and the
   * conflict names who and when. Submitted, approved and published reports cannot be edited.
   */
  async save(unitId: number, year: number, body: string, baseVersion: number, actor: User): Promise<StoredReport> {
    return this.db.transaction(async (tx) => {
      const [cur] = await tx.query<{ id: number; state: ReportState; version: number }>(
        'SELECT id, state, version FROM reports WHERE unit_id = $1 AND year = $2 FOR UPDATE',
        [unitId, year],
      );
      if (!cur) {
        if (baseVersion !== 0) throw new StoreError('conflict', '这份报告已不存在，无法在其上保存', { version: 0 });
        const [r] = await tx.query<{ id: number }>(
          "INSERT INTO reports (unit_id, year, state, version) VALUES ($1, $2, 'draft', 1) RETURNING id",
          [unitId, year],
        );
        await tx.query('INSERT INTO report_versions (report_id, version, body, author_id) VALUES ($1, 1, $2, $3)', [r!.id, body, actor.id]);
        await this.audit(tx, actor, 'report.save', { unitId, reportId: r!.id }, { year, version: 1 });
        return (await this.byId(tx, r!.id))!;
      }
      if (cur.state !== 'draft' && cur.state !== 'returned')
        throw new StoreError(
          'locked',
          `报告${STATE_NAMES[cur.state]}，不能修改${cur.state === 'submitted' ? '（审核人员退回后才能修改）' : ''}`,
          {
            state: cur.state,
          },
        );
      if (cur.version !== baseVersion) {
        const [last] = await tx.query<{ display_name: string | null; created_at: Date }>(
          `SELECT u.display_name, v.created_at FROM report_versions v LEFT JOIN users u ON u.id = v.author_id WHERE v.report_id = $1 AND v.version = $2`,
          [cur.id, cur.version],
        );
        throw new StoreError(
          'conflict',
          `这份报告已被${last?.display_name ?? '他人'}在 ${last?.created_at.toISOString() ?? ''} 修改（第 ${cur.version} 版），你的修改基于第 ${baseVersion} 版：为避免覆盖，未保存。请复制你的修改，刷新后再改`,
          { version: cur.version },
        );
      }
      const version = cur.version + 1;
      await tx.query('INSERT INTO report_versions (report_id, version, body, author_id) VALUES ($1, $2, $3, $4)', [
        cur.id,
        version,
        body,
        actor.id,
      ]);
      await tx.query('UPDATE reports SET version = $2, updated_at = now() WHERE id = $1', [cur.id, version]);
      await this.audit(tx, actor, 'report.save', { unitId, reportId: cur.id }, { year, version });
      return (await this.byId(tx, cur.id))!;
    });
  }

  private async byId(tx: Queryable, id: number): Promise<StoredReport | undefined> {
    const [row] = await tx.query<ReportRow>(`${REPORT_SELECT} WHERE r.id = $1`, [id]);
    return row && toReport(row);
  }

  /**
   * Move a report through the workflow. Who may: a clerk of the unit submits; a reviewer (or an
   * administrator) returns, approves and publishes. `version` must be the current version (the
   * one that was checked or read). Returning needs a comment, general or on fields.
   */
  async transition(
    reportId: number,
    action: 'submit' | 'return' | 'approve' | 'publish',
    actor: User,
    options: { version: number; comments?: { path?: string; body: string }[] },
  ): Promise<StoredReport> {
    const from: Record<typeof action, ReportState[]> = {
      submit: ['draft', 'returned'],
      return: ['submitted'],
      approve: ['submitted'],
      publish: ['approved'],
    };
    const to: Record<typeof action, ReportState> = { submit: 'submitted', return: 'returned', approve: 'approved', publish: 'published' };
    const who: Record<typeof action, Role[]> = {
      submit: ['clerk', 'admin'],
      return: ['reviewer', 'admin'],
      approve: ['reviewer', 'admin'],
      publish: ['reviewer', 'admin'],
    };
    if (!who[action].includes(actor.role)) throw new StoreError('forbidden', `${ROLE_NAMES[actor.role]}不能${ACTION_NAMES[action]}报告`);
    return this.db.transaction(async (tx) => {
      const [cur] = await tx.query<{ id: number; unit_id: number; state: ReportState; version: number }>(
        'SELECT id, unit_id, state, version FROM reports WHERE id = $1 FOR UPDATE',
        [reportId],
      );
      if (!cur) throw new StoreError('not-found', '报告不存在');
      if (!from[action].includes(cur.state))
        throw new StoreError('conflict', `报告${STATE_NAMES[cur.state]}，不能${ACTION_NAMES[action]}`, { state: cur.state });
      if (cur.version !== options.version)
        throw new StoreError(
          'conflict',
          `报告已更新为第 ${cur.version} 版（你看到的是第 ${options.version} 版），请刷新后再${ACTION_NAMES[action]}`,
          {
            version: cur.version,
          },
        );
      const comments = (options.comments ?? []).filter((c) => c.body.trim());
      if (action === 'return' && !comments.length) throw new StoreError('invalid', '退回时请写明退回原因（总体意见或对具体栏目的意见）');
      for (const c of comments) {
        if ([...c.body].length > 2000) throw new StoreError('invalid', `意见过长：${[...c.body].length} 字，上限 2000 字`);
        await tx.query('INSERT INTO comments (report_id, version, path, body, author_id) VALUES ($1, $2, $3, $4, $5)', [
          cur.id,
          cur.version,
          c.path?.trim() || null,
          c.body.trim(),
          actor.id,
        ]);
      }
      await tx.query(
        `UPDATE reports SET state = $2, updated_at = now(), approved_version = CASE WHEN $2 = 'approved' THEN version ELSE approved_version END WHERE id = $1`,
        [cur.id, to[action]],
      );
      await this.audit(
        tx,
        actor,
        `report.${action}`,
        { unitId: cur.unit_id, reportId: cur.id },
        { version: cur.version, comments: comments.length },
      );
      return (await this.byId(tx, cur.id))!;
    });
  }

  async versions(reportId: number): Promise<{ version: number; author: string | null; createdAt: Date }[]> {
    const rows = await this.db.query<{ version: number; display_name: string | null; created_at: Date }>(
      `SELECT v.version, u.display_name, v.created_at FROM report_versions v LEFT JOIN users u ON u.id = v.author_id
       WHERE v.report_id = $1 ORDER BY v.version`,
      [reportId],
    );
    return rows.map((r) => ({ version: r.version, author: r.display_name, createdAt: r.created_at }));
  }

  async version(reportId: number, version: number): Promise<string | undefined> {
    const [row] = await this.db.query<{ body: string }>('SELECT body FROM report_versions WHERE report_id = $1 AND version = $2', [
      reportId,
      version,
    ]);
    return row?.body;
  }

  async comments(
    reportId: number,
  ): Promise<{ id: number; version: number; path: string | null; body: string; author: string; createdAt: Date }[]> {
    const rows = await this.db.query<{
      id: number;
      version: number;
      path: string | null;
      body: string;
      display_name: string;
      created_at: Date;
    }>(
      `SELECT c.id, c.version, c.path, c.body, u.display_name, c.created_at FROM comments c JOIN users u ON u.id = c.author_id
       WHERE c.report_id = $1 ORDER BY c.id`,
      [reportId],
    );
    return rows.map((r) => ({ id: r.id, version: r.version, path: r.path, body: r.body, author: r.display_name, createdAt: r.created_at }));
  }

  /** Every visible unit with its report for a year (if any) and the year's deadline. */
  async board(user: User, year: number): Promise<{ unit: Unit; report?: Omit<StoredReport, 'body'>; deadline?: string }[]> {
    const units = await this.visibleUnits(user);
    const rows = await this.db.query<Omit<ReportRow, 'body'>>(
      'SELECT id, unit_id, year, state, version, approved_version, updated_at FROM reports WHERE year = $1',
      [year],
    );
    const [due] = await this.db.query<{ due: string }>("SELECT to_char(due, 'YYYY-MM-DD') AS due FROM deadlines WHERE year = $1", [year]);
    const byUnit = new Map(rows.map((r) => [r.unit_id, r]));
    return units.map((unit) => {
      const r = byUnit.get(unit.id);
      return {
        unit,
        deadline: due?.due,
        report: r && {
          id: r.id,
          unitId: r.unit_id,
          year: r.year,
          state: r.state,
          version: r.version,
          approvedVersion: r.approved_version,
          updatedAt: r.updated_at,
        },
      };
    });
  }

  async setDeadline(year: number, due: string, actor: User): Promise<void> {
    if (!/^\d{4}-\d{2}-\d{2}$/u.test(due) || Number.isNaN(Date.parse(`${due}T00:00:00Z`)))
      throw new StoreError('invalid', `截止日期“${due}”无效：请写成 YYYY-MM-DD`);
    await this.db.transaction(async (tx) => {
      await tx.query('INSERT INTO deadlines (year, due) VALUES ($1, $2) ON CONFLICT (year) DO UPDATE SET due = EXCLUDED.due', [year, due]);
      await this.audit(tx, actor, 'deadline.set', {}, { year, due });
    });
  }

  async auditLog(
    filter: { unitIds?: number[]; limit?: number } = {},
  ): Promise<
    { id: number; at: Date; user: string | null; action: string; unitId: number | null; reportId: number | null; detail: unknown }[]
  > {
    const rows = await this.db.query<{
      id: number;
      at: Date;
      login: string | null;
      action: string;
      unit_id: number | null;
      report_id: number | null;
      detail: string;
    }>(
      `SELECT a.id, a.at, u.login, a.action, a.unit_id, a.report_id, a.detail FROM audit a LEFT JOIN users u ON u.id = a.user_id
       WHERE ($1::int[] IS NULL OR a.unit_id = ANY($1::int[])) ORDER BY a.id DESC LIMIT $2`,
      [filter.unitIds ?? null, filter.limit ?? 500],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      at: r.at,
      user: r.login,
      action: r.action,
      unitId: r.unit_id,
      reportId: r.report_id,
      detail: JSON.parse(r.detail),
    }));
  }
}

const ACTION_NAMES = { submit: '报送', return: '退回', approve: '审核通过', publish: '发布' } as const;
