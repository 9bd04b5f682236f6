/**
 * The daily question on Discord through the shipped wiring: environment config →
 * createApp → the Discord adapter (real discord.js) → the Discord fake. Two app
 * instances over one database file stand in for two bot processes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { registerDiscordCommands } from '../../../src/adapters/discord/index.ts';
import type { App } from '../../../src/app.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { createSqliteBankRepository } from '../../../src/store/sqlite/bank.ts';
import { createSqliteScheduleRepository } from '../../../src/store/sqlite/schedules.ts';
import { pingsAnyone, startFakeDiscord, type FakeDiscord, type FakeMessage } from '../../fakes/discord/index.ts';
import { startProcess, tempDbPath } from './rig.ts';

let discord: FakeDiscord | undefined;
const apps: App[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const app of apps.splice(0).reverse()) await app.stop();
  await discord?.close();
  discord = undefined;
  for (const c of cleanups.splice(0)) c();
});

/** Text a user reads: Discord's backslash escapes removed. */
const read = (m: FakeMessage) => m.content.replace(/\\([^0-9A-Za-z\s])/g, '$1');

async function setup() {
  const d = (discord = await startFakeDiscord());
  const db = tempDbPath();
  cleanups.push(db.cleanup);
  const env = {
    PREPBOT_ADAPTERS: 'discord',
    PREPBOT_DB: db.path,
    DISCORD_TOKEN: d.token,
    DISCORD_APPLICATION_ID: d.applicationId,
    DISCORD_API_BASE: d.restUrl,
  };
  // Monday 2 March 2026, 08:30 in Kolkata (UTC+5:30).
  const clock = new ManualClock('2026-03-02T03:00:00Z');
  const app = await startProcess(env, clock);
  apps.push(app);
  await registerDiscordCommands({
    token: d.token,
    applicationId: d.applicationId,
    guildId: d.guild.id,
    commands: app.bot.commands,
    restApi: d.restUrl,
  });
  const general = d.channels.general.id;
  /** What everyone in #general sees from the bot (no ephemerals, no thread messages). */
  const channelPosts = () => d.publicMessages(general).filter((m) => m.authorId === d.botUser.id);
  return { d, env, clock, app, general, channelPosts };
}

/** Runs a slash command and waits until the bot has answered it (and finished its follow-ups). */
async function run(d: FakeDiscord, app: App, name: string, options: Record<string, string>, user: FakeDiscord['users']['alice']) {
  const i = await d.slash(name, options, { user });
  await d.waitForResponse(i.id);
  for (const a of app.adapters) await (a as { idle?: () => Promise<void> }).idle?.();
  return d.messages.filter((m) => m.interactionId === i.id && !m.deleted && !m.loading);
}

describe('daily question on Discord, real app', () => {
  it('admin sets it; non-admin refused privately; posted once at 09:30 Kolkata with a thread; answer privately; one summary at 17:00 under a spoiler', async () => {
    const { d, env, clock, app, general, channelPosts } = await setup();
    const { alice, bob } = d.users;
    const options = { time: '09:30', timezone: 'Asia/Kolkata', days: 'mon-fri', reveal: '17:00' };

    // bob has no Manage Server / Manage Channels: a polite refusal only he sees, nothing stored.
    const refused = await run(d, app, 'schedule set', options, bob);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.ephemeralTo).toBe(bob.id);
    expect(read(refused[0]!)).toMatch(/sorry/i);
    expect(channelPosts()).toHaveLength(0);
    const schedules = createSqliteScheduleRepository(app.db);
    expect(await schedules.listSchedules({})).toHaveLength(0);

    // alice has Manage Server.
    const confirmed = await run(d, app, 'schedule set', options, alice);
    expect(confirmed.map((m) => m.ephemeralTo)).toEqual([undefined]);
    expect(read(confirmed[0]!)).toContain('09:30 Asia/Kolkata');
    const [schedule] = await schedules.listSchedules({});
    expect(schedule).toMatchObject({ conversationId: `discord:${d.guild.id}:${general}`, createdBy: `discord:user:${alice.id}`, revealTime: '17:00' });

    // 09:29 Kolkata: nothing yet.
    clock.set('2026-03-02T03:59:00Z');
    expect((await app.scheduler.tick()).posted).toBe(0);
    const before = channelPosts().length;

    // 09:30 Kolkata = 04:00 UTC.
    clock.set('2026-03-02T04:00:00Z');
    expect((await app.scheduler.tick()).posted).toBe(1);
    const dailies = channelPosts().slice(before);
    expect(dailies).toHaveLength(1);
    const daily = dailies[0]!;
    const [post] = await schedules.listPosts(schedule!.id);
    expect(post).toMatchObject({ localDate: '2026-03-02', status: 'sent', messageId: daily.id });
    const question = (await createSqliteBankRepository(app.db).getQuestion(post!.questionId!))!;
    expect(read(daily)).toContain('Daily question');
    expect(read(daily)).toContain(question.prompt.replace(/\s+/g, ' ').slice(0, 30));
    const answerButton = d.buttonsOn(daily).find((b) => /answer/i.test(b.label ?? ''));
    expect(answerButton).toBeDefined();
    // A discussion thread under the question, recorded for the summary.
    expect(daily.threadId).toBeDefined();
    expect(d.world.channels.get(daily.threadId!)).toMatchObject({ parentId: general, type: 11 });
    expect(post!.threadId).toBe(`discord:${d.guild.id}:${daily.threadId}`);

    // A repeated tick and a second process on the same database file: nothing more.
    const second = await startProcess(env, clock);
    apps.push(second);
    clock.set('2026-03-02T04:01:00Z');
    const [again, other] = await Promise.all([app.scheduler.tick(), second.scheduler.tick()]);
    expect(again.posted + other.posted).toBe(0);
    expect(channelPosts().slice(before)).toHaveLength(1);

    // bob answers from the channel message: modal, then a private reveal.
    clock.set('2026-03-02T05:00:00Z');
    const publicBefore = d.publicMessages().length;
    const click = await d.click(answerButton!.custom_id, daily, { user: bob });
    await d.waitForResponse(click.id);
    const modal = d.modalsShownTo(bob).at(-1);
    expect(modal).toBeDefined();
    const bobAnswer = 'My own words about this question, written by bob.';
    const submit = await d.submitModal(modal.custom_id, { answer: bobAnswer }, { user: bob });
    await d.waitForResponse(submit.id);
    for (const a of [...app.adapters, ...second.adapters]) await (a as { idle?: () => Promise<void> }).idle?.();
    const privateToBob = d.messages.filter((m) => m.ephemeralTo === bob.id && m.interactionId === submit.id && !m.deleted);
    expect(privateToBob.map(read).join('\n')).toContain(bobAnswer);
    const firstAnswerLine = question.answer.trim().split('\n')[0]!.replace(/^[-*]\s+/, '').slice(0, 40);
    expect(privateToBob.map(read).join('\n')).toContain(firstAnswerLine);
    // The channel learns only that bob answered: neither his words nor the reference answer.
    const publicAfterAnswer = d.publicMessages().slice(publicBefore);
    expect(publicAfterAnswer.map(read).join('\n')).toMatch(/bob answered/);
    for (const m of [...publicAfterAnswer, daily]) {
      expect(read(m)).not.toContain(bobAnswer);
      expect(read(m)).not.toContain(firstAnswerLine);
    }

    // 16:59 Kolkata: no summary yet; 17:00 (11:30 UTC): exactly one, from either process.
    clock.set('2026-03-02T11:29:00Z');
    expect((await app.scheduler.tick()).revealed).toBe(0);
    const beforeSummary = channelPosts().length;
    clock.set('2026-03-02T11:30:00Z');
    const reveals = await Promise.all([app.scheduler.tick(), second.scheduler.tick()]);
    expect(reveals[0].revealed + reveals[1].revealed).toBe(1);
    await Promise.all([app.scheduler.tick(), second.scheduler.tick()]);
    const summaries = channelPosts().slice(beforeSummary);
    expect(summaries).toHaveLength(1);
    const summary = read(summaries[0]!);
    expect(summary).toContain('2026-03-02');
    expect(summary).toMatch(/1 person answered/);
    expect(summary).toContain('bob');
    expect(summary).not.toContain(bobAnswer);
    // The reference answer sits inside ||spoiler|| markers, nowhere outside them.
    const hidden = [...summary.matchAll(/\|\|([\s\S]*?)\|\|/g)].map((m) => m[1]).join('\n');
    expect(hidden).toContain(firstAnswerLine);
    expect(summary.replace(/\|\|[\s\S]*?\|\|/g, '')).not.toContain(firstAnswerLine);
    // No pings: every message the bot sent carried allowed_mentions with nothing to parse.
    for (const r of d.sentMessageBodies()) {
      const body = r.body?.data ?? r.body;
      expect(body.allowed_mentions, `${r.method} ${r.path}`).toEqual({ parse: [] });
    }
    for (const m of d.publicMessages()) expect(pingsAnyone(m.pings), read(m)).toBe(false);
    expect((await schedules.listPosts(schedule!.id))[0]).toMatchObject({ revealStatus: 'sent', revealMessageId: summaries[0]!.id });
  });

  it('/schedule preview shows the next question to the admin only, without buttons; /schedule list is private', async () => {
    const { d, clock, app, general, channelPosts } = await setup();
    const { alice, bob } = d.users;
    await run(d, app, 'schedule set', { time: '09:30', timezone: 'Asia/Kolkata', days: 'mon-fri' }, alice);
    const publicBefore = d.publicMessages().length;

    // bob may not preview (it would spoil nothing, but it is an admin tool).
    const refused = await run(d, app, 'schedule preview', {}, bob);
    expect(refused.map((m) => m.ephemeralTo)).toEqual([bob.id]);
    expect(read(refused[0]!)).toMatch(/sorry/i);

    const preview = await run(d, app, 'schedule preview', {}, alice);
    expect(preview.length).toBeGreaterThan(0);
    for (const m of preview) {
      expect(m.ephemeralTo).toBe(alice.id);
      expect(d.buttonsOn(m)).toHaveLength(0);
    }
    const previewText = preview.map(read).join('\n');
    expect(previewText).toContain('2026-03-02');
    expect(d.publicMessages().length).toBe(publicBefore);

    const list = await run(d, app, 'schedule list', {}, bob);
    expect(list.map((m) => m.ephemeralTo)).toEqual([bob.id]);
    expect(read(list[0]!)).toContain('09:30 Asia/Kolkata');
    expect(read(list[0]!)).toMatch(/this channel/);

    // What the preview showed is what the channel gets at 09:30.
    clock.set('2026-03-02T04:00:00Z');
    await app.scheduler.tick();
    const daily = channelPosts().filter((m) => m.channelId === general).at(-1)!;
    const schedules = createSqliteScheduleRepository(app.db);
    const [post] = await schedules.listPosts((await schedules.listSchedules({}))[0]!.id);
    const question = (await createSqliteBankRepository(app.db).getQuestion(post!.questionId!))!;
    expect(read(daily)).toContain(question.prompt.slice(0, 30));
    expect(previewText).toContain(question.prompt.slice(0, 30));

    // Afterwards the list shows the day as posted.
    const after = await run(d, app, 'schedule list', {}, alice);
    expect(read(after[0]!)).toMatch(/last posted 2026-03-02/);
  });

  it('a channel the bot lost access to: the schedule pauses with the reason and its owner gets a DM', async () => {
    const { d, clock, app, general, channelPosts } = await setup();
    const { alice } = d.users;
    await run(d, app, 'schedule set', { time: '09:30', timezone: 'Asia/Kolkata', days: 'daily' }, alice);
    d.world.channels.get(general)!.botHasNoAccess = true;
    clock.set('2026-03-02T04:00:00Z');
    const report = await app.scheduler.tick();
    expect(report).toMatchObject({ posted: 0, paused: 1 });
    const schedules = createSqliteScheduleRepository(app.db);
    const [schedule] = await schedules.listSchedules({});
    expect(schedule!.status).toBe('paused');
    expect(schedule!.pausedReason).toMatch(/Missing Access/i);
    const dm = d.messagesVisibleTo(alice).filter((m) => d.world.channels.get(m.channelId)?.type === 1);
    expect(dm).toHaveLength(1);
    expect(read(dm[0]!)).toContain('/schedule resume');
    expect(channelPosts()).toHaveLength(1); // only the confirmation of /schedule set
    // Paused: later days post nothing and do not notify again.
    clock.set('2026-03-03T04:00:00Z');
    expect(await app.scheduler.tick()).toMatchObject({ posted: 0, paused: 0 });
    expect(d.messagesVisibleTo(alice).filter((m) => d.world.channels.get(m.channelId)?.type === 1)).toHaveLength(1);
  });
});
