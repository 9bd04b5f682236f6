import { migration as bank } from './001-bank.ts';
import { migration as practice } from './002-practice.ts';
import { migration as schedules } from './003-schedules.ts';
import { migration as linkAttempts } from './004-link-attempts.ts';
import { migration as followUps } from './005-follow-ups.ts';
import { migration as interviews } from './006-interviews.ts';
import { migration as readIndexes } from './007-read-indexes.ts';
import { migration as dayStart } from './009-day-start.ts';
import { migration as boards } from './011-boards.ts';

/**
 * Versioned schema migrations, applied in order at start. Each lives in its own
 * module (`NNN-name.ts` exporting `migration`); never edit one that has shipped,
 * add the next number instead.
 *
 * Numbers reserved: 1 bank, 2 practice (people, answers, reviews, streaks),
 * 3 schedules, 4 link attempts, 5 follow-ups, 6 interviews (rebuilds attempts),
 * 7 read indexes (leaderboard, stats), 8 taken, 9 day start, 10 practice over months, 11 boards
 * (leaderboard counters, board privacy).
 * Applied by version order.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [bank, practice, schedules, linkAttempts, followUps, interviews, readIndexes, dayStart, boards];
