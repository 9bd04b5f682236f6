/**
 * The schedule stores the scheduler and schedule suites run against, as `describe.each`
 * rows (see kinds.ts): SQLite and PostgreSQL, each with the raw SQL under it.
 */
import type { ScheduleRepository } from '../../src/core/schedule/types.ts';
import { createPostgresScheduleStore } from '../../src/store/postgres/schedules.ts';
import { createSqliteScheduleRepository } from '../../src/store/sqlite/schedules.ts';
import { postgresRaw, sqliteRaw, storeKinds, type RawSql, type StoreKind } from './kinds.ts';

export interface OpenSchedules {
  repo: ScheduleRepository;
  sql: RawSql;
}

export type ScheduleStoreKind = StoreKind<OpenSchedules>;

export function scheduleStores(): ScheduleStoreKind[] {
  return storeKinds<OpenSchedules>({
    sqlite: (db) => ({ repo: createSqliteScheduleRepository(db), sql: sqliteRaw(db) }),
    postgres: (db) => ({ repo: createPostgresScheduleStore(db), sql: postgresRaw(db) }),
  });
}
