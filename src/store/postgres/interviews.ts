import type { InterviewRepository } from '../interview-types.ts';
import { pendingStore } from './pending.ts';
import type { SqlClient } from './sql.ts';

/** Interviews on PostgreSQL: same interface and behaviour as createSqliteInterviewRepository. */
export function createPostgresInterviewRepository(_db: SqlClient): InterviewRepository {
  return pendingStore<InterviewRepository>('interviews');
}
