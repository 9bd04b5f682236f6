/**
 * The two stores every repository suite runs against, as `describe.each` rows: SQLite
 * and PostgreSQL (PGlite, or the server `npm run test:postgres` starts). The factories
 * beside this file (bank, schedules, practice, care) say only what a test gets on each
 * database; `storeKinds` registers the hooks that start PostgreSQL once per file and
 * close every store and temp folder a test opened.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { openDatabase, type Db } from '../../src/store/db.ts';
import type { SqlClient } from '../../src/store/postgres/sql.ts';
import { POSTGRES_HOOK_TIMEOUT, startTestPostgres, testPostgresOnServer, type TestPostgres } from './postgres.ts';

/** Direct access to the tables under a store, for what the repository interface does not show. */
export interface RawSql {
  /** Portable SQL with `?` placeholders (turned into `$1, $2…` on PostgreSQL). */
  rows<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  count(table: string): Promise<number>;
}

export function sqliteRaw(db: Db): RawSql {
  return {
    async rows<T>(text: string, params: unknown[] = []) {
      const statement = db.prepare(text);
      return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as T[];
    },
    async count(table) {
      return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    },
  };
}

export function postgresRaw(db: SqlClient): RawSql {
  return {
    async rows<T>(text: string, params: unknown[] = []) {
      let n = 0;
      return (await db.query<T>(text.replace(/\?/g, () => `$${++n}`), params)).rows;
    },
    async count(table) {
      return (await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0]!.n;
    },
  };
}

export interface StoreKind<T, O = never> {
  /** 'sqlite' or 'postgres': suites name their describe blocks with it. */
  name: 'sqlite' | 'postgres';
  /** A fresh, empty, migrated store. */
  open(options?: O): Promise<T>;
  /**
   * Two stores on one fresh database, each on its own connection(s), as two bot
   * processes would open it. SQLite: two connections to one file. PostgreSQL on a
   * server: two connection pools. PGlite has a single connection, so there both stores
   * share it: their calls still interleave at every await, which checks the SQL's
   * conditions and the order of the locks, but not two sessions locking rows (the
   * server leg does).
   */
  openTwo(): Promise<[T, T]>;
  /** What openTwo's second store really is, for test names. */
  twoLabel(): string;
}

/** How to build what a test gets from one database; options are the suite's own (e.g. practice settings). */
export interface StoreMakers<T, O> {
  sqlite(db: Db, options?: O): T;
  postgres(db: SqlClient, options?: O): T;
}

export function storeKinds<T, O = never>(make: StoreMakers<T, O>): StoreKind<T, O>[] {
  const sqlite: Db[] = [];
  const dirs: string[] = [];
  let postgres: TestPostgres | undefined;

  beforeAll(async () => {
    postgres = await startTestPostgres();
  }, POSTGRES_HOOK_TIMEOUT);
  afterEach(() => {
    for (const db of sqlite.splice(0)) if (db.open) db.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await postgres?.close();
  }, POSTGRES_HOOK_TIMEOUT);

  const onSqlite = (path: string, options?: O): T => {
    const db = openDatabase(path);
    sqlite.push(db);
    return make.sqlite(db, options);
  };
  const started = () => {
    if (!postgres) throw new Error('PostgreSQL did not start; see the beforeAll error above');
    return postgres;
  };

  return [
    {
      name: 'sqlite',
      async open(options) {
        return onSqlite(':memory:', options);
      },
      async openTwo() {
        const dir = mkdtempSync(join(tmpdir(), 'prepbot-stores-'));
        dirs.push(dir);
        const file = join(dir, 'bot.db');
        return [onSqlite(file), onSqlite(file)];
      },
      twoLabel: () => 'two connections to one SQLite file',
    },
    {
      name: 'postgres',
      async open(options) {
        return make.postgres(await started().fresh(), options);
      },
      async openTwo() {
        const pg = started();
        const db = await pg.fresh();
        return [make.postgres(db), make.postgres(pg.another() ?? db)];
      },
      // Test names are built while tests are collected, before beforeAll starts
      // PostgreSQL, so this asks the same question startTestPostgres will, not the server.
      twoLabel: () => (testPostgresOnServer() ? 'two connection pools on one server' : 'two stores sharing one PGlite connection'),
    },
  ];
}
