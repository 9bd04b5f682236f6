/**
 * The streak-care and interview stores their suites run against, as `describe.each`
 * rows (see kinds.ts): SQLite and PostgreSQL, each with the bank on the same database
 * and the raw SQL under it.
 *
 * People and accounts are seeded with plain SQL (`seedPerson`), the same on both
 * stores, with the ids the tests name; questions go through the bank's real import.
 */
import type { InterviewRepository } from '../../src/store/interview-types.ts';
import type { PracticeRepository } from '../../src/store/practice-types.ts';
import { createPostgresBankStore } from '../../src/store/postgres/bank.ts';
import { createPostgresInterviewRepository } from '../../src/store/postgres/interviews.ts';
import { createPostgresPracticeRepository } from '../../src/store/postgres/practice.ts';
import { createPostgresStreakCare } from '../../src/store/postgres/streak-care.ts';
import { createSqliteBankRepository } from '../../src/store/sqlite/bank.ts';
import { createSqliteInterviewRepository } from '../../src/store/sqlite/interviews.ts';
import { createSqlitePracticeRepository } from '../../src/store/sqlite/practice.ts';
import { createSqliteStreakCare } from '../../src/store/sqlite/streak-care.ts';
import type { StreakCareRepository } from '../../src/store/streak-care-types.ts';
import { seedQuestions as seedBank } from '../unit/store-practice/seed.ts';
import type { BankStore } from './bank.ts';
import { postgresRaw, sqliteRaw, storeKinds, type RawSql, type StoreKind } from './kinds.ts';

export interface OpenCare {
  care: StreakCareRepository;
  interviews: InterviewRepository;
  bank: BankStore;
  /** The practice store on the same database, for what it does to interviews (linking accounts). */
  practice: PracticeRepository;
  sql: RawSql;
}

export type CareStoreKind = StoreKind<OpenCare>;

export function careStores(): CareStoreKind[] {
  return storeKinds<OpenCare>({
    sqlite: (db) => ({
      care: createSqliteStreakCare(db),
      interviews: createSqliteInterviewRepository(db),
      bank: createSqliteBankRepository(db),
      practice: createSqlitePracticeRepository(db),
      sql: sqliteRaw(db),
    }),
    postgres: (db) => ({
      care: createPostgresStreakCare(db),
      interviews: createPostgresInterviewRepository(db),
      bank: createPostgresBankStore(db),
      practice: createPostgresPracticeRepository(db),
      sql: postgresRaw(db),
    }),
  });
}

const SEEDED_AT = '2025-01-01T00:00:00.000Z';

/** A person with one account in `workspace` (`{platform}:{id}`); the account id is `{workspace}:{personId}`. */
export async function seedPerson(sql: RawSql, personId: string, name: string, workspace = 'slack:T1'): Promise<{ personId: string; accountId: string }> {
  const platform = workspace.split(':')[0]!;
  await sql.rows('INSERT INTO people (id, display_name, created_at) VALUES (?, ?, ?)', [personId, name, SEEDED_AT]);
  await sql.rows('INSERT INTO workspaces (id, platform, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [workspace, platform, SEEDED_AT]);
  const accountId = `${workspace}:${personId}`;
  await sql.rows('INSERT INTO accounts (id, platform, person_id, display_name, workspace_id, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
    accountId,
    platform,
    personId,
    name,
    workspace,
    SEEDED_AT,
  ]);
  return { personId, accountId };
}

/** Questions through the bank's real import, each answered `Answer to {prompt}`; returns their ids in the given order. */
export function seedQuestions(bank: BankStore, prompts: string[]): Promise<string[]> {
  return seedBank(
    bank,
    prompts.map((prompt) => ({ prompt, answer: `Answer to ${prompt}` })),
  );
}
