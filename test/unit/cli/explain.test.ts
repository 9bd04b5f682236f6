/**
 * `prepbot import --explain FILE[:LINE]` and `prepbot bank list --unanswered`, run
 * through the real command tree against the shape fixtures. Line numbers come from
 * reading the fixtures.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../../src/cli.ts';

const REPO = join(import.meta.dirname, '../../..');
const FIXTURES = join(REPO, 'test/fixtures/notes');

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(...fixtures: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'prepbot-explain-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'notes'));
  for (const f of fixtures) copyFileSync(join(FIXTURES, f), join(dir, 'notes', f));
  copyFileSync(join(REPO, 'notes/topics.yml'), join(dir, 'notes/topics.yml'));
  return dir;
}

async function cli(cwd: string, ...args: string[]) {
  const io: CliIo & { stdout: string; stderr: string } = {
    stdout: '',
    stderr: '',
    out(text) {
      io.stdout += text;
    },
    err(text) {
      io.stderr += text;
    },
    env: {},
    cwd,
    now: () => new Date('2025-03-01T10:00:00Z'),
    exitCode: 0,
  };
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('prepbot import --explain', () => {
  it('names the rule and the stem and answer lines of the question at a line, and writes nothing', async () => {
    const dir = scratch('quiz-output.md');
    // Line 40 is inside question 1's options (heading 25, code 27–36, options 38–41, answer 46–48).
    const r = await cli(dir, '--db', 'bank.db', 'import', '--explain', 'notes/quiz-output.md:40');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("quiz-output.md:25  What's the output?");
    expect(r.stdout).toContain('rule: heading');
    expect(r.stdout).toContain('stem (shown when asking): lines 27–41');
    expect(r.stdout).toContain('answer: lines 46–48');
    const list = await cli(dir, '--db', 'bank.db', 'bank', 'list');
    expect(list.stdout).toContain('The bank is empty');
  });

  it('explains a title+paragraph question and a table row', async () => {
    const dir = scratch('titled-paragraphs.md', 'study-guide.md');
    const titled = await cli(dir, 'import', '--explain', 'notes/titled-paragraphs.md:51');
    expect(titled.stdout).toContain('rule: title+paragraph');
    expect(titled.stdout).toContain('title: Bloated constructor');
    expect(titled.stdout).toMatch(/answer: none \(no reference answer/);
    const row = await cli(dir, 'import', '--explain', 'notes/study-guide.md:80');
    expect(row.stdout).toContain('study-guide.md:80  How does the TCP three-way handshake work');
    expect(row.stdout).toContain('rule: table row');
    expect(row.stdout).toContain('answer: line 80');
  });

  it('without a line lists every question of the file', async () => {
    const dir = scratch('repeated-headings.md');
    const r = await cli(dir, 'import', '--explain', 'notes/repeated-headings.md');
    expect(r.stdout.match(/rule: heading/g)).toHaveLength(32);
    expect(r.stdout).toContain('32 questions in repeated-headings.md. Nothing was imported.');
  });

  it('says what to do for a missing file', async () => {
    const dir = scratch();
    const r = await cli(dir, 'import', '--explain', 'notes/nope.md:3');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot explain notes/nope.md');
  });
});

describe('prepbot bank list --unanswered', () => {
  it('lists only the questions without a reference answer', async () => {
    const dir = scratch('unanswered.md');
    expect((await cli(dir, '--db', 'bank.db', 'import')).code).toBe(0);
    const r = await cli(dir, '--db', 'bank.db', 'bank', 'list', '--unanswered');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('How does a Service find its Pods?');
    expect(r.stdout).not.toContain('What is a Pod?');
    expect(r.stdout).toContain('17 questions without a reference answer');
  });
});
