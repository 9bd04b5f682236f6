import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { createScheduler, type SchedulerOptions } from '../../../src/scheduler/runner.ts';
import { ConversationUnavailableError, type ChatAdapter, type Platform } from '../../../src/chat/port.ts';
import { RateLimitedError, createSendQueue } from '../../../src/scheduler/queue.ts';
import { doc, p } from '../../../src/chat/md.ts';
import type { ScheduleRepository } from '../../../src/core/schedule/types.ts';
import { RecordingAdapter, messageText, scheduleInput, type Recorded } from './helpers.ts';
import { scheduleStores, type ScheduleStoreKind } from '../../stores/schedules.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

type SetupOptions = {
  store?: ScheduleRepository;
  adapter?: RecordingAdapter;
  processId?: string;
  clock?: ManualClock;
  scheduler?: Partial<SchedulerOptions>;
};

/** A scheduler over `opts.store`, or over a fresh store of this kind. */
async function setupOn(kind: ScheduleStoreKind, start: string, opts: SetupOptions = {}) {
  const store = opts.store ?? (await kind.open()).repo;
  const clock = opts.clock ?? new ManualClock(start);
  const adapter = opts.adapter ?? new RecordingAdapter('memory', clock);
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    clock.advance(ms);
  };
  let questions = 0;
  const scheduler = createScheduler({
    store,
    clock,
    adapters: new Map<Platform, ChatAdapter>([['memory', adapter]]),
    composeDaily: async (schedule, occurrence) => ({
      message: { body: doc(p(`Question for ${schedule.id} on ${occurrence.localDate}`)) },
      questionId: `q${++questions}`,
    }),
    composeReveal: async (_schedule, post) => ({ body: doc(p(`Summary of ${post.localDate} (${post.questionId})`)) }),
    sleep,
    processId: opts.processId ?? 'p1',
    ...opts.scheduler,
  });
  return { store, clock, adapter, scheduler, sleeps };
}

/** Ticks once per minute over [from, to], like the cron job would. */
async function runMinutes(env: { clock: ManualClock; scheduler: { tick(): Promise<unknown> } }, from: string, to: string) {
  for (let t = Date.parse(from); t <= Date.parse(to); t += MIN) {
    env.clock.set(t);
    await env.scheduler.tick();
  }
}

/** Daily questions only (summaries of the previous day are posted too). */
const questionPosts = (posts: Recorded[]) => posts.filter((r) => messageText(r.message).startsWith('Question for'));
const postTimes = (posts: Recorded[]) => questionPosts(posts).map((r) => r.at.toISOString());

// Every store-backed test runs on SQLite and on PostgreSQL (test/stores/schedules.ts).
describe.each(scheduleStores())('scheduler on $name', (kind) => {
  const setup = (start: string, opts: SetupOptions = {}) => setupOn(kind, start, opts);

  describe('firing at the right instants', () => {
    it('posts 09:30 local in two time zones at their own UTC instants', async () => {
      const env = await setup('2026-01-04T23:00:00Z');
      await env.store.upsertSchedule(scheduleInput({ conversationId: 'memory:w1:india', timezone: 'Asia/Kolkata' }), env.clock.now());
      await env.store.upsertSchedule(scheduleInput({ conversationId: 'memory:w1:nyc', timezone: 'America/New_York' }), env.clock.now());
      await runMinutes(env, '2026-01-05T00:00:00Z', '2026-01-05T23:59:00Z');
      const byChannel = (c: string) => postTimes(env.adapter.posts.filter((r) => r.conversationId === c));
      // Kolkata is UTC+05:30, New York UTC-05:00 in January.
      expect(byChannel('memory:w1:india')).toEqual(['2026-01-05T04:00:00.000Z']);
      expect(byChannel('memory:w1:nyc')).toEqual(['2026-01-05T14:30:00.000Z']);
    });

    it('keeps 09:30 local through both DST changes (America/New_York)', async () => {
      const spring = await setup('2026-03-06T00:00:00Z');
      await spring.store.upsertSchedule(scheduleInput({ timezone: 'America/New_York' }), spring.clock.now());
      await runMinutes(spring, '2026-03-07T12:00:00Z', '2026-03-09T15:00:00Z');
      // EST (-5) on Saturday, EDT (-4) from Sunday 2026-03-08.
      expect(postTimes(spring.adapter.posts)).toEqual(['2026-03-07T14:30:00.000Z', '2026-03-08T13:30:00.000Z', '2026-03-09T13:30:00.000Z']);

      const autumn = await setup('2026-10-30T00:00:00Z');
      await autumn.store.upsertSchedule(scheduleInput({ timezone: 'America/New_York' }), autumn.clock.now());
      await runMinutes(autumn, '2026-10-31T12:00:00Z', '2026-11-02T15:00:00Z');
      expect(postTimes(autumn.adapter.posts)).toEqual(['2026-10-31T13:30:00.000Z', '2026-11-01T14:30:00.000Z', '2026-11-02T14:30:00.000Z']);
    });

    it('posts a time in the spring gap once after the gap, and a repeated autumn time once (Europe/Berlin)', async () => {
      const spring = await setup('2026-03-28T00:00:00Z');
      await spring.store.upsertSchedule(scheduleInput({ timezone: 'Europe/Berlin', localTime: '02:30' }), spring.clock.now());
      await runMinutes(spring, '2026-03-28T22:00:00Z', '2026-03-29T03:00:00Z');
      // 02:00 CET jumps to 03:00 CEST at 01:00Z: 02:30 does not exist, the first valid minute is 03:00 local.
      expect(postTimes(spring.adapter.posts)).toEqual(['2026-03-29T01:00:00.000Z']);

      const autumn = await setup('2026-10-24T00:00:00Z');
      await autumn.store.upsertSchedule(scheduleInput({ timezone: 'Europe/Berlin', localTime: '02:30' }), autumn.clock.now());
      await runMinutes(autumn, '2026-10-24T22:00:00Z', '2026-10-25T03:00:00Z');
      // 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET): one post, at the first.
      expect(postTimes(autumn.adapter.posts)).toEqual(['2026-10-25T00:30:00.000Z']);
    });

    it('posts only on the chosen weekdays', async () => {
      const env = await setup('2026-01-01T00:00:00Z');
      await env.store.upsertSchedule(
        scheduleInput({ timezone: 'UTC', localTime: '08:00', weekdays: ['mon', 'wed', 'fri'] }),
        env.clock.now(),
      );
      for (let day = 0; day < 14; day++) {
        const base = Date.parse('2026-01-01T07:58:00Z') + day * 24 * HOUR;
        await runMinutes(env, new Date(base).toISOString(), new Date(base + 4 * MIN).toISOString());
      }
      const days = questionPosts(env.adapter.posts).map((r) => new Date(r.at).getUTCDay());
      // Jan 2026: Fri 2, Mon 5, Wed 7, Fri 9, Mon 12, Wed 14.
      expect(postTimes(env.adapter.posts).map((t) => t.slice(0, 10))).toEqual([
        '2026-01-02',
        '2026-01-05',
        '2026-01-07',
        '2026-01-09',
        '2026-01-12',
        '2026-01-14',
      ]);
      expect(new Set(days)).toEqual(new Set([1, 3, 5]));
    });
  });

  describe('exactly once', () => {
    it('a cron double-fire (concurrent and repeated ticks) posts once', async () => {
      const env = await setup('2026-01-05T00:00:00Z');
      await env.store.upsertSchedule(scheduleInput(), env.clock.now());
      env.clock.set('2026-01-05T04:00:00Z');
      await Promise.all([env.scheduler.tick(), env.scheduler.tick(), env.scheduler.tick()]);
      await env.scheduler.tick();
      env.clock.advance(30_000);
      await env.scheduler.tick();
      expect(env.adapter.posts).toHaveLength(1);
    });

    it('two processes on one database post once between them', async () => {
      const [storeA, storeB] = await kind.openTwo();
      const clock = new ManualClock('2026-01-05T00:00:00Z');
      const log: Recorded[] = [];
      const a = await setup('', { store: storeA.repo, clock, processId: 'A', adapter: new RecordingAdapter('memory', clock, { log, idPrefix: 'a' }) });
      const b = await setup('', { store: storeB.repo, clock, processId: 'B', adapter: new RecordingAdapter('memory', clock, { log, idPrefix: 'b' }) });
      for (let i = 0; i < 20; i++) {
        await a.store.upsertSchedule(scheduleInput({ conversationId: `memory:w1:c${i}` }), clock.now());
      }
      clock.set('2026-01-05T04:00:00Z');
      await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
      await Promise.all([b.scheduler.tick(), a.scheduler.tick()]);
      const perChannel = new Map<string, number>();
      for (const r of log) perChannel.set(r.conversationId, (perChannel.get(r.conversationId) ?? 0) + 1);
      expect(perChannel.size).toBe(20);
      expect([...perChannel.values()].every((n) => n === 1)).toBe(true);
      // Each recorded post names the process that sent it, and the other process sees it as sent.
      const post = await b.store.getPost((await b.store.scheduleFor('memory:w1:c0'))!.id, '2026-01-05');
      expect(post?.status).toBe('sent');
      expect(log.find((r) => r.conversationId === 'memory:w1:c0')?.messageId).toBe(post?.messageId);
    });

    it('a restart between claim and send: the abandoned claim is posted once, after the lease', async () => {
      const env = await setup('2026-01-05T00:00:00Z', { processId: 'restarted' });
      const { schedule } = await env.store.upsertSchedule(scheduleInput(), env.clock.now());
      // The previous process claimed 2026-01-05 at 09:30 local and died before sending.
      const claimedAt = new Date('2026-01-05T04:00:00Z');
      expect(
        await env.store.claimPost({
          scheduleId: schedule.id,
          localDate: '2026-01-05',
          conversationId: schedule.conversationId,
          fireAt: claimedAt,
          processId: 'crashed',
          now: claimedAt,
        }),
      ).toBe(true);

      env.clock.set(claimedAt.getTime() + MIN);
      await env.scheduler.tick();
      expect(env.adapter.posts).toHaveLength(0); // still within the 2-minute lease: the owner may yet be sending

      env.clock.set(claimedAt.getTime() + 2 * MIN + 1000);
      await env.scheduler.tick();
      await env.scheduler.tick();
      expect(env.adapter.posts).toHaveLength(1);
      const post = await env.store.getPost(schedule.id, '2026-01-05');
      expect(post).toMatchObject({ status: 'sent', claimedBy: 'restarted', attempts: 1 });
    });

    it('a restart after the send was recorded does not post again', async () => {
      const first = await setup('2026-01-05T00:00:00Z', { processId: 'first' });
      await first.store.upsertSchedule(scheduleInput(), first.clock.now());
      first.clock.set('2026-01-05T04:00:00Z');
      await first.scheduler.tick();
      expect(first.adapter.posts).toHaveLength(1);

      // A new process (new scheduler, same database) starts later that morning and ticks for a while.
      const second = await setup('', { store: first.store, clock: first.clock, processId: 'second' });
      await runMinutes(second, '2026-01-05T04:01:00Z', '2026-01-05T06:00:00Z');
      expect(second.adapter.posts).toHaveLength(0);
    });

    it('a send parked on a long Retry-After loses its claim to a takeover and then does not post too', async () => {
      const clock = new ManualClock('2026-01-05T00:00:00Z');
      const log: Recorded[] = [];
      const { repo: shared } = await kind.open();
      let other: Awaited<ReturnType<typeof setup>> | undefined;
      let otherTicked = false;
      const slowAdapter = new RecordingAdapter('memory', clock, { log, idPrefix: 'a' });
      const slow = await setup('', {
        store: shared,
        clock,
        processId: 'slow',
        adapter: slowAdapter,
        scheduler: {
          leaseMs: 60_000,
          // While this process waits out the 429, the other one ticks past the lease.
          sleep: async (ms) => {
            clock.advance(ms);
            if (!otherTicked) {
              otherTicked = true;
              await other!.scheduler.tick();
            }
          },
        },
      });
      other = await setup('', { store: shared, clock, processId: 'other', adapter: new RecordingAdapter('memory', clock, { log, idPrefix: 'b' }), scheduler: { leaseMs: 60_000 } });
      const { schedule } = await slow.store.upsertSchedule(scheduleInput(), clock.now());
      slowAdapter.failNext(schedule.conversationId, new RateLimitedError(90_000));
      clock.set('2026-01-05T04:00:00Z');
      await slow.scheduler.tick();
      expect(otherTicked).toBe(true);
      expect(log.map((r) => r.messageId)).toEqual(['b1']);
      expect(await slow.store.getPost(schedule.id, '2026-01-05')).toMatchObject({ status: 'sent', claimedBy: 'other', messageId: 'b1' });
    });

    it('an abandoned claim past the grace window is recorded as skipped, not posted', async () => {
      const env = await setup('2026-01-05T00:00:00Z');
      const { schedule } = await env.store.upsertSchedule(scheduleInput(), env.clock.now());
      const at = new Date('2026-01-05T04:00:00Z');
      await env.store.claimPost({ scheduleId: schedule.id, localDate: '2026-01-05', conversationId: schedule.conversationId, fireAt: at, processId: 'crashed', now: at });
      env.clock.set(at.getTime() + 3 * HOUR);
      await env.scheduler.tick();
      expect(env.adapter.posts).toHaveLength(0);
      const post = await env.store.getPost(schedule.id, '2026-01-05');
      expect(post?.status).toBe('skipped');
      expect(post?.error).toMatch(/crashed.*catch-up window/);
    });
  });

  describe('catch-up after downtime', () => {
    it('posts late (once) when the bot comes back inside the grace window', async () => {
      const env = await setup('2026-01-04T12:00:00Z');
      await env.store.upsertSchedule(scheduleInput(), env.clock.now());
      // Down from before 09:30 IST (04:00Z) until 11:15 IST.
      await runMinutes(env, '2026-01-05T05:45:00Z', '2026-01-05T06:00:00Z');
      expect(postTimes(env.adapter.posts)).toEqual(['2026-01-05T05:45:00.000Z']);
    });

    it('skips and records the day when the bot comes back past the grace window', async () => {
      const env = await setup('2026-01-04T12:00:00Z');
      const { schedule } = await env.store.upsertSchedule(scheduleInput(), env.clock.now());
      await runMinutes(env, '2026-01-05T06:01:00Z', '2026-01-05T06:10:00Z'); // 2 h 1 min late
      expect(env.adapter.posts).toHaveLength(0);
      const post = await env.store.getPost(schedule.id, '2026-01-05');
      expect(post?.status).toBe('skipped');
      expect(post?.error).toMatch(/121 min later, past the 120 min catch-up window/);
      // The next day is posted normally.
      await runMinutes(env, '2026-01-06T03:59:00Z', '2026-01-06T04:01:00Z');
      expect(postTimes(env.adapter.posts)).toEqual(['2026-01-06T04:00:00.000Z']);
    });

    it('honours a configured grace window', async () => {
      const env = await setup('2026-01-04T12:00:00Z', { scheduler: { graceMs: 10 * MIN } });
      await env.store.upsertSchedule(scheduleInput(), env.clock.now());
      env.clock.set('2026-01-05T04:11:00Z');
      await env.scheduler.tick();
      expect(env.adapter.posts).toHaveLength(0);
      env.clock.set('2026-01-06T04:09:00Z');
      await env.scheduler.tick();
      expect(env.adapter.posts).toHaveLength(1);
    });

    it('records each day missed during a long outage and posts nothing for them', async () => {
      const env = await setup('2026-01-04T12:00:00Z');
      const { schedule } = await env.store.upsertSchedule(scheduleInput(), env.clock.now());
      env.clock.set('2026-01-07T02:00:00Z'); // before today's 09:30 IST
      await env.scheduler.tick();
      expect(env.adapter.posts).toHaveLength(0);
      const posts = await env.store.listPosts(schedule.id);
      expect(posts.map((p) => [p.localDate, p.status])).toEqual([
        ['2026-01-05', 'skipped'],
        ['2026-01-06', 'skipped'],
      ]);
    });

    it('a schedule set after today’s time does not post for today', async () => {
      const env = await setup('2026-01-05T04:20:00Z'); // 09:50 IST
      await env.store.upsertSchedule(scheduleInput(), env.clock.now());
      await runMinutes(env, '2026-01-05T04:20:00Z', '2026-01-05T05:00:00Z');
      expect(env.adapter.posts).toHaveLength(0);
    });
  });

  describe('pause and resume', () => {
    it('a paused schedule does not post; after resume it posts from the next occurrence on', async () => {
      const env = await setup('2026-01-04T12:00:00Z');
      const { schedule } = await env.store.upsertSchedule(scheduleInput(), env.clock.now());
      expect(await env.store.pauseSchedule(schedule.id, 'paused by memory:w1:lead', env.clock.now())).toBe(true);
      await runMinutes(env, '2026-01-05T03:55:00Z', '2026-01-05T04:05:00Z');
      expect(env.adapter.posts).toHaveLength(0);
      // Resumed 15 minutes after today's time: today is not caught up, tomorrow posts.
      env.clock.set('2026-01-05T04:15:00Z');
      expect(await env.store.resumeSchedule(schedule.id, env.clock.now())).toBe(true);
      await runMinutes(env, '2026-01-05T04:15:00Z', '2026-01-05T04:30:00Z');
      expect(env.adapter.posts).toHaveLength(0);
      await runMinutes(env, '2026-01-06T03:59:00Z', '2026-01-06T04:01:00Z');
      expect(postTimes(env.adapter.posts)).toEqual(['2026-01-06T04:00:00.000Z']);
    });
  });

  describe('failures', () => {
    it('a removed channel pauses the schedule with a reason and tells the owner', async () => {
      const env = await setup('2026-01-04T12:00:00Z');
      const { schedule } = await env.store.upsertSchedule(scheduleInput(), env.clock.now());
      env.adapter.failNext(schedule.conversationId, new ConversationUnavailableError(schedule.conversationId, 'the channel was deleted'));
      await runMinutes(env, '2026-01-05T04:00:00Z', '2026-01-05T04:02:00Z');
      expect(env.adapter.posts).toHaveLength(0);
      const after = await env.store.getSchedule(schedule.id);
      expect(after?.status).toBe('paused');
      expect(after?.pausedReason).toMatch(/the channel was deleted/);
      expect(env.adapter.directs).toHaveLength(1);
      expect(env.adapter.directs[0]!.accountId).toBe('memory:w1:lead');
      expect(messageText(env.adapter.directs[0]!.message)).toMatch(/channel was deleted.*\/schedule resume/s);
      expect((await env.store.getPost(schedule.id, '2026-01-05'))?.status).toBe('skipped');
      // It stays quiet on the following days instead of failing each one.
      await runMinutes(env, '2026-01-06T03:59:00Z', '2026-01-06T04:02:00Z');
      expect(env.adapter.posts).toHaveLength(0);
      expect(env.adapter.directs).toHaveLength(1);
    });

    it('a failing send is retried with backoff and posts once when it recovers', async () => {
      const env = await setup('2026-01-04T12:00:00Z');
      const { schedule } = await env.store.upsertSchedule(scheduleInput(), env.clock.now());
      env.adapter.failNext(schedule.conversationId, new Error('socket hang up'), new Error('502 Bad Gateway'));
      env.clock.set('2026-01-05T04:00:00Z');
      await env.scheduler.tick();
      expect(env.adapter.posts).toHaveLength(1);
      expect(env.sleeps).toEqual([5000, 10000]);
      expect((await env.store.getPost(schedule.id, '2026-01-05'))).toMatchObject({ status: 'sent', attempts: 3 });
    });

    it('every attempt of a day\'s post carries one idempotency key (schedule, day, question); the summary its own', async () => {
      const env = await setup('2026-01-04T12:00:00Z');
      const { schedule } = await env.store.upsertSchedule({ ...scheduleInput(), revealTime: '17:00' }, env.clock.now());
      env.adapter.failNext(schedule.conversationId, new Error('socket hang up'), new Error('502 Bad Gateway'));
      env.clock.set('2026-01-05T04:00:00Z');
      await env.scheduler.tick();
      expect(env.adapter.keys).toEqual(Array(3).fill(`daily|${schedule.id}|2026-01-05|q1`));
      env.clock.set('2026-01-05T11:30:00Z');
      await env.scheduler.tick();
      expect(env.adapter.keys.at(-1)).toBe(`reveal|${schedule.id}|2026-01-05`);
      env.clock.set('2026-01-06T04:00:00Z');
      await env.scheduler.tick();
      expect(env.adapter.keys.at(-1)).toBe(`daily|${schedule.id}|2026-01-06|q2`);
    });

    it('a send failing every attempt is recorded failed and the owner is told', async () => {
      const env = await setup('2026-01-04T12:00:00Z');
      const { schedule } = await env.store.upsertSchedule(scheduleInput(), env.clock.now());
      env.adapter.failNext(schedule.conversationId, new Error('500'), new Error('500'), new Error('503 Service Unavailable'));
      env.clock.set('2026-01-05T04:00:00Z');
      await env.scheduler.tick();
      await env.scheduler.tick();
      expect(env.adapter.posts).toHaveLength(0);
      const post = await env.store.getPost(schedule.id, '2026-01-05');
      expect(post).toMatchObject({ status: 'failed', attempts: 3 });
      expect(post?.error).toMatch(/503 Service Unavailable/);
      expect(env.adapter.directs).toHaveLength(1);
      expect(messageText(env.adapter.directs[0]!.message)).toMatch(/2026-01-05.*could not be posted after 3 attempts/);
      // The schedule stays active: tomorrow is tried again.
      expect((await env.store.getSchedule(schedule.id))?.status).toBe('active');
    });

    it('a 429 waits for Retry-After and then posts, without using up a retry', async () => {
      const env = await setup('2026-01-04T12:00:00Z');
      const { schedule } = await env.store.upsertSchedule(scheduleInput(), env.clock.now());
      env.adapter.failNext(schedule.conversationId, new RateLimitedError(7000));
      env.clock.set('2026-01-05T04:00:00Z');
      await env.scheduler.tick();
      expect(env.adapter.posts).toHaveLength(1);
      expect(env.adapter.posts[0]!.at.getTime() - Date.parse('2026-01-05T04:00:00Z')).toBeGreaterThanOrEqual(7000);
      expect(env.sleeps).toContain(7000);
      expect((await env.store.getPost(schedule.id, '2026-01-05'))?.attempts).toBe(1);
    });

    it('a platform this process does not serve is left alone (another process may serve it)', async () => {
      const env = await setup('2026-01-04T12:00:00Z');
      const { schedule } = await env.store.upsertSchedule(
        scheduleInput({ platform: 'slack', conversationId: 'slack:T1:C1' }),
        env.clock.now(),
      );
      env.clock.set('2026-01-05T04:00:00Z');
      await env.scheduler.tick();
      expect(await env.store.listPosts(schedule.id)).toEqual([]);
    });
  });

  describe('threads and summaries', () => {
    it('starts a discussion thread where the platform supports it', async () => {
      const clock = new ManualClock('2026-01-04T12:00:00Z');
      const env = await setup('', { clock, adapter: new RecordingAdapter('memory', clock, { threads: true }) });
      const { schedule } = await env.store.upsertSchedule(scheduleInput(), clock.now());
      clock.set('2026-01-05T04:00:00Z');
      await env.scheduler.tick();
      expect(env.adapter.threads).toHaveLength(1);
      expect(env.adapter.threads[0]!.name).toContain('2026-01-05');
      expect((await env.store.getPost(schedule.id, '2026-01-05'))?.threadId).toBe(`${schedule.conversationId}/t${env.adapter.posts[0]!.messageId}`);
    });

    it('posts the summary at the reveal time, once', async () => {
      const env = await setup('2026-01-04T12:00:00Z');
      await env.store.upsertSchedule(scheduleInput({ revealTime: '17:00' }), env.clock.now());
      await runMinutes(env, '2026-01-05T03:58:00Z', '2026-01-05T04:02:00Z');
      await runMinutes(env, '2026-01-05T11:28:00Z', '2026-01-05T11:32:00Z'); // 17:00 IST = 11:30Z
      expect(env.adapter.posts.map((r) => [r.at.toISOString(), messageText(r.message).trim()])).toEqual([
        ['2026-01-05T04:00:00.000Z', expect.stringMatching(/^Question for .* on 2026-01-05$/)],
        ['2026-01-05T11:30:00.000Z', 'Summary of 2026-01-05 (q1)'],
      ]);
    });

    it('without a reveal time, posts the summary just before the next day’s question', async () => {
      const env = await setup('2026-01-04T12:00:00Z');
      await env.store.upsertSchedule(scheduleInput(), env.clock.now());
      await runMinutes(env, '2026-01-05T03:59:00Z', '2026-01-05T04:01:00Z');
      await runMinutes(env, '2026-01-06T03:59:00Z', '2026-01-06T04:01:00Z');
      expect(env.adapter.posts.map((r) => messageText(r.message).trim())).toEqual([
        expect.stringMatching(/2026-01-05$/),
        'Summary of 2026-01-05 (q1)',
        expect.stringMatching(/2026-01-06$/),
      ]);
    });
  });

  describe('start and stop', () => {
    it('start() runs a catch-up tick immediately; stop() waits for it', async () => {
      const env = await setup('2026-01-04T12:00:00Z');
      await env.store.upsertSchedule(scheduleInput(), env.clock.now());
      env.clock.set('2026-01-05T04:30:00Z');
      env.scheduler.start();
      await env.scheduler.stop();
      expect(env.adapter.posts).toHaveLength(1);
    });
  });

  describe('minute jobs', () => {
    it('runs every job on each tick with the clock’s time; a failing job is logged and the others still run', async () => {
      const seen: string[] = [];
      const errors: string[] = [];
      const env = await setup('2026-01-05T09:00:00Z', {
        scheduler: {
          minuteJobs: [
            { name: 'broken', run: async () => Promise.reject(new Error('boom')) },
            { name: 'records', run: async (now) => void seen.push(now.toISOString()) },
          ],
          logger: { info() {}, warn() {}, error: (obj) => void errors.push(JSON.stringify(obj)) },
        },
      });
      await runMinutes(env, '2026-01-05T09:00:00Z', '2026-01-05T09:02:00Z');
      expect(seen).toEqual(['2026-01-05T09:00:00.000Z', '2026-01-05T09:01:00.000Z', '2026-01-05T09:02:00.000Z']);
      expect(errors).toHaveLength(3);
      expect(errors[0]).toContain('broken');
    });
  });
  // Minute-by-minute runs over two days are thousands of ticks, each a few queries: seconds
  // on SQLite, tens of seconds on PGlite under a busy machine. Correctness, not speed, is tested here.
}, 180_000);

describe('send queue', () => {
  it('never runs more jobs at once than the platform allows', async () => {
    const clock = new ManualClock(0);
    const queue = createSendQueue({ clock, limits: { memory: { concurrency: 3 } }, sleep: async () => {} });
    let active = 0;
    let peak = 0;
    const gates: (() => void)[] = [];
    const jobs = Array.from({ length: 10 }, () =>
      queue.run('memory', async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise<void>((resolve) => gates.push(resolve));
        active--;
      }),
    );
    while (gates.length > 0 || active > 0) {
      await new Promise((r) => setImmediate(r));
      gates.shift()?.();
    }
    await Promise.all(jobs);
    expect(peak).toBe(3);
  });

  it('paces calls to the configured rate', async () => {
    const clock = new ManualClock(0);
    const sleeps: number[] = [];
    const queue = createSendQueue({
      clock,
      limits: { memory: { concurrency: 1, perSecond: 10, burst: 2 } },
      sleep: async (ms) => {
        sleeps.push(ms);
        clock.advance(ms);
      },
    });
    const times: number[] = [];
    for (let i = 0; i < 6; i++) await queue.run('memory', (send) => send(async () => times.push(clock.now().getTime())));
    // Two back-to-back (burst), then one every 100 ms.
    expect(times).toEqual([0, 0, 100, 200, 300, 400]);
  });
});

describe('send queue without a configured rate', () => {
  it('after a 429, spaces further calls by the Retry-After instead of waking every waiter at once', async () => {
    const clock = new ManualClock(0);
    const queue = createSendQueue({
      clock,
      limits: { memory: { concurrency: 1 } },
      sleep: async (ms) => clock.advance(ms),
    });
    const times: number[] = [];
    let rejectNext = true;
    const call = async () => {
      if (rejectNext) {
        rejectNext = false;
        throw new RateLimitedError(100);
      }
      times.push(clock.now().getTime());
    };
    for (let i = 0; i < 4; i++) await queue.run('memory', (send) => send(call));
    expect(times[0]).toBeGreaterThanOrEqual(100);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(95);
  });
});

// Keep the store type referenced so a signature change shows up here too.
export type _Store = ScheduleRepository;

