/**
 * The database schema, as numbered migrations applied in order and recorded in
 * `schema_migrations`. One dialect for both engines. A migration is never edited once released:
 * a change is a new migration. Several server processes starting at once on one PostgreSQL take
 * an advisory lock, so each migration runs once.
 */
import type { Engine } from './engine.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'units, people, sessions, reports and their versions, comments, the audit log',
    sql: `
CREATE TABLE units (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE,
  parent_id integer REFERENCES units(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE users (
  id serial PRIMARY KEY,
  login text NOT NULL UNIQUE,
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('clerk', 'reviewer', 'admin')),
  unit_id integer REFERENCES units(id),
  password_hash text NOT NULL,
  must_change_password boolean NOT NULL DEFAULT true,
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (role = 'admin' OR unit_id IS NOT NULL)
);
CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE login_failures (
  address text PRIMARY KEY,
  failures integer NOT NULL,
  window_start timestamptz NOT NULL
);
CREATE TABLE deadlines (
  year integer PRIMARY KEY,
  due date NOT NULL
);
CREATE TABLE reports (
  id serial PRIMARY KEY,
  unit_id integer NOT NULL REFERENCES units(id),
  year integer NOT NULL,
  state text NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'approved', 'published')),
  version integer NOT NULL,
  approved_version integer,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (unit_id, year)
);
CREATE TABLE report_versions (
  report_id integer NOT NULL REFERENCES reports(id),
  version integer NOT NULL,
  body text NOT NULL,
  author_id integer REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (report_id, version)
);
CREATE TABLE comments (
  id serial PRIMARY KEY,
  report_id integer NOT NULL REFERENCES reports(id),
  version integer NOT NULL,
  path text,
  body text NOT NULL,
  author_id integer NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE audit (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  user_id integer,
  action text NOT NULL,
  unit_id integer,
  report_id integer,
  detail text NOT NULL DEFAULT '{}'
);
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END $$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
`,
  },
];

/** A number both engines accept for pg_advisory_xact_lock: "xxgk" in ASCII. */
const LOCK = 0x7878676b;

/** Apply every migration not yet applied; returns the versions applied now. */
export async function migrate(db: Engine): Promise<number[]> {
  return db.transaction(async (tx) => {
    // The lock first: two processes starting at once on an empty database would otherwise both
    // create schema_migrations, and one would fail.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`);
    const done = new Set((await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version));
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}

/** Statements of a migration, split at semicolons outside dollar-quoted bodies. */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let cur = '';
  let dollar = false;
  for (let i = 0; i < sql.length; i++) {
    if (sql.startsWith('$$', i)) {
      dollar = !dollar;
      cur += '$$';
      i++;
      continue;
    }
    const c = sql[i]!;
    if (c === ';' && !dollar) {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}
