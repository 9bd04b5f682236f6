/**
 * The real bot process (`src/main.ts` through tsx, as `npm start` runs it) on the Discord or Slack
 * fake, and a rig that undoes after each test what the test spawned and made:
 *
 *   const rig = processRig();
 *   afterEach(() => rig.cleanup());
 *   it('…', async () => {
 *     const dir = rig.tempDir('prepbot-x-');
 *     const f = await startFakeDiscord();
 *     rig.defer(() => f.close());
 *     const bot = await rig.bootBot(f, { PREPBOT_DB: join(dir, 'prepbot.db') });
 *     …
 *     await bot.stop();
 *   });
 *
 * `env` names the database (PREPBOT_DB, or DATABASE_URL from test/e2e/shared-database.ts) and
 * anything else the bot should see, e.g. `PREPBOT_NOW` to start its clock at an instant.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { FakeDiscord } from '../fakes/discord/index.ts';
import type { FakeSlack } from '../fakes/slack/index.ts';
import type { SharedDatabase, SharedDatabaseRow } from './shared-database.ts';

const root = join(import.meta.dirname, '../..');

type Exit = { code: number | null; signal: NodeJS.Signals | null };

export interface Child {
  proc: ChildProcess;
  stderr: () => string;
  /** Resolves once stderr contains `needle`; rejects with the log if the bot exits first. */
  waitForLog(needle: string | RegExp): Promise<void>;
  exit: Promise<Exit>;
  /** SIGTERM, and the bot must exit 0 (its log is the failure message). */
  stop(): Promise<void>;
  /** kill -9, and the bot must die of it (not have exited before). */
  kill9(): Promise<void>;
}

/** The bot on the Discord fake. */
function startBot(f: FakeDiscord, env: Record<string, string>): Child {
  return spawnBot({
    PREPBOT_ADAPTERS: 'discord',
    DISCORD_TOKEN: f.token,
    DISCORD_APPLICATION_ID: f.applicationId,
    DISCORD_API_BASE: f.restUrl,
    ...env,
  });
}

function startSlackBot(s: FakeSlack, env: Record<string, string>): Child {
  return spawnBot({
    PREPBOT_ADAPTERS: 'slack',
    SLACK_BOT_TOKEN: s.botToken,
    SLACK_APP_TOKEN: s.appToken,
    SLACK_API_URL: s.apiUrl,
    ...env,
  });
}

function spawnBot(env: Record<string, string>): Child {
  // Without either the bot would make data/prepbot.db inside the repository.
  if (!env.PREPBOT_DB && !env.DATABASE_URL) throw new Error('give the bot a database: PREPBOT_DB (a temp dir) or DATABASE_URL');
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PREPBOT_LOG_LEVEL: 'info', ...env },
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
  const exit = new Promise<Exit>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
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
    async stop() {
      proc.kill('SIGTERM');
      expect((await exit).code, err).toBe(0);
    },
    async kill9() {
      proc.kill('SIGKILL');
      expect(await exit, err).toEqual({ code: null, signal: 'SIGKILL' });
    },
  };
}

export interface ProcessRig {
  /** The bot on the Discord fake, spawned (not yet connected); killed after the test if it still runs. */
  startBot(f: FakeDiscord, env: Record<string, string>): Child;
  /** The same on the Slack fake, in Socket Mode unless `env` says SLACK_MODE=http. */
  startSlackBot(s: FakeSlack, env: Record<string, string>): Child;
  /** Started and connected: resolves once the bot logs that its adapter started. */
  bootBot(f: FakeDiscord, env: Record<string, string>): Promise<Child>;
  bootSlackBot(s: FakeSlack, env: Record<string, string>): Promise<Child>;
  /** A fresh temp dir, removed after the test. */
  tempDir(prefix: string): string;
  /** A fresh database of `row` (its SQLite file in a fresh temp dir), both dropped after the test. */
  database(row: SharedDatabaseRow, prefix: string): Promise<SharedDatabase>;
  /** Runs after the test, once the bots are dead, latest first (a fake before the database before its dir). */
  defer(undo: () => unknown): void;
  /** For afterEach: SIGKILLs the bots still running, then runs what was deferred. */
  cleanup(): Promise<void>;
}

export function processRig(): ProcessRig {
  const children: Child[] = [];
  const undos: (() => unknown)[] = [];
  const track = (c: Child) => {
    children.push(c);
    return c;
  };
  const rig: ProcessRig = {
    startBot: (f, env) => track(startBot(f, env)),
    startSlackBot: (s, env) => track(startSlackBot(s, env)),
    async bootBot(f, env) {
      const c = rig.startBot(f, env);
      await c.waitForLog('discord adapter started');
      return c;
    },
    async bootSlackBot(s, env) {
      const c = rig.startSlackBot(s, env);
      await c.waitForLog('slack adapter started');
      return c;
    },
    tempDir(prefix) {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      rig.defer(() => rmSync(dir, { recursive: true, force: true }));
      return dir;
    },
    async database(row, prefix) {
      const db = await row.open(rig.tempDir(prefix));
      rig.defer(() => db.cleanup());
      return db;
    },
    defer: (undo) => void undos.push(undo),
    async cleanup() {
      for (const c of children.splice(0)) {
        if (c.proc.exitCode === null && c.proc.signalCode === null) {
          c.proc.kill('SIGKILL');
          await c.exit;
        }
      }
      // Every undo runs even if one fails (a database left behind fills the test server).
      const failures: unknown[] = [];
      for (const undo of undos.splice(0).reverse()) {
        try {
          await undo();
        } catch (err) {
          failures.push(err);
        }
      }
      if (failures.length === 1) throw failures[0];
      if (failures.length > 1) throw new AggregateError(failures, 'more than one clean-up step failed');
    },
  };
  return rig;
}
