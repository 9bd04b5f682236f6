/**
 * Permissions, through the shipped wiring (createApp, both real SDKs, the fakes):
 *  - every admin-only /schedule action is refused to a non-admin on Discord and on Slack, privately,
 *    and changes nothing;
 *  - forged button ids and forged form metadata (a modified client sending another person's attempt
 *    id) never reveal that person's answer, never answer, give up or rate for them, and never show
 *    the reference to someone who has not answered or given up themselves.
 */
import { bothFakesEnv } from '../both-fakes-env.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { adaptersFromConfig } from '../../../src/adapters/from-config.ts';
import { registerDiscordCommands } from '../../../src/adapters/discord/index.ts';
import { createApp, type App } from '../../../src/app.ts';
import { parseConfig } from '../../../src/config.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { createLogger } from '../../../src/logger.ts';
import { startFakeDiscord, type FakeDiscord, type FakeMessage } from '../../fakes/discord/index.ts';
import { FakeSlack, startFakeSlack } from '../../fakes/slack/index.ts';

let discord: FakeDiscord | undefined;
let slack: FakeSlack | undefined;
let app: App | undefined;
afterEach(async () => {
  await app?.stop({ graceMs: 1000 });
  await discord?.close();
  await slack?.close();
  app = discord = slack = undefined;
});

const read = (m: FakeMessage) => m.content.replace(/\\([^0-9A-Za-z\s])/g, '$1');
const ALICE_ANSWER = 'ALICE-PRIVATE-ANSWER goroutines are scheduled by the runtime';

async function setup() {
  discord = await startFakeDiscord();
  slack = await startFakeSlack();
  const config = parseConfig(bothFakesEnv(discord, slack));
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  const logger = createLogger('silent');
  app = await createApp({ config, clock, logger, makeAdapters: (bot) => adaptersFromConfig(config, bot, { clock, logger }) });
  await registerDiscordCommands({
    token: discord.token,
    applicationId: discord.applicationId,
    guildId: discord.guild.id,
    commands: app.bot.commands,
    restApi: discord.restUrl,
  });
  await app.start();
  return { d: discord, s: slack, a: app };
}

const ADMIN_ACTIONS = ['pause', 'resume', 'delete', 'preview'] as const;
const scheduleRows = (a: App) =>
  a.db.prepare('SELECT conversation_id, status, local_time, created_by FROM schedules ORDER BY conversation_id').all();

describe('admin commands', () => {
  it('Discord: a member without Manage Server/Channels is refused every /schedule change, privately', async () => {
    const { d, a } = await setup();
    const { alice, bob } = d.users; // alice holds the Admin role; bob does not
    const run = async (name: string, options: Record<string, string>, user: typeof alice) => {
      const i = await d.slash(name, options, { user });
      await d.waitForResponse(i.id);
      for (const ad of a.adapters) await (ad as { idle?: () => Promise<void> }).idle?.();
      return d.messages.filter((m) => m.interactionId === i.id && !m.deleted && !m.loading);
    };
    const refusedSet = await run('schedule set', { time: '09:30', timezone: 'UTC', days: 'mon-fri' }, bob);
    expect(refusedSet.map((m) => m.ephemeralTo)).toEqual([bob.id]);
    expect(read(refusedSet[0]!)).toMatch(/sorry, only/i);
    expect(scheduleRows(a)).toEqual([]);

    await run('schedule set', { time: '09:30', timezone: 'UTC', days: 'mon-fri' }, alice);
    const before = scheduleRows(a);
    const botPosts = () => d.publicMessages(d.channels.general.id).filter((m) => m.authorId === d.botUser.id).length;
    const postsBefore = botPosts();
    expect(before).toHaveLength(1);
    for (const action of ['set', ...ADMIN_ACTIONS]) {
      const options: Record<string, string> = action === 'set' ? { time: '06:00', timezone: 'UTC', days: 'mon-fri' } : {};
      const out = await run(`schedule ${action}`, options, bob);
      expect({ action, to: out.map((m) => m.ephemeralTo), text: out.map(read).join(' ') }).toMatchObject({
        action,
        to: [bob.id],
        text: expect.stringMatching(/sorry, only/i),
      });
    }
    expect(scheduleRows(a)).toEqual(before);
    expect(botPosts()).toBe(postsBefore); // nothing Bob did was said in the channel
  });

  it('Slack: a member who is not a workspace admin is refused every /schedule change, privately', async () => {
    const { s, a } = await setup();
    const run = async (user: string, line: string) => {
      const seen = s.visibleTo(user).length;
      await s.slash(user, 'C0GENERAL', line);
      return s.waitFor(() => s.visibleTo(user).slice(seen).at(-1));
    };
    const refused = await run('U0BOB', '/schedule set time:09:30 timezone:UTC days:mon-fri');
    expect(FakeSlack.render(refused)).toMatch(/sorry, only/i);
    expect(refused.kind).not.toBe('message'); // ephemeral or a private response
    expect(scheduleRows(a)).toEqual([]);

    await run('U0ADMIN', '/schedule set time:09:30 timezone:UTC days:mon-fri');
    const before = scheduleRows(a);
    expect(before).toHaveLength(1);
    for (const action of ['set time:06:00 timezone:UTC days:mon-fri', ...ADMIN_ACTIONS]) {
      const out = await run('U0BOB', `/schedule ${action}`);
      expect({ action, text: FakeSlack.render(out), kind: out.kind === 'message' ? 'public' : 'private' }).toEqual({
        action,
        text: expect.stringMatching(/sorry, only/i),
        kind: 'private',
      });
    }
    expect(scheduleRows(a)).toEqual(before);
  });
});

describe('forged button ids and form metadata', () => {
  const aliceAttempt = (a: App) =>
    a.db.prepare('SELECT * FROM attempts WHERE id = (SELECT MIN(id) FROM attempts)').get() as {
      id: number;
      person_id: string;
      answered_at: string | null;
      gave_up: number;
      rating: string | null;
      answer_text: string | null;
    };

  it('Discord: another person cannot answer, give up, rate or read through Alice’s attempt id', async () => {
    const { d, a } = await setup();
    const { alice, bob } = d.users;
    await d.slash('ask', { topic: 'concurrency' }, { user: alice });
    const question = await d.waitUntil(() => d.messagesVisibleTo(alice).find((m) => d.buttonsOn(m).some((b) => /answer/i.test(b.label ?? ''))));
    const id = aliceAttempt(a).id;
    const settle = async (i: { id: string }) => {
      await d.waitForResponse(i.id);
      for (const ad of a.adapters) await (ad as { idle?: () => Promise<void> }).idle?.();
    };

    // Bob submits an answer form forged for Alice's attempt.
    await settle(await d.forgeModalSubmit(`answer:${id}`, 'answer', 'bob typed this', { user: bob }));
    expect(aliceAttempt(a)).toMatchObject({ answered_at: null, gave_up: 0, answer_text: null });
    expect(d.messagesVisibleTo(bob).map(read).join('\n')).not.toMatch(/Reference answer/);

    // Alice answers for real.
    const answer = d.buttonsOn(question).find((b) => /answer/i.test(b.label ?? ''))!;
    await settle(await d.click(answer.custom_id, question, { user: alice }));
    const modal = d.modalsShownTo(alice).at(-1);
    await d.submitModal(modal.custom_id, { answer: ALICE_ANSWER }, { user: alice });
    await d.waitUntil(() => d.messagesVisibleTo(alice).find((m) => /Reference answer/.test(read(m))));

    // Bob forges every button with Alice's attempt id: rate, give up, answer again.
    for (const customId of [`rate:${id}:easy`, `rate:${id}`, `giveup:${id}`, `answer:${id}`]) {
      await settle(await d.forgeClick(customId, question, { user: bob }));
    }
    await settle(await d.forgeModalSubmit(`answer:${id}`, 'answer', 'overwrite', { user: bob }));
    const row = aliceAttempt(a);
    expect(row).toMatchObject({ answer_text: ALICE_ANSWER, gave_up: 0, rating: null });
    const bobSees = d.messagesVisibleTo(bob).map(read).join('\n');
    expect(bobSees).not.toContain('ALICE-PRIVATE-ANSWER');
    // Any reference Bob sees must come from his own attempt (his own give-up), never Alice's.
    const bobAttempts = a.db.prepare('SELECT answered_at, gave_up FROM attempts WHERE person_id <> ?').all(row.person_id) as {
      answered_at: string | null;
      gave_up: number;
    }[];
    if (/Reference answer/.test(bobSees)) expect(bobAttempts.some((b) => b.answered_at !== null)).toBe(true);
    expect(a.db.prepare('SELECT COUNT(*) AS n FROM reviews WHERE person_id = ?').get(row.person_id)).toEqual({ n: 0 });
  });

  it('Slack: forged button values and private_metadata from another user change and reveal nothing of Alice’s', async () => {
    const { s, a } = await setup();
    await s.slash('U0ALICE', 'C0GENERAL', '/ask concurrency');
    const question = await s.waitFor(() => s.visibleTo('U0ALICE').find((m) => /answer/i.test(JSON.stringify(m.blocks)) && m.blocks.some((b: any) => b.type === 'actions')));
    await s.click('U0ALICE', question, { label: 'Answer' });
    const aliceForm = await s.waitFor(() => s.lastOpenView('U0ALICE'));

    // Bob submits a form of his own whose private_metadata was copied from Alice's (it names her attempt).
    const forged = { ...aliceForm, id: 'VFORGEDBOB1', user: 'U0BOB', open: true };
    await s.submitView('U0BOB', forged, 'bob typed this');
    await s.waitFor(() => s.visibleTo('U0BOB').find((m) => /someone else/.test(FakeSlack.render(m))));
    expect(aliceAttempt(a)).toMatchObject({ answered_at: null, answer_text: null });
    expect(s.visibleTo('U0BOB').map((m) => FakeSlack.render(m)).join('\n')).not.toMatch(/Reference answer/);

    // Alice answers; Bob then presses her private reveal's buttons (rate) and her question's Give up.
    await s.submitView('U0ALICE', aliceForm, ALICE_ANSWER);
    const reveal = await s.waitFor(() => s.visibleTo('U0ALICE').find((m) => /Reference answer/.test(FakeSlack.render(m))));
    const seenByBob = s.visibleTo('U0BOB').length;
    await s.click('U0BOB', reveal, { label: 'Easy' });
    await s.click('U0BOB', question, { label: 'Give up' });
    await s.waitFor(() => s.visibleTo('U0BOB').length >= seenByBob + 2);
    const row = aliceAttempt(a);
    expect(row).toMatchObject({ answer_text: ALICE_ANSWER, rating: null, gave_up: 0 });
    expect(s.visibleTo('U0BOB').map((m) => FakeSlack.render(m)).join('\n')).not.toContain('ALICE-PRIVATE-ANSWER');
  });
});
