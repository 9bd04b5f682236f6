import { describe, expect, it } from 'vitest';
import { toString } from 'mdast-util-to-string';
import { ManualClock } from '../../../src/core/clock.ts';
import { applyActivity } from '../../../src/core/streaks.ts';
import { createDailyComposer } from '../../../src/core/schedule/daily.ts';
import { pickDailyQuestion } from '../../../src/core/schedule/pick.ts';
import { ACTION_ANSWER } from '../../../src/core/messages.ts';
import type { StoredQuestion } from '../../../src/store/types.ts';
import { seedQuestions } from '../store-practice/seed.ts';
import { scheduleInput } from './helpers.ts';
import { practiceStores } from '../../stores/practice.ts';

const q = (id: string): StoredQuestion => ({
  id,
  file: 'notes/x.md',
  line: 1,
  prompt: `Question ${id}`,
  promptDetail: '',
  answer: `Answer ${id}`,
  keyPoints: [],
  topics: ['t'],
  emptyAnswer: false,
  retired: false,
  parentId: null,
});

describe('pickDailyQuestion', () => {
  const candidates = ['a', 'b', 'c', 'd'].map(q);

  it('does not repeat a question in a channel until every candidate has been posted there', () => {
    const asked = new Map<string, number>();
    const picked: string[] = [];
    for (let day = 1; day <= 8; day++) {
      const choice = pickDailyQuestion({
        candidates,
        askedInChannel: asked,
        seenByMembers: new Map(),
        conversationId: 'memory:w:c',
        localDate: `2026-01-${String(day).padStart(2, '0')}`,
      })!;
      picked.push(choice.id);
      asked.set(choice.id, (asked.get(choice.id) ?? 0) + 1);
    }
    expect(new Set(picked.slice(0, 4)).size).toBe(4);
    expect(new Set(picked.slice(4, 8)).size).toBe(4);
  });

  it('prefers questions fewer channel members have already been asked', () => {
    const choice = pickDailyQuestion({
      candidates,
      askedInChannel: new Map(),
      seenByMembers: new Map([
        ['a', 3],
        ['b', 1],
        ['c', 2],
        ['d', 1],
      ]),
      conversationId: 'memory:w:c',
      localDate: '2026-01-05',
    });
    expect(['b', 'd']).toContain(choice?.id);
  });

  it('is stable for a channel and day (so a preview matches the post) and has nothing to pick from an empty topic', () => {
    const input = { candidates, askedInChannel: new Map(), seenByMembers: new Map(), conversationId: 'memory:w:c', localDate: '2026-01-05' };
    expect(pickDailyQuestion(input)?.id).toBe(pickDailyQuestion({ ...input, candidates: [...candidates].reverse() })?.id);
    expect(pickDailyQuestion({ ...input, candidates: [] })).toBeUndefined();
  });
});

describe.each(practiceStores())('daily composer with the real stores ($name)', (kind) => {
  async function setup() {
    const { repo: practice, bank, schedules } = await kind.open();
    const ids = await seedQuestions(bank, [
      { prompt: 'What is a mutex?', answer: 'A lock for **exclusive** access.', topics: ['concurrency'] },
      { prompt: 'What is a channel?', answer: 'A typed pipe between goroutines.', topics: ['concurrency'] },
      { prompt: 'What is a B-tree?', answer: 'A balanced search tree.', topics: ['databases'] },
      { prompt: 'Explain sharding', answer: '', topics: ['databases'], emptyAnswer: true },
    ]);
    const clock = new ManualClock('2026-01-05T03:00:00Z');
    const composer = createDailyComposer({ bank, schedules, clock });
    return { ids, clock, schedules, practice, composer };
  }

  it('picks only the schedule’s topic and never an unanswerable question', async () => {
    const env = await setup();
    const { schedule } = await env.schedules.upsertSchedule(scheduleInput({ topic: 'databases' }), env.clock.now());
    for (const d of ['2026-01-05', '2026-01-06', '2026-01-07']) {
      const composed = await env.composer.composeDaily(schedule, { localDate: d, at: env.clock.now() });
      expect(composed?.questionId).toBe(env.ids[2]);
    }
    const none = await env.schedules.upsertSchedule(scheduleInput({ conversationId: 'memory:w1:x', topic: 'nosuchtopic' }), env.clock.now());
    expect(await env.composer.composeDaily(none.schedule, { localDate: '2026-01-05', at: env.clock.now() })).toBeUndefined();
  });

  it('the posted question has an Answer button for whoever presses it and no reference answer', async () => {
    const env = await setup();
    const { schedule } = await env.schedules.upsertSchedule(scheduleInput({ topic: 'concurrency', revealTime: '17:00' }), env.clock.now());
    const composed = (await env.composer.composeDaily(schedule, { localDate: '2026-01-05', at: env.clock.now() }))!;
    const shown = toString(composed.message.body);
    expect(shown).toMatch(/Daily question/);
    expect(shown).toMatch(/17:00 \(Asia\/Kolkata\)/);
    expect(shown).not.toMatch(/exclusive|typed pipe/);
    expect(composed.message.spoiler).toBeUndefined();
    const answer = composed.message.actions?.find((a) => a.id === ACTION_ANSWER);
    expect(answer?.value).toContain(composed.questionId);
  });

  it('a channel does not get a question it already had while others remain', async () => {
    const env = await setup();
    const { schedule } = await env.schedules.upsertSchedule(scheduleInput({ topic: 'concurrency' }), env.clock.now());
    const first = (await env.composer.composeDaily(schedule, { localDate: '2026-01-05', at: env.clock.now() }))!;
    // Record it as posted in this channel, the way the runner does.
    const at = env.clock.now();
    await env.schedules.claimPost({ scheduleId: schedule.id, localDate: '2026-01-05', conversationId: schedule.conversationId, fireAt: at, processId: 'p', now: at });
    await env.schedules.markSent(schedule.id, '2026-01-05', 'p', { messageId: 'm1', threadId: null, questionId: first.questionId, revealAt: at, now: at });
    const second = (await env.composer.composeDaily(schedule, { localDate: '2026-01-06', at }))!;
    expect(second.questionId).not.toBe(first.questionId);
  });

  it('the summary counts who answered the daily, names streak keepers without their answers, and hides the reference answer in a spoiler', async () => {
    const env = await setup();
    const { schedule } = await env.schedules.upsertSchedule(scheduleInput({ topic: 'databases' }), env.clock.now());
    const at = new Date('2026-01-05T04:00:00Z');
    await env.schedules.claimPost({ scheduleId: schedule.id, localDate: '2026-01-05', conversationId: schedule.conversationId, fireAt: at, processId: 'p', now: at });
    await env.schedules.markSent(schedule.id, '2026-01-05', 'p', { messageId: 'm1', threadId: null, questionId: env.ids[2]!, revealAt: new Date(at.getTime() + 86_400_000), now: at });

    const answerAs = async (user: string, name: string, text: string, source: 'daily' | 'ask', conversationId = schedule.conversationId) => {
      const person = await env.practice.ensureAccount({ accountId: `memory:w1:${user}`, platform: 'memory', displayName: name, workspaceKey: 'memory:w1' }, at);
      const attempt = await env.practice.startAttempt({ personId: person.personId, questionId: env.ids[2]!, conversationId, workspaceKey: 'memory:w1', source, now: at });
      await env.practice.recordAnswer({ attemptId: attempt.id, personId: person.personId, text, coverage: 1, coverageJson: '[]', now: new Date(at.getTime() + 600_000), localDate: '2026-01-05', applyActivity });
    };
    await answerAs('ana', 'Ana @everyone', 'SECRET-ANSWER-ANA', 'daily');
    await answerAs('bo', 'Bo', 'SECRET-ANSWER-BO', 'daily');
    await answerAs('cy', 'Cy', 'not the daily', 'ask'); // an /ask answer is not a daily answer

    env.clock.set('2026-01-06T04:00:00Z');
    const post = (await env.schedules.getPost(schedule.id, '2026-01-05'))!;
    const summary = (await env.composer.composeReveal(schedule, post))!;
    const shown = toString(summary.body);
    expect(shown).toMatch(/2 people answered/);
    expect(shown).toMatch(/Ana @everyone \(1-day streak\), Bo \(1-day streak\)/);
    expect(shown).not.toMatch(/Cy|SECRET/);
    expect(toString(summary.spoiler!)).toBe('A balanced search tree.');
    // Names are people-typed text, so renderers print them literally (no pings).
    const names: string[] = [];
    for (const node of summary.body.children) {
      if (node.type === 'paragraph') for (const c of node.children) if (c.type === 'text' && c.data?.userText) names.push(c.value);
    }
    expect(names.join(' ')).toContain('Ana @everyone');
  });
});
