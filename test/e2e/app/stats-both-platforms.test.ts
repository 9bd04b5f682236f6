/**
 * /stats through the shipped wiring: config from environment variables →
 * createApp → Discord and Slack adapters in one process, each real SDK against
 * its fake. On each platform a person practises once, then /stats brings the
 * numbers privately and the chart as a PNG (Discord: an attachment on the
 * ephemeral reply; Slack: a file in the person's DM with the app).
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
import { readPng } from '../../unit/stats/png-check.ts';

let discord: FakeDiscord | undefined;
let slack: FakeSlack | undefined;
let app: App | undefined;
afterEach(async () => {
  await app?.stop();
  await discord?.close();
  await slack?.close();
  app = discord = slack = undefined;
});

const read = (m: FakeMessage) => m.content.replace(/\\([^0-9A-Za-z\s])/g, '$1');

describe('PREPBOT_ADAPTERS=slack,discord: /stats with a chart on both platforms', () => {
  it('Discord attaches the PNG to the private reply; Slack shares it in the app DM', async () => {
    discord = await startFakeDiscord();
    slack = await startFakeSlack();
    const config = parseConfig(bothFakesEnv(discord, slack));
    const clock = new ManualClock('2026-03-04T09:00:00Z');
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
    const d = discord;
    const s = slack;
    const { alice, bob } = d.users;

    // Discord: practise once, then /stats.
    await d.slash('ask', { topic: 'concurrency' }, { user: alice });
    const question = await d.waitUntil(() => d.messagesVisibleTo(alice).find((m) => d.buttonsOn(m).some((b) => /answer/i.test(b.label ?? ''))));
    const click = await d.click(d.buttonsOn(question).find((b) => /answer/i.test(b.label ?? ''))!.custom_id, question, { user: alice });
    await d.waitForResponse(click.id);
    await d.submitModal(d.modalsShownTo(alice).at(-1).custom_id, { answer: 'Goroutines are managed by the Go runtime.' }, { user: alice });
    await d.waitUntil(() => d.messagesVisibleTo(alice).find((m) => /Streak: 1 day/.test(read(m))));
    const st = await d.slash('stats', {}, { user: alice });
    const reply = await d.waitUntil(() => d.messages.find((m) => m.interactionId === st.id && !m.loading && m.attachments.length > 0));
    expect(reply.ephemeralTo).toBe(alice.id);
    expect(read(reply)).toMatch(/Last 12 weeks:\W*1 answer on 1 day/);
    expect(readPng(reply.attachments[0]!.bytes)).toMatchObject({ width: 640, height: 580 });
    expect(d.messagesVisibleTo(bob).some((m) => m.attachments.length > 0)).toBe(false);

    // Slack: the same for another person.
    await s.slash('U0BOB', 'C0GENERAL', '/ask concurrency');
    const sq = await s.waitFor(() => s.visibleTo('U0BOB').find((m) => FakeSlack.buttons(m.blocks).some((b) => /answer/i.test(b.label))));
    await s.click('U0BOB', sq, { actionId: 'answer' });
    const modal = await s.waitFor(() => s.lastOpenView('U0BOB'));
    await s.submitView('U0BOB', modal, 'Goroutines are managed by the Go runtime.');
    await s.waitFor(() => s.visibleTo('U0BOB').find((m) => /Streak: 1 day/.test(FakeSlack.render(m))));
    await s.slash('U0BOB', 'C0GENERAL', '/stats');
    const text = await s.waitFor(() => s.visibleTo('U0BOB').find((m) => FakeSlack.render(m).includes('Your practice')));
    expect(text.to).toBe('U0BOB');
    const shared = await s.waitFor(() => s.visibleTo('U0BOB').find((m) => m.files?.length));
    expect(shared.channel).toBe(s.appDm('U0BOB').id);
    expect(readPng(shared.files![0]!.bytes!)).toMatchObject({ width: 640, height: 580 });
    expect(s.visibleTo('U0ALICE').some((m) => m.files?.length)).toBe(false);
  });
});
