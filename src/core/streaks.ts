/**
 * Streaks: a day counts when the person answers at least one question, by the
 * calendar of their own time zone. Pure functions over local dates
 * (`YYYY-MM-DD`), so storage and clocks stay outside.
 */

export interface StreakState {
  current: number;
  longest: number;
  /** Last local date with an answer, `YYYY-MM-DD`; null before the first answer. */
  lastDay: string | null;
  /** Freezes held; each covers one missed day automatically. */
  freezes: number;
}

export const EMPTY_STREAK: StreakState = { current: 0, longest: 0, lastDay: null, freezes: 0 };

/** A freeze is earned for every 7 consecutive counted days. */
export const FREEZE_EVERY_DAYS = 7;
export const MAX_FREEZES = 2;

/** Days between two local dates (b - a), calendar arithmetic without time zones. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The local date `days` after `date`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The state after an answer on `day`. A second answer on the same day changes
 * nothing. A day that is not after the last one (the person moved to a zone
 * behind their old one) also changes nothing rather than breaking the streak.
 * One missed day is bridged by a freeze when one is held; the frozen day keeps
 * the streak alive but does not add to it.
 */
export function applyActivity(state: StreakState, day: string): StreakState {
  if (state.lastDay !== null && daysBetween(state.lastDay, day) <= 0) return state;
  const gap = state.lastDay === null ? Infinity : daysBetween(state.lastDay, day);
  let { freezes } = state;
  let current: number;
  if (gap === 1) {
    current = state.current + 1;
  } else if (gap === 2 && freezes > 0) {
    freezes -= 1;
    current = state.current + 1;
  } else {
    current = 1;
  }
  if (current % FREEZE_EVERY_DAYS === 0) freezes = Math.min(MAX_FREEZES, freezes + 1);
  return { current, longest: Math.max(state.longest, current), lastDay: day, freezes };
}

/** Replays a set of active days (any order, duplicates allowed) from scratch: used after merging two people. */
export function streakFromDays(days: Iterable<string>): StreakState {
  return [...new Set(days)].sort().reduce(applyActivity, EMPTY_STREAK);
}

/**
 * The streak as people see it on `today`: still alive if the last active day
 * is today or yesterday, or the day before yesterday with a freeze to cover
 * yesterday; otherwise it has lapsed and shows 0 (the stored state is only
 * updated at the next answer).
 */
export function visibleStreak(state: StreakState, today: string): number {
  if (state.lastDay === null) return 0;
  const gap = daysBetween(state.lastDay, today);
  if (gap <= 1) return state.current;
  if (gap === 2 && state.freezes > 0) return state.current;
  return 0;
}

/** True when `zone` is an IANA time zone this runtime knows (e.g. `Europe/Berlin`). */
export function isValidTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The canonical spelling of a valid zone (`europe/berlin` → `Europe/Berlin`). */
export function canonicalTimeZone(zone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
}

/** The calendar date of `instant` in `zone`, as `YYYY-MM-DD`. */
export function localDate(instant: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}
