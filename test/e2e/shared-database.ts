/**
 * The database several bot processes share in an e2e test, as environment for each process: a SQLite
 * file always (one machine), and a PostgreSQL database on the server `npm run test:postgres` starts
 * (PREPBOT_TEST_DATABASE_URL). A test runs its scenario once per row:
 *
 *   for (const row of sharedDatabases()) {
 *     it(`… on ${row.label}`, async () => {
 *       const db = await rig.database(row, 'prepbot-x-');  // test/e2e/process-rig.ts drops it after
 *       const bot = await rig.bootBot(fake, db.env);         // db.env goes into every process's environment
 *     });
 *   }
 *
 * and reads back what the processes wrote, as a third process sees it: `withStores` through the
 * repositories, `firstRow` in SQL (the same SQL on both databases).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/db.ts';
import { openStores, type Stores } from '../../src/store/open-stores.ts';
import { connectPostgres } from '../../src/store/postgres/pg.ts';

export interface SharedDatabase {
  label: string;
  /** Add to every bot process's environment. */
  env: Record<string, string>;
  /** Drops what open() created (a server database); the caller removes its temp dir. */
  cleanup(): Promise<void>;
}

export interface SharedDatabaseRow {
  label: string;
  /** A fresh, empty database for one test; `dir` is the test's temp dir (SQLite puts its file there). */
  open(dir: string): Promise<SharedDatabase>;
}

const sqlite: SharedDatabaseRow = {
  label: 'one SQLite file',
  async open(dir) {
    // Two processes on one file: src/store/db.ts takes the write lock at BEGIN, so they wait, not fail.
    return { label: 'one SQLite file', env: { PREPBOT_DB: join(dir, 'prepbot.db') }, cleanup: async () => undefined };
  },
};

function postgres(serverUrl: string): SharedDatabaseRow {
  const label = 'one PostgreSQL database';
  return {
    label,
    async open() {
      const admin = connectPostgres(serverUrl, { max: 1 });
      const name = `prepbot_e2e_${process.pid}_${randomBytes(4).toString('hex')}`;
      try {
        await admin.exec(`CREATE DATABASE ${name}`);
      } finally {
        await admin.close();
      }
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      return {
        label,
        env: { DATABASE_URL: url.toString() },
        async cleanup() {
          const dropper = connectPostgres(serverUrl, { max: 1 });
          try {
            await dropper.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          } finally {
            await dropper.close();
          }
        },
      };
    },
  };
}

/** SQLite always; PostgreSQL when a test server is given (PREPBOT_TEST_DATABASE_URL). */
export function sharedDatabases(env: Record<string, string | undefined> = process.env): SharedDatabaseRow[] {
  const url = env.PREPBOT_TEST_DATABASE_URL?.trim();
  return url ? [sqlite, postgres(url)] : [sqlite];
}

/** `read` on the repositories over the processes' database, closed afterwards. */
export async function withStores<T>(db: SharedDatabase, read: (stores: Stores) => Promise<T>): Promise<T> {
  const stores = await openStores({
    dbPath: db.env.PREPBOT_DB ?? ':memory:',
    database: db.env.DATABASE_URL ? { url: db.env.DATABASE_URL, poolMax: 2 } : undefined,
    defaultTimezone: 'UTC',
  });
  try {
    return await read(stores);
  } finally {
    await stores.close();
  }
}

/** The first row of a query on the processes' database. */
export async function firstRow<R>(db: SharedDatabase, sql: string): Promise<R> {
  if (db.env.DATABASE_URL) {
    const pg = connectPostgres(db.env.DATABASE_URL, { max: 1 });
    try {
      return (await pg.query<R>(sql)).rows[0]!;
    } finally {
      await pg.close();
    }
  }
  const sqlite = openDatabase(db.env.PREPBOT_DB!);
  try {
    return sqlite.prepare(sql).get() as R;
  } finally {
    sqlite.close();
  }
}
