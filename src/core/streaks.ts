/**
 * Streaks: a day counts when the person answers at least one question, by the
 * calendar of their own time zone and day start. Pure functions over local
 * dates (`YYYY-MM-DD`), so storage and clocks stay outside.
 *
 * Excused days (a break, a day prepbot itself failed, an admin repair) neither
 * count nor break: they are skipped when counting missed days.
 */
import { addDays, daysBetween } from '../time/local-time.ts';

// Re-exported so existing callers keep their import; the helpers live in src/time/local-time.ts.
export { addDays, canonicalTimeZone, daysBetween, isValidTimeZone, localDate } from '../time/local-time.ts';

export interface StreakState {
  current: number;
  longest: number;
  /** Last local date with an answer, `YYYY-MM-DD`; null before the first answer. */
  lastDay: string | null;
  /** Freezes held; each covers one missed day automatically. */
  freezes: number;
}

/** Excused local dates, each with why (shown by /streak). */
export type ExcusedDays = ReadonlyMap<string, string>;

export const NO_EXCUSES: ExcusedDays = new Map();

export const EMPTY_STREAK: StreakState = { current: 0, longest: 0, lastDay: null, freezes: 0 };

/** A freeze is earned for every 7 consecutive counted days. */
export const FREEZE_EVERY_DAYS = 7;
export const MAX_FREEZES = 2;

/** Days strictly between `from` and `to` that were neither answered nor excused. */
export function missedDays(from: string, to: string, excused: ExcusedDays = NO_EXCUSES): number {
  const between = daysBetween(from, to) - 1;
  if (between <= 0) return 0;
  let excusedInside = 0;
  for (const d of excused.keys()) if (d > from && d < to) excusedInside++;
  return Math.max(0, between - excusedInside);
}

/**
 * The state after an answer on `day`. A second answer on the same day changes
 * nothing. A day that is not after the last one (the person moved to a zone
 * behind their old one) also changes nothing rather than breaking the streak.
 *
 * Freezes are spent when a missed day ends: one missed day is bridged by a
 * freeze when one is held (the frozen day keeps the streak alive but does not
 * add to it). Two or more missed days reset the streak, and the freeze that
 * covered the first of them stays spent, so what /streak showed on the day
 * after the miss ("0 freezes left") stays true.
 */
export function applyActivity(state: StreakState, day: string, excused: ExcusedDays = NO_EXCUSES): StreakState {
  if (state.lastDay !== null && daysBetween(state.lastDay, day) <= 0) return state;
  let { freezes } = state;
  let current: number;
  if (state.lastDay === null) {
    current = 1;
  } else {
    const missed = missedDays(state.lastDay, day, excused);
    if (missed === 0) {
      current = state.current + 1;
    } else {
      const bridged = freezes > 0;
      if (bridged) freezes -= 1;
      current = missed === 1 && bridged ? state.current + 1 : 1;
    }
  }
  if (current % FREEZE_EVERY_DAYS === 0) freezes = Math.min(MAX_FREEZES, freezes + 1);
  return { current, longest: Math.max(state.longest, current), lastDay: day, freezes };
}

/** Replays a set of active days (any order, duplicates allowed) from scratch: after merging two people or a repair. */
export function streakFromDays(days: Iterable<string>, excused: ExcusedDays = NO_EXCUSES): StreakState {
  return [...new Set(days)].sort().reduce((s, d) => applyActivity(s, d, excused), EMPTY_STREAK);
}

export interface StreakView {
  /** The streak as shown today: 0 once it has lapsed. */
  current: number;
  /** Freezes still held, counting one as spent as soon as the missed day it covers has ended. */
  freezes: number;
  /** The missed day a freeze is covering, if any. */
  frozenDay: string | null;
  /** Today ≤ the last counted date: another answer today adds nothing. */
  todayDone: boolean;
}

/**
 * The streak as people see it on `today`, computed as if the freeze for a
 * missed day had been spent when that day ended (the stored state is only
 * updated at the next answer). Still alive if no day since the last answer was
 * missed, or exactly one with a freeze to cover it.
 *
 * "Today is done" means today ≤ the last counted date: after moving west the
 * last counted date can be later than today's local date, and an answer then
 * would add nothing, so saying "not answered yet" would be a false promise.
 */
export function streakView(state: StreakState, today: string, excused: ExcusedDays = NO_EXCUSES): StreakView {
  if (state.lastDay === null) return { current: 0, freezes: state.freezes, frozenDay: null, todayDone: false };
  const todayDone = today <= state.lastDay;
  const missed = todayDone ? 0 : missedDays(state.lastDay, today, excused);
  if (missed === 0) return { current: state.current, freezes: state.freezes, frozenDay: null, todayDone };
  const freezes = Math.max(0, state.freezes - 1);
  if (missed === 1 && state.freezes > 0) {
    let frozenDay = addDays(state.lastDay, 1);
    while (excused.has(frozenDay)) frozenDay = addDays(frozenDay, 1);
    return { current: state.current, freezes, frozenDay, todayDone };
  }
  return { current: 0, freezes, frozenDay: null, todayDone };
}

/** The streak number shown today (see streakView). */
export function visibleStreak(state: StreakState, today: string, excused: ExcusedDays = NO_EXCUSES): number {
  return streakView(state, today, excused).current;
}
