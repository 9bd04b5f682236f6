/**
 * The practice stores the practice suites run against, as `describe.each` rows (see
 * kinds.ts): SQLite and PostgreSQL, each with the bank and schedules on the same
 * database and the raw SQL under it.
 */
import type { ScheduleRepository } from '../../src/core/schedule/types.ts';
import type { Db } from '../../src/store/db.ts';
import type { InterviewRepository } from '../../src/store/interview-types.ts';
import { createPostgresBankStore } from '../../src/store/postgres/bank.ts';
import { createPostgresInterviewRepository } from '../../src/store/postgres/interviews.ts';
import { createPostgresPracticeRepository } from '../../src/store/postgres/practice.ts';
import { createPostgresScheduleStore } from '../../src/store/postgres/schedules.ts';
import type { PracticeRepository, PracticeStoreOptions } from '../../src/store/practice-types.ts';
import { createSqliteBankRepository } from '../../src/store/sqlite/bank.ts';
import { createSqliteInterviewRepository } from '../../src/store/sqlite/interviews.ts';
import { createSqlitePracticeRepository } from '../../src/store/sqlite/practice.ts';
import { createSqliteScheduleRepository } from '../../src/store/sqlite/schedules.ts';
import type { BankStore } from './bank.ts';
import { postgresRaw, sqliteRaw, storeKinds, type RawSql, type StoreKind } from './kinds.ts';

export interface OpenPractice {
  repo: PracticeRepository;
  /** The bank on the same database (to seed questions through the real import). */
  bank: BankStore;
  /** The schedules on the same database (the daily composer reads practice and schedules together). */
  schedules: ScheduleRepository;
  /** The interviews on the same database (a person's data includes them). */
  interviews: InterviewRepository;
  sql: RawSql;
  /** The SQLite database, on the SQLite row only (for the other SQLite stores a suite seeds with). */
  db?: Db;
  /** Another practice store on the same database with other options (a second bot configuration). */
  reopen(options?: PracticeStoreOptions): PracticeRepository;
}

export type PracticeStoreKind = StoreKind<OpenPractice, PracticeStoreOptions>;

export function practiceStores(): PracticeStoreKind[] {
  return storeKinds<OpenPractice, PracticeStoreOptions>({
    sqlite: (db, options) => ({
      repo: createSqlitePracticeRepository(db, options),
      bank: createSqliteBankRepository(db),
      schedules: createSqliteScheduleRepository(db),
      interviews: createSqliteInterviewRepository(db),
      sql: sqliteRaw(db),
      db,
      reopen: (o) => createSqlitePracticeRepository(db, o),
    }),
    postgres: (db, options) => ({
      repo: createPostgresPracticeRepository(db, options),
      bank: createPostgresBankStore(db),
      schedules: createPostgresScheduleStore(db),
      interviews: createPostgresInterviewRepository(db),
      sql: postgresRaw(db),
      reopen: (o) => createPostgresPracticeRepository(db, o),
    }),
  });
}
