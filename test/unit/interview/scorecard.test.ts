import { describe, expect, it } from 'vitest';
import { buildScorecard, formatDuration, topicTrends } from '../../../src/core/interview/scorecard.ts';
import type { InterviewItem, InterviewSession } from '../../../src/store/interview-types.ts';
import type { AttemptRecord } from '../../../src/store/practice-types.ts';

const attempt = (over: Partial<AttemptRecord>): AttemptRecord => ({
  id: '1',
  personId: 'p',
  questionId: 'q',
  conversationId: 'c',
  workspaceKey: 'w',
  source: 'interview',
  askedAt: '2025-03-10T09:00:00.000Z',
  answeredAt: null,
  answerText: null,
  coverage: null,
  coverageJson: null,
  gaveUp: false,
  rating: null,
  ratedAt: null,
  ...over,
});

const item = (number: number, questionId: string, over: Partial<InterviewItem> = {}): InterviewItem => ({
  number,
  followUp: false,
  questionId,
  attempt: null,
  skippedAt: null,
  ticked: null,
  score: null,
  note: null,
  ...over,
});

const questions: Record<string, { prompt: string; topics: string[]; keyPoints: string[] }> = {
  a: { prompt: 'A?', topics: ['go'], keyPoints: ['x', 'y'] },
  b: { prompt: 'B?', topics: ['os'], keyPoints: ['x', 'y', 'z', 'w'] },
  c: { prompt: 'C?', topics: ['go'], keyPoints: [] },
  d: { prompt: 'D?', topics: ['db'], keyPoints: [] },
};

function session(items: InterviewItem[]): InterviewSession {
  return { interview: { questionCount: items.filter((i) => !i.followUp).length } as InterviewSession['interview'], items };
}

describe('buildScorecard', () => {
  const card = buildScorecard(
    session([
      item(1, 'a', { attempt: attempt({ answeredAt: '2025-03-10T09:01:30.000Z', coverage: 0.5, rating: 'good', ratedAt: 'x' }) }),
      item(1, 'c', { followUp: true, attempt: attempt({ answeredAt: '2025-03-10T09:02:00.000Z', gaveUp: true }) }),
      item(2, 'b', { attempt: attempt({ answeredAt: '2025-03-10T09:05:00.000Z', coverage: 0.25 }), ticked: [0, 1, 2] }),
      item(3, 'd', { attempt: attempt({}), skippedAt: '2025-03-10T09:06:00.000Z' }),
      item(4, 'a', { attempt: attempt({}) }),
      item(5, 'b'),
    ]),
    (id) => questions[id],
  );

  it('gives each item its outcome, coverage, rating and time', () => {
    expect(card.rows.map((r) => [r.label, r.outcome, r.coverage, r.seconds])).toEqual([
      ['1', 'answered', 0.5, 90],
      ['1a', 'gave-up', null, 120],
      // A peer interviewer's ticks (3 of 4) override the automatic 25%.
      ['2', 'answered', 0.75, 300],
      ['3', 'skipped', null, 360],
      ['4', 'not-answered', null, null],
      ['5', 'not-answered', null, null],
    ]);
    expect(card.rows[0]!.rating).toBe('good');
  });

  it('averages coverage over every item, counting anything unanswered as 0', () => {
    expect(card.overallCoverage).toBeCloseTo((0.5 + 0.75) / 6);
    expect(card.answered).toBe(2);
    expect(card.notReached).toBe(2);
  });

  it('lists the weakest topics first', () => {
    expect(card.weakest.map((w) => w.topic)).toEqual(['db', 'go', 'os']);
    expect(card.weakest[1]!.coverage).toBeCloseTo(0.5 / 3);
  });

  it('an empty interview has coverage 0 and nothing weak', () => {
    const empty = buildScorecard(session([]), () => undefined);
    expect(empty).toMatchObject({ overallCoverage: 0, answered: 0, notReached: 0, weakest: [] });
  });
});

describe('topicTrends', () => {
  it('orders sessions oldest first per topic', () => {
    const mk = (coverage: number) =>
      buildScorecard(session([item(1, 'a', { attempt: attempt({ answeredAt: '2025-03-10T09:01:00.000Z', coverage }) })]), (id) => questions[id]);
    const trends = topicTrends([
      { startedAt: '2025-03-12T00:00:00Z', card: mk(0.9) },
      { startedAt: '2025-03-10T00:00:00Z', card: mk(0.1) },
    ]);
    expect(trends.get('go')).toEqual([0.1, 0.9]);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [59, '59 s'],
    [60, '1 min'],
    [95, '1 min 35 s'],
  ])('%i s → %s', (s, out) => expect(formatDuration(s)).toBe(out));
});
