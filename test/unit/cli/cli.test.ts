import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { buildProgram, runCli, type CliIo } from '../../../src/cli.ts';

const REPO = join(import.meta.dirname, '../../..');
const BIN = join(REPO, 'bin/prepbot.js');

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A scratch checkout: the seed notes and topics, and a database path inside. */
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'prepbot-cli-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'notes'));
  copyFileSync(join(REPO, 'notes/sde2-notes.md'), join(dir, 'notes/sde2-notes.md'));
  copyFileSync(join(REPO, 'notes/topics.yml'), join(dir, 'notes/topics.yml'));
  return dir;
}

function memoryIo(cwd: string, env: Record<string, string> = {}): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(text: string) {
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
    env,
    cwd,
    now: () => new Date('2025-03-01T10:00:00Z'),
    exitCode: 0,
  };
  return io;
}

async function cli(cwd: string, ...args: string[]) {
  const io = memoryIo(cwd);
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

const SEED_CONCURRENCY = [
  /goroutine and thread/i,
  /primitives/i,
  /waitgroup/i,
  /map synchronisation/i,
  /channel comm?unication/i,
  /select/i,
];

/**
 * Each spawn boots Node and compiles the CLI through tsx: about a second when idle, several on a loaded
 * CI machine. A child gets a minute before it is killed (so a hang fails with a reason, not an orphan),
 * and a test gets room for all of its children.
 */
const CHILD_TIMEOUT_MS = 60_000;
const exec = (args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) =>
  promisify(execFile)(process.execPath, [BIN, ...args], { ...options, timeout: CHILD_TIMEOUT_MS });

describe('prepbot CLI (as a process)', { timeout: 4 * CHILD_TIMEOUT_MS }, () => {
  it('fresh import reports 33 added, a second run 0 added 0 changed, and concurrency lists six questions', async () => {
    const dir = scratch();
    const env = { ...process.env, PREPBOT_DB: join(dir, 'data/prepbot.db') };
    const first = JSON.parse((await exec(['import', '--json'], { cwd: dir, env })).stdout);
    expect(first.added).toHaveLength(33);
    const second = JSON.parse((await exec(['import', '--json'], { cwd: dir, env })).stdout);
    expect(second.added).toHaveLength(0);
    expect(second.changed).toHaveLength(0);
    const list = JSON.parse(
      (await exec(['bank', 'list', '--topic', 'concurrency', '--json'], { cwd: dir, env })).stdout,
    ) as { prompt: string; topics: string[] }[];
    expect(list).toHaveLength(6);
    for (const pattern of SEED_CONCURRENCY) expect(list.some((q) => pattern.test(q.prompt))).toBe(true);
    expect(list.every((q) => q.topics.includes('concurrency'))).toBe(true);
  });

  it('a usage error exits non-zero with help, and no stack trace', async () => {
    const dir = scratch();
    const failed = await exec(['bank', 'show'], { cwd: dir }).catch((e: { code: number; stderr: string }) => e);
    expect('code' in failed && failed.code).toBeGreaterThan(0);
    expect(failed.stderr).toMatch(/missing required argument/);
    expect(failed.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('prepbot CLI (in process)', () => {
  it('import prints a readable summary, and --dry-run writes nothing', async () => {
    const dir = scratch();
    const dry = await cli(dir, 'import', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/Dry run/);
    expect(dry.stdout).toMatch(/33 added/);
    const real = await cli(dir, 'import');
    expect(real.stdout).toMatch(/33 added, 0 changed, 0 removed/);
    expect(real.stdout).toMatch(/sde2-notes\.md:\d+/);
  });

  it('honours --db, then PREPBOT_DB, then the default path', async () => {
    const dir = scratch();
    await cli(dir, 'import', '--db', 'custom/one.db');
    expect((await cli(dir, 'bank', 'list', '--db', 'custom/one.db', '--json')).stdout).toMatch(/"id"/);
    const viaEnv = memoryIo(dir, { PREPBOT_DB: 'custom/one.db' });
    await runCli(['bank', 'list', '--json'], viaEnv);
    expect(JSON.parse(viaEnv.stdout)).toHaveLength(33);
    const fallback = await cli(dir, 'bank', 'list');
    expect(fallback.stdout).toMatch(/bank is empty/);
  });

  it('bank list resolves a misspelt topic and rejects an unknown one with suggestions', async () => {
    const dir = scratch();
    await cli(dir, 'import');
    const typo = await cli(dir, 'bank', 'list', '--topic', 'concurency', '--json');
    expect(JSON.parse(typo.stdout)).toHaveLength(6);
    const unknown = await cli(dir, 'bank', 'list', '--topic', 'zzzzqqq');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown topic "zzzzqqq"/);
    expect(unknown.stderr).toMatch(/prepbot topics/);
  });

  it('bank show takes a full id or a unique prefix, and explains an unknown id', async () => {
    const dir = scratch();
    await cli(dir, 'import');
    const [first] = JSON.parse((await cli(dir, 'bank', 'list', '--json')).stdout) as { id: string; prompt: string; answer: string }[];
    const full = await cli(dir, 'bank', 'show', first!.id);
    expect(full.stdout).toContain(first!.prompt);
    expect(full.stdout).toContain(first!.answer.trim().split('\n')[0]);
    const prefix = await cli(dir, 'bank', 'show', first!.id.slice(0, 8), '--json');
    expect(JSON.parse(prefix.stdout).id).toBe(first!.id);
    const missing = await cli(dir, 'bank', 'show', 'ffffffffffff');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no question with id/);
  });

  it('bank show lists a question\u2019s follow-ups; bank list marks them under their question', async () => {
    const dir = scratch();
    copyFileSync(join(REPO, 'test/fixtures/notes/follow-ups.md'), join(dir, 'notes/follow-ups.md'));
    await cli(dir, 'import');
    const all = JSON.parse((await cli(dir, 'bank', 'list', '--json')).stdout) as { id: string; prompt: string; parentId: string | null; file: string }[];
    const mine = all.filter((q) => q.file === 'follow-ups.md');
    const mutex = mine.find((q) => q.prompt === 'What is a mutex?')!;
    const deadlock = mine.find((q) => q.prompt === 'What is a deadlock?' && q.parentId === mutex.id)!;

    const shown = await cli(dir, 'bank', 'show', mutex.id);
    expect(shown.stdout).toMatch(/Follow-ups/);
    expect(shown.stdout).toContain(`↳ ${deadlock.id}  What is a deadlock?`);
    expect(shown.stdout).toContain('Explain the difference between Mutex and RWMutex');
    const json = JSON.parse((await cli(dir, 'bank', 'show', mutex.id, '--json')).stdout) as { followUps: { id: string }[] };
    expect(json.followUps.map((f) => f.id)[0]).toBe(deadlock.id);
    expect((await cli(dir, 'bank', 'show', deadlock.id)).stdout).toContain(`follow-up of ${mutex.id}`);

    const listed = (await cli(dir, 'bank', 'list')).stdout.split('\n');
    const at = listed.findIndex((l) => l.startsWith(mutex.id));
    expect(listed[at + 1]).toBe(`  ↳ ${deadlock.id}  What is a deadlock?  (follow-up of ${mutex.id})`);
    expect(listed.join('\n')).toMatch(/ and 6 follow-ups \(↳/);
  });

  it('bank search finds a question by a word of its answer', async () => {
    const dir = scratch();
    await cli(dir, 'import');
    const found = JSON.parse((await cli(dir, 'bank', 'search', 'WaitGroup', '--json')).stdout) as { prompt: string }[];
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]!.prompt).toMatch(/waitgroup/i);
    // FTS5 query syntax in what a person types must be read as words, never reach SQLite as syntax.
    for (const query of ['a "b', 'AND', '*', '(', 'NOT OR', 'near(', 'col:x', '^', "it's"]) {
      const odd = await cli(dir, 'bank', 'search', query);
      expect(odd.code, query).toBe(0);
      expect(odd.stderr, query).toBe('');
    }
    const none = await cli(dir, 'bank', 'search', 'xylophoneqq');
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/Nothing matches/);
  });

  it('topics lists the catalog with question counts', async () => {
    const dir = scratch();
    await cli(dir, 'import');
    const topics = JSON.parse((await cli(dir, 'topics', '--json')).stdout) as { id: string; questionCount: number }[];
    expect(topics.find((t) => t.id === 'concurrency')?.questionCount).toBe(6);
    const human = await cli(dir, 'topics');
    expect(human.stdout).toMatch(/^concurrency\s+6\s+Concurrency/m);
  });

  it('notes kept elsewhere use the topics.yml beside them, else the repository one', async () => {
    const dir = scratch();
    mkdirSync(join(dir, 'team'));
    writeFileSync(join(dir, 'team/q.md'), '## What is a quorum read?\n\nA read that waits for a majority of replicas.\n');
    const plain = await cli(dir, '--root', 'team', '--db', 'a.db', 'import', 'team');
    expect(plain.code).toBe(0);
    expect(plain.stderr + plain.stdout).not.toMatch(/topics file/i);

    writeFileSync(join(dir, 'team/topics.yml'), 'consensus:\n  name: Consensus\n  keywords: [quorum]\n');
    await cli(dir, '--root', 'team', '--db', 'b.db', 'import', 'team');
    const listed = JSON.parse((await cli(dir, '--root', 'team', '--db', 'b.db', 'bank', 'list', '--topic', 'consensus', '--json')).stdout);
    expect(listed).toHaveLength(1);
  });

  it('exits 1 when nothing could be imported, listing why', async () => {
    const dir = scratch();
    mkdirSync(join(dir, 'empty'));
    const empty = await cli(dir, 'import', 'empty');
    expect(empty.code).toBe(1);
    expect(empty.stdout).toMatch(/empty: has no Markdown notes/);
    expect(empty.stdout).toMatch(/^Nothing imported from empty/);
    writeFileSync(join(dir, 'bin.md'), Buffer.from([0, 1, 2]));
    const binary = await cli(dir, 'import', 'bin.md', 'nope');
    expect(binary.code).toBe(1);
    expect(binary.stdout).toMatch(/bin\.md:1: looks binary/);
    expect(binary.stdout).toMatch(/nope: no such file or folder/);
  });

  it('a repeated question imports once and is listed under Warnings, not Skipped', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'dup.md'), '## What is a mutex?\n\nA lock.\n\n## What is a mutex?\n\nA different lock.\n');
    const result = await cli(dir, 'import', 'dup.md');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/1 added/);
    expect(result.stdout).not.toMatch(/\nSkipped:/);
    expect(result.stdout).toMatch(/\nWarnings:\n(?:.*\n)*\s+! dup\.md:5: .*line 1\b/);
  });

  it('a broken topics file stops the import with file:line', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'notes/topics.yml'), 'concurrency:\n  name: [unclosed\n');
    const result = await cli(dir, 'import');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/notes\/topics\.yml:\d+/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a database path that cannot be opened is a clear error', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'not-a-db'), 'hello, this is text and not SQLite'.repeat(50));
    const result = await cli(dir, 'bank', 'list', '--db', 'not-a-db');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot open the database not-a-db/);
  });

  it('--db wins over DATABASE_URL: the named SQLite file is used and the server is never asked', async () => {
    const dir = scratch();
    // Port 9 (discard) on loopback: were DATABASE_URL used, opening would fail.
    const io = memoryIo(dir, { DATABASE_URL: 'postgres://prepbot:secret-pw@127.0.0.1:9/prepbot' });
    const code = await runCli(['bank', 'list', '--db', 'data/x.db'], io);
    expect(io.stderr).toBe('');
    expect(code).toBe(0);
    expect(existsSync(join(dir, 'data/x.db'))).toBe(true);
  });

  it('DATABASE_URL that is not a PostgreSQL URL is refused with what to set, without echoing it', async () => {
    const dir = scratch();
    const io = memoryIo(dir, { DATABASE_URL: 'mysql://root:secret-pw@db/prepbot' });
    const code = await runCli(['bank', 'list'], io);
    expect(code).toBe(1);
    expect(io.stderr).toMatch(/postgres:\/\/USER:PASSWORD@HOST/);
    expect(io.stderr).not.toContain('secret-pw');
  });

  it('an unreachable PostgreSQL server is a clear error naming the server without its password', async () => {
    const dir = scratch();
    const io = memoryIo(dir, { DATABASE_URL: 'postgres://prepbot:secret-pw@127.0.0.1:9/prepbot' });
    const code = await runCli(['bank', 'list'], io);
    expect(code).toBe(1);
    expect(io.stderr).toContain('cannot open the PostgreSQL database postgres://prepbot:***@127.0.0.1:9/prepbot');
    expect(io.stderr).toMatch(/check that the server is running/);
    expect(io.stderr).not.toContain('secret-pw');
  });

  it('--help works on every command', async () => {
    const dir = scratch();
    for (const args of [[], ['import'], ['bank'], ['bank', 'list'], ['bank', 'show'], ['bank', 'search'], ['topics']]) {
      const result = await cli(dir, ...args, '--help');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/Usage: prepbot/);
    }
  });

  it('buildProgram can be extended with another command family', async () => {
    const dir = scratch();
    const io = memoryIo(dir);
    const program = buildProgram(io);
    program.command('hello').action(() => io.out('hi\n'));
    expect(await runCli(['hello'], io, program)).toBe(0);
    expect(io.stdout).toBe('hi\n');
  });
});
