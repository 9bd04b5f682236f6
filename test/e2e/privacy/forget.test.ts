/**
 * `/forget me` through the shipped wiring (both real SDKs against the fakes) and the operators'
 * `prepbot export` / `prepbot forget` against the same kind of database.
 */
import { bothFakesEnv } from '../both-fakes-env.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adaptersFromConfig } from '../../../src/adapters/from-config.ts';
import { registerDiscordCommands } from '../../../src/adapters/discord/index.ts';
import { createApp, type App } from '../../../src/app.ts';
import { runCli, type CliIo } from '../../../src/cli.ts';
import { parseConfig } from '../../../src/config.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { createLogger } from '../../../src/logger.ts';
import { startFakeDiscord, type FakeDiscord, type FakeMessage } from '../../fakes/discord/index.ts';
import { FakeSlack, startFakeSlack } from '../../fakes/slack/index.ts';

let discord: FakeDiscord | undefined;
let slack: FakeSlack | undefined;
let app: App | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await app?.stop({ graceMs: 1000 });
  await discord?.close();
  await slack?.close();
  app = discord = slack = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const read = (m: FakeMessage) => m.content.replace(/\\([^0-9A-Za-z\s])/g, '$1');
const ANSWER = 'Goroutines are managed by the Go runtime and talk over channels.';

async function setup(dbPath = ':memory:') {
  discord = await startFakeDiscord();
  slack = await startFakeSlack();
  const config = parseConfig(bothFakesEnv(discord, slack, dbPath));
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  const logger = createLogger('silent');
  app = await createApp({ config, clock, logger, makeAdapters: (bot) => adaptersFromConfig(config, bot, { clock, logger }) });
  await registerDiscordCommands({ token: discord.token, applicationId: discord.applicationId, guildId: discord.guild.id, commands: app.bot.commands, restApi: discord.restUrl });
  await app.start();
  return { d: discord, s: slack, a: app };
}

/** Alice answers one question on Discord and links her Slack account. */
async function aliceOnBoth(d: FakeDiscord, s: FakeSlack) {
  const { alice } = d.users;
  await d.slash('ask', { topic: 'concurrency' }, { user: alice });
  const q = await d.waitUntil(() => d.messagesVisibleTo(alice).find((m) => d.buttonsOn(m).some((b) => /answer/i.test(b.label ?? ''))));
  const click = await d.click(d.buttonsOn(q).find((b) => /answer/i.test(b.label ?? ''))!.custom_id, q, { user: alice });
  await d.waitForResponse(click.id);
  await d.submitModal(d.modalsShownTo(alice).at(-1).custom_id, { answer: ANSWER }, { user: alice });
  await d.waitUntil(() => d.messagesVisibleTo(alice).find((m) => /Streak: 1 day/.test(read(m))));
  await d.slash('link', {}, { user: alice });
  const codeMsg = await d.waitUntil(() => d.messagesVisibleTo(alice).find((m) => /link code/i.test(read(m))));
  const code = /\/link ([A-Z0-9-]+)/.exec(read(codeMsg))![1]!;
  await s.slash('U0ALICE', 'C0GENERAL', `/link ${code}`);
  await s.waitFor(() => s.visibleTo('U0ALICE').find((m) => /linked/i.test(FakeSlack.render(m))));
}

const count = (a: App, sql: string, ...args: unknown[]) => (a.db.prepare(sql).get(...args) as { n: number }).n;

describe('/forget me', () => {
  it('asks first; Cancel deletes nothing; Delete everything removes answers, reviews, streak days and both linked accounts, and says so', async () => {
    const { d, s, a } = await setup();
    await aliceOnBoth(d, s);
    const aliceId = `discord:user:${d.users.alice.id}`;
    const personId = (a.db.prepare('SELECT person_id FROM accounts WHERE id = ?').get(aliceId) as { person_id: string }).person_id;
    expect(count(a, 'SELECT COUNT(*) AS n FROM accounts WHERE person_id = ?', personId)).toBe(2);
    expect(count(a, 'SELECT COUNT(*) AS n FROM attempts WHERE person_id = ?', personId)).toBe(1);

    // On Slack: the confirmation names what will go, with two buttons.
    await s.slash('U0ALICE', 'C0GENERAL', '/forget me');
    const ask = await s.waitFor(() => s.visibleTo('U0ALICE').find((m) => /Delete everything prepbot stores about you/.test(FakeSlack.render(m))));
    expect(FakeSlack.render(ask)).toMatch(/1 answer and question asked.*2 linked accounts/s);
    await s.click('U0ALICE', ask, { label: 'Cancel' });
    await s.waitFor(() => s.surfaces.some((m) => /Nothing was deleted/.test(FakeSlack.render(m))));
    expect(count(a, 'SELECT COUNT(*) AS n FROM attempts WHERE person_id = ?', personId)).toBe(1);

    await s.slash('U0ALICE', 'C0GENERAL', '/forget me');
    // (Cancel replaced the first confirmation with "Nothing was deleted", so this is the new one.)
    const again = await s.waitFor(() => s.visibleTo('U0ALICE').find((m) => m !== ask && /Delete everything prepbot stores about you/.test(FakeSlack.render(m))));
    await s.click('U0ALICE', again, { label: 'Delete everything' });
    const done = await s.waitFor(() => s.surfaces.find((m) => /Deleted\./.test(FakeSlack.render(m))));
    expect(FakeSlack.render(done)).toMatch(/answers and questions asked: 1.*streak days: 1.*linked platform accounts: 2/s);
    for (const table of ['attempts', 'reviews', 'activity_days', 'streaks', 'link_codes', 'accounts']) {
      expect({ table, n: count(a, `SELECT COUNT(*) AS n FROM ${table} WHERE person_id = ?`, personId) }).toEqual({ table, n: 0 });
    }
    expect(count(a, 'SELECT COUNT(*) AS n FROM people WHERE id = ?', personId)).toBe(0);

    // On Discord she is a stranger now: a fresh, empty streak.
    const ask2 = await d.slash('streak', {}, { user: d.users.alice });
    const streak = await d.waitUntil(() => d.messages.find((m) => m.interactionId === ask2.id && !m.loading && /🔥/.test(read(m))));
    expect(read(streak)).toMatch(/🔥 0 days/);
  });

  it('Discord: a forwarded or forged confirmation only ever deletes the presser’s own data', async () => {
    const { d, a } = await setup();
    const { alice, bob } = d.users;
    await d.slash('streak', {}, { user: bob }); // bob exists, with nothing else
    await d.waitUntil(() => d.messagesVisibleTo(bob).length > 0);
    await d.slash('ask', {}, { user: alice });
    await d.waitUntil(() => d.messagesVisibleTo(alice).some((m) => d.buttonsOn(m).length > 0));
    const attemptsBefore = count(a, 'SELECT COUNT(*) AS n FROM attempts');
    await d.slash('forget', { who: 'me' }, { user: alice });
    const confirm = await d.waitUntil(() => d.messagesVisibleTo(alice).find((m) => /Delete everything prepbot stores/.test(read(m))));
    // Bob presses a confirmation he was never shown.
    const forged = await d.forgeClick(d.buttonsOn(confirm).find((b) => /Delete everything/.test(b.label ?? ''))!.custom_id, confirm, { user: bob });
    await d.waitForResponse(forged.id);
    for (const ad of a.adapters) await (ad as { idle?: () => Promise<void> }).idle?.();
    expect(count(a, 'SELECT COUNT(*) AS n FROM attempts')).toBe(attemptsBefore); // Alice's attempt is still there
    expect(count(a, 'SELECT COUNT(*) AS n FROM accounts WHERE id = ?', `discord:user:${alice.id}`)).toBe(1);
    expect(count(a, 'SELECT COUNT(*) AS n FROM accounts WHERE id = ?', `discord:user:${bob.id}`)).toBe(0);
  });

  it('only "me": /forget with anything else deletes nothing', async () => {
    const { s, a } = await setup();
    await s.slash('U0ALICE', 'C0GENERAL', '/streak');
    await s.waitFor(() => s.visibleTo('U0ALICE').length > 0);
    await s.slash('U0ALICE', 'C0GENERAL', '/forget U0BOB');
    await s.waitFor(() => s.visibleTo('U0ALICE').find((m) => /nobody else|me/.test(FakeSlack.render(m)) && /forget/.test(FakeSlack.render(m))));
    expect(count(a, 'SELECT COUNT(*) AS n FROM accounts')).toBe(1);
  });
});

describe('prepbot export / forget (operators)', () => {
  function memoryIo(cwd: string, env: Record<string, string>): CliIo & { stdout: string; stderr: string } {
    const io = {
      stdout: '',
      stderr: '',
      out(t: string) {
        io.stdout += t;
      },
      err(t: string) {
        io.stderr += t;
      },
      env,
      cwd,
      now: () => new Date('2026-03-02T10:00:00Z'),
      exitCode: 0,
    };
    return io;
  }

  it('export --json prints the person behind an account id; forget deletes exactly them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prepbot-forget-'));
    dirs.push(dir);
    const dbPath = join(dir, 'prepbot.db');
    const { d, s } = await setup(dbPath);
    await aliceOnBoth(d, s);
    await s.slash('U0BOB', 'C0GENERAL', '/streak');
    await s.waitFor(() => s.visibleTo('U0BOB').length > 0);
    await app!.stop({ graceMs: 1000 });
    app = undefined;
    const env = { PREPBOT_DB: dbPath };
    const alice = `slack:${s.team.id}:U0ALICE`;

    const exp = memoryIo(dir, env);
    expect(await runCli(['export', alice, '--json'], exp)).toBe(0);
    const data = JSON.parse(exp.stdout);
    expect(data.accountId).toBe(alice);
    expect(data.tables.accounts.map((r: { id: string }) => r.id).sort()).toEqual([`discord:user:${d.users.alice.id}`, alice].sort());
    expect(data.tables.attempts.map((r: { answer_text: string }) => r.answer_text)).toEqual([ANSWER]);
    expect(exp.stdout).not.toContain('U0BOB');

    const del = memoryIo(dir, env);
    expect(await runCli(['forget', alice, '--json'], del)).toBe(0);
    expect(JSON.parse(del.stdout).deleted).toMatchObject({ attempts: 1, accounts: 2, people: 1 });
    const gone = memoryIo(dir, env);
    expect(await runCli(['export', alice, '--json'], gone)).toBe(1);
    expect(gone.stderr).toMatch(/no account/);
    const bob = memoryIo(dir, env);
    expect(await runCli(['export', `slack:${s.team.id}:U0BOB`, '--json'], bob)).toBe(0);
  });
});
