/**
 * The schedule stores the scheduler and schedule suites run against, as `describe.each`
 * rows: SQLite and PostgreSQL (PGlite, or the server `npm run test:postgres` starts).
 * `scheduleStores()` registers the hooks that start PostgreSQL once per file and close
 * every store a test opened.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ScheduleRepository } from '../../src/core/schedule/types.ts';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { createPostgresScheduleStore } from '../../src/store/postgres/schedules.ts';
import { createSqliteScheduleRepository } from '../../src/store/sqlite/schedules.ts';
import { postgresRaw, sqliteRaw, type RawSql } from './bank.ts';
import { POSTGRES_HOOK_TIMEOUT, startTestPostgres, type TestPostgres } from './postgres.ts';

export interface OpenSchedules {
  repo: ScheduleRepository;
  sql: RawSql;
}

export interface ScheduleStoreKind {
  /** 'sqlite' or 'postgres': suites name their describe blocks with it. */
  name: 'sqlite' | 'postgres';
  /** A fresh, empty, migrated store. */
  open(): Promise<OpenSchedules>;
  /**
   * Two stores on one fresh database, each on its own connection(s), as two bot
   * processes would open it. SQLite: two connections to one file. PostgreSQL on a
   * server: two connection pools. PGlite has a single connection, so there both
   * stores share it: their calls still interleave at every await, which checks the
   * SQL's conditions, but not two sessions locking rows (the server leg does).
   */
  openTwo(): Promise<[OpenSchedules, OpenSchedules]>;
  /** What openTwo's second store really is, for test names and comments. */
  twoLabel(): string;
}

export function scheduleStores(): ScheduleStoreKind[] {
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

  const sqliteOpen = (path: string): OpenSchedules => {
    const db = openDatabase(path);
    sqlite.push(db);
    return { repo: createSqliteScheduleRepository(db), sql: sqliteRaw(db) };
  };
  const started = () => {
    if (!postgres) throw new Error('PostgreSQL did not start; see the beforeAll error above');
    return postgres;
  };

  return [
    {
      name: 'sqlite',
      async open() {
        return sqliteOpen(':memory:');
      },
      async openTwo() {
        const dir = mkdtempSync(join(tmpdir(), 'prepbot-sched-'));
        dirs.push(dir);
        const file = join(dir, 'bot.db');
        return [sqliteOpen(file), sqliteOpen(file)];
      },
      twoLabel: () => 'two connections to one SQLite file',
    },
    {
      name: 'postgres',
      async open() {
        const db = await started().fresh();
        return { repo: createPostgresScheduleStore(db), sql: postgresRaw(db) };
      },
      async openTwo() {
        const pg = started();
        const db = await pg.fresh();
        const other = pg.another() ?? db;
        return [
          { repo: createPostgresScheduleStore(db), sql: postgresRaw(db) },
          { repo: createPostgresScheduleStore(other), sql: postgresRaw(other) },
        ];
      },
      twoLabel: () => (postgres?.label === 'PGlite' ? 'two stores sharing one PGlite connection' : 'two connection pools on one server'),
    },
  ];
}
