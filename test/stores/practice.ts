/**
 * The practice stores the practice suites run against, as `describe.each` rows:
 * SQLite and PostgreSQL (PGlite, or the server `npm run test:postgres` starts).
 * `practiceStores()` registers the hooks that start PostgreSQL once per file and
 * close every store a test opened.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { createPostgresBankStore } from '../../src/store/postgres/bank.ts';
import { createPostgresPracticeRepository } from '../../src/store/postgres/practice.ts';
import { createPostgresScheduleStore } from '../../src/store/postgres/schedules.ts';
import type { ScheduleRepository } from '../../src/core/schedule/types.ts';
import type { SqlClient } from '../../src/store/postgres/sql.ts';
import type { PracticeRepository, PracticeStoreOptions } from '../../src/store/practice-types.ts';
import { createSqliteBankRepository } from '../../src/store/sqlite/bank.ts';
import { createSqlitePracticeRepository } from '../../src/store/sqlite/practice.ts';
import { createSqliteScheduleRepository } from '../../src/store/sqlite/schedules.ts';
import { postgresRaw, sqliteRaw, type BankStore, type RawSql } from './bank.ts';
import { POSTGRES_HOOK_TIMEOUT, startTestPostgres, type TestPostgres } from './postgres.ts';

export interface OpenPractice {
  repo: PracticeRepository;
  /** The bank on the same database (to seed questions through the real import). */
  bank: BankStore;
  /** The schedules on the same database (the daily composer reads practice and schedules together). */
  schedules: ScheduleRepository;
  sql: RawSql;
  /** The SQLite database, on the SQLite row only (for the other SQLite stores a suite seeds with). */
  db?: Db;
  /** Another practice store on the same database with other options (a second bot configuration). */
  reopen(options?: PracticeStoreOptions): PracticeRepository;
}

export interface PracticeStoreKind {
  /** 'sqlite' or 'postgres': suites name their describe blocks with it. */
  name: 'sqlite' | 'postgres';
  /** A fresh, empty, migrated store. */
  open(options?: PracticeStoreOptions): Promise<OpenPractice>;
  /**
   * Two stores on one fresh database, each on its own connection(s), as two bot
   * processes would open it. SQLite: two connections to one file. PostgreSQL on a
   * server: two connection pools. PGlite has a single connection, so both stores
   * share it: their calls interleave at every await, which checks the SQL's
   * conditions and the order of the locks, not two sessions (the server leg does).
   */
  openTwo(): Promise<[OpenPractice, OpenPractice]>;
  /** What openTwo's second store really is, for test names. */
  twoLabel(): string;
}

export function practiceStores(): PracticeStoreKind[] {
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

  const onSqlite = (path: string, options?: PracticeStoreOptions): OpenPractice => {
    const db = openDatabase(path);
    sqlite.push(db);
    return {
      repo: createSqlitePracticeRepository(db, options),
      bank: createSqliteBankRepository(db),
      schedules: createSqliteScheduleRepository(db),
      sql: sqliteRaw(db),
      db,
      reopen: (o) => createSqlitePracticeRepository(db, o),
    };
  };
  const onPostgres = (db: SqlClient, options?: PracticeStoreOptions): OpenPractice => ({
    repo: createPostgresPracticeRepository(db, options),
    bank: createPostgresBankStore(db),
    schedules: createPostgresScheduleStore(db),
    sql: postgresRaw(db),
    reopen: (o) => createPostgresPracticeRepository(db, o),
  });
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
        const dir = mkdtempSync(join(tmpdir(), 'prepbot-practice-'));
        dirs.push(dir);
        const file = join(dir, 'bot.db');
        return [onSqlite(file), onSqlite(file)];
      },
      twoLabel: () => 'two connections to one SQLite file',
    },
    {
      name: 'postgres',
      async open(options) {
        return onPostgres(await started().fresh(), options);
      },
      async openTwo() {
        const pg = started();
        const db = await pg.fresh();
        return [onPostgres(db), onPostgres(pg.another() ?? db)];
      },
      // Named before PostgreSQL starts (describe time): the same choice startTestPostgres makes.
      twoLabel: () =>
        process.env.PREPBOT_TEST_DATABASE_URL?.trim() ? 'two connection pools on one server' : 'two stores sharing one PGlite connection',
    },
  ];
}
