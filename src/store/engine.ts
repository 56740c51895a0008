/**
 * The collection's database: one SQL dialect (PostgreSQL's) on two engines.
 *
 * - Embedded (`xxgk serve --data DIR`): PGlite, PostgreSQL compiled to WebAssembly, installed from
 *   npm as one package with nothing to build or download. It speaks the same SQL as a real
 *   PostgreSQL, so one schema and one set of migrations serve both engines. One process owns a
 *   data folder; its queries run one at a time, each committed to disk before it answers.
 * - PostgreSQL (`xxgk serve --database postgres://…`): node-postgres's pool, for offices that run
 *   several server processes behind a load balancer on one database.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Row = Record<string, unknown>;

/** What the store needs of a database: parameterised queries ($1, $2 …) and transactions. */
export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface Engine extends Queryable {
  readonly kind: 'embedded' | 'postgres';
  /** Run `fn` in one transaction: committed when it returns, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Several SQL statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** The data folder and everything in it readable by its owner only (0700 folders, 0600 files). */
export function restrictToOwner(dir: string): void {
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      chmodSync(p, 0o700);
      for (const name of readdirSync(p)) walk(join(p, name));
    } else if (st.isFile()) chmodSync(p, 0o600);
  };
  walk(dir);
}

/** Thrown when another live process has the data folder open. */
export class FolderInUse extends Error {}

const LOCK_FILE = 'xxgk.lock';

/**
 * One process owns a data folder: a second one (a second server, or `xxgk users add` while the
 * server runs) would write the same files and corrupt them. The owner's PID is in xxgk.lock; a
 * lock whose process is gone (killed with SIGKILL) is taken over.
 */
function lockFolder(dir: string): () => void {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(file, 'utf8').trim());
      let alive = false;
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
        try {
          process.kill(pid, 0);
          alive = true;
        } catch (err) {
          alive = (err as NodeJS.ErrnoException).code === 'EPERM';
        }
      }
      if (alive)
        throw new FolderInUse(
          `数据文件夹正被另一个进程（PID ${pid}）使用：请先停止该进程（例如正在运行的 xxgk serve），或改用 PostgreSQL 让多个进程共用`,
        );
      rmSync(file, { force: true });
    }
  }
  throw new FolderInUse('无法锁定数据文件夹');
}

export async function openEmbedded(dir: string): Promise<Engine> {
  const fresh = !existsSync(dir) || readdirSync(dir).length === 0;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const unlock = lockFolder(dir);
  // New files are the owner's alone from the first byte (PGlite creates its files world-readable).
  const previous = process.umask(0o077);
  const { PGlite } = await import('@electric-sql/pglite');
  let db: InstanceType<typeof PGlite>;
  try {
    db = new PGlite(dir);
    await db.waitReady;
  } catch (e) {
    unlock();
    throw e;
  } finally {
    process.umask(previous);
  }
  if (fresh) restrictToOwner(dir);
  const queryable = (q: Pick<typeof db, 'query'>): Queryable => ({
    async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
      return (await q.query<T>(sql, params as unknown[])).rows;
    },
  });
  return {
    kind: 'embedded',
    ...queryable(db),
    transaction: (fn) => db.transaction((tx) => fn(queryable(tx))),
    exec: async (sql) => void (await db.exec(sql)),
    close: async () => {
      try {
        await db.close();
      } finally {
        unlock();
      }
    },
  };
}

export async function openPostgres(url: string): Promise<Engine> {
  const { default: pg } = await import('pg');
  // Dates, counts and IDs come back as JavaScript values the same way as from PGlite.
  const types = pg.types;
  types.setTypeParser(20, (v: string) => Number(v)); // int8 (bigserial, count(*))
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // Fail now, with the reason, rather than at the first request.
  const client = await pool.connect();
  client.release();
  const run = async <T extends Row>(
    c: { query: (s: string, p?: unknown[]) => Promise<{ rows: unknown[] }> },
    sql: string,
    params: readonly unknown[] = [],
  ) => (await c.query(sql, params as unknown[])).rows as T[];
  return {
    kind: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    async transaction(fn) {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const out = await fn({ query: (sql, params) => run(c, sql, params) });
        await c.query('COMMIT');
        return out;
      } catch (e) {
        await c.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        c.release();
      }
    },
    exec: async (sql) => void (await pool.query(sql)),
    close: () => pool.end(),
  };
}
