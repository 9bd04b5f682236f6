import { migrations as registered, type Migration } from '../migrations/index.ts';
import type { SqlClient, SqlQueryable } from './sql.ts';

/**
 * Any constant shared by every prepbot process on a database: the transaction-scoped
 * advisory lock every migration step takes, so two processes starting at once apply
 * each migration exactly once (the second waits, then finds it applied).
 */
const MIGRATION_LOCK = 7_260_514_001;

/** A migration the PostgreSQL store cannot apply (it has no PostgreSQL text yet). */
export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

function fileOf(m: Migration): string {
  return `src/store/migrations/${String(m.version).padStart(3, '0')}-${m.name}.ts`;
}

async function lock(tx: SqlQueryable): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
}

async function appliedVersions(db: SqlQueryable): Promise<Set<number>> {
  const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_migrations');
  return new Set(rows.map((r) => r.version));
}

/**
 * Brings a PostgreSQL database up to the registered migrations' `postgres` text, each
 * in its own transaction, recorded in schema_migrations like the SQLite store does.
 * Refuses, before applying anything, when a pending migration has no PostgreSQL text,
 * so a database is never left between two halves of an upgrade. Returns the versions
 * it applied.
 */
export async function migratePostgres(db: SqlClient, list: readonly Migration[] = registered): Promise<number[]> {
  await db.transaction(async (tx) => {
    await lock(tx);
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
  });

  const ordered = [...list].sort((a, b) => a.version - b.version);
  const applied = await appliedVersions(db);
  const pending = ordered.filter((m) => !applied.has(m.version));
  const missing = pending.filter((m) => m.postgres === undefined || m.postgres.trim() === '');
  if (missing.length > 0) {
    const names = missing.map((m) => `migration ${m.version} (${m.name})`);
    throw new MigrationError(
      `${names.join(', ')} ${missing.length === 1 ? 'has' : 'have'} no PostgreSQL version yet: ` +
        `add its \`postgres\` text in ${missing.map(fileOf).join(', ')} (see docs/postgres.md), ` +
        'or run on SQLite by leaving DATABASE_URL unset. Nothing was changed.',
    );
  }

  const done: number[] = [];
  for (const m of pending) {
    const ran = await db.transaction(async (tx) => {
      await lock(tx);
      // Another process may have applied it while this one waited for the lock.
      if ((await appliedVersions(tx)).has(m.version)) return false;
      await tx.exec(m.postgres as string);
      await tx.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        new Date().toISOString(),
      ]);
      return true;
    });
    if (ran) done.push(m.version);
  }
  return done;
}
