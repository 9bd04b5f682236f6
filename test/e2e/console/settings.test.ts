/**
 * `/settings`, the daily load and `/daystart` through the real process, as a person runs it:
 * `npm start -- --person amy --now …` with piped input.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'prepbot-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A start boots Node and compiles the app through tsx: seconds on a loaded machine; killed after a minute. */
const START_TIMEOUT_MS = 60_000;

async function script(now: string, lines: string[]): Promise<string> {
  const child = run(process.execPath, ['--import', 'tsx', 'src/main.ts', '--person', 'amy', '--now', now], {
    cwd: root,
    env: { ...process.env, PREPBOT_DB: join(dir, 'prepbot.db'), PREPBOT_ADAPTERS: 'console', NO_COLOR: '1' },
    timeout: START_TIMEOUT_MS,
  });
  child.child.stdin?.end(`${lines.join('\n')}\n`);
  return (await child).stdout;
}

const after = (out: string, line: string) => out.slice(out.indexOf(`> ${line}`) + line.length + 2);

describe('/settings and the /ask load line through npm start (console)', { timeout: 2 * START_TIMEOUT_MS }, () => {
  it('lists the defaults, takes new caps, counts the day down, then offers extra practice', async () => {
    const out = await script('2026-03-02T09:00:00Z', [
      '/settings',
      '/settings reviews:20 new:1',
      '/ask',
      '1',
      'Goroutines are scheduled by the Go runtime; threads by the OS kernel.',
      '.',
      '3',
      '/ask',
      '/settings',
    ]);
    const listing = after(out, '/settings');
    expect(listing).toContain('reviews: 50 reviews a day (built-in default)');
    expect(listing).toContain('new: 5 new a day (built-in default)');
    expect(after(out, '/settings reviews:20 new:1')).toMatch(/Saved:\s+- reviews: 20 reviews a day \(yours\)\s+- new: 1 new a day \(yours\)/);
    const ask = after(out, '/ask');
    expect(ask).toMatch(/New question\./);
    expect(ask).toMatch(/\(only you\):\s+After this one: 0 reviews due, 0 new left today\./);
    expect(out).toMatch(/Good\. Next review in \d+ days\./);
    const done = out.slice(out.lastIndexOf('> /ask'));
    expect(done).toContain("That is today's load done: 0 reviews and 1 new rated (your caps: 20 reviews, 1 new a day).");
    expect(done).toContain('[1] Extra practice');
    expect(out.slice(out.lastIndexOf('> /settings'))).toContain('today (2026-03-02): 0 of 20 reviews and 1 of 1 new rated');
  });

  it('/daystart 4 over successive days: 02:30 still counts for yesterday, the next morning adds a day', async () => {
    const answer = ['1', 'Goroutines are scheduled by the Go runtime; threads by the OS kernel.', '.', '3'];
    const first = await script('2026-03-04T09:00:00Z', ['/daystart 4', '/ask concurrency', ...answer]);
    expect(after(first, '/daystart 4')).toMatch(/Your practice day now starts at 04:00 \(UTC time\)\. An answer before 04:00 counts for the day before\. Today counts as 2026-03-04\./);
    const night = await script('2026-03-05T02:30:00Z', ['/daystart', '/streak']);
    expect(after(night, '/daystart')).toMatch(/Your practice day starts at 04:00, UTC time; today counts as 2026-03-04\./);
    expect(after(night, '/streak')).toMatch(/🔥 1 day/);
    expect(after(night, '/streak')).not.toMatch(/Not answered today yet/);
    const morning = await script('2026-03-05T09:00:00Z', ['/ask concurrency', ...answer, '/streak']);
    expect(morning.slice(morning.lastIndexOf('> /streak'))).toMatch(/🔥 2 days/);
  });
});
