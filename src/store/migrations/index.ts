import { migration as bank } from './001-bank.ts';
import { migration as practice } from './002-practice.ts';
import { migration as schedules } from './003-schedules.ts';
import { migration as linkAttempts } from './004-link-attempts.ts';
import { migration as readIndexes } from './007-read-indexes.ts';

/**
 * Versioned schema migrations, applied in order at start. Each lives in its own
 * module (`NNN-name.ts` exporting `migration`); never edit one that has shipped,
 * add the next number instead.
 *
 * Numbers reserved: 1 bank, 2 practice (people, answers, reviews, streaks),
 * 3 schedules, 4 link attempts, 5 and 6 taken by work in progress, 7 read indexes
 * (leaderboard, stats), 8+ next. Applied by version order, so a later-merged 5 or 6
 * still runs on a database that already has 7.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [bank, practice, schedules, linkAttempts, readIndexes];
