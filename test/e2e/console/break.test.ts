import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'prepbot-break-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ANSWER = ['/ask concurrency', '1', 'Goroutines are scheduled by the Go runtime with small stacks; threads belong to the OS kernel.', '.', '3'];

/** A start boots Node and compiles the app through tsx: seconds on a loaded machine; killed after a minute. */
const START_TIMEOUT_MS = 60_000;

/** `npm start -- --person amy --now …` with a piped script, as the README shows. */
async function day(now: string, lines: string[]): Promise<string> {
  const child = run(process.execPath, ['--import', 'tsx', 'src/main.ts', '--person', 'amy', '--now', now], {
    cwd: root,
    env: { ...process.env, PREPBOT_DB: join(dir, 'prepbot.db'), PREPBOT_ADAPTERS: 'console', NO_COLOR: '1' },
    timeout: START_TIMEOUT_MS,
  });
  child.child.stdin?.end([...lines, ''].join('\n'));
  return (await child).stdout;
}

describe('/break on the console, over successive days', { timeout: 4 * START_TIMEOUT_MS }, () => {
  it('a break keeps the streak across days without answers, shows on /break, /streak and the board', async () => {
    const d1 = await day('2026-12-01T09:00:00Z', [...ANSWER, '/break 3d', '/break']);
    expect(d1).toMatch(/Streak: 1 day/);
    expect(d1).toMatch(/Enjoy your break: 3 days, 1 Dec–3 Dec/);
    expect(d1).toMatch(/You are on a break until 3 Dec/);

    const d3 = await day('2026-12-03T09:00:00Z', ['/streak', '/leaderboard', '/break 5d']);
    expect(d3).toMatch(/streak: 🔥 1 day/);
    expect(d3).toMatch(/On a break until 3 Dec/);
    expect(d3).toMatch(/amy · 🔥 1 · 1 answer · 🏖 on a break until 3 Dec/);
    expect(d3).toMatch(/already on a break until 3 Dec/);

    // Two days without an answer, both on the break: the streak goes on.
    const d4 = await day('2026-12-04T09:00:00Z', [...ANSWER, '/streak', '/break']);
    expect(d4).toMatch(/Streak: 2 days/);
    expect(d4).toMatch(/1 Dec–3 Dec excused: on a break/);
    expect(d4).toMatch(/You are not on a break/);
  });
});
