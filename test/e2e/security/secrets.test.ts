/**
 * Secrets stay secret: the shipped wiring (config → createApp → Discord and Slack adapters, the
 * product logger exactly as main.ts builds it) runs against the fakes with known fake tokens, and
 * errors are driven on every adapter: bad tokens at start, 401s from the platforms mid-run, a
 * crash inside a handler. No token, signing secret, Authorization header or Discord interaction
 * token may appear in a log line, in anything the bot sent to a platform, or in an error message.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { adaptersFromConfig } from '../../../src/adapters/from-config.ts';
import { createSlackAdapter } from '../../../src/adapters/slack/index.ts';
import { registerDiscordCommands } from '../../../src/adapters/discord/index.ts';
import { createApp, type App } from '../../../src/app.ts';
import { parseConfig } from '../../../src/config.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { createLogger, scrubSecrets, secretsOf } from '../../../src/logger.ts';
import { StoreOpenError } from '../../../src/store/open-stores.ts';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord/index.ts';
import { FakeSlack, signedHeaders, startFakeSlack } from '../../fakes/slack/index.ts';

/** Shaped like a real bot token (id.timestamp.hmac), so shape-based scrubbing is exercised too. */
const DISCORD_TOKEN = 'MTA5ODc2NTQzMjEwOTg3NjU0.GqXy7Z.known-fake-discord-secret-0123456789abcd';
const WRONG_DISCORD_TOKEN = 'MTA5ODc2NTQzMjEwOTg3NjU1.GwRoNg.wrong-fake-discord-secret-0123456789abc';
const WRONG_SLACK_TOKEN = 'xoxb-9999-wrong-known-fake-token';

let discord: FakeDiscord | undefined;
let slack: FakeSlack | undefined;
const apps: App[] = [];
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.stop({ graceMs: 1000 }).catch(() => {});
  for (const s of stops.splice(0)) await s();
  await discord?.close();
  await slack?.close();
  discord = slack = undefined;
});

function captureLogger(secrets: string[]) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('debug', stream, secrets), text: () => lines.join('') };
}

function assertNoSecrets(where: string, text: string, secrets: string[]) {
  for (const s of secrets) expect(text.includes(s), `${where} contains a secret (${s.slice(0, 6)}…)`).toBe(false);
  expect(text, `${where} contains an Authorization header`).not.toMatch(/authorization"?\s*[:=]\s*"?(Bot|Bearer)\s+(?!\[redacted\])/i);
  // A token prefix followed by token characters (the hint "xoxb-…" in a help text is fine).
  expect(text, `${where} contains a Slack token`).not.toMatch(/xox[abposr]-[A-Za-z0-9]|xapp-[A-Za-z0-9]/);
}

const everythingSent = (d: FakeDiscord, s: FakeSlack) =>
  JSON.stringify(d.requests.map((r) => r.body)) + JSON.stringify(s.calls.map((c) => c.args)) + JSON.stringify(s.surfaces);

describe('no secret in logs, replies or error messages', () => {
  it('bad tokens at start: both adapters fail, and neither the logs nor the error name the tokens', async () => {
    discord = await startFakeDiscord({ token: DISCORD_TOKEN });
    slack = await startFakeSlack();
    const config = parseConfig({
      PREPBOT_ADAPTERS: 'discord,slack',
      PREPBOT_DB: ':memory:',
      DISCORD_TOKEN: WRONG_DISCORD_TOKEN,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_BASE: discord.restUrl,
      SLACK_BOT_TOKEN: WRONG_SLACK_TOKEN,
      SLACK_APP_TOKEN: slack.appToken,
      SLACK_API_URL: slack.apiUrl,
    });
    const { logger, text } = captureLogger(secretsOf(config));
    const clock = new ManualClock('2026-03-02T09:00:00Z');
    const app = await createApp({ config, clock, logger, makeAdapters: (bot) => adaptersFromConfig(config, bot, { clock, logger }) });
    apps.push(app);
    const failure = await app.start().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(failure?.message).toMatch(/no chat adapter could start/);
    const logs = text();
    expect(logs).toMatch(/discord adapter failed to start/);
    expect(logs).toMatch(/slack adapter failed to start/);
    const secrets = [WRONG_DISCORD_TOKEN, WRONG_SLACK_TOKEN, slack.appToken, DISCORD_TOKEN, slack.botToken];
    assertNoSecrets('logs', logs, secrets);
    assertNoSecrets('error message', `${failure?.message}\n${failure?.stack}`, secrets);
  });

  it('401s from both platforms and a crash in a handler: logged and answered without any secret', async () => {
    discord = await startFakeDiscord({ token: DISCORD_TOKEN });
    slack = await startFakeSlack();
    const d = discord;
    const s = slack;
    const config = parseConfig({
      PREPBOT_ADAPTERS: 'discord,slack',
      PREPBOT_DB: ':memory:',
      DISCORD_TOKEN,
      DISCORD_APPLICATION_ID: d.applicationId,
      DISCORD_API_BASE: d.restUrl,
      SLACK_BOT_TOKEN: s.botToken,
      SLACK_APP_TOKEN: s.appToken,
      SLACK_API_URL: s.apiUrl,
    });
    const { logger, text } = captureLogger(secretsOf(config));
    const clock = new ManualClock('2026-03-02T09:00:00Z');
    const app = await createApp({ config, clock, logger, makeAdapters: (bot) => adaptersFromConfig(config, bot, { clock, logger }) });
    apps.push(app);
    await registerDiscordCommands({ token: DISCORD_TOKEN, applicationId: d.applicationId, guildId: d.guild.id, commands: app.bot.commands, restApi: d.restUrl });
    await app.start();
    const { alice, bob } = d.users;

    // Discord answers 401 to the bot's reply (its interaction credential refused).
    d.failRequests((method, path) => method === 'POST' && path.startsWith('/interactions/'), 401);
    await d.slash('streak', {}, { user: alice });
    await d.waitUntil(() => /Discord|interaction|reply/i.test(text()) && text().includes('401'));

    // Slack answers invalid_auth to the bot's Web API calls.
    s.failNext('users.info', 'invalid_auth');
    s.failNext('chat.postMessage', 'invalid_auth');
    s.failNext('chat.postEphemeral', 'invalid_auth');
    await s.slash('U0ALICE', 'C0GENERAL', '/ask');
    await s.waitFor(() => s.calls.some((c) => c.method === 'users.info' && JSON.stringify(c.response).includes('invalid_auth')));

    // A crash inside a handler: the table /streak reads is gone.
    app.db.exec('DROP TABLE streaks');
    const crash = await d.slash('streak', {}, { user: bob });
    await d.waitForResponse(crash.id);
    await s.slash('U0BOB', 'C0GENERAL', '/streak');
    await s.waitFor(() => s.visibleTo('U0BOB').find((m) => /went wrong/i.test(FakeSlack.render(m))));
    expect(d.messagesVisibleTo(bob).some((m) => /went wrong/i.test(m.content))).toBe(true);
    await d.waitUntil(() => (text().match(/no such table: streaks/g) ?? []).length >= 2);

    const logs = text();
    const interactionTokens = [...d.interactions.values()].map((i) => i.token);
    const secrets = [DISCORD_TOKEN, s.botToken, s.appToken, ...interactionTokens];
    assertNoSecrets('logs', logs, secrets);
    assertNoSecrets('what the bot sent', everythingSent(d, s), [DISCORD_TOKEN, s.botToken, s.appToken]);
  });

  it('Slack HTTP mode: refused signatures and a crashing handler never log the signing secret', async () => {
    slack = await startFakeSlack();
    const s = slack;
    const secrets = [s.botToken, s.signingSecret];
    const { logger, text } = captureLogger(secrets);
    const adapter = createSlackAdapter({
      botToken: s.botToken,
      signingSecret: s.signingSecret,
      mode: 'http',
      port: 0,
      host: '127.0.0.1',
      apiUrl: s.apiUrl,
      logger,
      commands: [{ name: 'ask', description: 'ask', options: [], permission: 'everyone' }],
    });
    await adapter.start(async () => {
      throw new Error(`handler crashed while holding ${s.botToken}`);
    });
    stops.push(() => adapter.stop());
    const url = `http://127.0.0.1:${adapter.httpPort()}/slack/events`;
    s.transport = { kind: 'http', url };
    const body = 'command=%2Fask&text=&team_id=T0FAKE&user_id=U0ALICE&channel_id=C0GENERAL&trigger_id=1.2.3&response_url=x';
    const form = 'application/x-www-form-urlencoded';
    const bad = await fetch(url, { method: 'POST', headers: signedHeaders(s.signingSecret, body, form, { tamper: true }), body });
    expect(bad.status).toBe(401);
    await s.slash('U0ALICE', 'C0GENERAL', '/ask');
    await s.waitFor(() => text().includes('handler crashed'));
    assertNoSecrets('logs', text(), secrets);
  });

  it('DATABASE_URL: the PostgreSQL password is in no log line and no error, by shape and by value', async () => {
    const password = 'pg-known-fake-password-7731';
    // Port 9 on loopback: nothing listens, so opening the database fails at once.
    const url = `postgres://prepbot:${password}@127.0.0.1:9/prepbot`;
    const config = parseConfig({ PREPBOT_ADAPTERS: 'console', DATABASE_URL: url });
    const { logger, text } = captureLogger(secretsOf(config));
    const clock = new ManualClock('2026-03-02T09:00:00Z');
    const failure = await createApp({ config, clock, logger, makeAdapters: () => [] }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(failure).toBeInstanceOf(StoreOpenError);
    expect(failure?.message).toContain('cannot open the PostgreSQL database postgres://prepbot:***@127.0.0.1:9/prepbot');
    // What a driver or a library might log: the URL in a message, a field, an error; the password alone.
    logger.error({ url, err: new Error(`connect to ${url} failed`) }, `cannot reach ${url}`);
    logger.warn({ detail: `password authentication failed, password=${password}` }, 'auth failed');
    const logs = text();
    expect(logs).toContain('postgres://prepbot:***@127.0.0.1:9/prepbot');
    for (const [where, seen] of [['logs', logs], ['error', `${failure?.message}\n${failure?.stack}`]] as const) {
      expect(seen.includes(password), `${where} contains the database password`).toBe(false);
    }
    // A password too short to scrub by value is still caught by the URL's shape.
    expect(scrubSecrets('retrying postgresql://bot:pw@db.internal:5432/prep')).toBe('retrying postgresql://bot:***@db.internal:5432/prep');
  });

  it('the scrubber catches token shapes even when nobody registered them', () => {
    const line = scrubSecrets(
      'POST /api/v10/interactions/1234567890/itoken-abc.def/callback failed; Authorization: Bot MTA5ODc2NTQzMjEwOTg3NjU0.GqXy7Z.abcdefghijklmnopqrstuvwxyz0 xoxb-1-2 xapp-1-A-b',
    );
    expect(line).not.toMatch(/itoken-abc|MTA5ODc2|xoxb-1|xapp-1/);
    expect(line).toMatch(/interactions\/1234567890\/\[redacted\]\/callback/);
  });
});
