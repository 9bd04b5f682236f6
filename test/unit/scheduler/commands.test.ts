import { afterEach, describe, expect, it } from 'vitest';
import type { EventContext, InboundEvent } from '../../../src/chat/port.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { createBot } from '../../../src/core/bot.ts';
import { createTopicCatalog } from '../../../src/bank/topics.ts';
import { createScheduleCommands } from '../../../src/core/schedule/commands.ts';
import { createDailyComposer } from '../../../src/core/schedule/daily.ts';
import { createScheduler } from '../../../src/scheduler/runner.ts';
import { openDatabase, type Db } from '../../../src/store/db.ts';
import { createSqliteBankRepository } from '../../../src/store/sqlite/bank.ts';
import { createSqlitePracticeRepository } from '../../../src/store/sqlite/practice.ts';
import { createSqliteScheduleRepository } from '../../../src/store/sqlite/schedules.ts';
import { Recorder, plain } from '../core/harness.ts';
import { seedQuestions } from '../store-practice/seed.ts';
import { RecordingAdapter, messageText } from './helpers.ts';

const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

interface Who {
  user: string;
  name?: string;
  admin?: boolean;
  channel?: string;
  direct?: boolean;
}

async function setup(opts: { admins?: string[] } = {}) {
  const db = openDatabase(':memory:');
  dbs.push(db);
  const ids = await seedQuestions(db, [
    { prompt: 'What is a mutex?', answer: 'A lock for exclusive access.', keyPoints: ['A lock for exclusive access.'], topics: ['concurrency'] },
    { prompt: 'What is a channel?', answer: 'A typed pipe.', keyPoints: ['A typed pipe.'], topics: ['concurrency'] },
    { prompt: 'What is a B-tree?', answer: 'A balanced tree.', keyPoints: ['A balanced tree.'], topics: ['databases'] },
  ]);
  const clock = new ManualClock('2026-01-05T02:00:00Z'); // Monday 07:30 IST
  const bank = createSqliteBankRepository(db);
  const schedules = createSqliteScheduleRepository(db);
  const composer = createDailyComposer({ bank, schedules, clock });
  const bot = createBot({
    practice: createSqlitePracticeRepository(db),
    bank,
    catalog: createTopicCatalog([
      { id: 'concurrency', aliases: ['conc'], keywords: ['mutex', 'channel'] },
      { id: 'databases', aliases: ['db'], keywords: ['index'] },
    ]),
    clock,
    defaultTimezone: 'UTC',
    extraCommands: createScheduleCommands({ schedules, composer, admins: opts.admins ?? [] }),
  });
  const adapter = new RecordingAdapter('slack', clock);
  const scheduler = createScheduler({
    store: schedules,
    clock,
    adapters: new Map([['slack', adapter]]),
    composeDaily: composer.composeDaily,
    composeReveal: composer.composeReveal,
    sleep: async (ms) => clock.advance(ms),
  });
  let seq = 0;
  const ctx = (who: Who): EventContext => ({
    platform: 'slack',
    workspaceId: 'T1',
    conversationId: who.direct ? `slack:T1:D-${who.user}` : `slack:T1:${who.channel ?? 'C1'}`,
    isDirect: who.direct ?? false,
    actor: { platform: 'slack', id: `slack:T1:${who.user}`, displayName: who.name ?? who.user },
    actorIsAdmin: who.admin ?? false,
    deliveryId: `d${++seq}`,
  });
  const send = async (event: InboundEvent) => {
    const r = new Recorder();
    await bot.handle(event, r);
    return r;
  };
  const schedule = (who: Who, subcommand: string, options: Record<string, string> = {}) =>
    send({ kind: 'command', ctx: ctx(who), command: 'schedule', options: { subcommand, ...options } });
  return { db, ids, clock, bot, schedules, scheduler, adapter, ctx, send, schedule };
}

const lead: Who = { user: 'lead', name: 'Lead', admin: true };
const member: Who = { user: 'mia', name: 'Mia' };

describe('/schedule set', () => {
  it('an admin schedules the channel; the reply says when it runs next', async () => {
    const env = await setup();
    const r = await env.schedule(lead, 'set', { time: '09:30', timezone: 'Asia/Kolkata', days: 'mon-fri', topic: 'conc', reveal: '17:00' });
    expect(r.replies).toHaveLength(1);
    expect(r.replies[0]!.visibility).toBe('public');
    expect(r.texts()[0]).toMatch(/09:30 Asia\/Kolkata, Mon–Fri, topic concurrency, answer at 17:00/);
    expect(r.texts()[0]).toMatch(/Next: 2026-01-05 09:30 \(in 2 h\)/);
    const s = await env.schedules.scheduleFor('slack:T1:C1');
    expect(s).toMatchObject({ localTime: '09:30', timezone: 'Asia/Kolkata', topic: 'concurrency', revealTime: '17:00', createdBy: 'slack:T1:lead' });
    expect(s?.weekdays).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
  });

  it('set again changes the channel’s one schedule instead of adding a second', async () => {
    const env = await setup();
    await env.schedule(lead, 'set', { time: '09:30', timezone: 'Asia/Kolkata' });
    const r = await env.schedule(lead, 'set', { time: '10:15', timezone: 'asia/kolkata', days: 'daily' });
    expect(r.texts()[0]).toMatch(/updated/);
    const all = await env.schedules.listSchedules({});
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ localTime: '10:15', timezone: 'Asia/Kolkata' });
  });

  it('rejects bad input privately with an example', async () => {
    const env = await setup();
    const cases: [Record<string, string>, RegExp][] = [
      [{ time: '25:00' }, /time: .*not a valid time/],
      [{ time: '09:30', timezone: 'Mars/Olympus' }, /timezone: "Mars\/Olympus" is not a time zone/],
      [{ time: '09:30', days: 'funday' }, /days: "funday" is not a day/],
      [{ time: '09:30', topic: 'astrology' }, /topic: no topic matches "astrology"/],
      [{ time: '09:30', reveal: '08:00' }, /reveal: 08:00 must be later the same day than time 09:30/],
    ];
    for (const [options, error] of cases) {
      const r = await env.schedule(lead, 'set', options);
      expect(r.replies.map((x) => x.visibility)).toEqual(['private']);
      expect(r.texts()[0]).toMatch(error);
      expect(r.texts()[0]).toContain('/schedule set time:09:30 timezone:Asia/Kolkata days:mon-fri');
    }
    expect(await env.schedules.listSchedules({})).toEqual([]);
  });

  it('without a timezone, uses the person’s zone', async () => {
    const env = await setup();
    await env.send({ kind: 'command', ctx: env.ctx(lead), command: 'timezone', options: { zone: 'Europe/Berlin' } });
    await env.schedule(lead, 'set', { time: '08:00' });
    expect((await env.schedules.scheduleFor('slack:T1:C1'))?.timezone).toBe('Europe/Berlin');
  });

  it('asks to be run in a channel, not a DM', async () => {
    const env = await setup();
    const r = await env.schedule({ ...lead, direct: true }, 'set', { time: '09:30' });
    expect(r.texts('private')[0]).toMatch(/in the channel where the daily question should appear/);
    expect(await env.schedules.listSchedules({})).toEqual([]);
  });
});

describe('permissions', () => {
  it('a member who is not an admin gets a polite private refusal for every change', async () => {
    const env = await setup();
    await env.schedule(lead, 'set', { time: '09:30', timezone: 'Asia/Kolkata' });
    for (const sub of ['set', 'pause', 'resume', 'delete', 'preview']) {
      const r = await env.schedule(member, sub, sub === 'set' ? { time: '06:00' } : {});
      expect(r.replies.map((x) => x.visibility), sub).toEqual(['private']);
      expect(r.texts()[0], sub).toMatch(/^Sorry, only channel admins and whoever set up/);
    }
    expect((await env.schedules.scheduleFor('slack:T1:C1'))).toMatchObject({ status: 'active', localTime: '09:30' });
  });

  it('anyone may list', async () => {
    const env = await setup();
    await env.schedule(lead, 'set', { time: '09:30', timezone: 'Asia/Kolkata' });
    const r = await env.schedule(member, 'list');
    expect(r.texts('private')[0]).toMatch(/this channel: 09:30 Asia\/Kolkata, Mon–Fri/);
  });

  it('the schedule’s creator may manage it after losing admin rights; PREPBOT_ADMINS accounts may manage any', async () => {
    const env = await setup({ admins: ['slack:T1:ops'] });
    await env.schedule(lead, 'set', { time: '09:30', timezone: 'Asia/Kolkata' });
    const creatorNoLongerAdmin = { ...lead, admin: false };
    expect((await env.schedule(creatorNoLongerAdmin, 'pause')).texts()[0]).toMatch(/paused by Lead/);
    expect((await env.schedule({ user: 'ops' }, 'resume')).texts()[0]).toMatch(/resumed/);
    expect((await env.schedules.scheduleFor('slack:T1:C1'))?.status).toBe('active');
  });
});

describe('pause, resume, delete, preview', () => {
  it('pause stops posts, resume starts them again from the next day, delete removes the schedule', async () => {
    const env = await setup();
    await env.schedule(lead, 'set', { time: '09:30', timezone: 'Asia/Kolkata', days: 'daily' });
    expect((await env.schedule(lead, 'pause')).texts('public')[0]).toMatch(/paused by Lead/);
    expect((await env.schedule(lead, 'pause')).texts('private')[0]).toMatch(/already paused/);
    env.clock.set('2026-01-05T04:00:00Z');
    await env.scheduler.tick();
    expect(env.adapter.posts).toHaveLength(0);
    expect((await env.schedule(member, 'list')).texts()[0]).toMatch(/paused \(paused by Lead\)/);

    env.clock.set('2026-01-05T05:00:00Z');
    expect((await env.schedule(lead, 'resume')).texts('public')[0]).toMatch(/resumed.*Next: 2026-01-06 09:30/);
    await env.scheduler.tick();
    expect(env.adapter.posts).toHaveLength(0);
    env.clock.set('2026-01-06T04:00:00Z');
    await env.scheduler.tick();
    expect(env.adapter.posts).toHaveLength(1);

    expect((await env.schedule(lead, 'delete')).texts('public')[0]).toMatch(/removed from this channel by Lead/);
    env.clock.set('2026-01-07T04:00:00Z');
    await env.scheduler.tick();
    expect(env.adapter.posts.filter((p) => messageText(p.message).includes('Daily question ·'))).toHaveLength(1);
    expect((await env.schedule(lead, 'pause')).texts()[0]).toMatch(/no daily question in this channel yet/);
  });

  it('preview shows only the admin the question the channel will get, and it matches the post', async () => {
    const env = await setup();
    await env.schedule(lead, 'set', { time: '09:30', timezone: 'Asia/Kolkata', topic: 'concurrency' });
    const r = await env.schedule(lead, 'preview');
    expect(r.replies.map((x) => x.visibility)).toEqual(['private']);
    expect(r.replies[0]!.message.actions ?? []).toEqual([]);
    const preview = r.texts()[0]!;
    expect(preview).toMatch(/only you see this.*2026-01-05 at 09:30/);
    env.clock.set('2026-01-05T04:00:00Z');
    await env.scheduler.tick();
    const posted = plain(env.adapter.posts[0]!.message);
    const prompt = /What is a (mutex|channel)\?/.exec(posted)?.[0];
    expect(prompt).toBeDefined();
    expect(preview).toContain(prompt!);
  });
});

describe('the daily question end to end', () => {
  it('a member answers from the channel post; the summary at reveal time names them and hides the answer', async () => {
    const env = await setup();
    await env.schedule(lead, 'set', { time: '09:30', timezone: 'Asia/Kolkata', topic: 'databases', reveal: '17:00' });
    env.clock.set('2026-01-05T04:00:00Z');
    await env.scheduler.tick();
    const post = env.adapter.posts[0]!;
    expect(plain(post.message)).toMatch(/Daily question · 2026-01-05 · databases.*What is a B-tree\?/);
    const button = post.message.actions!.find((a) => a.id === 'answer')!;

    env.clock.set('2026-01-05T05:00:00Z');
    const pressed = await env.send({ kind: 'button', ctx: env.ctx(member), actionId: 'answer', value: button.value });
    const form = pressed.forms[0]!;
    const answered = await env.send({ kind: 'form', ctx: env.ctx(member), formId: form.id, value: form.value, text: 'MY-PRIVATE-ANSWER: a balanced tree' });
    // The answer and the reference answer go only to the person who answered.
    const publicText = answered.replies.filter((r) => r.visibility === 'public').map((r) => messageText(r.message)).join(' ');
    expect(publicText).not.toMatch(/MY-PRIVATE-ANSWER|A balanced tree\./);
    expect(answered.texts('private').join(' ')).toContain('A balanced tree.');

    env.clock.set('2026-01-05T11:30:00Z');
    await env.scheduler.tick();
    const summary = env.adapter.posts[1]!;
    expect(plain(summary.message)).toMatch(/1 person answered.*Kept their streak: Mia \(1-day streak\)/);
    expect(messageText(summary.message)).not.toContain('MY-PRIVATE-ANSWER');
    expect(plain({ body: summary.message.spoiler! })).toBe('A balanced tree.');
  });
});
