/** `npm start` on the console: /stats writes its chart as a PNG beside the database and prints the path. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { readPng } from '../../unit/stats/png-check.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'prepbot-stats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCRIPT = ['/ask concurrency', '1', 'Goroutines are scheduled by the Go runtime; threads by the OS kernel.', '.', '3', '/stats', ''].join('\n');

/** Booting Node and compiling through tsx takes seconds on a loaded machine; killed after a minute. */
const START_TIMEOUT_MS = 60_000;

describe('/stats on the console (npm start with a piped script)', { timeout: 2 * START_TIMEOUT_MS }, () => {
  it('prints the numbers and the path of the chart it saved as a PNG beside the database', async () => {
    const db = join(dir, 'prepbot.db');
    const child = run(process.execPath, ['--import', 'tsx', 'src/main.ts', '--person', 'alice'], {
      cwd: root,
      env: { ...process.env, PREPBOT_DB: db, PREPBOT_NOW: '2026-03-04T09:00:00Z', PREPBOT_ADAPTERS: 'console', NO_COLOR: '1' },
      timeout: START_TIMEOUT_MS,
    });
    child.child.stdin?.end(SCRIPT);
    const { stdout } = await child;

    const stats = stdout.slice(stdout.indexOf('> /stats'));
    expect(stats).toContain('Your practice');
    expect(stats).toMatch(/Last 12 weeks: 1 answer on 1 day\./);
    expect(stats).toMatch(/\(only you\)/);
    const path = /Picture: (.+\.png)/.exec(stats)?.[1];
    expect(path, stats).toBeDefined();
    // Beside the database, not in the working tree or a shared folder.
    expect(dirname(path!)).toBe(join(dir, 'images'));
    expect(existsSync(path!)).toBe(true);
    const png = readPng(readFileSync(path!));
    expect([png.width, png.height]).toEqual([640, 580]);
  });
});
