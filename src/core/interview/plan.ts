/**
 * Which questions a mock interview asks, as a pure function: due reviews
 * first (most overdue first), then questions never seen, then the rest, and
 * spread over sub-topics so five questions do not all come from one heading.
 *
 * A question's sub-topic is the set of its other topics (under "concurrency",
 * [concurrency, go] and [concurrency, os] differ), else its notes file. The
 * plan takes one question per sub-topic in turn, each time from the sub-topic
 * whose best question ranks highest, so priority still wins within a round.
 */
export interface PlanCandidate {
  id: string;
  file: string;
  topics: readonly string[];
}

export interface PlanInput {
  /** Askable questions in bank order, already filtered by topic. */
  candidates: readonly PlanCandidate[];
  /** The person's reviews, soonest due first. */
  reviews: readonly { questionId: string; dueAt: string }[];
  seen: ReadonlySet<string>;
  /** The topic asked for, left out of sub-topic keys. */
  topic?: string;
  count: number;
  now: Date;
}

export function subTopicOf(c: PlanCandidate, topic: string | undefined): string {
  const others = c.topics.filter((t) => t !== topic);
  return others.length > 0 ? [...others].sort().join('+') : `file:${c.file}`;
}

export function planInterview(input: PlanInput): string[] {
  const nowIso = input.now.toISOString();
  const due = new Map<string, number>();
  const reviewed = new Map<string, number>();
  input.reviews.forEach((r, k) => (r.dueAt <= nowIso ? due : reviewed).set(r.questionId, k));

  // Lower rank = ask sooner: due (most overdue first), new (bank order), reviewed later (soonest due first).
  const n = input.candidates.length;
  const rank = (c: PlanCandidate, k: number): number => {
    const d = due.get(c.id);
    if (d !== undefined) return d;
    if (!input.seen.has(c.id)) return n + k;
    const r = reviewed.get(c.id);
    return 2 * n + (r ?? n) + k / (n + 1);
  };

  const groups = new Map<string, { rank: number; id: string }[]>();
  input.candidates.forEach((c, k) => {
    const key = subTopicOf(c, input.topic);
    const list = groups.get(key) ?? [];
    list.push({ rank: rank(c, k), id: c.id });
    groups.set(key, list);
  });
  const queues = [...groups.values()].map((g) => g.sort((a, b) => a.rank - b.rank));

  const plan: string[] = [];
  while (plan.length < input.count) {
    const live = queues.filter((q) => q.length > 0).sort((a, b) => a[0]!.rank - b[0]!.rank);
    if (live.length === 0) break;
    for (const q of live) {
      if (plan.length >= input.count) break;
      plan.push(q.shift()!.id);
    }
  }
  return plan;
}
