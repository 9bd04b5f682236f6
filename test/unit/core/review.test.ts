import { describe, expect, it } from 'vitest';
import { State } from 'ts-fsrs';
import { daysUntil, nextCard, parseCard } from '../../../src/core/review.ts';

const now = new Date('2025-03-01T09:00:00Z');
const dayMs = 86_400_000;

describe('nextCard', () => {
  it('schedules a first Good further out than Hard, and Easy further than Good', () => {
    const hard = nextCard(undefined, 'hard', now);
    const good = nextCard(undefined, 'good', now);
    const easy = nextCard(undefined, 'easy', now);
    expect(hard.due.getTime()).toBeLessThanOrEqual(good.due.getTime());
    expect(good.due.getTime()).toBeLessThan(easy.due.getTime());
    expect(good.reps).toBe(1);
  });

  it('uses whole-day intervals, never minutes', () => {
    for (const r of ['again', 'hard', 'good', 'easy'] as const) {
      const card = nextCard(undefined, r, now);
      expect(card.due.getTime() - now.getTime()).toBeGreaterThanOrEqual(dayMs);
    }
  });

  it('grows the interval after repeated Good and shrinks it after Again', () => {
    const first = nextCard(undefined, 'good', now);
    const second = nextCard(first, 'good', first.due);
    const gap1 = first.due.getTime() - now.getTime();
    const gap2 = second.due.getTime() - first.due.getTime();
    expect(gap2).toBeGreaterThan(gap1);
    const lapse = nextCard(second, 'again', second.due);
    expect(lapse.lapses).toBe(1);
    expect(lapse.due.getTime() - second.due.getTime()).toBeLessThan(gap2);
  });

  it('is pure: same input, same output', () => {
    expect(nextCard(undefined, 'good', now)).toEqual(nextCard(undefined, 'good', now));
  });
});

describe('parseCard', () => {
  it('round-trips a card through JSON', () => {
    const card = nextCard(undefined, 'good', now);
    const back = parseCard(JSON.parse(JSON.stringify(card)));
    expect(back?.due.getTime()).toBe(card.due.getTime());
    expect(back?.state).toBe(State.Review);
    expect(back?.last_review?.getTime()).toBe(now.getTime());
  });

  it('rejects a corrupt card instead of trusting it', () => {
    expect(parseCard({ due: 'not a date', stability: 'x' })).toBeUndefined();
    expect(parseCard(null)).toBeUndefined();
  });
});

describe('daysUntil', () => {
  it('rounds to whole days and never goes negative', () => {
    expect(daysUntil(new Date(now.getTime() + 3 * dayMs + 3_600_000), now)).toBe(3);
    expect(daysUntil(new Date(now.getTime() - dayMs), now)).toBe(0);
  });
});
