/**
 * What only the PostgreSQL store has: its migrator, its schema against SQLite's, the
 * SQL seam, concurrent imports, and its "not now" errors. Runs on PGlite in `npm test`
 * and on a real server under `npm run test:postgres` (PREPBOT_TEST_DATABASE_URL),
 * where the tests with two clients race two connection pools for real.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyHash } from '../../../src/bank/ids.ts';
import { openDatabase } from '../../../src/store/db.ts';
import { StoreUnavailableError } from '../../../src/store/errors.ts';
import { migrations, type Migration } from '../../../src/store/migrations/index.ts';
import { createPostgresBankStore } from '../../../src/store/postgres/bank.ts';
import { MigrationError, migratePostgres } from '../../../src/store/postgres/migrate.ts';
import { connectPostgres } from '../../../src/store/postgres/pg.ts';
import type { SqlClient } from '../../../src/store/postgres/sql.ts';
import type { ImportPlan } from '../../../src/store/types.ts';
import { POSTGRES_HOOK_TIMEOUT, startTestPostgres, type TestPostgres } from '../../stores/postgres.ts';

let pg: TestPostgres;
beforeAll(async () => {
  pg = await startTestPostgres();
}, POSTGRES_HOOK_TIMEOUT);
afterAll(async () => {
  await pg?.close();
}, POSTGRES_HOOK_TIMEOUT);

const exists = async (db: SqlClient, table: string) =>
  (await db.query<{ t: string | null }>('SELECT CAST(to_regclass($1) AS TEXT) AS t', [table])).rows[0]!.t !== null;

const versions = async (db: SqlClient) =>
  (await db.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version')).rows;

const registered = () => [...migrations].sort((a, b) => a.version - b.version).map((m) => ({ version: m.version, name: m.name }));

describe('PostgreSQL migrator', () => {
  it('applies every registered migration once; running again applies nothing', async () => {
    const db = await pg.empty();
    expect(await migratePostgres(db)).toEqual(registered().map((m) => m.version));
    expect(await versions(db)).toEqual(registered());
    expect(await migratePostgres(db)).toEqual([]);
    expect(await versions(db)).toEqual(registered());
  });

  it('refuses, naming the migration and its file, when a pending one has no PostgreSQL text, and changes nothing', async () => {
    const db = await pg.empty();
    const sqliteOnly: Migration = { version: 99, name: 'breaks', sql: 'CREATE TABLE breaks (a INTEGER);' };
    const attempt = migratePostgres(db, [...migrations, sqliteOnly]);
    await expect(attempt).rejects.toThrow(MigrationError);
    await expect(attempt).rejects.toThrow(
      /^migration 99 \(breaks\) has no PostgreSQL version yet: add its `postgres` text in src\/store\/migrations\/099-breaks\.ts/,
    );
    // Not even the migrations before it: a database is never left half upgraded.
    expect(await exists(db, 'questions')).toBe(false);
    expect(await versions(db)).toEqual([]);
  });

  it('a migration that fails is rolled back alone; those before it stay applied', async () => {
    const db = await pg.empty();
    const bad: Migration = {
      version: 98,
      name: 'fails',
      sql: '',
      postgres: 'CREATE TABLE half_done (a INTEGER); SELECT no_such_function();',
    };
    await expect(migratePostgres(db, [...migrations, bad])).rejects.toThrow(/no_such_function/);
    expect(await exists(db, 'half_done')).toBe(false);
    expect(await versions(db)).toEqual(registered());
  });

  it('two processes migrating at once apply each migration exactly once', async () => {
    const db = await pg.empty();
    // On a server: a second pool, so the advisory lock is what keeps them apart. PGlite has one
    // connection and runs the two one transaction at a time, which must give the same result.
    const other = pg.another() ?? db;
    const [a, b] = await Promise.all([migratePostgres(db), migratePostgres(other)]);
    expect([...a, ...b].sort((x, y) => x - y)).toEqual(registered().map((m) => m.version));
    expect(await versions(db)).toEqual(registered());
  });
});

describe('PostgreSQL schema', () => {
  /** SQLite's declared types as the PostgreSQL migrations must give them. */
  const TYPE: Record<string, string> = { TEXT: 'text', INTEGER: 'integer', REAL: 'double precision' };

  it('has every SQLite table, column (type, NOT NULL) and index; only the full-text index differs', async () => {
    const lite = openDatabase(':memory:');
    const db = await pg.fresh();
    try {
      const liteTables = (
        lite
          .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'questions_fts%' ORDER BY name")
          .all() as { name: string }[]
      ).map((r) => r.name);
      const pgTables = (
        await db.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename COLLATE \"C\"")
      ).rows.map((r) => r.name);
      expect(pgTables).toEqual(liteTables);

      for (const table of liteTables) {
        const liteColumns = (lite.prepare(`PRAGMA table_info(${table})`).all() as { name: string; type: string; notnull: number; pk: number }[])
          .map((c) => ({ name: c.name, type: TYPE[c.type] ?? c.type, notNull: c.notnull === 1 || (c.pk > 0 && c.type === 'INTEGER') }))
          .sort((a, b) => (a.name < b.name ? -1 : 1));
        const pgColumns = (
          await db.query<{ name: string; type: string; nullable: string }>(
            `SELECT column_name AS name, data_type AS type, is_nullable AS nullable FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name = $1`,
            [table],
          )
        ).rows
          .filter((c) => !(table === 'questions' && c.name === 'search'))
          .map((c) => ({ name: c.name, type: c.type, notNull: c.nullable === 'NO' }))
          .sort((a, b) => (a.name < b.name ? -1 : 1));
        // A primary key column is NOT NULL in PostgreSQL whatever it declares; SQLite's rowid alias too.
        const pkColumns = new Set(
          (lite.prepare(`PRAGMA table_info(${table})`).all() as { name: string; pk: number }[]).filter((c) => c.pk > 0).map((c) => c.name),
        );
        expect(
          pgColumns.map((c) => (pkColumns.has(c.name) ? { ...c, notNull: true } : c)),
          table,
        ).toEqual(liteColumns.map((c) => (pkColumns.has(c.name) ? { ...c, notNull: true } : c)));
      }

      const liteIndexes = (
        lite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name").all() as {
          name: string;
        }[]
      ).map((r) => r.name);
      // Indexes PostgreSQL makes for PRIMARY KEY / UNIQUE constraints are SQLite's autoindexes.
      const pgIndexes = (
        await db.query<{ name: string }>(
          `SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public'
             AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY indexname COLLATE "C"`,
        )
      ).rows.map((r) => r.name);
      expect(pgIndexes).toEqual([...liteIndexes, 'questions_search'].sort());
    } finally {
      lite.close();
    }
  });
});

describe('PostgreSQL SQL seam', () => {
  it('commits a transaction, and rolls one back when its work throws', async () => {
    const db = await pg.fresh();
    await db.exec('CREATE TABLE seam_probe (n INTEGER NOT NULL)');
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO seam_probe (n) VALUES ($1)', [1]);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO seam_probe (n) VALUES ($1)', [2]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await db.query('SELECT n FROM seam_probe ORDER BY n')).rows).toEqual([{ n: 1 }]);
  });

  it('returns integers as numbers, COUNT(*) (int8) included', async () => {
    const db = await pg.fresh();
    const { rows } = await db.query('SELECT COUNT(*) AS c, CAST(9007199254740991 AS BIGINT) AS big, CAST(7 AS INTEGER) AS small');
    expect(rows).toEqual([{ c: 1, big: 9007199254740991, small: 7 }]);
  });
});

describe('PostgreSQL bank store under concurrency', () => {
  const plan = (): ImportPlan => ({
    paths: ['notes'],
    scope: { files: [], folders: [''] },
    keepFiles: [],
    questions: ['mutex', 'channel', 'goroutine'].map((w, i) => ({
      file: 'a.md',
      line: i * 4 + 1,
      prompt: `What is a ${w}?`,
      promptDetail: '',
      answer: `A ${w}.`,
      keyPoints: [],
      topics: ['go'],
      emptyAnswer: false,
      normKey: `what is a ${w}?`,
      bodyHash: bodyHash(`A ${w}.`, ''),
    })),
    topics: [{ id: 'go', name: 'Go' }],
    skipped: [],
    warnings: [],
    startedAt: new Date('2025-01-01T00:00:00Z'),
    now: new Date('2025-01-01T00:00:01Z'),
    dryRun: false,
  });

  it('two imports at once: one adds, the other finds everything unchanged (no clash on ids)', async () => {
    const db = await pg.fresh();
    const other = pg.another() ?? db;
    const reports = await Promise.all([createPostgresBankStore(db).applyImport(plan()), createPostgresBankStore(other).applyImport(plan())]);
    expect(reports.map((r) => [r.added.length, r.unchanged]).sort()).toEqual([
      [0, 3],
      [3, 0],
    ]);
    expect(await createPostgresBankStore(db).countQuestions()).toBe(3);
  });
});

describe('PostgreSQL store errors', () => {
  it('a server that cannot be reached is StoreUnavailableError (io), not a driver error', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const db = connectPostgres(`postgres://prepbot@127.0.0.1:${port}/prepbot`);
    try {
      const attempt = createPostgresBankStore(db).countQuestions();
      await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(attempt).rejects.toMatchObject({ reason: 'io', code: 'ECONNREFUSED' });
    } finally {
      await db.close();
    }
  });
});
