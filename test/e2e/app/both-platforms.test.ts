/**
 * The shipped wiring, end to end: config from environment variables → createApp
 * → Discord and Slack adapters in one process over one database, each real SDK
 * talking to its in-repo fake on 127.0.0.1. A person practises on Discord,
 * links their Slack account, and sees the same streak there.
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
  await app?.stop();
  await discord?.close();
  await slack?.close();
  app = discord = slack = undefined;
});

const read = (m: FakeMessage) => m.content.replace(/\\([^0-9A-Za-z\s])/g, '$1');

describe('PREPBOT_ADAPTERS=slack,discord: one process, one database', () => {
  it('practise on Discord, /link on Slack, one streak on both', async () => {
    discord = await startFakeDiscord();
    slack = await startFakeSlack();
    const config = parseConfig(bothFakesEnv(discord, slack));
    expect(config.skipped).toEqual([]);
    const clock = new ManualClock('2026-03-02T09:00:00Z');
    const logger = createLogger('silent');
    app = await createApp({ config, clock, logger, makeAdapters: (bot) => adaptersFromConfig(config, bot, { clock, logger }) });
    expect(app.adapters.map((a) => a.platform).sort()).toEqual(['discord', 'slack']);
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
    const { alice } = d.users;
    const visible = (needle: RegExp) => () => d.messagesVisibleTo(alice).find((m) => needle.test(read(m)));

    // Practise once on Discord (the seed notes were imported into the empty bank at start).
    await d.slash('ask', { topic: 'concurrency' }, { user: alice });
    const question = await d.waitUntil(() => d.messagesVisibleTo(alice).find((m) => d.buttonsOn(m).some((b) => /answer/i.test(b.label ?? ''))));
    const answer = d.buttonsOn(question).find((b) => /answer/i.test(b.label ?? ''))!;
    const click = await d.click(answer.custom_id, question, { user: alice });
    await d.waitForResponse(click.id);
    const modal = d.modalsShownTo(alice).at(-1);
    await d.submitModal(modal.custom_id, { answer: 'Goroutines are managed by the Go runtime and talk over channels.' }, { user: alice });
    await d.waitUntil(visible(/Streak: 1 day/));

    // /link on Discord gives a code; redeeming it on Slack joins the accounts.
    await d.slash('link', {}, { user: alice });
    const codeMessage = await d.waitUntil(visible(/link code/i));
    expect(codeMessage.ephemeralTo).toBe(alice.id);
    const code = /\/link ([A-Z0-9-]+)/.exec(read(codeMessage))?.[1];
    expect(code, read(codeMessage)).toBeDefined();

    await s.slash('U0ALICE', 'C0GENERAL', `/link ${code}`);
    await s.waitFor(() => s.visibleTo('U0ALICE').find((m) => /linked/i.test(FakeSlack.render(m))));

    await s.slash('U0ALICE', 'C0GENERAL', '/streak');
    const streak = await s.waitFor(() => s.visibleTo('U0ALICE').find((m) => /streak/i.test(FakeSlack.render(m)) && /🔥/.test(FakeSlack.render(m))));
    expect(FakeSlack.render(streak)).toMatch(/1 day\b/);
  });
});
