import type { BoardQuery, LeaderboardRow } from './practice-types.ts';
import { calendarPeriodKey, localDateOf } from '../time/local-time.ts';

/**
 * The leaderboard counters' rules (table `board_counts`, migration 11), shared by
 * the SQLite and PostgreSQL stores so both count the same: which scopes an answer
 * counts in, its week and month keys, how two counts of one scope add up (an
 * answer onto a row, a /link merge), who is listed, and how a board row reads.
 *
 * Counted: answered attempts that were not given up, at the instant they were
 * answered. Week and month are calendar periods: the workspace's zone (else the
 * bot's default zone) for channel and workspace scopes, UTC for the global scope.
 */

/** Every zone's UTC offset is a whole number of quarter hours, so one local date per quarter hour is exact. */
const QUARTER_HOUR = 900_000;

export interface PeriodCounts {
  answers: number;
  firstAt: string | null;
  weekKey: string | null;
  weekAnswers: number;
  weekFirstAt: string | null;
  monthKey: string | null;
  monthAnswers: number;
  monthFirstAt: string | null;
}

/** A `board_counts` row's count columns, as both stores read them. */
export interface CountRow {
  answers: number;
  first_answer_at: string;
  week_key: string | null;
  week_answers: number;
  week_first_at: string | null;
  month_key: string | null;
  month_answers: number;
  month_first_at: string | null;
}

export const COUNT_COLUMNS = 'answers, first_answer_at, week_key, week_answers, week_first_at, month_key, month_answers, month_first_at';

const minAt = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a <= b ? a : b);

/** One period of two counts for the same scope: same key adds up; otherwise the later period is the one a board can still show. */
function combinePeriod(aKey: string | null, aN: number, aFirst: string | null, bKey: string | null, bN: number, bFirst: string | null) {
  if (aKey === null || (bKey !== null && bKey > aKey)) return { key: bKey, n: bN, first: bFirst };
  if (bKey === null || bKey < aKey) return { key: aKey, n: aN, first: aFirst };
  return { key: aKey, n: aN + bN, first: minAt(aFirst, bFirst) };
}

/** Two counts of one scope added together (an answer onto a row, or a merged person's row onto the other's). */
export function combineCounts(a: PeriodCounts, b: PeriodCounts): PeriodCounts {
  const week = combinePeriod(a.weekKey, a.weekAnswers, a.weekFirstAt, b.weekKey, b.weekAnswers, b.weekFirstAt);
  const month = combinePeriod(a.monthKey, a.monthAnswers, a.monthFirstAt, b.monthKey, b.monthAnswers, b.monthFirstAt);
  return {
    answers: a.answers + b.answers,
    firstAt: minAt(a.firstAt, b.firstAt),
    weekKey: week.key,
    weekAnswers: week.n,
    weekFirstAt: week.first,
    monthKey: month.key,
    monthAnswers: month.n,
    monthFirstAt: month.first,
  };
}

export const countsFromRow = (r: CountRow): PeriodCounts => ({
  answers: r.answers,
  firstAt: r.first_answer_at,
  weekKey: r.week_key,
  weekAnswers: r.week_answers,
  weekFirstAt: r.week_first_at,
  monthKey: r.month_key,
  monthAnswers: r.month_answers,
  monthFirstAt: r.month_first_at,
});

/** The row values in COUNT_COLUMNS order. */
export const countValues = (c: PeriodCounts): unknown[] => [
  c.answers,
  c.firstAt,
  c.weekKey,
  c.weekAnswers,
  c.weekFirstAt,
  c.monthKey,
  c.monthAnswers,
  c.monthFirstAt,
];

export function boardScopeKey(q: Pick<BoardQuery, 'scope' | 'conversationId' | 'workspaceKey'>): string {
  if (q.scope === 'channel') return `channel:${q.conversationId ?? ''}`;
  if (q.scope === 'workspace') return `workspace:${q.workspaceKey ?? ''}`;
  return 'global';
}

/** The columns each period reads; constants, never user input. */
export const PERIOD_COLUMNS = {
  all: { answers: 'bc.answers', first: 'bc.first_answer_at', key: null },
  week: { answers: 'bc.week_answers', first: 'bc.week_first_at', key: 'bc.week_key' },
  month: { answers: 'bc.month_answers', first: 'bc.month_first_at', key: 'bc.month_key' },
} as const;

/**
 * Boards with fewer listed members than this are ranked from their members (an
 * index range, then a sort of the few alive ones); larger ones by walking the
 * streak index from the longest down and keeping members. Counting up to
 * it reads at most this many index entries (~0.3 ms).
 */
export const SMALL_BOARD = 2000;

export interface PeriodKeys {
  week: string;
  month: string;
}

/** Week and month keys of an instant in a zone; the backfill asks for millions, so cached per quarter hour. */
export function periodKeyCache(): (at: string, zone: string) => PeriodKeys {
  const keyCache = new Map<string, PeriodKeys>();
  return (at, zone) => {
    const quarter = Math.floor(Date.parse(at) / QUARTER_HOUR);
    const cacheKey = `${zone}|${quarter}`;
    let keys = keyCache.get(cacheKey);
    if (!keys) {
      const date = localDateOf(new Date(quarter * QUARTER_HOUR), zone);
      keys = { week: calendarPeriodKey('week', date), month: calendarPeriodKey('month', date) };
      if (keyCache.size >= 100_000) keyCache.clear();
      keyCache.set(cacheKey, keys);
    }
    return keys;
  };
}

/** The three scopes an answer counts in, each with the counts of that one answer. */
export function answerScopes(
  periodKeys: (at: string, zone: string) => PeriodKeys,
  conversationId: string,
  workspaceId: string,
  workspaceZone: string,
  answeredAt: string,
): { scopeKey: string; counts: PeriodCounts }[] {
  const local = periodKeys(answeredAt, workspaceZone);
  const utc = periodKeys(answeredAt, 'UTC');
  const single = (k: PeriodKeys): PeriodCounts => ({
    answers: 1,
    firstAt: answeredAt,
    weekKey: k.week,
    weekAnswers: 1,
    weekFirstAt: answeredAt,
    monthKey: k.month,
    monthAnswers: 1,
    monthFirstAt: answeredAt,
  });
  return [
    { scopeKey: `channel:${conversationId}`, counts: single(local) },
    { scopeKey: `workspace:${workspaceId}`, counts: single(local) },
    { scopeKey: 'global', counts: single(utc) },
  ];
}

/** A person's `listed` values from their flags: hidden from every board, and on the global board only when opted in. */
export function listedFrom(flags: { boards_hidden: number; global_board: number } | undefined): { global: number; scoped: number } {
  const shown = flags ? flags.boards_hidden === 0 : true;
  return { global: shown && flags?.global_board === 1 ? 1 : 0, scoped: shown ? 1 : 0 };
}

/** The backfill reads only answers this long before the latest one: no current week or month starts earlier. */
export const BACKFILL_WINDOW_MS = 33 * 86_400_000;

export interface BoardRowSql {
  person_id: string;
  display_name: string;
  timezone: string | null;
  workspace_timezone: string | null;
  day_start_hour: number | null;
  workspace_day_start_hour: number | null;
  answers: number;
  first_answer_at: string;
  current: number | null;
  longest: number | null;
  last_day: string | null;
  freezes: number | null;
  listed: number;
}

export const toBoardRow = (r: BoardRowSql): LeaderboardRow => ({
  personId: r.person_id,
  displayName: r.display_name,
  timezone: r.timezone,
  workspaceTimezone: r.workspace_timezone,
  dayStartHour: r.day_start_hour,
  workspaceDayStartHour: r.workspace_day_start_hour,
  answers: r.answers,
  firstAnswerAt: r.first_answer_at,
  streak:
    r.current === null
      ? { current: 0, longest: 0, lastDay: null, freezes: 0 }
      : { current: r.current, longest: r.longest ?? 0, lastDay: r.last_day, freezes: r.freezes ?? 0 },
  listed: r.listed === 1,
});
