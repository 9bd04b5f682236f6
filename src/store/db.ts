import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations } from './migrations/index.ts';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the SQLite database, in WAL mode with foreign keys
 * on, and applies pending migrations. `:memory:` gives a private test database.
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // Two bot processes may share one file; wait for the other's write instead of failing.
  db.pragma('busy_timeout = 5000');
  writeFirst(db);
  migrate(db);
  return db;
}

/**
 * Makes every `db.transaction(fn)` BEGIN IMMEDIATE. A deferred transaction that
 * reads and then writes fails with SQLITE_BUSY at once, busy_timeout or not, when
 * another process wrote meanwhile; one that takes the write lock first waits its
 * turn instead. Read-only transactions pay nothing noticeable under WAL.
 */
function writeFirst(db: Db): void {
  const original = db.transaction.bind(db);
  db.transaction = ((fn: (...args: never[]) => unknown) => {
    const tx = original(fn);
    const { deferred, immediate, exclusive } = tx;
    return Object.assign((...args: never[]) => immediate(...args), { default: immediate, deferred, immediate, exclusive });
  }) as Db['transaction'];
}

export function migrate(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').pluck();
  // Checked again inside the write lock: two processes starting on one file both see
  // a migration pending, and only the first may apply it.
  const apply = db.transaction((m: (typeof migrations)[number]) => {
    if (isApplied.get(m.version)) return;
    db.exec(m.sql);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
      m.version,
      m.name,
      new Date().toISOString(),
    );
  });
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (!isApplied.get(m.version)) apply(m);
  }
}
