import { describe, expect, it } from 'vitest';
import { planInterview, subTopicOf, type PlanCandidate } from '../../../src/core/interview/plan.ts';

const now = new Date('2025-03-10T09:00:00Z');
const c = (id: string, topics: string[], file = 'notes/a.md'): PlanCandidate => ({ id, file, topics });

describe('planInterview', () => {
  const bank = [
    c('go1', ['concurrency', 'go']),
    c('go2', ['concurrency', 'go']),
    c('go3', ['concurrency', 'go']),
    c('os1', ['concurrency', 'os']),
    c('db1', ['concurrency', 'databases']),
  ];

  it('takes one question per sub-topic before a second from any', () => {
    const plan = planInterview({ candidates: bank, reviews: [], seen: new Set(), topic: 'concurrency', count: 4, now });
    expect(plan).toEqual(['go1', 'os1', 'db1', 'go2']);
  });

  it('puts due reviews first, most overdue first, then new questions, then the rest', () => {
    const plan = planInterview({
      candidates: bank,
      reviews: [
        { questionId: 'go3', dueAt: '2025-03-01T00:00:00Z' },
        { questionId: 'db1', dueAt: '2025-03-05T00:00:00Z' },
        { questionId: 'go1', dueAt: '2025-04-01T00:00:00Z' },
      ],
      seen: new Set(['go1', 'go3', 'db1']),
      topic: 'concurrency',
      count: 5,
      now,
    });
    expect(plan.slice(0, 2)).toEqual(['go3', 'db1']);
    expect(plan.at(-1)).toBe('go1');
    expect(new Set(plan)).toEqual(new Set(bank.map((b) => b.id)));
  });

  it('never plans more than asked or a question twice', () => {
    expect(planInterview({ candidates: bank, reviews: [], seen: new Set(), count: 2, now })).toHaveLength(2);
    const all = planInterview({ candidates: bank, reviews: [], seen: new Set(), count: 20, now });
    expect(all).toHaveLength(bank.length);
    expect(new Set(all).size).toBe(bank.length);
    expect(planInterview({ candidates: [], reviews: [], seen: new Set(), count: 3, now })).toEqual([]);
  });

  it('groups questions with no other topic by their notes file', () => {
    expect(subTopicOf(c('x', ['concurrency'], 'notes/go.md'), 'concurrency')).toBe('file:notes/go.md');
    expect(subTopicOf(c('x', ['os', 'concurrency']), 'concurrency')).toBe('os');
    const plan = planInterview({
      candidates: [c('a1', ['t'], 'a.md'), c('a2', ['t'], 'a.md'), c('b1', ['t'], 'b.md')],
      reviews: [],
      seen: new Set(),
      topic: 't',
      count: 2,
      now,
    });
    expect(plan).toEqual(['a1', 'b1']);
  });
});
