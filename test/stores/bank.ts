/**
 * The bank stores the repository suites run against, as `describe.each` rows:
 * SQLite (in memory) and PostgreSQL (PGlite, or the server `npm run test:postgres`
 * starts). `bankStores()` registers the hooks that start PostgreSQL once per file and
 * close every store a test opened.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { createPostgresBankStore } from '../../src/store/postgres/bank.ts';
import type { SqlClient } from '../../src/store/postgres/sql.ts';
import { createSqliteBankRepository } from '../../src/store/sqlite/bank.ts';
import type { BankImportRepository, BankRepository } from '../../src/store/types.ts';
import { POSTGRES_HOOK_TIMEOUT, startTestPostgres, type TestPostgres } from './postgres.ts';

export type BankStore = BankRepository & BankImportRepository;

/** Direct access to the tables under a store, for what the repository interface does not show. */
export interface RawSql {
  /** Portable SQL with `?` placeholders (turned into `$1, $2…` on PostgreSQL). */
  rows<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  count(table: string): Promise<number>;
}

export interface OpenBank {
  repo: BankStore;
  sql: RawSql;
}

export interface BankStoreKind {
  /** 'sqlite' or 'postgres': suites name their describe blocks with it. */
  name: 'sqlite' | 'postgres';
  /** A fresh, empty, migrated store. */
  open(): Promise<OpenBank>;
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

export function bankStores(): BankStoreKind[] {
  const sqlite: Db[] = [];
  let postgres: TestPostgres | undefined;

  beforeAll(async () => {
    postgres = await startTestPostgres();
  }, POSTGRES_HOOK_TIMEOUT);
  afterEach(() => {
    for (const db of sqlite.splice(0)) if (db.open) db.close();
  });
  afterAll(async () => {
    await postgres?.close();
  }, POSTGRES_HOOK_TIMEOUT);

  return [
    {
      name: 'sqlite',
      async open() {
        const db = openDatabase(':memory:');
        sqlite.push(db);
        return { repo: createSqliteBankRepository(db), sql: sqliteRaw(db) };
      },
    },
    {
      name: 'postgres',
      async open() {
        if (!postgres) throw new Error('PostgreSQL did not start; see the beforeAll error above');
        const db = await postgres.fresh();
        return { repo: createPostgresBankStore(db), sql: postgresRaw(db) };
      },
    },
  ];
}
