/**
 * Hostile and careless input piped into `npm start` (console adapter, real core,
 * SQLite in a temp dir). A transcript a person reads must carry no terminal
 * escape sequence from anything typed, and every mistake gets a clear answer.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/store/db.ts';
import { createSqlitePracticeRepository } from '../../../src/store/sqlite/practice.ts';
import { EVERYTHING, HOSTILE, RAW_CONTROL } from './setup.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'prepbot-bad-input-'));
const dbPath = join(dir, 'prepbot.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HUGE = 'x'.repeat(100_000);

const SCRIPT = [
  '/aks',
  '/timezone',
  '/timezone Mars/Base',
  '/leaderboard scope:planet',
  '/link ZZZZZZ',
  '/link nope!',
  '/\u001b[2Jboom',
  'hello \u001b]0;pwned\u0007 there',
  `/answer ${HUGE}`,
  '/ask concurrency',
  '1',
  '   ',
  '.',
  '1',
  HUGE,
  '.',
  EVERYTHING,
  '.',
  '3',
  '/streak',
  '',
].join('\n');

let stdout = '';
let stderr = '';

beforeAll(async () => {
  const child = run(process.execPath, ['--import', 'tsx', 'src/main.ts', '--person', 'alice'], {
    cwd: root,
    env: { ...process.env, PREPBOT_DB: dbPath, PREPBOT_NOW: '2026-03-02T09:00:00Z', PREPBOT_ADAPTERS: 'console', NO_COLOR: '1' },
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  child.child.stdin?.end(SCRIPT);
  ({ stdout, stderr } = await child);
}, 90_000);

/** The transcript from the echo of `typed` up to the next echoed line. */
function after(typed: string): string {
  const at = stdout.indexOf(`> ${typed}\n`);
  expect(at, `echo of ${typed}`).toBeGreaterThanOrEqual(0);
  const rest = stdout.slice(at + typed.length + 3);
  const next = rest.search(/^> /m);
  return next < 0 ? rest : rest.slice(0, next);
}

describe('bad input piped into npm start', () => {
  it('no terminal escape or control character from typed text reaches the terminal; nothing crashed', () => {
    expect(stdout).not.toMatch(RAW_CONTROL);
    // Typed lines are still echoed, minus their escape sequences.
    expect(stdout).toContain('> /boom\n');
    expect(stdout).toContain('> hello  there\n');
    expect(stderr).not.toMatch(/"level":(50|60)/);
    expect(stdout).not.toMatch(/went wrong/i);
  });

  it('mistyped commands and options get a reply that says what to type', () => {
    expect(after('/aks')).toMatch(/\/aks[\s\S]*\/ask/);
    expect(after('/timezone')).toMatch(/zone/);
    expect(after('/timezone Mars/Base')).toMatch(/only you[\s\S]*Mars\/Base[\s\S]*Europe\/Berlin/);
    expect(after('/leaderboard scope:planet')).toMatch(/planet[\s\S]*channel[\s\S]*workspace[\s\S]*global/);
    expect(after('/link ZZZZZZ')).toMatch(/only you[\s\S]*not valid/i);
    expect(after('/link nope!')).toMatch(/K7QX2M|6 letters/);
    expect(after('/boom')).toMatch(/\/boom[\s\S]*\/help/);
    expect(after('hello  there')).toMatch(/start with \//);
    // The 100 KB line is refused with its size and not echoed back whole in the notice.
    const huge = after(`/answer ${HUGE}`);
    expect(huge).toMatch(/100000 characters; at most 4000/);
    expect(huge.length).toBeLessThan(1000);
  });

  it('a blank answer and a 100 KB answer are refused, the form stays usable, and the real answer is stored as typed', async () => {
    expect(after('.')).toMatch(/empty/i);
    expect(stdout).toMatch(/100000 characters; at most 4000 fit\. Type a shorter answer/);
    const reveal = stdout.slice(stdout.indexOf('Reference answer') - 2000, stdout.indexOf('Reference answer'));
    const literal = reveal.replace(/\u200D/g, '');
    expect(literal).toContain(HOSTILE.markdown);
    expect(literal).toContain('<!channel> <!here>');
    expect(literal).toContain('@everyone @here <@123456789012345678>');
    expect(literal).toContain('red:RED clear: title: bell:');
    expect(stdout).toMatch(/streak: 🔥 1 day/);

    const db = openDatabase(dbPath);
    try {
      const practice = createSqlitePracticeRepository(db);
      const stored: string[] = [];
      for (let id = 1; ; id++) {
        const a = await practice.getAttempt(String(id));
        if (!a) break;
        if (a.answerText !== null) stored.push(a.answerText);
      }
      expect(stored).toEqual([EVERYTHING]);
    } finally {
      db.close();
    }
  });
});
