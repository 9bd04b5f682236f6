import { migration as bank } from './001-bank.ts';
import { migration as practice } from './002-practice.ts';
import { migration as schedules } from './003-schedules.ts';
import { migration as linkAttempts } from './004-link-attempts.ts';
import { migration as followUps } from './005-follow-ups.ts';
import { migration as interviews } from './006-interviews.ts';
import { migration as readIndexes } from './007-read-indexes.ts';
import { migration as dayStart } from './009-day-start.ts';
import { migration as breaks } from './010-breaks-excused-days.ts';
import { migration as boards } from './011-boards.ts';
import { migration as settingsLoad } from './012-settings-load.ts';

/**
 * Versioned schema migrations, applied in order at start. Each lives in its own
 * module (`NNN-name.ts` exporting `migration`); never edit one that has shipped,
 * add the next number instead.
 *
 * Numbers reserved: 1 bank, 2 practice (people, answers, reviews, streaks),
 * 3 schedules, 4 link attempts, 5 follow-ups, 6 interviews (rebuilds attempts),
 * 7 read indexes (leaderboard, stats), 8 taken, 9 day start, 10 breaks and excused days,
 * 11 board counters and privacy, 12 settings and daily review load.
 * Applied by version order.
 *
 * Both stores read this one list: `sql` is the SQLite text (src/store/db.ts),
 * `postgres` the PostgreSQL text (src/store/postgres/migrate.ts) of the same change.
 * Where the SQLite text is already portable, `postgres` repeats it; where it is not
 * (FTS5, INTEGER PRIMARY KEY, rebuilding a table to widen a CHECK), `postgres` says
 * the same thing in PostgreSQL's words. Keep the two schemas equivalent: same
 * tables, columns, types as the stores read them (booleans stay INTEGER 0/1, times
 * stay TEXT ISO instants) and indexes. docs/postgres.md has the mapping.
 */
export interface Migration {
  version: number;
  name: string;
  /** SQLite. */
  sql: string;
  /**
   * PostgreSQL. Optional only so a migration can land before its PostgreSQL text is
   * written: the PostgreSQL migrator refuses to start while a pending migration lacks it.
   */
  postgres?: string;
}

export const migrations: Migration[] = [bank, practice, schedules, linkAttempts, followUps, interviews, readIndexes, dayStart, breaks, boards, settingsLoad];
