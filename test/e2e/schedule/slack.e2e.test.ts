/**
 * The daily question on Slack through the shipped wiring: environment config →
 * createApp → the Slack adapter (real Bolt, Socket Mode) → the Slack fake. Two
 * app instances over one database file stand in for two bot processes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src/app.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { createSqliteBankRepository } from '../../../src/store/sqlite/bank.ts';
import { createSqliteScheduleRepository } from '../../../src/store/sqlite/schedules.ts';
import { FakeSlack, startFakeSlack, type SurfaceMessage } from '../../fakes/slack/index.ts';
import { startProcess, tempDbPath } from './rig.ts';

let slack: FakeSlack | undefined;
const apps: App[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const app of apps.splice(0).reverse()) await app.stop();
  await slack?.close();
  slack = undefined;
  for (const c of cleanups.splice(0)) c();
});

const text = (m: SurfaceMessage) => FakeSlack.render(m);
const SET = '/schedule set time:09:30 timezone:Asia/Kolkata days:mon-fri reveal:17:00';

async function setup(extraEnv: Record<string, string> = {}) {
  const s = (slack = await startFakeSlack());
  const db = tempDbPath();
  cleanups.push(db.cleanup);
  const env = {
    PREPBOT_ADAPTERS: 'slack',
    PREPBOT_DB: db.path,
    SLACK_BOT_TOKEN: s.botToken,
    SLACK_APP_TOKEN: s.appToken,
    SLACK_API_URL: s.apiUrl,
    ...extraEnv,
  };
  // Monday 2 March 2026, 08:30 in Kolkata (UTC+5:30).
  const clock = new ManualClock('2026-03-02T03:00:00Z');
  const app = await startProcess(env, clock);
  apps.push(app);
  /** What everyone in #general sees from the bot. */
  const channelPosts = (channel = 'C0GENERAL') => s.surfaces.filter((m) => m.kind === 'message' && m.channel === channel && !m.deleted);
  /** Runs a slash command and waits for the first thing the bot shows in answer (public or to the user). */
  const run = async (user: string, line: string, channel = 'C0GENERAL') => {
    const seq = s.surfaces.length;
    await s.slash(user, channel, line);
    await s.waitFor(() => s.surfaces.length > seq);
    return s.surfaces.slice(seq);
  };
  return { s, env, clock, app, channelPosts, run };
}

describe('daily question on Slack, real app', () => {
  it('workspace admin sets it; member refused privately; posted once at 09:30 Kolkata; answer privately; one summary at 17:00', async () => {
    const { s, env, clock, app, channelPosts, run } = await setup();

    const refused = await run('U0BOB', SET);
    expect(refused.map((m) => [m.kind, m.to])).toEqual([['ephemeral', 'U0BOB']]);
    expect(text(refused[0]!)).toMatch(/sorry/i);
    const schedules = createSqliteScheduleRepository(app.db);
    expect(await schedules.listSchedules({})).toHaveLength(0);

    // U0ADMIN is a workspace admin (users.info is_admin).
    const confirmed = await run('U0ADMIN', SET);
    expect(confirmed.map((m) => m.kind)).toEqual(['message']);
    expect(text(confirmed[0]!)).toContain('09:30 Asia/Kolkata');
    const [schedule] = await schedules.listSchedules({});
    expect(schedule).toMatchObject({ conversationId: `slack:${s.team.id}:C0GENERAL`, createdBy: `slack:${s.team.id}:U0ADMIN`, revealTime: '17:00' });

    clock.set('2026-03-02T03:59:00Z');
    expect((await app.scheduler.tick()).posted).toBe(0);
    const before = channelPosts().length;
    clock.set('2026-03-02T04:00:00Z');
    expect((await app.scheduler.tick()).posted).toBe(1);
    const dailies = channelPosts().slice(before);
    expect(dailies).toHaveLength(1);
    const daily = dailies[0]!;
    const [post] = await schedules.listPosts(schedule!.id);
    // Slack threads need no creating: the discussion thread is the replies under the daily post.
    expect(post).toMatchObject({ localDate: '2026-03-02', status: 'sent', messageId: daily.ts, threadId: `slack:${s.team.id}:C0GENERAL:${daily.ts}` });
    const question = (await createSqliteBankRepository(app.db).getQuestion(post!.questionId!))!;
    expect(text(daily)).toContain('Daily question');
    expect(text(daily)).toContain(question.prompt.slice(0, 30));
    expect(FakeSlack.buttons(daily.blocks).map((b) => b.label)).toContainEqual(expect.stringMatching(/answer/i));

    // A repeated tick and a second process on the same database file: nothing more.
    const second = await startProcess(env, clock);
    apps.push(second);
    clock.set('2026-03-02T04:01:00Z');
    const [again, other] = await Promise.all([app.scheduler.tick(), second.scheduler.tick()]);
    expect(again.posted + other.posted).toBe(0);
    expect(channelPosts().slice(before)).toHaveLength(1);

    // bob answers: modal, private reveal; the channel learns only that he answered.
    clock.set('2026-03-02T05:00:00Z');
    const seq = s.surfaces.length;
    await s.click('U0BOB', daily, { actionId: 'answer' });
    const modal = await s.waitFor(() => s.lastOpenView('U0BOB'));
    expect(JSON.stringify(modal.view)).toContain(question.prompt.slice(0, 30));
    const bobAnswer = 'My own words about this question, written by bob.';
    await s.submitView('U0BOB', modal, bobAnswer);
    const firstAnswerLine = question.answer.trim().split('\n')[0]!.replace(/^[-*]\s+/, '').slice(0, 40);
    const reveal = await s.waitFor(() => s.surfaces.slice(seq).find((m) => m.to === 'U0BOB' && text(m).includes(firstAnswerLine)));
    expect(reveal.kind).not.toBe('message');
    expect(text(reveal)).toContain(bobAnswer);
    await s.waitFor(() => s.surfaces.slice(seq).find((m) => m.kind === 'message' && /bob/i.test(text(m))));
    for (const m of [...s.surfaces.slice(seq), daily].filter((x) => x.kind === 'message')) {
      expect(text(m)).not.toContain(bobAnswer);
      expect(text(m)).not.toContain(firstAnswerLine);
    }

    clock.set('2026-03-02T11:29:00Z');
    expect((await app.scheduler.tick()).revealed).toBe(0);
    const beforeSummary = channelPosts().length;
    clock.set('2026-03-02T11:30:00Z');
    const reveals = await Promise.all([app.scheduler.tick(), second.scheduler.tick()]);
    expect(reveals[0].revealed + reveals[1].revealed).toBe(1);
    await Promise.all([app.scheduler.tick(), second.scheduler.tick()]);
    const summaries = channelPosts().slice(beforeSummary);
    expect(summaries).toHaveLength(1);
    const summary = text(summaries[0]!);
    expect(summary).toContain('2026-03-02');
    expect(summary).toMatch(/1 person answered/);
    expect(summary).toContain('bob');
    expect(summary).not.toContain(bobAnswer);
    // Slack cannot hide text: the reference answer comes after a divider, and nothing claims it is hidden.
    const blocks = summaries[0]!.blocks;
    const divider = blocks.findIndex((b) => b.type === 'divider');
    expect(divider).toBeGreaterThan(0);
    expect(FakeSlack.render({ text: '', blocks: blocks.slice(0, divider) })).not.toContain(firstAnswerLine);
    expect(FakeSlack.render({ text: '', blocks: blocks.slice(divider) })).toContain(firstAnswerLine);
    expect(summary).not.toMatch(/hidden|spoiler|\|\|/i);
    // The notification text (what a push or a screen reader gets) does not give the answer away.
    expect(summaries[0]!.text).not.toContain(firstAnswerLine);
    expect((await schedules.listPosts(schedule!.id))[0]).toMatchObject({ revealStatus: 'sent', revealMessageId: summaries[0]!.ts });
    // No pings anywhere in what the bot wrote.
    for (const t of s.allBotText()) expect(t).not.toMatch(/<!(channel|here|everyone)>|<@U/);
  });

  it('/schedule preview goes only to the admin, without buttons; /schedule list is private', async () => {
    const { s, clock, app, channelPosts, run } = await setup();
    await run('U0ADMIN', '/schedule set time:09:30 timezone:Asia/Kolkata days:mon-fri');
    const publicBefore = channelPosts().length;

    const refused = await run('U0BOB', '/schedule preview');
    expect(refused.map((m) => [m.kind, m.to])).toEqual([['ephemeral', 'U0BOB']]);
    expect(text(refused[0]!)).toMatch(/sorry/i);

    const preview = await run('U0ADMIN', '/schedule preview');
    expect(preview.length).toBeGreaterThan(0);
    for (const m of preview) {
      expect([m.kind, m.to]).toEqual(['ephemeral', 'U0ADMIN']);
      expect(FakeSlack.buttons(m.blocks)).toHaveLength(0);
    }
    const previewText = preview.map(text).join('\n');
    expect(previewText).toContain('2026-03-02');
    expect(channelPosts()).toHaveLength(publicBefore);

    const list = await run('U0BOB', '/schedule list');
    expect(list.map((m) => [m.kind, m.to])).toEqual([['ephemeral', 'U0BOB']]);
    expect(text(list[0]!)).toContain('09:30 Asia/Kolkata');

    clock.set('2026-03-02T04:00:00Z');
    await app.scheduler.tick();
    const schedules = createSqliteScheduleRepository(app.db);
    const [post] = await schedules.listPosts((await schedules.listSchedules({}))[0]!.id);
    const question = (await createSqliteBankRepository(app.db).getQuestion(post!.questionId!))!;
    expect(text(channelPosts().at(-1)!)).toContain(question.prompt.slice(0, 30));
    expect(previewText).toContain(question.prompt.slice(0, 30));
    expect(s.surfaces.filter((m) => m.kind === 'message' && m.channel === 'C0GENERAL')).toHaveLength(publicBefore + 1);
  });

  it.each([
    ['archived', (s: FakeSlack): void => {
      s.channels.get('C0SQUAD')!.archived = true;
    }, /is_archived/],
    ['removed the bot from', (s: FakeSlack): void => {
      s.channels.get('C0SQUAD')!.botIsMember = false;
    }, /channel_not_found/],
  ] as const)('a private channel someone %s: the schedule pauses with the reason and its owner gets a DM', async (_what, breakIt, reason) => {
    const { s, clock, app, run } = await setup();
    s.addChannel({ id: 'C0SQUAD', name: 'squad', kind: 'private', members: ['U0ALICE', 'U0BOB', 'U0ADMIN'], botIsMember: true });
    await run('U0ADMIN', '/schedule set time:09:30 timezone:Asia/Kolkata days:daily', 'C0SQUAD');
    breakIt(s);
    clock.set('2026-03-02T04:00:00Z');
    expect(await app.scheduler.tick()).toMatchObject({ posted: 0, paused: 1 });
    const schedules = createSqliteScheduleRepository(app.db);
    const [schedule] = await schedules.listSchedules({});
    expect(schedule!.status).toBe('paused');
    expect(schedule!.pausedReason).toMatch(reason);
    const dms = s.surfaces.filter((m) => m.kind === 'message' && m.channel === s.appDm('U0ADMIN').id);
    expect(dms).toHaveLength(1);
    expect(text(dms[0]!)).toContain('/schedule resume');
    expect(text(dms[0]!)).toMatch(reason);
    // Paused: the next day neither posts nor notifies again.
    clock.set('2026-03-03T04:00:00Z');
    expect(await app.scheduler.tick()).toMatchObject({ posted: 0, paused: 0 });
    expect(s.surfaces.filter((m) => m.channel === s.appDm('U0ADMIN').id)).toHaveLength(1);
    // /schedule list tells the admin why.
    const list = await run('U0ADMIN', '/schedule list', 'C0GENERAL');
    expect(text(list[0]!)).toMatch(/paused/);
  });

  it('SLACK_ADMINS lets a member manage schedules; the creator may change their own; others may not', async () => {
    const { s, app, run } = await setup({ SLACK_ADMINS: 'slack:T0FAKE01:U0ALICE' });
    expect(s.team.id).toBe('T0FAKE01');
    const set = await run('U0ALICE', '/schedule set time:08:00 timezone:Europe/Berlin days:daily');
    expect(set.map((m) => m.kind)).toEqual(['message']);
    const schedules = createSqliteScheduleRepository(app.db);
    expect(await schedules.listSchedules({})).toHaveLength(1);

    const refused = await run('U0BOB', '/schedule pause');
    expect(refused.map((m) => [m.kind, m.to])).toEqual([['ephemeral', 'U0BOB']]);
    expect((await schedules.listSchedules({}))[0]!.status).toBe('active');

    const paused = await run('U0ALICE', '/schedule pause');
    expect(paused.map((m) => m.kind)).toEqual(['message']);
    expect((await schedules.listSchedules({}))[0]!.status).toBe('paused');
  });
});
