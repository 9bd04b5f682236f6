import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  applyActivity,
  EMPTY_STREAK,
  isValidTimeZone,
  canonicalTimeZone,
  localDate,
  streakFromDays,
  visibleStreak,
  type StreakState,
} from '../../../src/core/streaks.ts';

const days = (start: string, offsets: number[]) => offsets.map((o) => addDays(start, o));

describe('applyActivity', () => {
  it('starts at 1 and counts consecutive days', () => {
    const s = streakFromDays(days('2025-01-01', [0, 1, 2]));
    expect(s).toMatchObject({ current: 3, longest: 3, lastDay: '2025-01-03', freezes: 0 });
  });

  it('ignores a second answer on the same day', () => {
    const once = applyActivity(EMPTY_STREAK, '2025-01-01');
    expect(applyActivity(once, '2025-01-01')).toEqual(once);
  });

  it('resets after a missed day when no freeze is held, keeping longest', () => {
    const s = streakFromDays(days('2025-01-01', [0, 1, 2, 4]));
    expect(s.current).toBe(1);
    expect(s.longest).toBe(3);
  });

  it('earns one freeze per 7-day run, at most 2 held', () => {
    expect(streakFromDays(days('2025-01-01', [0, 1, 2, 3, 4, 5])).freezes).toBe(0);
    expect(streakFromDays(days('2025-01-01', [0, 1, 2, 3, 4, 5, 6])).freezes).toBe(1);
    const offsets = Array.from({ length: 28 }, (_, i) => i);
    expect(streakFromDays(days('2025-01-01', offsets)).freezes).toBe(2);
  });

  it('spends a freeze on a single missed day and keeps the streak going', () => {
    const week = streakFromDays(days('2025-01-01', [0, 1, 2, 3, 4, 5, 6]));
    const after = applyActivity(week, addDays('2025-01-07', 2));
    expect(after.current).toBe(8);
    expect(after.freezes).toBe(0);
  });

  it('does not bridge two missed days even with freezes; the freeze spent on the first missed day stays spent', () => {
    // Rule change (issue 14a): a freeze is spent when the missed day ends, so it is gone even if the next day lapses too.
    const s: StreakState = { current: 10, longest: 10, lastDay: '2025-01-10', freezes: 2 };
    expect(applyActivity(s, '2025-01-13')).toMatchObject({ current: 1, longest: 10, freezes: 1 });
  });

  it('does not break the streak when a zone change makes today look earlier', () => {
    const s: StreakState = { current: 4, longest: 4, lastDay: '2025-01-10', freezes: 0 };
    expect(applyActivity(s, '2025-01-09')).toEqual(s);
  });

  it('keeps longest >= current and freezes within 0..2 for any activity pattern', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 40 }), (offsets) => {
        const s = streakFromDays(days('2025-01-01', offsets));
        expect(s.longest).toBeGreaterThanOrEqual(s.current);
        expect(s.freezes).toBeGreaterThanOrEqual(0);
        expect(s.freezes).toBeLessThanOrEqual(2);
        if (offsets.length > 0) expect(s.current).toBeGreaterThanOrEqual(1);
      }),
    );
  });
});

describe('visibleStreak', () => {
  const s: StreakState = { current: 5, longest: 5, lastDay: '2025-01-10', freezes: 0 };
  it('shows the streak on the day and the day after', () => {
    expect(visibleStreak(s, '2025-01-10')).toBe(5);
    expect(visibleStreak(s, '2025-01-11')).toBe(5);
  });
  it('shows 0 once a day was missed without a freeze', () => {
    expect(visibleStreak(s, '2025-01-12')).toBe(0);
  });
  it('a held freeze keeps it visible one more day', () => {
    expect(visibleStreak({ ...s, freezes: 1 }, '2025-01-12')).toBe(5);
    expect(visibleStreak({ ...s, freezes: 1 }, '2025-01-13')).toBe(0);
  });
  it('is 0 before any answer', () => {
    expect(visibleStreak(EMPTY_STREAK, '2025-01-10')).toBe(0);
  });
});

describe('localDate', () => {
  it('gives the calendar date in the zone, not in UTC', () => {
    const instant = new Date('2025-01-10T23:30:00Z');
    expect(localDate(instant, 'UTC')).toBe('2025-01-10');
    expect(localDate(instant, 'Asia/Kolkata')).toBe('2025-01-11');
    expect(localDate(instant, 'America/Los_Angeles')).toBe('2025-01-10');
  });

  it('follows DST: Berlin midnight is 23:00Z in winter and 22:00Z in summer', () => {
    expect(localDate(new Date('2025-03-29T22:59:00Z'), 'Europe/Berlin')).toBe('2025-03-29');
    expect(localDate(new Date('2025-03-29T23:00:00Z'), 'Europe/Berlin')).toBe('2025-03-30');
    expect(localDate(new Date('2025-03-30T21:59:00Z'), 'Europe/Berlin')).toBe('2025-03-30');
    expect(localDate(new Date('2025-03-30T22:00:00Z'), 'Europe/Berlin')).toBe('2025-03-31');
  });
});

describe('time zones', () => {
  it('accepts IANA zones and refuses made-up ones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
  });
});
