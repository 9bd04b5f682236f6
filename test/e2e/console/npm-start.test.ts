import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'prepbot-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a person would pipe into `npm start`: ask, answer in the form, rate, check the streak. */
const SCRIPT = [
  '/ask concurrency',
  '1',
  'Goroutines are scheduled by the Go runtime and start with small stacks; threads belong to the OS kernel.',
  'They communicate over channels rather than shared memory.',
  '.',
  '3',
  '/streak',
  '',
].join('\n');

/** A start boots Node and compiles the app through tsx: seconds on a loaded machine; killed after a minute. */
const START_TIMEOUT_MS = 60_000;

async function startWithScript(now: string, person = 'alice'): Promise<string> {
  const child = run(process.execPath, ['--import', 'tsx', 'src/main.ts', '--person', person], {
    cwd: root,
    env: { ...process.env, PREPBOT_DB: join(dir, 'prepbot.db'), PREPBOT_NOW: now, PREPBOT_ADAPTERS: 'console', NO_COLOR: '1' },
    timeout: START_TIMEOUT_MS,
  });
  child.child.stdin?.end(SCRIPT);
  const { stdout } = await child;
  return stdout;
}

// Two starts in one test: room for both children, so only a hung child fails it.
describe('npm start with a piped script (console adapter)', { timeout: 3 * START_TIMEOUT_MS }, () => {
  it('asks a concurrency question, reveals only after the answer, grades, and counts streak days', async () => {
    const day1 = await startWithScript('2026-03-02T09:00:00Z');

    const asked = day1.indexOf('> /ask concurrency');
    const answered = day1.indexOf('> .');
    const reveal = day1.indexOf('Reference answer');
    expect(asked).toBeGreaterThanOrEqual(0);
    const question = day1.slice(asked, day1.indexOf('> 1'));
    expect(question).toMatch(/Topic: .*concurrency/);
    expect(question).not.toMatch(/Reference answer/);
    expect(reveal).toBeGreaterThan(answered);
    expect(day1).toMatch(/Key points covered: \d+%/);
    expect(day1).toMatch(/✓/);
    expect(day1).toMatch(/Again.*Hard.*Good.*Easy/);
    expect(day1).toMatch(/streak: 🔥 1 day/);

    const day2 = await startWithScript('2026-03-03T09:00:00Z');
    expect(day2).toMatch(/streak: 🔥 2 days/);
  });
});
