import { describe, expect, it } from 'vitest';
import { selectQuestion } from '../../../src/core/selection.ts';

const now = new Date('2025-01-10T12:00:00Z');
const base = { candidates: ['a', 'b', 'c'], reviews: [], seen: new Set<string>(), now };

describe('selectQuestion', () => {
  it('serves a due review before a new question', () => {
    const pick = selectQuestion({ ...base, reviews: [{ questionId: 'c', dueAt: '2025-01-09T00:00:00.000Z' }], seen: new Set(['c']) });
    expect(pick).toEqual({ questionId: 'c', reason: 'due' });
  });

  it('serves new questions in bank order when nothing is due', () => {
    const pick = selectQuestion({ ...base, reviews: [{ questionId: 'a', dueAt: '2025-02-01T00:00:00.000Z' }], seen: new Set(['a']) });
    expect(pick).toEqual({ questionId: 'b', reason: 'new' });
  });

  it('never serves the last question again, even when it is due', () => {
    const pick = selectQuestion({
      ...base,
      candidates: ['a', 'b'],
      reviews: [{ questionId: 'a', dueAt: '2025-01-01T00:00:00.000Z' }],
      seen: new Set(['a', 'b']),
      lastQuestionId: 'a',
    });
    expect(pick?.questionId).toBe('b');
  });

  it('returns nothing when the only candidate was the last one', () => {
    expect(selectQuestion({ ...base, candidates: ['a'], lastQuestionId: 'a' })).toBeUndefined();
  });

  it('falls back to the soonest upcoming review once everything was seen and rated', () => {
    const pick = selectQuestion({
      ...base,
      candidates: ['a', 'b'],
      reviews: [
        { questionId: 'b', dueAt: '2025-01-12T00:00:00.000Z' },
        { questionId: 'a', dueAt: '2025-01-20T00:00:00.000Z' },
      ],
      seen: new Set(['a', 'b']),
    });
    expect(pick).toEqual({ questionId: 'b', reason: 'review-early' });
  });
});
