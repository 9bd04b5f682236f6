/**
 * A PostgreSQL database for the repository suites: a real server when
 * PREPBOT_TEST_DATABASE_URL is set (`npm run test:postgres` starts one), else PGlite,
 * PostgreSQL compiled to WebAssembly, in this process, so `npm test` needs no server.
 *
 * One per test file (PGlite takes seconds to start); `fresh()` gives each test a
 * migrated database with empty tables. On a server each file gets a database of its own, so files
 * running in parallel never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { migratePostgres } from '../../src/store/postgres/migrate.ts';
import { connectPostgres } from '../../src/store/postgres/pg.ts';
import { fromPglite, type PgliteLike } from '../../src/store/postgres/pglite.ts';
import type { SqlClient } from '../../src/store/postgres/sql.ts';

export interface TestPostgres {
  /** 'a PostgreSQL server' or 'PGlite', for test names. */
  readonly label: string;
  /** The database migrated, with every table empty and nothing a test added left over. */
  fresh(): Promise<SqlClient>;
  /** The database with nothing in it at all (schema public dropped and re-created), not migrated. */
  empty(): Promise<SqlClient>;
  /** A second client on the same database (a second bot process); PGlite has only one. */
  another(): SqlClient | undefined;
  close(): Promise<void>;
}

/** Start and reset take seconds on a busy machine; give hooks room. */
export const POSTGRES_HOOK_TIMEOUT = 180_000;

const ROOT = join(import.meta.dirname, '../..');

async function dropEverything(db: SqlClient): Promise<void> {
  await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
}

/**
 * Migrating takes about a second on PGlite; emptying the tables a tenth of that. So the
 * first fresh() migrates, later ones drop what tests created and truncate the rest.
 */
function resetter(db: SqlClient): Pick<TestPostgres, 'fresh' | 'empty'> {
  let migrated: string[] | undefined;
  const tables = async () =>
    (await db.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'")).rows.map((r) => r.name);
  return {
    async fresh() {
      if (!migrated) {
        await dropEverything(db);
        await migratePostgres(db);
        migrated = await tables();
        return db;
      }
      const keep = new Set(migrated);
      const extra = (await tables()).filter((t) => !keep.has(t));
      if (extra.length > 0) await db.exec(`DROP TABLE ${extra.map((t) => `"${t}"`).join(', ')} CASCADE`);
      const data = migrated.filter((t) => t !== 'schema_migrations').map((t) => `"${t}"`);
      await db.exec(`TRUNCATE ${data.join(', ')} RESTART IDENTITY CASCADE`);
      return db;
    },
    async empty() {
      migrated = undefined;
      await dropEverything(db);
      return db;
    },
  };
}

async function onServer(url: string): Promise<TestPostgres> {
  const admin = connectPostgres(url, { max: 1 });
  const name = `prepbot_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin.exec(`CREATE DATABASE ${name}`);
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const db = connectPostgres(dbUrl.toString(), { max: 4 });
  const others: SqlClient[] = [];
  return {
    label: 'a PostgreSQL server',
    ...resetter(db),
    another() {
      const other = connectPostgres(dbUrl.toString(), { max: 2 });
      others.push(other);
      return other;
    },
    async close() {
      for (const other of others) await other.close();
      await db.close();
      await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}

/**
 * PGlite's start runs initdb, most of its startup; a data directory dumped right after
 * initdb loads several times faster. Kept under node_modules/.cache, per PGlite version.
 */
async function pgliteTemplate(PGlite: typeof import('@electric-sql/pglite').PGlite): Promise<Blob | undefined> {
  const version = (JSON.parse(readFileSync(join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string })
    .version;
  const dir = join(ROOT, 'node_modules/.cache/prepbot');
  const file = join(dir, `pglite-${version}-initdb.tar`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const db = await PGlite.create();
  try {
    const dump = await db.dumpDataDir('none');
    mkdirSync(dir, { recursive: true });
    // Test files start in parallel: write aside, then rename, so no reader sees half a file.
    const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
    return dump;
  } finally {
    await db.close();
  }
}

async function onPglite(): Promise<TestPostgres> {
  const { PGlite } = await import('@electric-sql/pglite');
  const template = await pgliteTemplate(PGlite);
  const db = fromPglite((await PGlite.create(template ? { loadDataDir: template } : {})) as unknown as PgliteLike);
  return {
    label: 'PGlite',
    ...resetter(db),
    another: () => undefined,
    close: () => db.close(),
  };
}

function serverUrl(): string | undefined {
  return process.env.PREPBOT_TEST_DATABASE_URL?.trim() || undefined;
}

/** Whether startTestPostgres will use a server (true) or PGlite; known before it starts, for test names. */
export function testPostgresOnServer(): boolean {
  return serverUrl() !== undefined;
}

export function startTestPostgres(): Promise<TestPostgres> {
  const url = serverUrl();
  return url ? onServer(url) : onPglite();
}
