/**
 * Discord gateway faults through the shipped wiring (config → createApp → the Discord adapter with
 * real discord.js → the Discord fake): Discord closes the WebSocket mid-session with a resumable
 * code; discord.js reconnects to resume_gateway_url and RESUMEs; an interaction dispatched while the
 * socket was down is replayed on RESUME and handled once, a dispatch Discord sends twice (replayed
 * although the client had it) is handled once, and interactions after the resume work. Nothing sleeps:
 * the test waits for the fake's "resumed" event and for the bot's answers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { registerDiscordCommands } from '../../../src/adapters/discord/index.ts';
import type { App } from '../../../src/app.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { startFakeDiscord, type FakeDiscord, type FakeMessage } from '../../fakes/discord/index.ts';
import { startProcess, tempDbPath } from '../schedule/rig.ts';

let discord: FakeDiscord | undefined;
let app: App | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await app?.stop();
  app = undefined;
  await discord?.close();
  discord = undefined;
  for (const c of cleanups.splice(0)) c();
});

const read = (m: FakeMessage) => m.content.replace(/\\([^0-9A-Za-z\s])/g, '$1');

describe.each([4000, 4009, 1011])('Discord closes the gateway with %i mid-session', (code) => {
  it('discord.js resumes the session; interactions sent while it was down, replayed twice, or after are handled once', { timeout: 30_000 }, async () => {
    const d = (discord = await startFakeDiscord());
    const db = tempDbPath();
    cleanups.push(db.cleanup);
    const env = { PREPBOT_ADAPTERS: 'discord', PREPBOT_DB: db.path, DISCORD_TOKEN: d.token, DISCORD_APPLICATION_ID: d.applicationId, DISCORD_API_BASE: d.restUrl };
    const a = (app = await startProcess(env, new ManualClock('2026-03-02T03:00:00Z')));
    await registerDiscordCommands({ token: d.token, applicationId: d.applicationId, guildId: d.guild.id, commands: a.bot.commands, restApi: d.restUrl });
    const idle = async () => {
      for (const x of a.adapters) await (x as { idle?: () => Promise<void> }).idle?.();
    };
    const { alice } = d.users;
    const sessions = d.sessionCount;

    const ask = await d.slash('ask', {}, { user: alice });
    await d.waitForResponse(ask.id);
    await idle();
    const question = d.messages.find((m) => m.interactionId === ask.id && !m.loading)!;

    // Discord drops the connection; Alice presses Answer before the bot is back.
    const resumed = new Promise<void>((resolve) => d.once('resumed', () => resolve()));
    d.closeGateway(code);
    await d.waitUntil(() => !d.connected);
    const button = d.buttonsOn(question).find((b) => /answer/i.test(b.label ?? ''))!;
    const click = await d.click(button.custom_id, question, { user: alice });
    // On RESUME Discord also re-sends the /ask the client had already handled.
    d.replayOnNextResume(1);
    await resumed;
    await d.waitForResponse(click.id);
    await idle();
    expect(d.sessionCount).toBe(sessions); // resumed, not a new session
    expect(d.modalsShownTo(alice)).toHaveLength(1);

    const form = d.modalsShownTo(alice)[0].custom_id as string;
    const submitted = await d.submitModal(form, { answer: 'A mutex lets one goroutine at a time into the critical section.' }, { user: alice });
    await d.waitUntil(() => d.messages.find((m) => m.interactionId === submitted.id && /Reference answer/.test(read(m))));
    await idle();

    expect(d.interactions.get(ask.id)!.callbackAttempts).toEqual([4]);
    expect(d.interactions.get(click.id)!.callbackAttempts).toEqual([9]);
    expect(d.messagesVisibleTo(alice).filter((m) => m.interactionId === submitted.id && /Reference answer/.test(read(m)))).toHaveLength(1);
    expect(a.db.prepare('SELECT COUNT(*) AS n FROM attempts WHERE answered_at IS NOT NULL').get()).toEqual({ n: 1 });
    expect(a.db.prepare('SELECT current FROM streaks').all()).toEqual([{ current: 1 }]);
  });
});
