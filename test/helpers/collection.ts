/** A person at the collection server: a cookie jar, the session's CSRF token, JSON requests. */
import { runCli } from './reports.js';

export interface Answer {
  status: number;
  json: any;
  headers: Headers;
  bytes: Buffer;
}

export class Client {
  cookie = '';
  csrf = '';
  constructor(
    readonly base: string,
    readonly origin = base.replace(/\/$/u, ''),
  ) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await fetch(new URL(path, this.base), {
      method,
      redirect: 'manual',
      headers: {
        ...(this.cookie ? { Cookie: this.cookie } : {}),
        ...(method !== 'GET' ? { Origin: this.origin, 'X-CSRF-Token': this.csrf } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = /Max-Age=0/u.test(set) ? '' : set.split(';')[0]!;
    const bytes = Buffer.from(await res.arrayBuffer());
    let json: any;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      json = undefined;
    }
    return { status: res.status, json, headers: res.headers, bytes };
  }

  get = (path: string) => this.request('GET', path);
  post = (path: string, body: unknown = {}) => this.request('POST', path, body);
  put = (path: string, body: unknown) => this.request('PUT', path, body);

  async login(login: string, password: string): Promise<Answer> {
    const a = await this.post('/api/login', { login, password });
    if (a.status === 200) this.csrf = a.json.csrf;
    return a;
  }

  /** Log in with a one-time password and set a new one; returns the new password. */
  async firstLogin(
    login: string,
    once: string,
    password = `Neu-${login.length}-Passwort-${Math.random().toString(36).slice(2, 8)}`,
  ): Promise<string> {
    const a = await this.login(login, once);
    if (a.status !== 200) throw new Error(`login ${login}: ${a.status} ${JSON.stringify(a.json)}`);
    const c = await this.post('/api/password', { old: once, new: password });
    if (c.status !== 200) throw new Error(`password ${login}: ${c.status} ${JSON.stringify(c.json)}`);
    return password;
  }
}

/** `xxgk users add …` and the one-time password it prints. */
export function addUserCli(where: string[], login: string, role: string, unit?: string): string {
  const r = runCli(['users', 'add', ...where, '--login', login, '--role', role, ...(unit ? ['--unit', unit] : [])]);
  const m = /一次性密码：(\S+)/u.exec(r.stdout);
  if (r.code !== 0 || !m) throw new Error(`users add ${login}: ${r.code} ${r.stdout} ${r.stderr}`);
  return m[1]!;
}
