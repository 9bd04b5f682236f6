import type { BoardQuery, LeaderboardRow } from '../store/practice-types.ts';
import { BREAK_MAX_DAYS } from './breaks.ts';
import { excusesFor, type PersonExcuses } from './excuses.ts';
import { aliveSince, topOfBoard } from './leaderboard.ts';
import type { BotServices } from './module.ts';
import { visibleStreak } from './streaks.ts';

/**
 * What `/leaderboard` reads (and what bench:leaderboard measures): the exact
 * top `size` of a board by the streak `/streak` shows, excused days included.
 * The board's SQL knows nothing of breaks and excused days, so each page of
 * candidates brings its people's excuses (one batched read), and the candidate
 * window reaches back by the longest break, whose days keep a streak alive.
 */
export async function readBoard(s: Pick<BotServices, 'practice' | 'dayOf'>, query: BoardQuery, now: Date, size: number) {
  const excuses = new Map<string, PersonExcuses>();
  const withExcuses = async (rows: LeaderboardRow[]) => {
    for (const [id, e] of await excusesFor(s, rows.filter((r) => !excuses.has(r.personId)))) excuses.set(id, e);
    return rows;
  };
  const visible = (r: LeaderboardRow) => visibleStreak(r.streak, s.dayOf(r, now), excuses.get(r.personId)?.excused);
  const since = aliveSince(now, BREAK_MAX_DAYS);
  const top = await topOfBoard(
    {
      byStreak: async (limit) => withExcuses(await s.practice.leaderboardByStreak(query, { aliveSince: since, limit })),
      byAnswers: async (limit) => withExcuses(await s.practice.leaderboardByAnswers(query, limit)),
    },
    size,
    visible,
  );
  /** One more person's row (the asker's own line), with their excuses. */
  const entry = async (personId: string) => {
    const row = await s.practice.boardEntry(query, personId);
    if (row) await withExcuses([row]);
    return row;
  };
  return { top, visible, excuses, entry };
}
