/**
 * A PostgreSQL for the tests: XXGK_TEST_DATABASE_URL when set, else a throw-away cluster started
 * on a free loopback port in a temporary folder (Debian's `postgresql` package; as the `postgres`
 * user when the tests run as root, since PostgreSQL refuses to run as root). Without PostgreSQL
 * the tests that need it skip with a notice, unless XXGK_REQUIRE_TOOLS is set (CI).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTool } from './tools.js';

/** The folder of PostgreSQL's server programs (Debian keeps them off PATH). */
function binDir(): string | undefined {
  const onPath = findTool('initdb');
  if (onPath) return join(realpathSync(onPath), '..');
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  return undefined;
}

export function havePostgres(): boolean {
  if (process.env.XXGK_TEST_DATABASE_URL || binDir()) return true;
  if (process.env.XXGK_REQUIRE_TOOLS)
    throw new Error('PostgreSQL not installed (apt-get install postgresql); XXGK_REQUIRE_TOOLS is set, so its tests may not skip');
  console.warn('skipped: PostgreSQL not installed (apt-get install postgresql)');
  return false;
}

const freePort = (): Promise<number> =>
  new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });

export interface TestCluster {
  /** A URL to a new, empty database on it. */
  newDatabase(): string;
  stop(): void;
}

let counter = 0;

export async function startCluster(): Promise<TestCluster> {
  const given = process.env.XXGK_TEST_DATABASE_URL;
  const bin = binDir();
  if (given) {
    return {
      newDatabase() {
        const name = `xxgk_test_${process.pid}_${++counter}`;
        const admin = new URL(given);
        spawnSync('psql', [given, '-c', `CREATE DATABASE ${name}`], { stdio: 'ignore' });
        admin.pathname = `/${name}`;
        return admin.toString();
      },
      stop() {},
    };
  }
  if (!bin) throw new Error('PostgreSQL not installed');
  const dir = mkdtempSync(join(tmpdir(), 'xxgk-pg-'));
  const root = process.getuid?.() === 0;
  const as = (cmd: string, args: string[]) =>
    root ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' }) : execFileSync(cmd, args, { stdio: 'pipe' });
  if (root) {
    const pg = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, pg, gid);
    chmodSync(dir, 0o700);
  }
  const data = join(dir, 'data');
  as(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale']);
  const port = await freePort();
  as(join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    join(dir, 'log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    'start',
  ]);
  const url = (db: string) => `postgres://postgres@127.0.0.1:${port}/${db}`;
  return {
    newDatabase() {
      const name = `xxgk_test_${++counter}`;
      as(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name]);
      return url(name);
    },
    stop() {
      try {
        as(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
