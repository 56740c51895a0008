/**
 * The office's collection on the server (`xxgk serve --data DIR` or `--database URL`): log in and
 * out, each unit's report for a year with its versions, the workflow, comments, the board, the
 * audit log and administration. Every report route first asks the store whether the user may see
 * the unit: another unit's report is a 404 on every endpoint, the same answer as a unit that does
 * not exist.
 *
 * Routes (JSON; every state-changing request needs the page's origin and the session's CSRF token
 * in X-CSRF-Token):
 *   POST /api/login  {login, password}        POST /api/logout        GET /api/me
 *   POST /api/password {old, new}
 *   GET  /api/board?year=                      GET /api/audit
 *   GET  /api/units/:id/:year                  the report, its state and version
 *   PUT  /api/units/:id/:year                  {version, report} → a new version (409 on a stale version)
 *   GET  /api/units/:id/:year/previous         last year's report and the next-year start
 *   POST /api/units/:id/:year/check            the submit checks, without submitting
 *   POST /api/units/:id/:year/submit           {version, confirm}
 *   POST /api/units/:id/:year/return           {version, comments: [{path?, body}]}
 *   POST /api/units/:id/:year/approve|publish  {version}
 *   GET  /api/units/:id/:year/versions         GET …/versions/:v        GET …/compare?a=&b=
 *   GET  /api/units/:id/:year/comments         GET …/history            GET …/render?format=&version=
 *   GET/POST /api/admin/units                  {text, xlsx?(base64)}   GET/POST /api/admin/users
 *   POST /api/admin/deadline {year, due}
 *   GET  /api/summary?year=&agency=            the 汇总 of the approved reports (JSON); /api/summary.xlsx the workbook
 *   GET  /api/bundle?year=                     every approved report as PDF, DOCX and HTML with an index page, one zip
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JobResult } from '../../app/job.js';
import { type Diagnostic, hasErrors } from '../../diagnostics.js';
import { LIMITS, type Report } from '../../model/schema.js';
import { nextYearReport } from '../../model/next-year.js';
import { type Role, type Store, StoreError, STATE_NAMES, type StoredReport, type Unit, type User } from '../../store/index.js';
import { outputFormat } from '../formats.js';
import { contentDisposition, diag, HttpError, sendJson } from '../http.js';
import { compareBodies, parseBody, pathLabel, submitChecks } from './checks.js';
import { checkOrigin, clearedCookie, int, jsonBody, sessionCookie, sessionToken, SMALL_BODY, str } from './guard.js';
import { pageFor } from './pages.js';
import { approvedReports, publicationBundle, type Summariser } from './publish.js';
import { parseRoster, RosterError, rosterText } from './roster.js';

export interface CollectionOptions {
  store: Store;
  /** Render a report through the server's one worker pool. */
  render(report: Report, formats: readonly string[], signal: AbortSignal): Promise<JobResult>;
  /** The 汇总 (`xxgk sum`'s), passed in by the door; without it the summary routes answer 501. */
  summarize?: Summariser;
  /** One line per state-changing request (who, what, the status): never a password or a token. */
  log?: (line: string) => void;
  bodyTimeoutMs?: number;
}

export interface Collection {
  /** Answer the request if it is the collection's; false lets the editor's server go on. */
  handle(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, signal: AbortSignal): Promise<boolean>;
}

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  signal: AbortSignal;
  user: User;
  token: string;
}

const STATUS: Record<StoreError['kind'], number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  locked: 409,
};

/** The single-user editor's tools: kept in the collection, for people who are logged in. */
const EDITOR_API = new Set(['/api/info', '/api/validate', '/api/render', '/api/import', '/api/next-year']);
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const UNIT_ROUTE = /^\/api\/units\/(\d{1,9})\/(\d{4})(?:\/([a-z]+)(?:\/(\d{1,9}))?)?$/u;
const ROLE_OK: Record<string, Role[]> = { save: ['clerk', 'admin'], audit: ['reviewer', 'admin'], admin: ['admin'] };

export function createCollection(options: CollectionOptions): Collection {
  const { store } = options;
  const timeout = options.bodyTimeoutMs ?? 15_000;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  const refuse = (status: number, code: string, message: string, extra: Record<string, unknown> = {}) =>
    Object.assign(new HttpError(status, [diag(code, message)]), { extra });

  /** The unit, if this user may see it; otherwise the same 404 as for a unit that does not exist. */
  const unitFor = async (user: User, id: number): Promise<Unit> => {
    const unit = await store.unitById(id);
    if (!unit || !(await store.canAccess(user, id))) throw refuse(404, 'NOT_FOUND', '没有这个单位，或你无权查看该单位的报告');
    return unit;
  };

  const reportView = (unit: Unit, year: number, r: StoredReport | undefined) => ({
    unit: { id: unit.id, name: unit.name },
    year,
    state: r?.state ?? 'draft',
    stateName: STATE_NAMES[r?.state ?? 'draft'],
    version: r?.version ?? 0,
    approvedVersion: r?.approvedVersion ?? null,
    updatedAt: r?.updatedAt ?? null,
    report: r ? JSON.parse(r.body) : null,
  });

  const mustReport = async (unitId: number, year: number) => {
    const r = await store.report(unitId, year);
    if (!r) throw refuse(404, 'NO_REPORT', `该单位 ${year} 年度的报告尚未填写`);
    return r;
  };

  /** Last year's report of the unit: its approved version when there is one. */
  const previousBody = async (unitId: number, year: number): Promise<string | undefined> => {
    const prev = await store.report(unitId, year - 1);
    if (!prev) return undefined;
    return prev.approvedVersion ? await store.version(prev.id, prev.approvedVersion) : prev.body;
  };

  /**
   * Check results by report version and last year's version: the board asks for every unit each
   * time, and a version never changes once saved.
   */
  const checked = new Map<string, Diagnostic[]>();
  type Head = { id: number; version: number; approvedVersion: number | null };
  const checkKey = (r: Head, prev: Head | undefined, unit: Unit) =>
    `${r.id}:${r.version}:${prev ? `${prev.id}:${prev.approvedVersion ?? prev.version}` : '-'}:${unit.name}`;
  const remember = (key: string, diagnostics: Diagnostic[]) => {
    if (checked.size >= 5000) checked.delete(checked.keys().next().value!);
    checked.set(key, diagnostics);
    return diagnostics;
  };
  const checkResults = async (unit: Unit, year: number, r: StoredReport): Promise<Diagnostic[]> => {
    const prev = await store.report(unit.id, year - 1);
    const key = checkKey(r, prev, unit);
    return checked.get(key) ?? remember(key, submitChecks(r.body, await previousBody(unit.id, year), unit.name));
  };

  const unitRoute = async (c: Ctx, unitId: number, year: number, action: string | undefined, arg: number | undefined) => {
    const { req, res, user } = c;
    const unit = await unitFor(user, unitId);
    const method = req.method ?? 'GET';
    const expect = (m: string) => {
      if (method !== m) throw refuse(405, 'METHOD', `该接口只接受 ${m} 请求`);
    };
    switch (action) {
      case undefined: {
        if (method === 'GET') return sendJson(res, 200, reportView(unit, year, await store.report(unitId, year)));
        expect('PUT');
        if (!ROLE_OK.save!.includes(user.role)) throw refuse(403, 'ROLE', '审核人员不能修改单位的报告：请退回并写明意见');
        const body = await jsonBody(req, LIMITS.fileBytes + SMALL_BODY, timeout);
        const version = int(body, 'version', '所依据的版本号');
        const report = body.report;
        if (report === null || typeof report !== 'object' || Array.isArray(report))
          throw refuse(400, 'FIELD', '缺少报告内容（report 应为对象 {…}）');
        const y = (report as { year?: unknown }).year;
        if (y !== undefined && y !== year) throw refuse(400, 'YEAR', `报告的年度为 ${JSON.stringify(y)}，与所保存的 ${year} 年度不一致`);
        const text = JSON.stringify(report);
        if (Buffer.byteLength(text) > LIMITS.fileBytes)
          throw refuse(413, 'TOO_LARGE', `报告内容过大：${Buffer.byteLength(text)} 字节，上限 ${LIMITS.fileBytes} 字节`);
        const saved = await store.save(unitId, year, text, version, user);
        // The editor has the report it sent: the answer is the new version and state only.
        const { report: _sent, ...view } = reportView(unit, year, { ...saved, body: 'null' });
        return sendJson(res, 200, view);
      }
      case 'previous': {
        expect('GET');
        const body = await previousBody(unitId, year);
        if (body === undefined)
          return sendJson(res, 404, { diagnostics: [diag('NO_PREVIOUS', `数据库中没有该单位 ${year - 1} 年度的报告`)] });
        const parsed = parseBody(body);
        return sendJson(res, 200, {
          previous: JSON.parse(body),
          next: parsed.ok ? nextYearReport(parsed.report) : null,
          diagnostics: parsed.ok ? [] : parsed.diagnostics,
        });
      }
      case 'check': {
        expect('POST');
        const r = await mustReport(unitId, year);
        return sendJson(res, 200, { version: r.version, diagnostics: await checkResults(unit, year, r) });
      }
      case 'submit': {
        expect('POST');
        const body = await jsonBody(req, SMALL_BODY, timeout);
        const version = int(body, 'version', '版本号');
        const r = await mustReport(unitId, year);
        if (r.version !== version)
          throw refuse(409, 'CONFLICT', `报告已更新为第 ${r.version} 版（你看到的是第 ${version} 版），请刷新后再报送`, {
            version: r.version,
          });
        const diagnostics = await checkResults(unit, year, r);
        if (hasErrors(diagnostics)) return sendJson(res, 422, { diagnostics, message: '检查发现错误，不能报送：请先改正' });
        if (diagnostics.length && body.confirm !== true)
          return sendJson(res, 422, { diagnostics, needsConfirmation: true, message: '检查发现提示事项：请逐条确认后再报送' });
        const done = await store.transition(r.id, 'submit', user, { version });
        return sendJson(res, 200, { ...reportView(unit, year, done), diagnostics });
      }
      case 'return':
      case 'approve':
      case 'publish': {
        expect('POST');
        const body = await jsonBody(req, SMALL_BODY, timeout);
        const version = int(body, 'version', '版本号');
        const r = await mustReport(unitId, year);
        const comments = Array.isArray(body.comments)
          ? body.comments.map((x) => ({
              body: String((x as { body?: unknown })?.body ?? ''),
              ...(typeof (x as { path?: unknown })?.path === 'string' ? { path: (x as { path: string }).path } : {}),
            }))
          : [];
        if (comments.length > 200) throw refuse(400, 'FIELD', `意见过多：${comments.length} 条，上限 200 条`);
        const done = await store.transition(r.id, action, user, { version, comments });
        return sendJson(res, 200, reportView(unit, year, done));
      }
      case 'versions': {
        expect('GET');
        const r = await mustReport(unitId, year);
        if (arg === undefined) return sendJson(res, 200, { versions: await store.versions(r.id), current: r.version });
        const body = await store.version(r.id, arg);
        if (body === undefined) throw refuse(404, 'NO_VERSION', `没有第 ${arg} 版`);
        return sendJson(res, 200, { version: arg, report: JSON.parse(body) });
      }
      case 'compare': {
        expect('GET');
        const r = await mustReport(unitId, year);
        const a = Number(c.query.get('a'));
        const b = Number(c.query.get('b') ?? r.version);
        const [x, y] = await Promise.all([store.version(r.id, a), store.version(r.id, b)]);
        if (x === undefined || y === undefined) throw refuse(404, 'NO_VERSION', `没有第 ${x === undefined ? a : b} 版`);
        return sendJson(res, 200, { a, b, changes: compareBodies(x, y) });
      }
      case 'comments': {
        expect('GET');
        const r = await store.report(unitId, year);
        const comments = r ? await store.comments(r.id) : [];
        return sendJson(res, 200, { comments: comments.map((x) => ({ ...x, label: x.path ? pathLabel(x.path) : '总体意见' })) });
      }
      case 'history': {
        expect('GET');
        const r = await store.report(unitId, year);
        const entries = r ? (await store.auditLog({ unitIds: [unitId], limit: 1000 })).filter((e) => e.reportId === r.id) : [];
        return sendJson(res, 200, { history: entries });
      }
      case 'render': {
        expect('GET');
        const lookup = outputFormat(c.query.get('format') ?? 'pdf');
        if (!lookup.ok) throw refuse(lookup.status, 'FORMAT', lookup.message);
        const r = await mustReport(unitId, year);
        const v = c.query.get('version');
        const body = v ? await store.version(r.id, Number(v)) : r.body;
        if (body === undefined) throw refuse(404, 'NO_VERSION', `没有第 ${v} 版`);
        const parsed = parseBody(body);
        if (!parsed.ok) return sendJson(res, 422, { diagnostics: parsed.diagnostics });
        const result = await options.render(parsed.report, [lookup.format.id], c.signal);
        if (c.signal.aborted) return;
        if (!result.ok) return sendJson(res, result.kind === 'internal' ? 500 : 422, { diagnostics: result.diagnostics });
        const out = result.outputs[0]!;
        const name = `${unit.name}${year}年度政府信息公开工作年度报告${lookup.format.extension}`;
        res.writeHead(200, {
          'Content-Type': lookup.format.mediaType,
          'Content-Length': out.bytes.length,
          'Content-Disposition': contentDisposition(name, `report-${unitId}-${year}${lookup.format.extension}`),
          'Cache-Control': 'no-store',
          'X-Content-Type-Options': 'nosniff',
        });
        res.end(out.bytes);
        return;
      }
      default:
        throw refuse(404, 'NOT_FOUND', '没有这个接口');
    }
  };

  const routes: Record<string, (c: Ctx) => Promise<void>> = {
    async 'GET /api/me'({ res, user, token }) {
      const s = await store.session(token);
      sendJson(res, 200, { user: publicUser(user), csrf: s?.csrf });
    },
    async 'POST /api/logout'({ req, res, user, token }) {
      await store.logout(token, user);
      sendJson(res, 200, { ok: true }, { 'Set-Cookie': clearedCookie(req) });
    },
    async 'POST /api/password'({ req, res, user, token }) {
      const body = await jsonBody(req, SMALL_BODY, timeout);
      await store.changePassword(user, str(body, 'old', '原密码'), str(body, 'new', '新密码'), token);
      sendJson(res, 200, { ok: true });
    },
    async 'GET /api/board'({ res, user, query }) {
      const year = yearOf(query.get('year'));
      const [rows, before] = await Promise.all([store.board(user, year), store.board(user, year - 1)]);
      const prevOf = new Map(before.map((b) => [b.unit.id, b.report]));
      const today = new Date().toISOString().slice(0, 10);
      const units = [];
      for (const row of rows) {
        // Drafts change with every autosave: they are checked on their page and when submitted.
        let diagnostics: Diagnostic[] = [];
        const checkedHere = !!row.report && row.report.state !== 'draft';
        if (row.report && checkedHere) {
          const key = checkKey(row.report, prevOf.get(row.unit.id), row.unit);
          const hit = checked.get(key);
          const r = hit ? undefined : await store.report(row.unit.id, year);
          diagnostics = hit ?? (r ? await checkResults(row.unit, year, r) : []);
        }
        const state = row.report?.state;
        const submitted = state === 'submitted' || state === 'approved' || state === 'published';
        units.push({
          unit: row.unit,
          state: state ?? null,
          stateName: state ? STATE_NAMES[state] : '未填写',
          version: row.report?.version ?? 0,
          updatedAt: row.report?.updatedAt ?? null,
          deadline: row.deadline ?? null,
          errors: checkedHere ? diagnostics.filter((d) => d.severity === 'error').length : null,
          warnings: checkedHere ? diagnostics.filter((d) => d.severity === 'warning').length : null,
          overdue: !submitted && !!row.deadline && row.deadline < today,
          notSubmitted: !submitted,
        });
      }
      sendJson(res, 200, {
        year,
        deadline: rows[0]?.deadline ?? null,
        units,
        notSubmitted: units.filter((u) => u.notSubmitted).map((u) => u.unit.name),
      });
    },
    async 'GET /api/summary'(c) {
      const { members, year, agency } = await summaryInput(c);
      const sum = await summarizer()(members, { agency, year });
      sendJson(c.res, 200, { year, agency, units: members.map((m) => m.unit), report: sum.report, diagnostics: sum.diagnostics });
    },
    async 'GET /api/summary.xlsx'(c) {
      const { members, year, agency } = await summaryInput(c);
      const sum = await summarizer()(members, { agency, year });
      sendFile(
        c.res,
        sum.xlsx,
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        `${agency}${year}年度政府信息公开工作年度报告汇总.xlsx`,
        `summary-${year}.xlsx`,
      );
    },
    async 'GET /api/bundle'(c) {
      reviewerOnly(c.user);
      const year = yearOf(c.query.get('year'));
      const items = await approvedReports(store, await store.visibleUnits(c.user), year);
      if (!items.length) throw refuse(404, 'NO_APPROVED', `${year} 年度还没有审核通过的报告`);
      const { zip, problems } = await publicationBundle(items, year, (report, formats) => options.render(report, formats, c.signal));
      if (c.signal.aborted) return;
      sendFile(
        c.res,
        zip,
        'application/zip',
        `${year}年度政府信息公开工作年度报告.zip`,
        `reports-${year}.zip`,
        problems.length ? { 'X-Xxgk-Problems': String(problems.length) } : {},
      );
    },
    async 'GET /api/audit'({ res, user }) {
      if (!ROLE_OK.audit!.includes(user.role)) throw refuse(403, 'ROLE', '只有审核人员和管理员可以查看操作记录');
      const unitIds = user.role === 'admin' ? undefined : user.unitId === null ? [] : await store.subtree(user.unitId);
      sendJson(res, 200, { audit: await store.auditLog(unitIds ? { unitIds } : {}) });
    },
    async 'GET /api/admin/units'({ res, user }) {
      admin(user);
      sendJson(res, 200, { units: await store.units() });
    },
    async 'POST /api/admin/units'({ req, res, user }) {
      admin(user);
      const body = await jsonBody(req, 2 * 1024 * 1024, timeout);
      let entries: { name: string; parent?: string }[];
      try {
        const text =
          typeof body.xlsx === 'string'
            ? await rosterText(Buffer.from(body.xlsx, 'base64'), true)
            : await rosterText(new TextEncoder().encode(str(body, 'text', '单位名单')), false);
        entries = parseRoster(text);
      } catch (e) {
        if (e instanceof RosterError) throw refuse(400, 'ROSTER', e.message);
        throw e;
      }
      if (!entries.length)
        throw refuse(400, 'ROSTER', '单位名单中没有单位名称：每行写一个单位，或在 CSV/XLSX 中用“单位名称”列（可加“上级单位”列）');
      const added = await store.addUnits(entries, user);
      sendJson(res, 200, { added, units: await store.units() });
    },
    async 'GET /api/admin/users'({ res, user }) {
      admin(user);
      sendJson(res, 200, { users: (await store.users()).map((u) => ({ ...publicUser(u), unitName: u.unitName })) });
    },
    async 'POST /api/admin/users'({ req, res, user }) {
      admin(user);
      const body = await jsonBody(req, SMALL_BODY, timeout);
      const { user: added, password } = await store.addUser(
        {
          login: str(body, 'login', '登录名'),
          role: str(body, 'role', '角色') as Role,
          ...(typeof body.displayName === 'string' ? { displayName: body.displayName } : {}),
          ...(typeof body.unit === 'string' ? { unit: body.unit } : {}),
        },
        user,
      );
      // The one-time password is in this answer only: the store keeps its hash.
      sendJson(res, 200, { user: publicUser(added), password });
    },
    async 'POST /api/admin/deadline'({ req, res, user }) {
      admin(user);
      const body = await jsonBody(req, SMALL_BODY, timeout);
      const year = int(body, 'year', '年度');
      await store.setDeadline(year, str(body, 'due', '截止日期'), user);
      sendJson(res, 200, { year, due: body.due });
    },
  };

  const reviewerOnly = (user: User) => {
    if (!ROLE_OK.audit!.includes(user.role)) throw refuse(403, 'ROLE', '只有审核人员和管理员可以汇总和下载发布包');
  };
  const summarizer = () => {
    if (!options.summarize) throw refuse(501, 'NO_SUM', '本服务未启用汇总');
    return options.summarize;
  };
  const summaryInput = async (c: Ctx) => {
    reviewerOnly(c.user);
    const year = yearOf(c.query.get('year'));
    const units = await store.visibleUnits(c.user);
    const items = await approvedReports(store, units, year);
    if (!items.length) throw refuse(404, 'NO_APPROVED', `${year} 年度还没有审核通过的报告，无法汇总`);
    const own = units.find((u) => u.id === c.user.unitId);
    const agency = (c.query.get('agency') ?? own?.name ?? '汇总').slice(0, 100);
    return { year, agency, members: items.map((i) => ({ unit: i.unit.name, report: i.report })) };
  };

  const admin = (user: User) => {
    if (!ROLE_OK.admin!.includes(user.role)) throw refuse(403, 'ROLE', '只有管理员可以管理单位和账号');
  };

  async function login(req: IncomingMessage, res: ServerResponse) {
    if (req.method !== 'POST') throw refuse(405, 'METHOD', '该接口只接受 POST 请求');
    checkOrigin(req);
    const body = await jsonBody(req, SMALL_BODY, timeout);
    const address = req.socket.remoteAddress ?? '';
    try {
      const s = await store.login(str(body, 'login', '登录名'), str(body, 'password', '密码'), address);
      sendJson(res, 200, { user: publicUser(s.user), csrf: s.csrf }, { 'Set-Cookie': sessionCookie(req, s.token, s.expires) });
    } catch (e) {
      if (e instanceof StoreError && e.kind === 'locked') throw refuse(429, 'LOCKED', e.message);
      throw e;
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, signal: AbortSignal) {
    const method = req.method ?? 'GET';
    if (path === '/api/login') return login(req, res);
    const token = sessionToken(req);
    const session = token ? await store.session(token) : undefined;
    const page = pageFor(path);
    if (page) return page(req, res, session?.user);
    if (!session || !token) throw refuse(401, 'UNAUTHENTICATED', '请先登录');
    const user = session.user;
    if (MUTATING.has(method)) {
      checkOrigin(req);
      if (req.headers['x-csrf-token'] !== session.csrf) throw refuse(403, 'CSRF', '请求缺少有效的安全令牌：请刷新页面后重试');
    }
    if (user.mustChangePassword && !['/api/me', '/api/password', '/api/logout'].includes(path))
      throw refuse(403, 'PASSWORD_CHANGE', '首次登录须先修改密码');
    const c: Ctx = { req, res, query, signal, user, token };
    const m = UNIT_ROUTE.exec(path);
    if (m) return unitRoute(c, Number(m[1]), Number(m[2]), m[3], m[4] === undefined ? undefined : Number(m[4]));
    const handler = routes[`${method === 'HEAD' ? 'GET' : method} ${path}`];
    if (handler) return handler(c);
    if (Object.keys(routes).some((k) => k.endsWith(` ${path}`))) throw refuse(405, 'METHOD', '请求方法不对');
    return false;
  }

  return {
    async handle(req, res, path, query, signal) {
      const mine = path === '/' || path.startsWith('/api/') || pageFor(path) !== undefined;
      if (!mine) return false;
      // The editor's stateless tools (/api/validate, /api/render …) stay, but only for people who are logged in.
      const own = !EDITOR_API.has(path);
      if (!own) {
        if (path === '/api/info') return false;
        const token = sessionToken(req);
        if (!token || !(await store.session(token))) {
          sendJson(res, 401, { diagnostics: [diag('UNAUTHENTICATED', '请先登录')] });
          return true;
        }
        if (MUTATING.has(req.method ?? '')) checkOrigin(req);
        return false;
      }
      res.on('finish', () => {
        if (MUTATING.has(req.method ?? '')) log(`${new Date().toISOString()} ${req.method} ${path} ${res.statusCode}`);
      });
      try {
        if ((await route(req, res, path, query, signal)) === false) return false;
      } catch (e) {
        if (e instanceof StoreError) {
          sendJson(res, STATUS[e.kind], { diagnostics: [diag(e.kind.toUpperCase(), e.message)], message: e.message, ...e.detail });
          return true;
        }
        if (e instanceof HttpError && !e.headers.linger) {
          const extra = 'extra' in e ? (e.extra as object) : {};
          sendJson(res, e.status, { diagnostics: e.diagnostics, message: e.message, ...extra }, e.headers);
          return true;
        }
        throw e;
      }
      return true;
    },
  };
}

function sendFile(
  res: ServerResponse,
  bytes: Uint8Array,
  type: string,
  name: string,
  fallback: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': bytes.length,
    'Content-Disposition': contentDisposition(name, fallback),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(bytes);
}

const publicUser = (u: User) => ({
  id: u.id,
  login: u.login,
  displayName: u.displayName,
  role: u.role,
  unitId: u.unitId,
  mustChangePassword: u.mustChangePassword,
});

function yearOf(text: string | null): number {
  const year = text ? Number(text) : new Date().getFullYear() - 1;
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new HttpError(400, [diag('YEAR', `年度“${text}”无效`)]);
  return year;
}
