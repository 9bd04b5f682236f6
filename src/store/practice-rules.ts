/**
 * The practice store's rules beyond SQL, shared by the SQLite and PostgreSQL
 * stores: row mapping, which attempt ids exist, and when an answer steps the
 * streak. Pure: no database, no clock.
 */
import type { AttemptQueue, AttemptRecord, AttemptSource, PersonRef, RecordAnswerInput, StreakRecord } from './practice-types.ts';

export interface AttemptRow {
  id: number;
  person_id: string;
  question_id: string;
  conversation_id: string;
  workspace_id: string;
  source: AttemptSource;
  asked_at: string;
  answered_at: string | null;
  answer_text: string | null;
  coverage: number | null;
  coverage_json: string | null;
  gave_up: number;
  rating: string | null;
  rated_at: string | null;
  queue: AttemptQueue | null;
}

export interface StreakRow {
  current: number;
  longest: number;
  last_day: string | null;
  freezes: number;
}

export const EMPTY_STREAK: StreakRecord = { current: 0, longest: 0, lastDay: null, freezes: 0 };

export function toAttempt(r: AttemptRow): AttemptRecord {
  return {
    id: String(r.id),
    personId: r.person_id,
    questionId: r.question_id,
    conversationId: r.conversation_id,
    workspaceKey: r.workspace_id,
    source: r.source,
    askedAt: r.asked_at,
    answeredAt: r.answered_at,
    answerText: r.answer_text,
    coverage: r.coverage,
    coverageJson: r.coverage_json,
    gaveUp: r.gave_up === 1,
    rating: r.rating,
    ratedAt: r.rated_at,
    ...(r.queue ? { queue: r.queue } : {}),
  };
}

export function toStreak(r: StreakRow | undefined): StreakRecord {
  return r ? { current: r.current, longest: r.longest, lastDay: r.last_day, freezes: r.freezes } : { ...EMPTY_STREAK };
}

/** Attempt ids travel through buttons as text; anything that is not a positive integer is simply unknown. */
export function attemptKey(id: string): number | undefined {
  return /^[1-9]\d{0,15}$/.test(id) ? Number(id) : undefined;
}

/**
 * The streak after a counted answer or activity day. `newDay` only when the
 * streak moved: a date already counted (`inserted` false), or one not after the
 * last counted one (the person moved west), is kept as an active day but adds
 * nothing, so the reveal does not announce it. `write` says whether to store it.
 */
export function stepStreak(
  inserted: boolean,
  before: StreakRecord,
  localDate: string,
  step: RecordAnswerInput['applyActivity'],
): { streak: StreakRecord; newDay: boolean } {
  if (!inserted) return { streak: before, newDay: false };
  const streak = step(before, localDate);
  if (streak.lastDay === before.lastDay) return { streak: before, newDay: false };
  return { streak, newDay: true };
}

/** A stored review card; a corrupt one restarts scheduling rather than blocking the person. */
export function parseCard(stored: string | undefined): unknown {
  if (stored === undefined) return undefined;
  try {
    return JSON.parse(stored);
  } catch {
    return undefined;
  }
}

export interface AccountJoin {
  account_id: string;
  person_id: string;
  display_name: string;
  timezone: string | null;
  workspace_timezone: string | null;
  day_start_hour: number | null;
  workspace_day_start_hour: number | null;
  boards_hidden: number;
  global_board: number;
}

export function toPerson(r: AccountJoin): PersonRef {
  return {
    personId: r.person_id,
    accountId: r.account_id,
    displayName: r.display_name,
    timezone: r.timezone,
    workspaceTimezone: r.workspace_timezone,
    dayStartHour: r.day_start_hour,
    workspaceDayStartHour: r.workspace_day_start_hour,
    boardsHidden: r.boards_hidden === 1,
    globalBoard: r.global_board === 1,
  };
}
