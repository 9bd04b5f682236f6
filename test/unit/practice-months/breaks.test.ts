import { describe, expect, it } from 'vitest';
import { createHarness, DAY, plain, type Harness } from '../core/harness.ts';
import { finishExpiredBreaks, parseBreakRequest } from '../../../src/core/breaks.ts';
import { downDates } from '../../../src/core/excuses.ts';

const alice = { id: 'U1', name: 'alice' };
const bob = { id: 'U2', name: 'bob' };

const streakText = async (h: Harness, who = alice, options: Record<string, string> = {}) => plain((await h.command(who, 'streak', options)).replies[0]!.message);
const breakText = async (h: Harness, options: Record<string, string> = {}, who = alice) => (await h.command(who, 'break', options)).texts('private').join(' ');

/** Answers and rates Good: the question gets a review some days out. */
async function practiseAndRate(h: Harness, who = alice, text = 'A mutex is a lock that gives one goroutine exclusive access; unlock with defer.') {
  const r = await h.practise(who, text);
  await h.press(who, 'rate', `${r.attemptId}:good`);
  return r;
}

const dueDates = (h: Harness) =>
  (h.db.prepare('SELECT question_id, due_at FROM reviews ORDER BY question_id').all() as { question_id: string; due_at: string }[]).map((r) => r.due_at);

describe('parseBreakRequest', () => {
  it('reads lengths, dates and end; refuses the rest', () => {
    expect(parseBreakRequest('7d', undefined)).toEqual({ kind: 'days', days: 7 });
    expect(parseBreakRequest('10', undefined)).toEqual({ kind: 'days', days: 10 });
    expect(parseBreakRequest('2w', undefined)).toEqual({ kind: 'days', days: 14 });
    expect(parseBreakRequest(undefined, '2027-01-10')).toEqual({ kind: 'until', date: '2027-01-10' });
    expect(parseBreakRequest('2027-01-10', undefined)).toEqual({ kind: 'until', date: '2027-01-10' });
    expect(parseBreakRequest('end', undefined)).toEqual({ kind: 'end' });
    expect(parseBreakRequest(undefined, undefined)).toEqual({ kind: 'show' });
    expect(parseBreakRequest('soon', undefined).kind).toBe('bad');
    expect(parseBreakRequest(undefined, '2027-02-30').kind).toBe('bad');
  });
});

describe('/break', () => {
  it('keeps the streak through the break and moves the reviews by its length when it runs out', async () => {
    const h = await createHarness({ start: '2026-12-01T09:00:00Z' });
    await practiseAndRate(h);
    h.clock.set('2026-12-02T09:00:00Z');
    await practiseAndRate(h, alice, 'A typed pipe between goroutines.');
    const before = dueDates(h);
    expect(await breakText(h, { length: '7d' })).toMatch(/Enjoy your break: 7 days, 2 Dec–8 Dec/);
    expect(await breakText(h)).toMatch(/on a break until 8 Dec/);
    h.clock.set('2026-12-06T12:00:00Z');
    expect(await streakText(h)).toMatch(/🔥 2 days/);
    expect(await streakText(h)).toMatch(/On a break until 8 Dec/);
    // Nothing moves while the break runs: only at its end is its length known.
    expect(dueDates(h)).toEqual(before);
    h.clock.set('2026-12-09T00:01:00Z');
    expect(await finishExpiredBreaks(h.bot.services, h.clock.now())).toBe(1);
    expect(await finishExpiredBreaks(h.bot.services, h.clock.now())).toBe(0); // once only
    expect(dueDates(h)).toEqual(before.map((d) => new Date(Date.parse(d) + 7 * DAY).toISOString()));
    h.clock.set('2026-12-09T09:00:00Z');
    const back = await h.practise(alice, 'A balanced tree that keeps keys sorted for range scans.');
    expect(back.result.texts('private').join(' ')).toMatch(/Streak: 3 days/);
    expect(await streakText(h)).toMatch(/2 Dec–8 Dec excused: on a break/);
  });

  it('ends early at the first answer: the days before it are excused and the reviews move only by those', async () => {
    const h = await createHarness({ start: '2026-12-01T09:00:00Z' });
    await practiseAndRate(h);
    const before = dueDates(h);
    h.clock.set('2026-12-02T08:00:00Z');
    await breakText(h, { length: '10d' });
    h.clock.set('2026-12-05T09:00:00Z'); // 2, 3 and 4 Dec were on the break
    const r = await h.practise(alice, 'A typed pipe between goroutines.');
    expect(r.result.texts('private').join(' ')).toMatch(/Streak: 2 days/);
    expect(dueDates(h)[0]).toBe(new Date(Date.parse(before[0]!) + 3 * DAY).toISOString());
    expect(await breakText(h)).toMatch(/not on a break/);
    const row = h.db.prepare('SELECT end_reason, days_taken, shifted_days FROM breaks').get();
    expect(row).toEqual({ end_reason: 'answered', days_taken: 3, shifted_days: 3 });
    // Without the break the two missed days would have reset it.
    h.clock.set('2026-12-08T09:00:00Z');
    expect(await streakText(h)).toMatch(/🔥 0 days/);
  });

  it('/break end comes back early; ending it on its first day cancels it without counting', async () => {
    const h = await createHarness({ start: '2026-12-01T09:00:00Z' });
    await breakText(h, { length: '5d' });
    expect(await breakText(h, { length: 'end' })).toMatch(/cancelled/);
    await breakText(h, { until: '2026-12-03' });
    h.clock.set('2026-12-03T10:00:00Z');
    expect(await breakText(h, { length: 'end' })).toMatch(/Welcome back! Your break took 2 days \(1 Dec–2 Dec\)/);
    // Only the second counted: a third is still allowed.
    expect(await breakText(h, { length: '3d' })).toMatch(/Enjoy your break/);
  });

  it('allows two breaks in any 90 days and says when the next one is possible', async () => {
    const h = await createHarness({ start: '2026-10-01T09:00:00Z' });
    expect(await breakText(h, { length: '3d' })).toMatch(/Breaks used in the last 90 days: 1 of 2/);
    h.clock.set('2026-11-10T09:00:00Z');
    expect(await breakText(h, { length: '2d' })).toMatch(/2 of 2/);
    h.clock.set('2026-12-01T09:00:00Z');
    const refused = await h.command(alice, 'break', { length: '7d' });
    expect(refused.replies[0]!.visibility).toBe('private');
    expect(refused.texts()[0]).toMatch(/started 2 breaks in the last 90 days \(1 Oct and 10 Nov\).*next break can start on 30 Dec \(2026-12-30\)/);
    h.clock.set('2026-12-30T09:00:00Z');
    expect(await breakText(h, { length: '7d' })).toMatch(/Enjoy your break/);
  });

  it('refuses more than 30 days, past dates and nonsense politely', async () => {
    const h = await createHarness({ start: '2026-12-01T09:00:00Z' });
    expect(await breakText(h, { length: '31d' })).toMatch(/at most 30 days.*2026-12-30/);
    expect(await breakText(h, { until: '2026-11-30' })).toMatch(/already passed/);
    expect(await breakText(h, { length: 'forever' })).toMatch(/could not read/);
    expect(await breakText(h, { length: '0d' })).toMatch(/at least 1 day/);
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM breaks').get()).toEqual({ n: 0 });
    expect(await breakText(h, { length: '30d' })).toMatch(/30 days, 1 Dec–30 Dec/);
    expect(await breakText(h, { length: '3d' })).toMatch(/already on a break until 30 Dec/);
  });

  it('the board marks who is on a break (the board SQL is untouched: core asks after)', async () => {
    const h = await createHarness({ start: '2026-12-01T09:00:00Z' });
    await h.practise(alice, 'A mutex is a lock.');
    await h.practise(bob, 'A mutex is a lock.');
    h.clock.set('2026-12-02T09:00:00Z');
    await breakText(h, { length: '11d' });
    h.clock.set('2026-12-05T09:00:00Z');
    const board = (await h.command(bob, 'leaderboard', { period: 'month' })).texts('public')[0]!;
    expect(board).toMatch(/alice · 🔥 1 · 1 answer · 🏖 on a break until 12 Dec/);
    expect(board).toMatch(/bob · 🔥 0 · 1 answer(?! ·)/);
  });
});

describe('linking keeps breaks', () => {
  it('the joined person’s streak is replayed with the break the other account took', async () => {
    const h = await createHarness({ start: '2026-12-01T09:00:00Z' });
    const discord = { id: 'D9', name: 'alice', platform: 'discord' as const, workspace: 'G1' };
    const onDiscord = { conversationId: 'discord:G1:C7' };
    await h.practise(discord, 'A mutex is a lock.', undefined, onDiscord);
    h.clock.set('2026-12-02T09:00:00Z');
    await breakText(h, { length: '3d' }, discord);
    h.clock.set('2026-12-05T09:00:00Z'); // 2-4 Dec on the break; she answers from Slack, not yet linked
    expect((await h.practise(alice, 'A mutex is a lock.')).result.texts('private').join(' ')).toMatch(/Streak: 1 day/);
    const issued = (await h.command(discord, 'link', {}, onDiscord)).texts()[0]!;
    const code = /\b([A-Z2-9]{6})\b/.exec(issued)![1]!;
    expect((await h.command(alice, 'link', { code })).texts()[0]).toMatch(/Linked/);
    // 1 Dec and 5 Dec, with 2-4 Dec excused: two days in a row, not a lapse.
    expect(await streakText(h)).toMatch(/🔥 2 days/);
    expect(h.db.prepare('SELECT COUNT(DISTINCT person_id) AS n FROM breaks').get()).toEqual({ n: 1 });
  });
});

describe('excused days when prepbot failed', () => {
  it('a whole local day without a heartbeat is excused, in the person’s own calendar', () => {
    const intervals = [
      { from: '2026-12-01T00:00:00Z', until: '2026-12-11T22:30:00Z' },
      { from: '2026-12-13T01:00:00Z', until: '2026-12-14T00:00:00Z' },
    ];
    const utc = (at: Date) => at.toISOString().slice(0, 10);
    expect(downDates(intervals, utc)).toEqual(['2026-12-12']);
    // In Kolkata (UTC+05:30) the gap runs from 04:00 on the 12th to 06:30 on the 13th: no whole local day.
    const kolkata = (at: Date) => new Date(at.getTime() + 5.5 * 3600_000).toISOString().slice(0, 10);
    expect(downDates(intervals, kolkata)).toEqual([]);
    // Two processes overlapping are one stretch of life.
    expect(downDates([...intervals, { from: '2026-12-11T20:00:00Z', until: '2026-12-13T02:00:00Z' }], utc)).toEqual([]);
  });

  it('bot down for a whole day: the streak survives and /streak says why', async () => {
    const h = await createHarness({ start: '2026-12-11T09:00:00Z' });
    const s = h.bot.services;
    await s.practice.recordAlive('p1', new Date('2026-12-10T09:00:00Z'), 300_000);
    await s.practice.recordAlive('p1', new Date('2026-12-11T09:00:00Z'), 300_000);
    await h.practise(alice, 'A mutex is a lock.');
    // Down from 09:00 on the 11th until 08:00 on the 13th: the 12th had no sign of life at all.
    await s.practice.recordAlive('p2', new Date('2026-12-13T08:00:00Z'), 300_000);
    h.clock.set('2026-12-13T09:00:00Z');
    expect(await streakText(h)).toMatch(/12 Dec excused: prepbot was down/);
    const r = await h.practise(alice, 'A typed pipe between goroutines.');
    expect(r.result.texts('private').join(' ')).toMatch(/Streak: 2 days/);
  });

  it('a daily post that failed every attempt excuses that date for the workspace’s people', async () => {
    const { createScheduler } = await import('../../../src/scheduler/runner.ts');
    const { createSqliteScheduleRepository } = await import('../../../src/store/sqlite/schedules.ts');
    const { RecordingAdapter, scheduleInput } = await import('../scheduler/helpers.ts');
    const h = await createHarness({ start: '2026-12-11T09:00:00Z' });
    const schedules = createSqliteScheduleRepository(h.db);
    const adapter = new RecordingAdapter('slack', h.clock);
    const scheduler = createScheduler({
      store: schedules,
      clock: h.clock,
      adapters: new Map([['slack', adapter]]),
      composeDaily: async () => ({ message: { body: { type: 'root', children: [] } }, questionId: 'q' }),
      composeReveal: async () => undefined,
      sleep: async () => undefined,
      dayLost: (schedule, localDate, why) => h.bot.services.practice.excuseWorkspaceDay(`${schedule.platform}:${schedule.workspaceId}`, localDate, why, h.clock.now()).then(() => undefined),
    });
    const { schedule } = await schedules.upsertSchedule(
      scheduleInput({ conversationId: 'slack:T1:C1', platform: 'slack', workspaceId: 'T1', timezone: 'UTC', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] }),
      h.clock.now(),
    );
    await h.practise(alice, 'A mutex is a lock.');
    await h.practise({ ...bob, workspace: 'T2' }, 'A mutex is a lock.');
    adapter.failNext(schedule.conversationId, new Error('500'), new Error('502'), new Error('503'));
    h.clock.set('2026-12-12T09:30:00Z');
    await scheduler.tick();
    expect((await schedules.getPost(schedule.id, '2026-12-12'))?.status).toBe('failed');
    h.clock.set('2026-12-13T10:00:00Z');
    expect(await streakText(h)).toMatch(/12 Dec excused: the daily question could not be posted/);
    expect((await h.practise(alice, 'A typed pipe between goroutines.')).result.texts('private').join(' ')).toMatch(/Streak: 2 days/);
    // Bob is in another workspace: his day is not excused, and without a freeze his streak starts over.
    expect((await h.practise({ ...bob, workspace: 'T2' }, 'A typed pipe between goroutines.')).result.texts('private').join(' ')).toMatch(/Streak: 1 day/);
  });
});

describe('the heartbeat and lost daily posts (store and runner)', () => {
  it('a process extends its stretch each minute and starts a new one after a silence (the machine slept)', async () => {
    const h = await createHarness({ start: '2026-12-11T09:00:00Z' });
    const p = h.bot.services.practice;
    for (const at of ['2026-12-11T09:00:00Z', '2026-12-11T09:01:00Z', '2026-12-11T09:02:00Z', '2026-12-11T12:00:00Z', '2026-12-11T12:01:00Z']) {
      await p.recordAlive('p1', new Date(at), 5 * 60_000);
    }
    expect(await p.aliveIntervals()).toEqual([
      { from: '2026-12-11T09:00:00.000Z', until: '2026-12-11T09:02:00.000Z' },
      { from: '2026-12-11T12:00:00.000Z', until: '2026-12-11T12:01:00.000Z' },
    ]);
  });

  it('a daily question missed because prepbot was down past the catch-up window excuses the day', async () => {
    const { createScheduler } = await import('../../../src/scheduler/runner.ts');
    const { createSqliteScheduleRepository } = await import('../../../src/store/sqlite/schedules.ts');
    const { RecordingAdapter, scheduleInput } = await import('../scheduler/helpers.ts');
    const h = await createHarness({ start: '2026-12-11T08:00:00Z' });
    const schedules = createSqliteScheduleRepository(h.db);
    const lost: string[] = [];
    const scheduler = createScheduler({
      store: schedules,
      clock: h.clock,
      adapters: new Map([['slack', new RecordingAdapter('slack', h.clock)]]),
      composeDaily: async () => ({ message: { body: { type: 'root', children: [] } }, questionId: 'q' }),
      composeReveal: async () => undefined,
      dayLost: async (schedule, localDate, why) => {
        lost.push(`${localDate}: ${why}`);
        await h.bot.services.practice.excuseWorkspaceDay(`${schedule.platform}:${schedule.workspaceId}`, localDate, why, h.clock.now());
      },
    });
    await schedules.upsertSchedule(
      scheduleInput({ conversationId: 'slack:T1:C1', platform: 'slack', workspaceId: 'T1', timezone: 'UTC', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] }),
      h.clock.now(),
    );
    h.clock.set('2026-12-11T09:31:00Z');
    await scheduler.tick();
    expect(lost).toEqual([]); // posted on time: nothing lost
    h.clock.set('2026-12-12T15:00:00Z'); // back long after 09:30
    await scheduler.tick();
    await scheduler.tick();
    expect(lost).toEqual(['2026-12-12: prepbot was down at the daily question']);
    expect(await streakText(h)).toMatch(/12 Dec excused: prepbot was down at the daily question/);
  });
});

describe('/streak repair', () => {
  const admin = { id: 'U9', name: 'boss' };
  const asAdmin = { actorIsAdmin: true };

  it('an admin repairs a missed day: audited, shown in /streak, and the streak is replayed', async () => {
    const h = await createHarness({ start: '2026-12-10T09:00:00Z' });
    await h.practise(alice, 'A mutex is a lock.');
    h.clock.set('2026-12-11T09:00:00Z');
    await h.practise(alice, 'A typed pipe between goroutines.');
    h.clock.set('2026-12-13T09:00:00Z'); // the 12th was missed
    const reset = await h.practise(alice, 'A balanced tree that keeps keys sorted for range scans.');
    expect(reset.result.texts('private').join(' ')).toMatch(/Streak: 1 day/);
    h.clock.set('2026-12-13T12:00:00Z');
    const done = await h.command(admin, 'streak', { repair: true as unknown as string, person: 'U1', date: '2026-12-12', reason: 'Slack outage ate her answer' }, asAdmin);
    expect(done.replies[0]!.visibility).toBe('private');
    expect(done.texts()[0]).toMatch(/Repaired: 12 Dec is excused for alice .*streak is now 🔥 3/);
    const shown = await streakText(h, bob, { person: 'U1' });
    expect(shown).toMatch(/alice’s streak: 🔥 3 days/);
    expect(shown).toMatch(/2026-12-12 repaired by boss on 2026-12-13: Slack outage ate her answer/);
    expect(h.db.prepare('SELECT current, longest FROM streaks').get()).toEqual({ current: 3, longest: 3 });
    h.clock.set('2026-12-14T09:00:00Z');
    expect((await h.practise(alice, 'A mutex is a lock.')).result.texts('private').join(' ')).toMatch(/Streak: 4 days/);
  });

  it('refuses non-admins, other workspaces, own streaks, future and practised days, politely', async () => {
    const h = await createHarness({ start: '2026-12-10T09:00:00Z' });
    await h.practise(alice, 'A mutex is a lock.');
    await h.practise(admin, 'A mutex is a lock.');
    await h.practise({ id: 'U7', name: 'carol', workspace: 'T2' }, 'A mutex is a lock.');
    const opts = { person: 'U1', date: '2026-12-09', reason: 'because' };
    const notAdmin = await h.command(bob, 'streak', { ...opts, repair: true as unknown as string });
    expect(notAdmin.replies[0]!.visibility).toBe('private');
    expect(notAdmin.texts()[0]).toMatch(/Only workspace admins can repair/);
    expect((await h.command(admin, 'streak', { ...opts, person: 'slack:T2:U7' }, asAdmin)).texts()[0]).toMatch(/only repair streaks of people in this workspace/);
    expect((await h.command(admin, 'streak', { ...opts, person: 'U9' }, asAdmin)).texts()[0]).toMatch(/cannot repair their own/);
    expect((await h.command(admin, 'streak', { ...opts, date: '2026-12-11' }, asAdmin)).texts()[0]).toMatch(/has not happened yet/);
    expect((await h.command(admin, 'streak', { ...opts, date: '2026-12-10' }, asAdmin)).texts()[0]).toMatch(/already counts/);
    expect((await h.command(admin, 'streak', { ...opts, date: '12/09' }, asAdmin)).texts()[0]).toMatch(/not a date/);
    expect((await h.command(admin, 'streak', { person: 'U1' , repair: true as unknown as string }, asAdmin)).texts()[0]).toMatch(/needs the person, the date and a reason/);
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM streak_repairs').get()).toEqual({ n: 0 });
    expect((await h.command(admin, 'streak', opts, asAdmin)).texts()[0]).toMatch(/Repaired/);
    expect((await h.command(admin, 'streak', opts, asAdmin)).texts()[0]).toMatch(/already excused/);
  });
});
