/**
 * Which question to serve next, as a pure function. Order: reviews that are
 * due (most overdue first), then questions never seen (in bank order), then
 * seen ones whose review comes soonest, then anything else; never the
 * question served last.
 */
export interface SelectionInput {
  /** Servable candidate ids in bank order (already filtered by topic). */
  candidates: readonly string[];
  /** The person's reviews, soonest due first. */
  reviews: readonly { questionId: string; dueAt: string }[];
  /** Questions the person was ever asked or reviewed. */
  seen: ReadonlySet<string>;
  lastQuestionId?: string;
  now: Date;
}

export type Selection = { questionId: string; reason: 'due' | 'new' | 'review-early' | 'repeat' } | undefined;

export function selectQuestion(input: SelectionInput): Selection {
  const pool = input.candidates.filter((id) => id !== input.lastQuestionId);
  if (pool.length === 0) return undefined;
  const inPool = new Set(pool);
  const nowIso = input.now.toISOString();
  const reviews = input.reviews.filter((r) => inPool.has(r.questionId));
  const due = reviews.find((r) => r.dueAt <= nowIso);
  if (due) return { questionId: due.questionId, reason: 'due' };
  const fresh = pool.find((id) => !input.seen.has(id));
  if (fresh) return { questionId: fresh, reason: 'new' };
  // Asked but never rated: no review row, so it has no due date; serve those before early reviews.
  const reviewed = new Set(reviews.map((r) => r.questionId));
  const unrated = pool.find((id) => !reviewed.has(id));
  if (unrated) return { questionId: unrated, reason: 'repeat' };
  const soonest = reviews[0];
  return soonest ? { questionId: soonest.questionId, reason: 'review-early' } : undefined;
}
