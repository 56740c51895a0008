/**
 * The collection's pages (served by src/serve/collection/pages.ts as small shells): login, password
 * change, the board, a unit's report with its history, comments and actions, administration. Each
 * page is built here from the JSON API; every state-changing request carries the session's CSRF
 * token. No framework: the DOM builder of the editor.
 */
import { callJson, type Json } from './json-api.js';
import { $, h } from './dom.js';

const body = document.body;
const main = $('#main');
const page = body.dataset.page ?? '';
let csrf = '';
let me: Json | undefined;

const ROLE: Record<string, string> = { clerk: '填报人员', reviewer: '审核人员', admin: '管理员' };

async function api(method: string, path: string, data?: unknown): Promise<{ status: number; json: Json }> {
  const answer = await callJson(method, path, csrf, data);
  if (answer.status === 401 && page !== 'login') location.href = '/login';
  return answer;
}

const fill = (...nodes: (Node | null | undefined | false | 0)[]) => main.replaceChildren(...nodes.filter((n): n is Node => Boolean(n)));
const message = (json: Json) => json.message ?? json.diagnostics?.map((d: Json) => d.message).join('；') ?? '操作失败';

function flash(kind: 'ok' | 'error' | 'info', text: string, details: string[] = []): void {
  const box = document.getElementById('flash') ?? main.insertBefore(h('div', { id: 'flash', role: 'status' }), main.firstChild);
  box.className = `flash ${kind}`;
  box.replaceChildren(h('p', {}, text), ...(details.length ? [h('ul', {}, ...details.map((d) => h('li', {}, d)))] : []));
}

const field = (label: string, input: HTMLElement) => h('label', { class: 'field' }, h('span', {}, label), input);
const button = (text: string, run: () => unknown, cls = '') => {
  const b = h('button', { type: 'button', class: cls }, text);
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      await run();
    } finally {
      b.disabled = false;
    }
  });
  return b;
};
const when = (d: string | null) => (d ? new Date(d).toLocaleString('zh-CN', { hour12: false }) : '');
const lastYear = () => new Date().getFullYear() - 1;

async function session(): Promise<boolean> {
  const r = await api('GET', '/api/me');
  if (r.status !== 200) return false;
  me = r.json.user;
  csrf = r.json.csrf;
  const nav = $('#nav');
  nav.replaceChildren(
    h('span', { class: 'who' }, `${me!.displayName}（${ROLE[me!.role]}）`),
    h('a', { href: '/board' }, '报送情况'),
    ...(me!.role === 'admin' ? [h('a', { href: '/admin' }, '单位与账号')] : []),
    h('a', { href: '/password' }, '修改密码'),
    button('退出', async () => {
      await api('POST', '/api/logout', {});
      location.href = '/login';
    }),
  );
  if (me!.mustChangePassword && page !== 'password') location.href = '/password';
  return true;
}

// ── Login and password ──────────────────────────────────────────────────────────────────────
function loginPage(): void {
  const login = h('input', { name: 'login', autocomplete: 'username', required: '' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: '' });
  const form = h(
    'form',
    { class: 'card narrow' },
    h('h1', {}, '登录'),
    field('登录名', login),
    field('密码', password),
    h('button', { type: 'submit', class: 'primary' }, '登录'),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const r = await api('POST', '/api/login', { login: login.value, password: password.value });
    if (r.status !== 200) return flash('error', message(r.json));
    location.href = r.json.user.mustChangePassword ? '/password' : '/board';
  });
  fill(form);
  login.focus();
}

async function passwordPage(): Promise<void> {
  if (!(await session())) return;
  const old = h('input', { type: 'password', name: 'old', autocomplete: 'current-password' });
  const next = h('input', { type: 'password', name: 'new', autocomplete: 'new-password' });
  const again = h('input', { type: 'password', name: 'again', autocomplete: 'new-password' });
  const form = h(
    'form',
    { class: 'card narrow' },
    h('h1', {}, '修改密码'),
    me!.mustChangePassword ? h('p', { class: 'note' }, '首次登录须先修改密码。新密码至少 10 个字符，不能全是数字，不能包含登录名。') : null,
    field(me!.mustChangePassword ? '一次性密码' : '原密码', old),
    field('新密码', next),
    field('再输入一次新密码', again),
    h('button', { type: 'submit', class: 'primary' }, '保存新密码'),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (next.value !== again.value) return flash('error', '两次输入的新密码不一致');
    const r = await api('POST', '/api/password', { old: old.value, new: next.value });
    if (r.status !== 200) return flash('error', message(r.json));
    location.href = '/board';
  });
  fill(form);
}

// ── The board ───────────────────────────────────────────────────────────────────────────────
async function boardPage(): Promise<void> {
  if (!(await session())) return;
  const year = Number(new URLSearchParams(location.search).get('year')) || lastYear();
  const r = await api('GET', `/api/board?year=${year}`);
  if (r.status !== 200) return flash('error', message(r.json));
  const yearInput = h('input', { type: 'number', value: String(year), min: '2000', max: '2100', class: 'year' });
  yearInput.addEventListener('change', () => (location.search = `?year=${yearInput.value}`));
  const reviewer = me!.role !== 'clerk';
  const rows = r.json.units.map((u: Json) =>
    h(
      'tr',
      { class: u.overdue ? 'overdue' : '' },
      h('td', { 'data-label': '单位' }, h('a', { href: `/units/${u.unit.id}/${year}` }, u.unit.name)),
      h('td', { 'data-label': '状态' }, h('span', { class: `state ${u.state ?? 'none'}` }, u.stateName)),
      h('td', { 'data-label': '版本' }, u.version ? `第 ${u.version} 版` : '—'),
      h(
        'td',
        { 'data-label': '检查' },
        u.errors === null ? (u.state ? '草稿（报送时检查）' : '—') : `${u.errors} 个错误，${u.warnings} 个提示`,
      ),
      h('td', { 'data-label': '截止日期' }, u.deadline ? `${u.deadline}${u.overdue ? '（已逾期）' : ''}` : '未设'),
      h('td', { 'data-label': '更新时间' }, when(u.updatedAt)),
    ),
  );
  fill(
    h('h1', {}, `${year} 年度报告报送情况`),
    h('p', {}, field('年度', yearInput)),
    r.json.notSubmitted.length && reviewer
      ? h('p', { class: 'flash info' }, `尚未报送（${r.json.notSubmitted.length} 个单位）：${r.json.notSubmitted.join('、')}`)
      : null,
    h(
      'table',
      { class: 'board' },
      h('thead', {}, h('tr', {}, ...['单位', '状态', '版本', '检查', '截止日期', '更新时间'].map((t) => h('th', {}, t)))),
      h('tbody', {}, ...rows),
    ),
    reviewer
      ? h(
          'p',
          { class: 'downloads' },
          h('a', { class: 'button', href: `/api/summary.xlsx?year=${year}`, download: '' }, '下载汇总表（XLSX）'),
          h('a', { class: 'button', href: `/api/summary?year=${year}`, download: `summary-${year}.json` }, '下载汇总报告（JSON）'),
          h('a', { class: 'button primary', href: `/api/bundle?year=${year}`, download: '' }, '下载发布包（PDF、DOCX、HTML 及专栏索引页）'),
        )
      : null,
  );
}

// ── A unit's report ─────────────────────────────────────────────────────────────────────────
async function reportPage(): Promise<void> {
  if (!(await session())) return;
  const unit = Number(body.dataset.unit);
  const year = Number(body.dataset.year);
  const base = `/api/units/${unit}/${year}`;
  const [r, comments, versions, history] = await Promise.all([
    api('GET', base),
    api('GET', `${base}/comments`),
    api('GET', `${base}/versions`),
    api('GET', `${base}/history`),
  ]);
  if (r.status !== 200) return void fill(h('p', { class: 'flash error' }, message(r.json)));
  const rep = r.json;
  const editable = (rep.state === 'draft' || rep.state === 'returned') && me!.role !== 'reviewer';
  const actions: HTMLElement[] = [];
  if (editable)
    actions.push(h('a', { class: 'button primary', href: `/units/${unit}/${year}/edit` }, rep.version ? '在线填写 / 修改' : '开始填写'));
  if (editable && rep.version)
    actions.push(
      button(
        '报送',
        async () => {
          let s = await api('POST', `${base}/submit`, { version: rep.version });
          if (s.status === 422 && s.json.needsConfirmation) {
            const list = s.json.diagnostics.map((d: Json) => `· ${d.message}`).join('\n');
            if (!confirm(`检查发现以下提示，确认无误后报送：\n${list}`)) return;
            s = await api('POST', `${base}/submit`, { version: rep.version, confirm: true });
          }
          if (s.status !== 200)
            return flash(
              'error',
              message(s.json),
              (s.json.diagnostics ?? []).map((d: Json) => d.message),
            );
          location.reload();
        },
        'primary',
      ),
    );
  const reviewing = me!.role !== 'clerk';
  const general = h('textarea', { rows: '3', placeholder: '总体意见（退回时必填其一）' });
  const path = h('input', { placeholder: '栏目（JSON 路径，如 overview.intro[0]）' });
  const onField = h('textarea', { rows: '2', placeholder: '对该栏目的意见' });
  if (reviewing && rep.state === 'submitted') {
    actions.push(
      button(
        '审核通过',
        async () => {
          const s = await api('POST', `${base}/approve`, { version: rep.version });
          if (s.status !== 200) return flash('error', message(s.json));
          location.reload();
        },
        'primary',
      ),
    );
  }
  if (reviewing && rep.state === 'approved')
    actions.push(
      button('发布', async () => {
        const s = await api('POST', `${base}/publish`, { version: rep.version });
        if (s.status !== 200) return flash('error', message(s.json));
        location.reload();
      }),
    );
  const returnBox =
    reviewing && rep.state === 'submitted'
      ? h(
          'section',
          { class: 'card' },
          h('h2', {}, '退回并写明意见'),
          general,
          h('div', { class: 'row' }, path, onField),
          button(
            '退回',
            async () => {
              const list = [{ body: general.value }, ...(onField.value.trim() ? [{ path: path.value, body: onField.value }] : [])];
              const s = await api('POST', `${base}/return`, { version: rep.version, comments: list });
              if (s.status !== 200) return flash('error', message(s.json));
              location.reload();
            },
            'danger',
          ),
        )
      : null;
  const downloads = rep.version
    ? h(
        'p',
        { class: 'downloads' },
        ...['pdf', 'docx', 'html'].map((f) =>
          h('a', { class: 'button', href: `${base}/render?format=${f}`, download: '' }, `下载 ${f.toUpperCase()}`),
        ),
      )
    : null;
  const vlist: Json[] = versions.json.versions ?? [];
  const a = h('select', {}, ...vlist.map((v) => h('option', { value: String(v.version) }, `第 ${v.version} 版`)));
  const b = h('select', {}, ...vlist.map((v) => h('option', { value: String(v.version) }, `第 ${v.version} 版`)));
  if (vlist.length > 1) {
    a.value = String(vlist.at(-2)!.version);
    b.value = String(vlist.at(-1)!.version);
  }
  const diff = h('div', { class: 'diff' });
  const compare = button('比较', async () => {
    const d = await api('GET', `${base}/compare?a=${a.value}&b=${b.value}`);
    if (d.status !== 200) return flash('error', message(d.json));
    const show = (v: unknown) => (v === null ? '（无）' : typeof v === 'string' ? v : JSON.stringify(v));
    diff.replaceChildren(
      d.json.changes.length
        ? h(
            'table',
            {},
            h('thead', {}, h('tr', {}, h('th', {}, '栏目'), h('th', {}, `第 ${a.value} 版`), h('th', {}, `第 ${b.value} 版`))),
            h(
              'tbody',
              {},
              ...d.json.changes.map((c: Json) =>
                h('tr', {}, h('td', { title: c.path }, c.label), h('td', {}, show(c.before)), h('td', {}, show(c.after))),
              ),
            ),
          )
        : h('p', {}, '两个版本内容相同'),
    );
  });
  fill(
    h('h1', {}, `${rep.unit.name} ${year} 年度报告`),
    h(
      'p',
      {},
      h('span', { class: `state ${rep.state}` }, rep.version ? rep.stateName : '未填写'),
      rep.version ? ` 第 ${rep.version} 版，${when(rep.updatedAt)}` : '',
    ),
    h('p', { class: 'actions' }, ...actions),
    downloads,
    returnBox,
    h(
      'section',
      { class: 'card' },
      h('h2', {}, '审核意见'),
      (comments.json.comments ?? []).length
        ? h(
            'ul',
            { class: 'comments' },
            ...comments.json.comments.map((c: Json) =>
              h(
                'li',
                {},
                h('strong', {}, c.label),
                `：${c.body}`,
                h('small', {}, `（${c.author}，第 ${c.version} 版，${when(c.createdAt)}）`),
              ),
            ),
          )
        : h('p', { class: 'muted' }, '暂无意见'),
    ),
    vlist.length ? h('section', { class: 'card' }, h('h2', {}, '版本比较'), h('p', { class: 'row' }, a, b, compare), diff) : null,
    h(
      'section',
      { class: 'card' },
      h('h2', {}, '操作记录'),
      h(
        'ul',
        { class: 'history' },
        ...(history.json.history ?? []).map((e: Json) =>
          h(
            'li',
            {},
            `${when(e.at)} ${e.user ?? ''} ${ACTIONS[e.action] ?? e.action}${e.detail?.version ? `（第 ${e.detail.version} 版）` : ''}`,
          ),
        ),
      ),
    ),
  );
}

const ACTIONS: Record<string, string> = {
  'report.save': '保存',
  'report.submit': '报送',
  'report.return': '退回',
  'report.approve': '审核通过',
  'report.publish': '发布',
};

// ── Administration ──────────────────────────────────────────────────────────────────────────
async function adminPage(): Promise<void> {
  if (!(await session())) return;
  const [units, users] = await Promise.all([api('GET', '/api/admin/units'), api('GET', '/api/admin/users')]);
  if (units.status !== 200) return flash('error', message(units.json));
  const nameOf = new Map<number, string>(units.json.units.map((u: Json) => [u.id, u.name]));
  const roster = h('textarea', {
    rows: '6',
    name: 'roster',
    placeholder: '单位名称,上级单位\n某县人民政府办公室,\n某县教育局,某县人民政府办公室',
  });
  const file = h('input', { type: 'file', accept: '.txt,.csv,.xlsx' });
  const login = h('input', { name: 'login' });
  const display = h('input', { name: 'displayName' });
  const role = h('select', { name: 'role' }, ...Object.entries(ROLE).map(([k, v]) => h('option', { value: k }, v)));
  const unit = h(
    'select',
    { name: 'unit' },
    h('option', { value: '' }, '（管理员不属于单位）'),
    ...units.json.units.map((u: Json) => h('option', { value: u.name }, u.name)),
  );
  const dueYear = h('input', { type: 'number', value: String(lastYear()), class: 'year' });
  const due = h('input', { type: 'date' });
  const created = h('div', { id: 'created' });
  fill(
    h('h1', {}, '单位与账号管理'),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, '导入单位名单'),
      h('p', { class: 'muted' }, '每行一个单位；CSV 或 XLSX 可加“上级单位”列。已有的单位保留不变。'),
      roster,
      h(
        'p',
        { class: 'row' },
        file,
        button(
          '导入',
          async () => {
            let data: Json;
            if (file.files?.[0]) {
              const bytes = new Uint8Array(await file.files[0].arrayBuffer());
              if (file.files[0].name.toLowerCase().endsWith('.xlsx')) {
                let bin = '';
                for (const b of bytes) bin += String.fromCharCode(b);
                data = { xlsx: btoa(bin) };
              } else data = { text: new TextDecoder().decode(bytes) };
            } else data = { text: roster.value };
            const r = await api('POST', '/api/admin/units', data);
            if (r.status !== 200) return flash('error', message(r.json));
            flash('ok', `新增 ${r.json.added.length} 个单位`, r.json.added);
            setTimeout(() => location.reload(), 800);
          },
          'primary',
        ),
      ),
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, h('th', {}, '单位'), h('th', {}, '上级单位'))),
        h(
          'tbody',
          {},
          ...units.json.units.map((u: Json) =>
            h('tr', {}, h('td', {}, u.name), h('td', {}, u.parentId ? (nameOf.get(u.parentId) ?? '') : '—')),
          ),
        ),
      ),
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, '新建账号'),
      h('div', { class: 'grid' }, field('登录名', login), field('姓名', display), field('角色', role), field('所属单位', unit)),
      button(
        '新建',
        async () => {
          const r = await api('POST', '/api/admin/users', {
            login: login.value,
            displayName: display.value,
            role: role.value,
            ...(unit.value ? { unit: unit.value } : {}),
          });
          if (r.status !== 200) return flash('error', message(r.json));
          created.replaceChildren(
            h(
              'p',
              { class: 'flash ok' },
              `已创建账号 ${r.json.user.login}，一次性密码：`,
              h('code', { class: 'once' }, r.json.password),
              '（只显示这一次，请抄下交给本人；首次登录时必须修改）',
            ),
          );
        },
        'primary',
      ),
      created,
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, ...['登录名', '姓名', '角色', '单位', '状态'].map((t) => h('th', {}, t)))),
        h(
          'tbody',
          {},
          ...(users.json.users ?? []).map((u: Json) =>
            h(
              'tr',
              {},
              h('td', {}, u.login),
              h('td', {}, u.displayName),
              h('td', {}, ROLE[u.role] ?? u.role),
              h('td', {}, u.unitName ?? '—'),
              h('td', {}, u.mustChangePassword ? '未改初始密码' : '已启用'),
            ),
          ),
        ),
      ),
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, '报送截止日期'),
      h(
        'p',
        { class: 'row' },
        field('年度', dueYear),
        field('截止日期', due),
        button('设置', async () => {
          const r = await api('POST', '/api/admin/deadline', { year: Number(dueYear.value), due: due.value });
          if (r.status !== 200) return flash('error', message(r.json));
          flash('ok', `${dueYear.value} 年度报告的截止日期已设为 ${due.value}`);
        }),
      ),
    ),
  );
}

const pages: Record<string, () => unknown> = {
  login: loginPage,
  password: passwordPage,
  board: boardPage,
  report: reportPage,
  admin: adminPage,
};
void pages[page]?.();
