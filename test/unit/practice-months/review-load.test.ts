import { createEmptyCard, State } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { dailyRoom, nextFromDailyQueue, orderDue, spreadBacklog } from '../../../src/core/load.ts';
import { homeView } from '../../../src/core/home.ts';
import { applyActivity } from '../../../src/core/streaks.ts';
import type { SeedQuestion } from '../store-practice/seed.ts';
import { createHarness, DAY, plain, type Harness, type Person } from '../core/harness.ts';

const amy: Person = { id: 'U1', name: 'amy' };

describe('daily room (pure)', () => {
  it('reviews first within their cap; new ones only while reviews + new stay within the review cap', () => {
    const caps = { reviewsPerDay: 50, newPerDay: 5 };
    // After a break: 120 due fill the day; no new question adds to the pile.
    expect(dailyRoom(caps, { review: 0, new: 0 }, { reviews: 120, fresh: 30 })).toEqual({ reviewsLeft: 50, newLeft: 0 });
    expect(dailyRoom(caps, { review: 50, new: 0 }, { reviews: 70, fresh: 30 })).toEqual({ reviewsLeft: 0, newLeft: 0 });
    // An ordinary day: 20 due leave room for all 5 new.
    expect(dailyRoom(caps, { review: 0, new: 0 }, { reviews: 20, fresh: 30 })).toEqual({ reviewsLeft: 20, newLeft: 5 });
    // 47 due leave room for 3.
    expect(dailyRoom(caps, { review: 0, new: 0 }, { reviews: 47, fresh: 30 })).toEqual({ reviewsLeft: 47, newLeft: 3 });
    expect(dailyRoom(caps, { review: 10, new: 4 }, { reviews: 0, fresh: 30 })).toEqual({ reviewsLeft: 0, newLeft: 1 });
    // Never more new than the bank has.
    expect(dailyRoom(caps, { review: 0, new: 0 }, { reviews: 0, fresh: 2 })).toEqual({ reviewsLeft: 0, newLeft: 2 });
  });

  it('spreads a backlog: today what is left, then the cap each day', () => {
    expect(spreadBacklog(120, 50, 50)).toEqual([50, 50, 20]);
    expect(spreadBacklog(120, 30, 50)).toEqual([30, 50, 40]);
    expect(spreadBacklog(10, 50, 50)).toEqual([10]);
    expect(spreadBacklog(0, 50, 50)).toEqual([0]);
  });
});

describe('order of due reviews (pure)', () => {
  const dayEnd = new Date('2025-03-16T00:00:00Z');
  it('most overdue relative to its interval first, not by date alone', () => {
    const due = [
      // 13 days late on a 60-day interval: probably still remembered.
      { questionId: 'long', dueAt: '2025-03-02T09:00:00.000Z', reviewedAt: '2025-01-01T09:00:00.000Z' },
      // 11 days late on a 10-day interval.
      { questionId: 'mid', dueAt: '2025-03-04T09:00:00.000Z', reviewedAt: '2025-02-22T09:00:00.000Z' },
      // 14 days late on a 2-day interval: most likely forgotten.
      { questionId: 'short', dueAt: '2025-03-01T09:00:00.000Z', reviewedAt: '2025-02-27T09:00:00.000Z' },
    ];
    expect(orderDue(due, dayEnd).map((r) => r.questionId)).toEqual(['short', 'mid', 'long']);
  });

  it('equal overdueness: earlier due first, then question id', () => {
    const due = [
      { questionId: 'b', dueAt: '2025-03-10T00:00:00.000Z', reviewedAt: '2025-03-05T00:00:00.000Z' },
      { questionId: 'a', dueAt: '2025-03-10T00:00:00.000Z', reviewedAt: '2025-03-05T00:00:00.000Z' },
    ];
    expect(orderDue(due, dayEnd).map((r) => r.questionId)).toEqual(['a', 'b']);
  });

  it('the daily queue takes today’s share of the order, never the question just served', () => {
    const reviews = [
      { questionId: 'r1', dueAt: '2025-03-14T00:00:00.000Z', reviewedAt: '2025-03-13T00:00:00.000Z' },
      { questionId: 'r2', dueAt: '2025-03-15T00:00:00.000Z', reviewedAt: '2025-03-14T00:00:00.000Z' },
      { questionId: 'later', dueAt: '2025-03-20T00:00:00.000Z', reviewedAt: '2025-03-10T00:00:00.000Z' },
    ];
    const base = { caps: { reviewsPerDay: 3, newPerDay: 2 }, done: { review: 0, new: 0 }, reviews, dayEnd, candidates: ['r1', 'r2', 'later', 'n1', 'n2'], seen: new Set(['r1', 'r2', 'later']) };
    expect(nextFromDailyQueue(base)).toMatchObject({ pick: { questionId: 'r1', queue: 'review' }, reviewsLeft: 2, newLeft: 1, dueToday: 2, backlog: 0, fresh: 2 });
    expect(nextFromDailyQueue({ ...base, lastQuestionId: 'r1' }).pick).toEqual({ questionId: 'r2', queue: 'review' });
    // r1 rated; reviews capped at 1 a day: r2 waits for tomorrow, and the day's total leaves no room for new ones.
    const afterR1 = { ...base, reviews: [{ ...reviews[0]!, dueAt: '2025-03-18T00:00:00.000Z' }, ...reviews.slice(1)], caps: { reviewsPerDay: 1, newPerDay: 2 }, done: { review: 1, new: 0 } };
    expect(nextFromDailyQueue(afterR1)).toEqual({ reviewsLeft: 0, newLeft: 0, dueToday: 1, backlog: 1, fresh: 2 });
    // Cap 2, one rated elsewhere: today's one review slot is r1, served last and still open; nothing replaces it.
    expect(nextFromDailyQueue({ ...base, caps: { reviewsPerDay: 2, newPerDay: 2 }, done: { review: 1, new: 0 }, lastQuestionId: 'r1' }).pick).toBeUndefined();
    // Both rated (due later now): the new questions, in bank order.
    const rated = reviews.map((r) => ({ ...r, dueAt: '2025-03-18T00:00:00.000Z' }));
    expect(nextFromDailyQueue({ ...base, reviews: rated, done: { review: 2, new: 0 } }).pick).toEqual({ questionId: 'n1', queue: 'new' });
  });
});

/** n questions named `${prefix}1…`, each with one key point. */
function bank(prefix: string, n: number): SeedQuestion[] {
  return Array.from({ length: n }, (_, i) => ({ prompt: `${prefix}${i + 1} question`, answer: `Answer ${prefix}${i + 1}.`, keyPoints: [`Answer ${prefix}${i + 1}.`], topics: ['concurrency'] }));
}

/** One `/ask` without a topic, answered and rated: the prompt served, or the private reply when nothing was. */
async function practiseOnce(h: Harness, who: Person, rating = 'good'): Promise<{ prompt?: string; note: string; said: string }> {
  const ask = await h.command(who, 'ask');
  const question = ask.replies.find((r) => r.visibility === 'public' && r.message.actions?.some((a) => a.id === 'answer'));
  const said = ask.texts('private').join(' ');
  if (!question) return { note: '', said };
  const attemptId = question.message.actions!.find((a) => a.id === 'answer')!.value;
  const form = (await h.press(who, 'answer', attemptId)).forms[0]!;
  await h.submit(who, form.value, 'an answer');
  await h.press(who, 'rate', `${attemptId}:${rating}`);
  const text = plain(question.message);
  return { prompt: text.split(' question')[0], note: text, said };
}

describe('daily caps through /ask (injected clock, practice days)', () => {
  it('serves due reviews, then new questions, within the caps, says what is left, then offers extra practice', async () => {
    const h = await createHarness({ questions: bank('Q', 8), start: '2025-03-10T09:00:00Z' });
    await h.command(amy, 'settings', { reviews: 3, new: 2 });
    const first = await practiseOnce(h, amy, 'again');
    expect(first.note).toContain('New question.');
    expect(first.said).toContain('After this one: 0 reviews due, 1 new left today.');
    const second = await practiseOnce(h, amy, 'again');
    expect(second.said).toContain('0 reviews due, 0 new left today');
    const done = await h.command(amy, 'ask');
    expect(done.replies).toHaveLength(1);
    expect(done.replies[0]!.visibility).toBe('private');
    expect(done.texts()[0]).toContain("today's load done: 0 reviews and 2 new rated");
    expect(done.replies[0]!.message.actions?.map((a) => a.label)).toEqual(['Extra practice']);

    // Next day: both rated Again are due. Reviews 3 is the day's total: 2 reviews leave room for 1 new.
    h.clock.advance(DAY);
    const r1 = await practiseOnce(h, amy);
    expect(r1.note).toContain('Due for review.');
    expect(r1.said).toContain('After this one: 1 review due, 1 new left today.');
    const r2 = await practiseOnce(h, amy);
    expect(r2.note).toContain('Due for review.');
    expect([r1.prompt, r2.prompt].sort()).toEqual([first.prompt, second.prompt].sort());
    const n3 = await practiseOnce(h, amy);
    expect(n3.note).toContain('New question.');
    expect((await practiseOnce(h, amy)).prompt).toBeUndefined();
  });

  it('counts per practice day: with /daystart 4 in Berlin, 01:30 is still yesterday; 04:00 starts a fresh allowance', async () => {
    const h = await createHarness({ questions: bank('Q', 6), start: '2025-03-10T18:00:00Z' });
    await h.command(amy, 'timezone', { zone: 'Europe/Berlin' });
    await h.command(amy, 'daystart', { hour: '4' });
    await h.command(amy, 'settings', { new: 1 });
    expect((await practiseOnce(h, amy)).prompt).toBe('Q1');
    h.clock.set('2025-03-11T00:30:00Z'); // 01:30 in Berlin on the 11th: the 10th's practice day
    expect((await practiseOnce(h, amy)).said).toContain("today's load done");
    h.clock.set('2025-03-11T03:00:00Z'); // 04:00 in Berlin
    expect((await practiseOnce(h, amy)).prompt).toBe('Q2');
  });

  it('a question only counts once rated: asking again without rating does not use up the day', async () => {
    const h = await createHarness({ questions: bank('Q', 4) });
    await h.command(amy, 'settings', { new: 1 });
    for (let i = 0; i < 4; i++) {
      const ask = await h.command(amy, 'ask');
      expect(ask.texts('public')[0]).toContain('New question.');
    }
  });

  it('topic practice is custom study: not capped and not counted', async () => {
    const h = await createHarness();
    await h.command(amy, 'settings', { reviews: 0, new: 0 });
    expect((await h.command(amy, 'ask')).texts()[0]).toContain("today's load done");
    const topic = await h.practise(amy, 'a lock', 'concurrency');
    expect(topic.prompt).toMatch(/mutex|channel/);
    await h.press(amy, 'rate', `${topic.attemptId}:good`);
    const settings = await h.command(amy, 'settings');
    expect(settings.texts()[0]).toContain('0 of 0 reviews and 0 of 0 new rated');
  });

  it('extra practice counts for the streak and stats but leaves the schedule as it is', async () => {
    const h = await createHarness({ questions: bank('Q', 3) });
    await h.command(amy, 'settings', { new: 2 });
    expect((await practiseOnce(h, amy, 'good')).prompt).toBe('Q1');
    expect((await practiseOnce(h, amy, 'easy')).prompt).toBe('Q2');
    const schedule = async () => (await h.deps.practice.reviewSchedule((await h.deps.practice.findAccount('slack:T1:U1'))!.personId)).map((r) => [r.questionId, r.dueAt]);
    const before = await schedule();
    expect(before).toHaveLength(2);
    const done = await h.command(amy, 'ask');
    expect(done.texts()[0]).toContain('More now?');

    // The button on the "done" message, next day so the streak can grow.
    h.clock.advance(DAY);
    await h.command(amy, 'settings', { new: 0 });
    const extra = await h.press(amy, 'extra', 'extra');
    const question = extra.replies.find((r) => r.visibility === 'public')!;
    expect(plain(question.message)).toContain('Extra practice');
    // The soonest review comes first (Q1, Good: 3 days), though not due yet; Q2 was served last.
    expect(plain(question.message)).toContain('Q1 question');
    const attemptId = question.message.actions!.find((a) => a.id === 'answer')!.value;
    const form = (await h.press(amy, 'answer', attemptId)).forms[0]!;
    const reveal = await h.submit(amy, form.value, 'an answer');
    expect(reveal.texts('private').join(' ')).toContain('Streak: 2 days');
    const rated = await h.press(amy, 'rate', `${attemptId}:again`);
    expect(rated.texts()[0]).toContain('Extra practice: your schedule is unchanged (its next review stays in 2 days)');
    // Rated Again, yet Q1's review stays where Good put it.
    expect(await schedule()).toEqual(before);
    const stats = await h.command(amy, 'stats');
    expect(stats.texts().join(' ')).toContain('3 answered');

    // /ask extra:true works at any time; Q1 was answered today, so the next soonest review: Q2, before new Q3.
    const again = await h.command(amy, 'ask', { extra: true });
    expect(again.texts('public')[0]).toContain('Q2 question');
  });
});

describe('the Slack Home tab shows the same daily load', () => {
  it('counts down with /ask, and offers extra practice once the day is done', async () => {
    const h = await createHarness({ questions: bank('Q', 4) });
    await h.command(amy, 'settings', { new: 1 });
    const ctx = { platform: 'slack', workspaceId: 'T1', conversationId: 'slack:T1:D1', isDirect: true, actorIsAdmin: false, actor: { platform: 'slack', id: 'slack:T1:U1', displayName: 'amy' } } as const;
    const before = await homeView(h.bot.services, ctx);
    expect(plain(before)).toContain('Today: 0 reviews due, 1 new left.');
    expect(before.actions?.[0]?.label).toBe('Practise now');
    await practiseOnce(h, amy);
    const after = await homeView(h.bot.services, ctx);
    expect(plain(after)).toContain("Today's reviews and new questions are done.");
    expect(after.actions?.[0]).toMatchObject({ id: 'extra', label: 'Extra practice' });
    const pressed = await h.press(amy, after.actions![0]!.id, after.actions![0]!.value);
    expect(pressed.texts('public')[0]).toContain('Extra practice');
  });
});

/** Stored like a real review: a ts-fsrs card in the Review state with the given interval. */
function reviewCard(reviewedAt: Date, intervalDays: number) {
  const due = new Date(reviewedAt.getTime() + intervalDays * DAY);
  return {
    card: { ...createEmptyCard(reviewedAt), state: State.Review, stability: intervalDays, difficulty: 5, scheduled_days: intervalDays, reps: 3, due, last_review: reviewedAt },
    due,
  };
}

describe('after a 14-day gap: 120 overdue reviews spread over the next days', () => {
  it('at most the cap a day (50), most overdue relative to interval first, each once; new questions wait for room', { timeout: 60_000 }, async () => {
    const groups = { A: bank('A', 40), B: bank('B', 40), C: bank('C', 40), N: bank('N', 10) };
    const h = await createHarness({ questions: [...groups.A, ...groups.B, ...groups.C, ...groups.N], start: '2025-03-01T09:00:00Z' });
    const me = await h.deps.practice.ensureAccount({ accountId: 'slack:T1:U1', platform: 'slack', displayName: 'amy', workspaceKey: 'slack:T1' }, h.clock.now());
    // Rated before the gap; each group falls due during it:
    // A every 2 days, due 03-01 (14 days late on return: 7 intervals);
    // B every 10 days, due 03-04 (11 days late: ~1 interval);
    // C every 60 days, due 03-02 (13 days late: ~0.2 intervals).
    // By date alone C would come before B; by how likely each is forgotten, B comes first.
    const seedGroup = async (qs: SeedQuestion[], reviewedAt: string, interval: number) => {
      for (const q of qs) {
        const at = new Date(reviewedAt);
        const a = await h.deps.practice.startAttempt({ personId: me.personId, questionId: h.ids[q.prompt]!, conversationId: 'slack:T1:C1', workspaceKey: 'slack:T1', source: 'ask', now: at });
        await h.deps.practice.recordAnswer({ attemptId: a.id, personId: me.personId, text: 'x', coverage: 1, coverageJson: '[]', now: at, localDate: reviewedAt.slice(0, 10), applyActivity });
        await h.deps.practice.rate({ attemptId: a.id, personId: me.personId, rating: 'good', now: at, schedule: () => reviewCard(at, interval) });
      }
    };
    await seedGroup(groups.A, '2025-02-27T09:00:00Z', 2);
    await seedGroup(groups.B, '2025-02-22T09:00:00Z', 10);
    await seedGroup(groups.C, '2025-01-01T09:00:00Z', 60);

    const servedOn: Record<string, string[]>[] = [];
    for (const date of ['2025-03-15', '2025-03-16', '2025-03-17']) {
      h.clock.set(`${date}T09:00:00Z`);
      const day: Record<string, string[]> = { A: [], B: [], C: [], N: [] };
      for (;;) {
        const r = await practiseOnce(h, amy, 'good');
        if (!r.prompt) break;
        day[r.prompt[0]!]!.push(r.prompt);
      }
      servedOn.push(day);
    }
    const counts = servedOn.map((d) => Object.fromEntries(Object.entries(d).map(([g, list]) => [g, list.length])));
    expect(counts).toEqual([
      { A: 40, B: 10, C: 0, N: 0 },
      { A: 0, B: 30, C: 20, N: 0 },
      { A: 0, B: 0, C: 20, N: 5 },
    ]);
    // Every overdue review served exactly once.
    const all = servedOn.flatMap((d) => [...d.A!, ...d.B!, ...d.C!]);
    expect(new Set(all).size).toBe(120);
  });

  it('says how the backlog is spread, on /ask and in /settings', async () => {
    const qs = bank('A', 60);
    const h = await createHarness({ questions: qs, start: '2025-03-01T09:00:00Z' });
    const me = await h.deps.practice.ensureAccount({ accountId: 'slack:T1:U1', platform: 'slack', displayName: 'amy', workspaceKey: 'slack:T1' }, h.clock.now());
    for (const q of qs) {
      const at = new Date('2025-02-27T09:00:00Z');
      const a = await h.deps.practice.startAttempt({ personId: me.personId, questionId: h.ids[q.prompt]!, conversationId: 'slack:T1:C1', workspaceKey: 'slack:T1', source: 'ask', now: at });
      await h.deps.practice.giveUp(a.id, me.personId, at);
      await h.deps.practice.rate({ attemptId: a.id, personId: me.personId, rating: 'good', now: at, schedule: () => reviewCard(at, 2) });
    }
    h.clock.set('2025-03-15T09:00:00Z');
    await h.command(amy, 'settings', { reviews: 25 });
    const shown = await h.command(amy, 'settings');
    expect(shown.texts()[0]).toContain('25 reviews due and 0 new left; the other 35 over the next 2 days');
    const r = await practiseOnce(h, amy);
    expect(r.said).toContain('After this one: 24 reviews due, 0 new left today. 35 more due reviews wait for the next days (at most 25 a day');
  });
});
