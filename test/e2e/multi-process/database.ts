/**
 * The database two bot processes share in the multi-process tests, as `describe.each` rows:
 * a SQLite file always; PostgreSQL when PREPBOT_TEST_DATABASE_URL names a server
 * (`npm run test:postgres` starts one) and prepbot accepts DATABASE_URL
 * (src/store/postgres/readiness.ts). A row that cannot run carries the reason in `skip`.
 *
 * Same shape as test/e2e/shared-database.ts (written on the discord-shards branch); the two
 * are to be unified at merge.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { openStores, type Stores } from '../../../src/store/open-stores.ts';
import { connectPostgres } from '../../../src/store/postgres/pg.ts';
import { postgresNotReady } from '../../../src/store/postgres/readiness.ts';

export interface SharedDatabase {
  /** The environment that points a bot process at the database. */
  env: Record<string, string>;
  /** 'SQLite file' or 'PostgreSQL server': for messages. */
  label: string;
  /** The repositories on the same database, as a third process would see them (for assertions). */
  open(): Promise<Stores>;
  /** Drops what was created (the PostgreSQL database; the SQLite file lives in the caller's temp dir). */
  cleanup(): Promise<void>;
}

export interface SharedDatabaseRow {
  /** Used in test names; the PostgreSQL row's name contains "PostgreSQL" so `test:postgres`'s -t filter selects it. */
  name: string;
  /** Why this row cannot run here; undefined when it can. */
  skip?: string;
  /** Creates an empty database for one test; `dir` is the test's temp dir. */
  create(dir: string): Promise<SharedDatabase>;
}

function readStores(env: Record<string, string>): () => Promise<Stores> {
  return () =>
    openStores({
      dbPath: env.PREPBOT_DB ?? ':memory:',
      database: env.DATABASE_URL ? { url: env.DATABASE_URL, poolMax: 2 } : undefined,
      defaultTimezone: 'UTC',
    });
}

const sqlite: SharedDatabaseRow = {
  name: 'one SQLite file',
  async create(dir) {
    const env = { PREPBOT_DB: join(dir, 'prepbot.db') };
    return { env, label: 'SQLite file', open: readStores(env), cleanup: async () => {} };
  },
};

function postgresRow(): SharedDatabaseRow {
  const server = process.env.PREPBOT_TEST_DATABASE_URL?.trim();
  const notReady = postgresNotReady();
  return {
    name: 'one PostgreSQL database',
    skip: !server
      ? 'PREPBOT_TEST_DATABASE_URL is unset (npm run test:postgres sets it)'
      : notReady
        ? `the bot still refuses DATABASE_URL: ${notReady}`
        : undefined,
    async create() {
      const admin = connectPostgres(server!, { max: 1 });
      const name = `prepbot_mp_${process.pid}_${randomBytes(4).toString('hex')}`;
      try {
        await admin.exec(`CREATE DATABASE ${name}`);
      } finally {
        await admin.close();
      }
      const url = new URL(server!);
      url.pathname = `/${name}`;
      const env = { DATABASE_URL: url.toString() };
      return {
        env,
        label: 'PostgreSQL server',
        open: readStores(env),
        async cleanup() {
          const drop = connectPostgres(server!, { max: 1 });
          try {
            // FORCE: a killed bot process may leave a connection behind for a moment.
            await drop.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          } finally {
            await drop.close();
          }
        },
      };
    },
  };
}

export function sharedDatabases(): SharedDatabaseRow[] {
  return [sqlite, postgresRow()];
}
