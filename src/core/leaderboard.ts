/** Leaderboard ordering: pure, so every store and every platform ranks the same way. */
import { addDays, calendarPeriodOf } from '../time/local-time.ts';

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

const HOUR_MS = 3_600_000;

/**
 * The earliest `last_day` whose streak can still be shown today for anyone:
 * a streak is visible while today ≤ last_day + 1, or + 2 with a freeze, and
 * nobody's practice day is earlier than the UTC date 36 hours ago (zones go
 * down to UTC−12, day starts up to 23:00). The store narrows candidates with
 * it; the exact view is visibleStreak per person. Excused days keep a streak
 * alive longer: `excusedDays` widens the window by as many (a break's longest,
 * BREAK_MAX_DAYS; a longer outage of prepbot itself is not widened for).
 */
export function aliveSince(now: Date, excusedDays = 0): string {
  return addDays(new Date(now.getTime() - 36 * HOUR_MS).toISOString().slice(0, 10), -2 - excusedDays);
}

/** A board's two bounded reads (see PracticeRepository.leaderboardByStreak / ByAnswers). */
export interface BoardSource<R extends Omit<LeaderboardEntry, 'streak'>> {
  byStreak(limit: number): Promise<R[]>;
  byAnswers(limit: number): Promise<R[]>;
}

/**
 * The exact top `n` of a board, equal to ranking every member with
 * rankLeaderboard, from reads bounded by n:
 *
 * 1. Candidates by stored streak (only streaks that may still be alive), best
 *    first. A candidate's visible streak is its stored one or 0, so those still
 *    alive keep the candidates' order, and every alive member not yet read
 *    ranks after them: once n are alive, they are the top n. Too few alive in a
 *    full page: read a longer page.
 * 2. Fewer than n alive in all: the rest are members showing 0, by answers,
 *    which is the answers order without the alive ones.
 */
export async function topOfBoard<R extends Omit<LeaderboardEntry, 'streak'>>(
  source: BoardSource<R>,
  n: number,
  visible: (row: R) => number,
): Promise<(RankedEntry & { row: R })[]> {
  const withStreak = (row: R) => ({ ...row, streak: visible(row), row });
  let limit = Math.max(2 * n, 20);
  let alive: ReturnType<typeof withStreak>[];
  for (;;) {
    const page = await source.byStreak(limit);
    alive = page.map(withStreak).filter((e) => e.streak > 0);
    if (alive.length >= n || page.length < limit) break;
    limit *= 4;
  }
  let entries = alive.slice(0, n);
  if (entries.length < n) {
    const taken = new Set(entries.map((e) => e.personId));
    const rest = (await source.byAnswers(n + entries.length)).filter((r) => !taken.has(r.personId)).map(withStreak);
    entries = [...entries, ...rest.slice(0, n - entries.length)];
  }
  // A prefix of the full order: the ranks it gets are the ranks on the full board.
  return rankLeaderboard(entries) as (RankedEntry & { row: R })[];
}

/**
 * Week and month are calendar periods on a zone's wall clock: the week from
 * Monday 00:00, the month from the 1st 00:00 (the workspace's zone for channel
 * and workspace boards, UTC for the global board). Undefined for all time.
 */
export function boardPeriod(period: LeaderboardPeriod, now: Date, zone: string): { key: string; start: Date } | undefined {
  return period === 'all' ? undefined : calendarPeriodOf(period, now, zone);
}
