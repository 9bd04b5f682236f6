/** Leaderboard ordering: pure, so every store and every platform ranks the same way. */

export type LeaderboardScope = 'channel' | 'workspace' | 'global';
export type LeaderboardPeriod = 'week' | 'month' | 'all';

export interface LeaderboardEntry {
  personId: string;
  displayName: string;
  /** The streak as shown today in the person's own zone (see visibleStreak). */
  streak: number;
  /** Answers in the scope and period. */
  answers: number;
  /** First answer in the scope and period (ISO instant): earlier wins a full tie. */
  firstAnswerAt: string;
}

export interface RankedEntry extends LeaderboardEntry {
  /** 1-based; entries tied on streak and answers share a rank ("1, 1, 3"). */
  rank: number;
}

/** By current streak, then answers in the period; ties are listed by who answered first, then by id. */
export function rankLeaderboard(entries: readonly LeaderboardEntry[]): RankedEntry[] {
  const sorted = [...entries].sort(
    (a, b) =>
      b.streak - a.streak ||
      b.answers - a.answers ||
      a.firstAnswerAt.localeCompare(b.firstAnswerAt) ||
      a.personId.localeCompare(b.personId),
  );
  let rank = 0;
  return sorted.map((e, i) => {
    const prev = sorted[i - 1];
    if (!prev || prev.streak !== e.streak || prev.answers !== e.answers) rank = i + 1;
    return { ...e, rank };
  });
}

const DAY_MS = 86_400_000;

/**
 * Start of a period as an instant. Week and month are rolling windows (last 7
 * and 30 days) so a board means the same thing to people in different zones.
 */
export function periodStart(period: LeaderboardPeriod, now: Date): Date | undefined {
  if (period === 'week') return new Date(now.getTime() - 7 * DAY_MS);
  if (period === 'month') return new Date(now.getTime() - 30 * DAY_MS);
  return undefined;
}
