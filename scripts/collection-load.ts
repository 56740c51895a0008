/**
 * The collection under load, on the loopback address: `clerks` clerks each autosaving their unit's
 * report (a save, then a second's pause, as the editor does) and `reviewers` reviewers reading the
 * board and reports, all at once, for `seconds`. It stops by itself. Afterwards every unit's stored
 * report is compared with the last save its clerk saw acknowledged: no lost update means the
 * stored version is exactly the number of acknowledged saves and holds that save's content.
 *
 * Setup goes through the store directly (units, accounts with one known password, no forced
 * change), before the server opens the collection: one scrypt hash instead of hundreds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';

export interface LoadOptions {
  /** `['--data', DIR]` or `['--database', URL]`: an empty collection. */
  where: string[];
  clerks: number;
  reviewers: number;
  seconds: number;
  /** Pause between a clerk's saves (the editor's autosave), ms. */
  thinkMs?: number;
}

export interface LoadResult {
  saves: number;
  conflicts: number;
  failures: number;
  reads: number;
  saveP50: number;
  saveP95: number;
  saveMax: number;
  readP95: number;
  lost: string[];
}

const YEAR = 2024;
const PASSWORD = 'Load-Test-Passwort-2024';

const pct = (xs: number[], p: number) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function seed(where: string[], clerks: number, reviewers: number): Promise<void> {
  const store = await import('../src/store/index.js');
  const s = await store.openStore(where[0] === '--data' ? { data: where[1]! } : { database: where[1]! });
  try {
    await s.addUnits(
      [
        { name: '压力测试办公室' },
        ...Array.from({ length: clerks }, (_, i) => ({ name: `压力测试单位${i + 1}`, parent: '压力测试办公室' })),
      ],
      null,
    );
    for (let i = 0; i < clerks; i++) await s.addUser({ login: `clerk${i + 1}`, role: 'clerk', unit: `压力测试单位${i + 1}` }, null);
    for (let i = 0; i < reviewers; i++) await s.addUser({ login: `reviewer${i + 1}`, role: 'reviewer', unit: '压力测试办公室' }, null);
    const hash = await store.hashPassword(PASSWORD);
    await s.db.query('UPDATE users SET password_hash = $1, must_change_password = false', [hash]);
  } finally {
    await s.close();
  }
}

function start(where: string[]): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, [join(PACKAGE_ROOT, 'dist/cli/xxgk.js'), 'serve', '--port', '0', ...where], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 60_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/u.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, proc });
      }
    });
    proc.stderr!.on('data', () => {});
    proc.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}

interface Session {
  cookie: string;
  csrf: string;
}

async function login(url: string, name: string): Promise<Session> {
  const res = await fetch(new URL('/api/login', url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: url.replace(/\/$/u, '') },
    body: JSON.stringify({ login: name, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${name}: ${res.status} ${await res.text()}`);
  return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await res.json()) as { csrf: string }).csrf };
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  await seed(options.where, options.clerks, options.reviewers);
  const { url, proc } = await start(options.where);
  const origin = url.replace(/\/$/u, '');
  try {
    // Logins in small groups (each is one scrypt check on the server).
    const sessions: Session[] = [];
    for (let i = 0; i < options.clerks; i += 8)
      sessions.push(
        ...(await Promise.all(Array.from({ length: Math.min(8, options.clerks - i) }, (_, k) => login(url, `clerk${i + k + 1}`)))),
      );
    const readers = await Promise.all(Array.from({ length: options.reviewers }, (_, i) => login(url, `reviewer${i + 1}`)));
    const units = (await (
      await fetch(new URL(`/api/board?year=${YEAR}`, url), { headers: { Cookie: readers[0]?.cookie ?? sessions[0]!.cookie } })
    ).json()) as {
      units: { unit: { id: number; name: string } }[];
    };
    const unitOf = new Map(units.units.map((u) => [u.unit.name, u.unit.id]));
    const sample = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'samples/qingjiang-bureau-2024.json'), 'utf8'));
    const until = Date.now() + options.seconds * 1000;
    const saveMs: number[] = [];
    const readMs: number[] = [];
    let conflicts = 0;
    let failures = 0;
    const acked: { unit: number; version: number; mark: string }[] = [];
    const think = options.thinkMs ?? 1000;
    const clerk = async (i: number) => {
      const s = sessions[i]!;
      const unit = unitOf.get(`压力测试单位${i + 1}`)!;
      let version = 0;
      let last = { unit, version: 0, mark: '' };
      // Spread the starts over the first pause.
      await new Promise((r) => setTimeout(r, Math.random() * think));
      while (Date.now() < until) {
        const mark = `clerk${i + 1}-save${version + 1}-${Math.random().toString(36).slice(2, 8)}`;
        const t = performance.now();
        try {
          const res = await fetch(new URL(`/api/units/${unit}/${YEAR}`, url), {
            method: 'PUT',
            headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, Origin: origin, 'Content-Type': 'application/json' },
            body: JSON.stringify({ version, report: { ...sample, agency: `压力测试单位${i + 1}`, preface: [mark] } }),
          });
          const body = (await res.json()) as { version: number };
          saveMs.push(performance.now() - t);
          if (res.status === 200) {
            version = body.version;
            last = { unit, version, mark };
          } else if (res.status === 409) conflicts++;
          else failures++;
        } catch {
          failures++;
        }
        await new Promise((r) => setTimeout(r, think));
      }
      acked.push(last);
    };
    const reviewer = async (i: number) => {
      const s = readers[i]!;
      const ids = [...unitOf.values()];
      let n = 0;
      while (Date.now() < until) {
        const path = n++ % 5 === 0 ? `/api/board?year=${YEAR}` : `/api/units/${ids[Math.floor(Math.random() * ids.length)]}/${YEAR}`;
        const t = performance.now();
        try {
          const res = await fetch(new URL(path, url), { headers: { Cookie: s.cookie } });
          await res.arrayBuffer();
          readMs.push(performance.now() - t);
          if (res.status !== 200) failures++;
        } catch {
          failures++;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    await Promise.all([...sessions.map((_, i) => clerk(i)), ...readers.map((_, i) => reviewer(i))]);
    // No lost update: what is stored is each clerk's last acknowledged save.
    const lost: string[] = [];
    const check = readers[0] ?? sessions[0]!;
    for (const a of acked) {
      if (!a.version) continue;
      const res = await fetch(new URL(`/api/units/${a.unit}/${YEAR}`, url), { headers: { Cookie: check.cookie } });
      const got = (await res.json()) as { version: number; report: { preface: string[] } };
      if (got.version !== a.version || got.report.preface[0] !== a.mark)
        lost.push(`unit ${a.unit}: acknowledged v${a.version} ${a.mark}, stored v${got.version} ${got.report.preface[0]}`);
    }
    return {
      saves: saveMs.length,
      conflicts,
      failures,
      reads: readMs.length,
      saveP50: pct(saveMs, 50),
      saveP95: pct(saveMs, 95),
      saveMax: pct(saveMs, 100),
      readP95: pct(readMs, 95),
      lost,
    };
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
  }
}
