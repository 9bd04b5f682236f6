/**
 * SIGTERM / SIGINT on the real process (`src/main.ts` through tsx, as `npm start` runs it) with the
 * Discord adapter connected to the in-repo fake: the bot stops taking new interactions, finishes the
 * one in flight, closes the database cleanly (the WAL file is gone, as only a clean close leaves it)
 * and exits 0. Nothing here sleeps: the test waits for the child's log lines and the fake's requests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { registerDiscordCommands } from '../../../src/adapters/discord/index.ts';
import { allCommandSpecs } from '../../../src/commands.ts';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord/index.ts';

const root = join(import.meta.dirname, '../../..');
/** Booting Node and compiling the app through tsx takes seconds on a loaded machine. */
const BOOT_TIMEOUT_MS = 60_000;

interface Child {
  proc: ChildProcess;
  stderr: () => string;
  /** Resolves once stderr contains `needle`. */
  waitForLog(needle: string | RegExp): Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let fake: FakeDiscord | undefined;
let child: Child | undefined;
const dirs: string[] = [];
afterEach(async () => {
  if (child && child.proc.exitCode === null && child.proc.signalCode === null) {
    child.proc.kill('SIGKILL');
    await child.exit;
  }
  await fake?.close();
  fake = child = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function startBot(f: FakeDiscord, dbPath: string): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PREPBOT_ADAPTERS: 'discord',
      PREPBOT_DB: dbPath,
      PREPBOT_LOG_LEVEL: 'info',
      DISCORD_TOKEN: f.token,
      DISCORD_APPLICATION_ID: f.applicationId,
      DISCORD_API_BASE: f.restUrl,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const waiters: { needle: string | RegExp; resolve: () => void }[] = [];
  const has = (n: string | RegExp) => (typeof n === 'string' ? err.includes(n) : n.test(err));
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (chunk: string) => {
    err += chunk;
    for (const w of waiters.splice(0)) (has(w.needle) ? w.resolve() : waiters.push(w));
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    proc,
    stderr: () => err,
    exit,
    waitForLog: (needle) =>
      has(needle)
        ? Promise.resolve()
        : Promise.race([
            new Promise<void>((resolve) => waiters.push({ needle, resolve })),
            exit.then(({ code }) => {
              throw new Error(`the bot exited (${code}) before logging ${String(needle)}:\n${err}`);
            }),
          ]),
  };
}

async function setup(): Promise<{ f: FakeDiscord; dbPath: string; c: Child }> {
  const dir = mkdtempSync(join(tmpdir(), 'prepbot-signals-'));
  dirs.push(dir);
  const dbPath = join(dir, 'prepbot.db');
  fake = await startFakeDiscord();
  await registerDiscordCommands({
    token: fake.token,
    applicationId: fake.applicationId,
    guildId: fake.guild.id,
    commands: allCommandSpecs(),
    restApi: fake.restUrl,
  });
  child = startBot(fake, dbPath);
  await child.waitForLog('discord adapter started');
  return { f: fake, dbPath, c: child };
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
