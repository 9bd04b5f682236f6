import { describe, expect, it } from 'vitest';
import { periodStart, rankLeaderboard, type LeaderboardEntry } from '../../../src/core/leaderboard.ts';

const e = (personId: string, streak: number, answers: number, firstAnswerAt = '2025-01-01T00:00:00Z'): LeaderboardEntry => ({
  personId,
  displayName: personId,
  streak,
  answers,
  firstAnswerAt,
});

describe('rankLeaderboard', () => {
  it('orders by streak first, answers second', () => {
    const ranked = rankLeaderboard([e('a', 1, 50), e('b', 3, 2), e('c', 3, 9)]);
    expect(ranked.map((r) => r.personId)).toEqual(['c', 'b', 'a']);
    expect(ranked.map((r) => r.rank)).toEqual([1, 2, 3]);
  });

  it('breaks full ties by first answer time, then id, and shares the rank', () => {
    const ranked = rankLeaderboard([
      e('z', 2, 5, '2025-01-03T00:00:00Z'),
      e('y', 2, 5, '2025-01-01T00:00:00Z'),
      e('x', 2, 5, '2025-01-03T00:00:00Z'),
      e('w', 1, 1),
    ]);
    expect(ranked.map((r) => r.personId)).toEqual(['y', 'x', 'z', 'w']);
    expect(ranked.map((r) => r.rank)).toEqual([1, 1, 1, 4]);
  });

  it('is stable under input order', () => {
    const entries = [e('a', 1, 1), e('b', 1, 1), e('c', 2, 0), e('d', 0, 7)];
    const forward = rankLeaderboard(entries).map((r) => r.personId);
    const backward = rankLeaderboard([...entries].reverse()).map((r) => r.personId);
    expect(backward).toEqual(forward);
  });
});

describe('periodStart', () => {
  it('is a rolling window for week and month, open for all', () => {
    const now = new Date('2025-02-01T12:00:00Z');
    expect(periodStart('week', now)?.toISOString()).toBe('2025-01-25T12:00:00.000Z');
    expect(periodStart('month', now)?.toISOString()).toBe('2025-01-02T12:00:00.000Z');
    expect(periodStart('all', now)).toBeUndefined();
  });
});
