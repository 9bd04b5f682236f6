/**
 * The issue's own script, through the real process as a new user runs it
 * (`npm start -- --person amy` with piped input): a 2-question interview to
 * its scorecard and history; stopped after one answer; killed in the middle
 * (SIGKILL) and resumed at the same question by a second process.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'prepbot-interview-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A start boots Node and compiles the app through tsx: seconds on a loaded machine; killed after a minute. */
const START_TIMEOUT_MS = 60_000;
const ANSWER_1 = 'Goroutines are managed by the Go runtime with small growable stacks; threads by the OS kernel.';
const ANSWER_2 = 'Mutex, semaphore, channels, atomics and condition variables; channels for communication, a mutex for shared state.';

const env = (db: string) => ({ ...process.env, PREPBOT_DB: join(dir, db), PREPBOT_ADAPTERS: 'console', NO_COLOR: '1', PREPBOT_NOW: '2026-03-02T09:00:00Z' });
const args = ['--import', 'tsx', 'src/main.ts', '--person', 'amy'];

async function script(db: string, lines: string[]): Promise<string> {
  const child = run(process.execPath, args, { cwd: root, env: env(db), timeout: START_TIMEOUT_MS });
  child.child.stdin?.end(`${lines.join('\n')}\n`);
  return (await child).stdout;
}

describe('mock interview through npm start (console)', { timeout: 4 * START_TIMEOUT_MS }, () => {
  it('answers both questions to a scorecard with coverage and time each, then /interview history lists it', async () => {
    const out = await script('full.db', ['/interview start concurrency questions:2 minutes:10', '1', ANSWER_1, '.', '3', '1', ANSWER_2, '.', '3', '/interview history']);
    const card = out.slice(out.indexOf('Scorecard: 2-question mock interview on Concurrency'));
    expect(card).toMatch(/Answered 2 of 2\. Overall coverage: \d+%/);
    expect(card.match(/— answered, coverage \d+%, Good, \d+ s/g)).toHaveLength(2);
    expect(out).toContain('amy finished a 2-question mock interview.');
    expect(out.slice(out.indexOf('> /interview history'))).toMatch(/2026-03-02 · Concurrency · 2 questions, 2 answered · coverage \d+%/);
  });

  it('/interview stop after the first answer: 1 answered and 1 not reached', async () => {
    const out = await script('stop.db', ['/interview start concurrency questions:2 minutes:10', '1', ANSWER_1, '.', '3', '/interview stop']);
    const card = out.slice(out.indexOf('> /interview stop'));
    expect(card).toContain('Stopped. Answered 1 of 2; 1 not reached.');
    expect(card).toMatch(/1\. .* — answered, coverage \d+%, Good/);
    expect(card).toMatch(/2\. .* — not reached/);
  });

  it('peer: /as switches who types; the question shows in a labelled thread, the panel only for the interviewer, the scorecards privately', async () => {
    const out = await script('peer.db', [
      '/as bob',
      '/streak',
      '/as amy',
      '/interview peer @bob concurrency questions:1',
      '/as bob',
      '1',
      ANSWER_1,
      '.',
      '/as amy',
      '/interview start',
      '1',
    ]);
    expect(out).toMatch(/prepbot #\d+ \(in #thread-\d+ “Mock interview: amy ↔ bob”\):\n {2}Question 1\/1 for bob/);
    expect(out).toMatch(/prepbot #\d+ \(only amy\):\n {2}Question 1\/1 · only you see this/);
    expect(out).toMatch(/\(in #thread-\d+ “Mock interview: amy ↔ bob”\):\n {2}bob answered Question 1\/1:/);
    // amy resumes her panel after the answer came in, then rates: both scorecards arrive, each marked for its reader.
    const panel = out.slice(out.lastIndexOf('Resumed.'));
    expect(panel).toContain('bob typed:');
    const rate = /\[(\d+)\] 3 Lean hire/.exec(panel)![1]!;
    const end = await script('peer.db', ['/as amy', '/interview start', '1', rate]);
    expect(end).toMatch(/\(only amy\):\n {2}You interviewed bob\./);
    expect(end).toMatch(/\(only bob, direct\):\n {2}amy interviewed you\./);
    expect(end).toContain('Interview finished. Both scorecards were sent privately.');
  });

  it('a process killed in the middle leaves the session; the next start resumes at the same question', async () => {
    const child = spawn(process.execPath, args, { cwd: root, env: env('kill.db'), stdio: ['pipe', 'pipe', 'pipe'] });
    let seen = '';
    const question2 = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no question 2 within a minute:\n${seen}`)), START_TIMEOUT_MS);
      child.stdout.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const m = /Question 2\/2 · \d+ min left\n\n {2}(.+)\n/.exec(seen);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    // Input stays open, as on a terminal: the process is mid-interview when it dies.
    child.stdin.write(['/interview start concurrency questions:2 minutes:10', '1', ANSWER_1, '.', '3', ''].join('\n'));
    const prompt = await question2;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;

    const after = await script('kill.db', ['/interview start', '1']);
    expect(after).toContain('You have a 2-question mock interview open');
    const resumed = after.slice(after.indexOf('Resumed.'));
    expect(resumed).toMatch(/Question 2\/2 · \d+ min left/);
    expect(resumed).toContain(prompt);
  });
});
