/** The collection server's database: engines, schema, the store, backups. */
export { type Engine, openEmbedded, openPostgres, type Queryable, restrictToOwner } from './engine.js';
export { MIGRATIONS, migrate } from './migrations.js';
export { exportCollection, importCollection, type Backup } from './backup.js';
export { hashPassword, verifyPassword, passwordProblem } from './secrets.js';
export { Store, StoreError, STATE_NAMES, type ReportState, type Role, type StoredReport, type Unit, type User } from './store.js';

/** Open the collection: the embedded engine in a data folder, or PostgreSQL at a URL. */
export async function openStore(where: { data: string } | { database: string }): Promise<import('./store.js').Store> {
  const { Store } = await import('./store.js');
  const { openEmbedded, openPostgres } = await import('./engine.js');
  const engine = 'data' in where ? await openEmbedded(where.data) : await openPostgres(where.database);
  return Store.open(engine);
}
