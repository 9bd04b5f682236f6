import type { AttemptQueue, DueReview, ScheduledReview } from '../store/practice-types.ts';

/**
 * The daily review load, as pure functions (docs/practice.md, "Review load").
 *
 * - A review is due today when its due instant falls before the end of the
 *   person's practice day (day-granular, as in Anki: a card due at 18:00 is
 *   already due that morning).
 * - Caps count ratings per practice day: at most `reviewsPerDay` due reviews,
 *   and at most `newPerDay` new questions while reviews + new stay within
 *   `reviewsPerDay` (the review cap is the day's total, as in Anki's v3
 *   scheduler), so a backlog is worked off before new questions pile on more.
 * - Due reviews are served in order of relative overdueness: time overdue
 *   divided by the interval FSRS chose, largest first (the question most
 *   likely forgotten first; Anki's "relative overdueness" order, the one
 *   recommended for catching up). Ties: earlier due first, then question id.
 * - A backlog larger than today's room waits: each later day serves the next
 *   `reviewsPerDay` in the same order (spreadBacklog). Due dates are never
 *   rewritten; the order is recomputed from them each day, so it is
 *   deterministic and FSRS's history stays exactly as rated.
 */

const DAY_MS = 86_400_000;

export interface DailyCaps {
  reviewsPerDay: number;
  newPerDay: number;
}

/** Ratings given today to questions each queue served. */
export interface DoneToday {
  review: number;
  new: number;
}

/** Time overdue at `dayEnd` over the interval (at least a day), as a number to sort by. */
export function relativeOverdueness(review: ScheduledReview, dayEnd: Date): number {
  const due = Date.parse(review.dueAt);
  const interval = Math.max(DAY_MS, due - Date.parse(review.reviewedAt));
  return (dayEnd.getTime() - due) / interval;
}

/** Due reviews in serving order: most overdue relative to their interval first. */
export function orderDue(due: readonly ScheduledReview[], dayEnd: Date): ScheduledReview[] {
  const keyed = due.map((r) => ({ r, k: relativeOverdueness(r, dayEnd) }));
  keyed.sort((a, b) => b.k - a.k || a.r.dueAt.localeCompare(b.r.dueAt) || a.r.questionId.localeCompare(b.r.questionId));
  return keyed.map((x) => x.r);
}

/** How many reviews and new questions today still has room for. */
export function dailyRoom(
  caps: DailyCaps,
  done: DoneToday,
  waiting: { reviews: number; fresh: number },
): { reviewsLeft: number; newLeft: number } {
  const reviewsLeft = Math.max(0, Math.min(caps.reviewsPerDay - done.review, waiting.reviews));
  const totalRoom = caps.reviewsPerDay - done.review - done.new - reviewsLeft;
  const newLeft = Math.max(0, Math.min(caps.newPerDay - done.new, totalRoom, waiting.fresh));
  return { reviewsLeft, newLeft };
}

/**
 * A backlog of `due` reviews over the coming days: today takes `leftToday`,
 * every later day `perDay`. [50, 50, 20] for 120 due at 50 a day. Assumes no
 * new reviews fall due meanwhile (those queue behind by the same order).
 */
export function spreadBacklog(due: number, leftToday: number, perDay: number): number[] {
  const days: number[] = [Math.min(due, Math.max(0, leftToday))];
  let rest = due - days[0]!;
  if (perDay <= 0) return rest > 0 ? [...days, rest] : days;
  while (rest > 0) {
    days.push(Math.min(rest, perDay));
    rest -= perDay;
  }
  return days;
}

export interface DailyQueueInput {
  caps: DailyCaps;
  done: DoneToday;
  /** The person's reviews of servable questions (any due date). */
  reviews: readonly ScheduledReview[];
  /** End of today's practice day: reviews due before it are due today. */
  dayEnd: Date;
  /** Servable questions, in bank order. */
  candidates: readonly string[];
  /** Questions the person was ever asked or reviewed. */
  seen: ReadonlySet<string>;
  /** Never served twice in a row. */
  lastQuestionId?: string;
}

export interface DailyQueue {
  pick?: { questionId: string; queue: Extract<AttemptQueue, 'review' | 'new'> };
  /** Room left today, before the pick. */
  reviewsLeft: number;
  newLeft: number;
  /** Reviews due today in all, and those of them that wait for later days. */
  dueToday: number;
  backlog: number;
  /** Questions without a review schedule yet (never asked first, then asked but never rated). */
  fresh: number;
}

/** The next question from the daily queue: due reviews (within the cap), then new questions (within the cap). */
export function nextFromDailyQueue(input: DailyQueueInput): DailyQueue {
  const inBank = new Set(input.candidates);
  const dayEndIso = input.dayEnd.toISOString();
  const scheduled = new Set<string>();
  const dueToday: ScheduledReview[] = [];
  for (const r of input.reviews) {
    if (!inBank.has(r.questionId)) continue;
    scheduled.add(r.questionId);
    if (r.dueAt < dayEndIso) dueToday.push(r);
  }
  const ordered = orderDue(dueToday, input.dayEnd);
  const unscheduled = input.candidates.filter((id) => !scheduled.has(id));
  const fresh = [...unscheduled.filter((id) => !input.seen.has(id)), ...unscheduled.filter((id) => input.seen.has(id))];
  const { reviewsLeft, newLeft } = dailyRoom(input.caps, input.done, { reviews: ordered.length, fresh: fresh.length });
  const base = { reviewsLeft, newLeft, dueToday: ordered.length, backlog: Math.max(0, ordered.length - reviewsLeft), fresh: fresh.length };
  const notLast = (id: string) => id !== input.lastQuestionId;
  // Only the first `reviewsLeft` in order belong to today; the rest are the backlog's later days.
  const review = reviewsLeft > 0 ? ordered.slice(0, reviewsLeft).find((r) => notLast(r.questionId)) : undefined;
  if (review) return { ...base, pick: { questionId: review.questionId, queue: 'review' } };
  const next = newLeft > 0 ? fresh.find(notLast) : undefined;
  if (next) return { ...base, pick: { questionId: next, queue: 'new' } };
  return base;
}

/**
 * Extra practice, which never changes a schedule: questions whose review
 * comes soonest (overdue ones first), then questions without a schedule;
 * questions answered today only when nothing else is left.
 */
export function nextExtra(input: {
  candidates: readonly string[];
  reviews: readonly DueReview[];
  seen: ReadonlySet<string>;
  answeredToday: ReadonlySet<string>;
  lastQuestionId?: string;
}): string | undefined {
  const inBank = new Set(input.candidates);
  const byDue = input.reviews.filter((r) => inBank.has(r.questionId)).sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.questionId.localeCompare(b.questionId));
  const scheduled = new Set(byDue.map((r) => r.questionId));
  const unscheduled = input.candidates.filter((id) => !scheduled.has(id));
  const order = [
    ...byDue.map((r) => r.questionId),
    ...unscheduled.filter((id) => !input.seen.has(id)),
    ...unscheduled.filter((id) => input.seen.has(id)),
  ].filter((id) => id !== input.lastQuestionId);
  return order.find((id) => !input.answeredToday.has(id)) ?? order[0];
}
