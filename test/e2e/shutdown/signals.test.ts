/**
 * SIGTERM / SIGINT on the real process (`src/main.ts` through tsx, as `npm start` runs it) with the
 * Discord adapter connected to the in-repo fake: the bot stops taking new interactions, finishes the
 * one in flight, closes the database cleanly (the WAL file is gone, as only a clean close leaves it)
 * and exits 0. Nothing here sleeps: the test waits for the child's log lines and the fake's requests.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { registerDiscordCommands } from '../../../src/adapters/discord/index.ts';
import { allCommandSpecs } from '../../../src/commands.ts';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord/index.ts';
import { processRig, type Child } from '../process-rig.ts';

/** Booting Node and compiling the app through tsx takes seconds on a loaded machine. */
const BOOT_TIMEOUT_MS = 60_000;

const rig = processRig();
afterEach(() => rig.cleanup());

async function setup(): Promise<{ f: FakeDiscord; dbPath: string; c: Child }> {
  const dbPath = join(rig.tempDir('prepbot-signals-'), 'prepbot.db');
  const f = await startFakeDiscord();
  rig.defer(() => f.close());
  await registerDiscordCommands({
    token: f.token,
    applicationId: f.applicationId,
    guildId: f.guild.id,
    commands: allCommandSpecs(),
    restApi: f.restUrl,
  });
  const c = await rig.bootBot(f, { PREPBOT_DB: dbPath });
  return { f, dbPath, c };
}

const attempts = (dbPath: string) => {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM attempts').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('signals on the real process', { timeout: 2 * BOOT_TIMEOUT_MS }, () => {
  it('SIGTERM: refuses new interactions, finishes the one in flight, closes the database, exits 0', async () => {
    const { f, dbPath, c } = await setup();
    const { alice, bob } = f.users;

    // Alice's /ask is in flight: its reply to Discord is held unanswered by the fake.
    const first = await f.slash('ask', {}, { user: alice });
    const hold = f.holdRequests((method, path) => method === 'POST' && path.startsWith(`/interactions/${first.id}/`));
    await hold.arrived;

    c.proc.kill('SIGTERM');
    await c.waitForLog(/shutting down \(SIGTERM\): no new interactions; finishing 1 in flight/);

    // Bob writes during the shutdown: told to try again, and nothing of his is stored.
    const second = await f.slash('ask', {}, { user: bob });
    const refused = await f.waitForResponse(second.id);
    const reply = f.messagesVisibleTo(bob).find((m) => m.interactionId === refused.id);
    expect(reply?.content).toMatch(/restarting/);
    expect(c.proc.exitCode).toBeNull(); // still waiting for Alice's answer

    hold.release();
    const answered = await f.waitForResponse(first.id);
    expect(answered.responseType).toBeDefined();
    expect(await c.exit).toEqual({ code: 0, signal: null });
    // The bot left the gateway only after Alice's reply was through (a bot that did not wait would have
    // disconnected while the reply was still held).
    const reply1 = f.requests.find((r) => r.method === 'POST' && r.path.startsWith(`/interactions/${first.id}/`));
    expect(reply1?.status).toBeLessThan(300);
    expect(f.gatewayCloses.length).toBeGreaterThan(0);
    expect(f.gatewayCloses[0]!.afterRequest).toBeGreaterThanOrEqual(reply1!.seq);
    expect(c.stderr()).toMatch(/database closed/);
    // Only a clean close of the last connection checkpoints and removes the write-ahead log.
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
    expect(attempts(dbPath)).toBe(1); // Alice's question, not Bob's
    const aliceSees = f.messagesVisibleTo(alice).filter((m) => m.interactionId === first.id);
    expect(aliceSees.length).toBeGreaterThan(0);
    expect(aliceSees.map((m) => m.content).join('\n')).not.toMatch(/restarting/);
  });

  it('SIGINT with nothing in flight: exits 0 at once with the database closed', async () => {
    const { dbPath, c } = await setup();
    c.proc.kill('SIGINT');
    expect(await c.exit).toEqual({ code: 0, signal: null });
    expect(c.stderr()).toMatch(/shutting down \(SIGINT\)/);
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
  });
});
