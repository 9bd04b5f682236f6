import { describe, expect, it } from 'vitest';
import { aliveSince, boardPeriod, rankLeaderboard, type LeaderboardEntry } from '../../../src/core/leaderboard.ts';

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

describe('boardPeriod', () => {
  it('is the calendar week from Monday 00:00 and the calendar month from the 1st, in the zone; open for all', () => {
    const now = new Date('2025-02-01T12:00:00Z'); // a Saturday
    expect(boardPeriod('week', now, 'UTC')).toEqual({ key: 'week:2025-01-27', start: new Date('2025-01-27T00:00:00Z') });
    expect(boardPeriod('month', now, 'UTC')).toEqual({ key: 'month:2025-02', start: new Date('2025-02-01T00:00:00Z') });
    expect(boardPeriod('all', now, 'UTC')).toBeUndefined();
    // Monday 00:30 in Tokyo is still Sunday in Los Angeles.
    const mondayTokyo = new Date('2025-01-26T15:30:00Z');
    expect(boardPeriod('week', mondayTokyo, 'Asia/Tokyo')).toEqual({ key: 'week:2025-01-27', start: new Date('2025-01-26T15:00:00Z') });
    expect(boardPeriod('week', mondayTokyo, 'America/Los_Angeles')).toEqual({ key: 'week:2025-01-20', start: new Date('2025-01-20T08:00:00Z') });
    // The month starts at local midnight on the 1st, across a DST change (Berlin in March is UTC+1).
    expect(boardPeriod('month', new Date('2025-03-31T23:00:00Z'), 'Europe/Berlin')).toEqual({ key: 'month:2025-04', start: new Date('2025-03-31T22:00:00Z') });
  });
});

describe('aliveSince', () => {
  it('reaches back far enough for the westernmost zone with the latest day start and a freeze', () => {
    // 12:00Z is 00:00 on the 1st at UTC-12; with a 23:00 day start that still counts as the 31st, and a freeze keeps a streak last counted on the 29th.
    expect(aliveSince(new Date('2025-02-01T12:00:00Z'))).toBe('2025-01-29');
  });
});
