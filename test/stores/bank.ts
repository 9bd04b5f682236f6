/**
 * The bank stores the repository suites run against, as `describe.each` rows (see
 * kinds.ts): SQLite and PostgreSQL, each with the raw SQL under it.
 */
import { createPostgresBankStore } from '../../src/store/postgres/bank.ts';
import { createSqliteBankRepository } from '../../src/store/sqlite/bank.ts';
import type { BankImportRepository, BankRepository } from '../../src/store/types.ts';
import { postgresRaw, sqliteRaw, storeKinds, type RawSql, type StoreKind } from './kinds.ts';

export type BankStore = BankRepository & BankImportRepository;

export interface OpenBank {
  repo: BankStore;
  sql: RawSql;
}

export type BankStoreKind = StoreKind<OpenBank>;

export function bankStores(): BankStoreKind[] {
  return storeKinds<OpenBank>({
    sqlite: (db) => ({ repo: createSqliteBankRepository(db), sql: sqliteRaw(db) }),
    postgres: (db) => ({ repo: createPostgresBankStore(db), sql: postgresRaw(db) }),
  });
}
