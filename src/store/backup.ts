/**
 * `xxgk backup` and restore: every table as rows, read in one transaction (a consistent copy while
 * the server runs on PostgreSQL; the embedded engine is one process, so a backup of its folder is
 * taken by that process or with the server stopped). Restoring writes the rows into a new, empty
 * data folder (or database) in the same order and sets the ID counters past them: the restored
 * collection is the same in content. PostgreSQL's own `pg_dump` works too (README).
 */
import type { Engine } from './engine.js';
import { migrate } from './migrations.js';

/** Tables in an order that satisfies their references. */
export const TABLES = [
  'units',
  'users',
  'sessions',
  'login_failures',
  'deadlines',
  'reports',
  'report_versions',
  'comments',
  'audit',
] as const;

export interface Backup {
  format: 'xxgk-collection-backup';
  schema: number;
  tables: Record<string, Record<string, unknown>[]>;
}

const ORDER: Record<string, string> = {
  units: 'id',
  users: 'id',
  sessions: 'token_hash',
  login_failures: 'address',
  deadlines: 'year',
  reports: 'id',
  report_versions: 'report_id, version',
  comments: 'id',
  audit: 'id',
};

export async function exportCollection(db: Engine): Promise<Backup> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const [schema] = await tx.query<{ v: number }>('SELECT max(version) AS v FROM schema_migrations');
    const tables: Backup['tables'] = {};
    for (const t of TABLES) {
      // Dates as ISO text and the rest as JSON values: the same bytes from both engines.
      tables[t] = (
        await tx.query<{ row: string }>(`SELECT row_to_json(x)::text AS row FROM (SELECT * FROM ${t} ORDER BY ${ORDER[t]}) x`)
      ).map((r) => JSON.parse(r.row));
    }
    return { format: 'xxgk-collection-backup', schema: Number(schema?.v ?? 0), tables };
  });
}

/** Restore into an empty collection (a new data folder or database). */
export async function importCollection(db: Engine, backup: Backup): Promise<void> {
  if (backup.format !== 'xxgk-collection-backup') throw new Error('not an xxgk collection backup');
  await migrate(db);
  await db.transaction(async (tx) => {
    const [used] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM units');
    if (used && used.n > 0) throw new Error('the target collection is not empty');
    for (const t of TABLES) {
      for (const row of backup.tables[t] ?? []) {
        const cols = Object.keys(row);
        await tx.query(
          `INSERT INTO ${t} (${cols.join(', ')}) SELECT * FROM json_populate_record(null::${t}, $1::json)`.replace(
            'SELECT *',
            `SELECT ${cols.join(', ')}`,
          ),
          [JSON.stringify(row)],
        );
      }
      if (['units', 'users', 'reports', 'comments', 'audit'].includes(t))
        await tx.query(
          `SELECT setval(pg_get_serial_sequence('${t}', 'id'), GREATEST((SELECT max(id) FROM ${t}), 1), (SELECT max(id) FROM ${t}) IS NOT NULL)`,
        );
    }
  });
}
