/** The real bot process (`src/main.ts` through tsx, as `npm start` runs it) on the Discord or Slack fake. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { FakeDiscord } from '../fakes/discord/index.ts';
import type { FakeSlack } from '../fakes/slack/index.ts';

const root = join(import.meta.dirname, '../..');

export interface Child {
  proc: ChildProcess;
  stderr: () => string;
  /** Resolves once stderr contains `needle`. */
  waitForLog(needle: string | RegExp): Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `extra` adds to the environment, e.g. `PREPBOT_NOW` to start the bot's clock at an instant. */
export function startBot(f: FakeDiscord, dbPath: string, extra: Record<string, string> = {}): Child {
  return spawnBot({
    PREPBOT_ADAPTERS: 'discord',
    PREPBOT_DB: dbPath,
    DISCORD_TOKEN: f.token,
    DISCORD_APPLICATION_ID: f.applicationId,
    DISCORD_API_BASE: f.restUrl,
    ...extra,
  });
}

/** The same on the Slack fake, in Socket Mode. */
export function startSlackBot(s: FakeSlack, dbPath: string, extra: Record<string, string> = {}): Child {
  return spawnBot({
    PREPBOT_ADAPTERS: 'slack',
    PREPBOT_DB: dbPath,
    SLACK_BOT_TOKEN: s.botToken,
    SLACK_APP_TOKEN: s.appToken,
    SLACK_API_URL: s.apiUrl,
    ...extra,
  });
}

function spawnBot(env: Record<string, string>): Child {
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
