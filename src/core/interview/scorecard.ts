/**
 * A finished interview's scorecard, as pure functions over its items. An item
 * is 'answered', 'gave-up', 'skipped' or 'not-answered' (never shown, or shown
 * and left open when the session ended). Overall coverage averages every
 * planned question and every follow-up that was asked, with anything not
 * answered counting 0, so stopping early lowers it the way it would in a real
 * interview.
 */
import type { InterviewItem, InterviewSession } from '../../store/interview-types.ts';

export type ItemOutcome = 'answered' | 'gave-up' | 'skipped' | 'not-answered';

export interface ScoreRow {
  /** "2" for question 2, "2a" for its follow-up. */
  label: string;
  questionId: string;
  prompt: string;
  topics: string[];
  outcome: ItemOutcome;
  /** 0..1, null when not answered. */
  coverage: number | null;
  rating: string | null;
  /** Peer interviews: the interviewer's 1-4 score. */
  score: number | null;
  /** From being shown to being answered (or skipped); null when never shown or left open. */
  seconds: number | null;
}

export interface Scorecard {
  rows: ScoreRow[];
  answered: number;
  /** Questions the session ended before they were answered or skipped (time, stop). */
  notReached: number;
  overallCoverage: number;
  /** Topics by mean coverage, weakest first; only topics below full coverage. */
  weakest: { topic: string; coverage: number }[];
}

export function itemOutcome(item: InterviewItem): ItemOutcome {
  if (item.skippedAt !== null) return 'skipped';
  const a = item.attempt;
  if (!a || a.answeredAt === null) return 'not-answered';
  return a.gaveUp ? 'gave-up' : 'answered';
}

/** A peer interviewer's ticks, when they ticked, are the verdict; else the automatic grade. */
function coverageOf(item: InterviewItem, points: number): number {
  if (item.ticked !== null && points > 0) return item.ticked.filter((k) => k < points).length / points;
  return item.attempt?.coverage ?? 0;
}

export function itemSeconds(item: InterviewItem): number | null {
  const a = item.attempt;
  if (!a) return null;
  const end = a.answeredAt ?? item.skippedAt;
  return end === null ? null : Math.max(0, Math.round((Date.parse(end) - Date.parse(a.askedAt)) / 1000));
}

export function itemLabel(item: Pick<InterviewItem, 'number' | 'followUp'>): string {
  return item.followUp ? `${item.number}a` : String(item.number);
}

export function buildScorecard(
  session: InterviewSession,
  questionOf: (id: string) => { prompt: string; topics: readonly string[]; keyPoints?: readonly string[] } | undefined,
): Scorecard {
  const rows: ScoreRow[] = session.items.map((item) => {
    const q = questionOf(item.questionId);
    const outcome = itemOutcome(item);
    return {
      label: itemLabel(item),
      questionId: item.questionId,
      prompt: q?.prompt ?? '(question removed from the notes)',
      topics: [...(q?.topics ?? [])],
      outcome,
      coverage: outcome === 'answered' ? coverageOf(item, q?.keyPoints?.length ?? 0) : null,
      rating: item.attempt?.rating ?? null,
      score: item.score,
      seconds: itemSeconds(item),
    };
  });
  const value = (r: ScoreRow) => r.coverage ?? 0;
  const overallCoverage = rows.length === 0 ? 0 : rows.reduce((sum, r) => sum + value(r), 0) / rows.length;

  const byTopic = new Map<string, number[]>();
  for (const r of rows) for (const t of r.topics) byTopic.set(t, [...(byTopic.get(t) ?? []), value(r)]);
  const weakest = [...byTopic]
    .map(([topic, vs]) => ({ topic, coverage: vs.reduce((a, b) => a + b, 0) / vs.length }))
    .filter((t) => t.coverage < 1)
    .sort((a, b) => a.coverage - b.coverage || a.topic.localeCompare(b.topic));

  return {
    rows,
    answered: rows.filter((r) => r.outcome === 'answered').length,
    notReached: rows.filter((r) => r.outcome === 'not-answered').length,
    overallCoverage,
    weakest,
  };
}

/** Per topic, its coverage in each past session that touched it, oldest first. */
export function topicTrends(cards: readonly { startedAt: string; card: Scorecard }[]): Map<string, number[]> {
  const trends = new Map<string, number[]>();
  const ordered = [...cards].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  for (const { card } of ordered) {
    const perTopic = new Map<string, number[]>();
    for (const r of card.rows) for (const t of r.topics) perTopic.set(t, [...(perTopic.get(t) ?? []), r.coverage ?? 0]);
    for (const [t, vs] of perTopic) trends.set(t, [...(trends.get(t) ?? []), vs.reduce((a, b) => a + b, 0) / vs.length]);
  }
  return trends;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return s === 0 ? `${m} min` : `${m} min ${s} s`;
}
