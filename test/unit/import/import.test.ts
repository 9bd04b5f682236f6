import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importNotes, nothingImported } from '../../../src/bank/import.ts';
import { createTopicCatalog, loadTopicCatalog, type TopicCatalog } from '../../../src/bank/topics.ts';
import { bankStores, type BankStore, type OpenBank } from '../../stores/bank.ts';
import type { RawSql } from '../../stores/kinds.ts';

const SEED = join(import.meta.dirname, '../../../notes/sde2-notes.md');
const TOPICS = join(import.meta.dirname, '../../../notes/topics.yml');
const now = new Date('2025-03-01T10:00:00Z');

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function workspace(
  open: () => Promise<OpenBank>,
  files: Record<string, string | Buffer> = {},
): Promise<{ dir: string; repo: BankStore; sql: RawSql }> {
  const dir = mkdtempSync(join(tmpdir(), 'prepbot-import-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'notes'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, 'notes', name, '..'), { recursive: true });
    writeFileSync(join(dir, 'notes', name), content);
  }
  const { repo, sql } = await open();
  return { dir, repo, sql };
}

const catalog: TopicCatalog = createTopicCatalog([
  { id: 'go', name: 'Go', aliases: ['golang'], keywords: ['goroutine', 'channel'] },
  { id: 'databases', name: 'Databases', aliases: ['db'], keywords: ['index', 'transaction'] },
]);

function run(dir: string, repo: BankStore, extra: Partial<Parameters<typeof importNotes>[0]> = {}) {
  return importNotes({ paths: ['notes'], root: 'notes', cwd: dir, catalog, repo, now, ...extra });
}

const runs = (sql: RawSql) => sql.count('import_runs');

describe.each(bankStores())('import into the bank on $name', ({ open }) => {
  describe('importNotes on the seed notes', () => {
    it('adds the 33 seed questions, then a second run adds and changes nothing', async () => {
      const { dir, repo } = await workspace(open);
      copyFileSync(SEED, join(dir, 'notes', 'sde2-notes.md'));
      const real = loadTopicCatalog(TOPICS);
      const first = await run(dir, repo, { catalog: real });
      expect(first.added).toHaveLength(33);
      expect(first.skipped).toEqual([]);
      expect(first.added.every((i) => i.file === 'sde2-notes.md' && i.line > 0)).toBe(true);
      const second = await run(dir, repo, { catalog: real });
      expect(second.added).toEqual([]);
      expect(second.changed).toEqual([]);
      expect(second.removed).toEqual([]);
      expect(second.unchanged).toBe(33);
    });
  });

  describe('importNotes', () => {
    it('stores parsed questions with their topics and source line', async () => {
      const { dir, repo } = await workspace(open, {
        'go.md': '# Go\n\n## What is a goroutine?\n\nA function running concurrently, cheap to start.\n\n## How do channels work?\n\nThey pass values between goroutines.\n',
      });
      const report = await run(dir, repo);
      expect(report.added.map((i) => [i.prompt, i.line])).toEqual([
        ['What is a goroutine?', 3],
        ['How do channels work?', 7],
      ]);
      const stored = await repo.getQuestion(report.added[0]!.id);
      expect(stored?.topics).toContain('go');
      expect(stored?.answer).toContain('cheap to start');
    });

    it('keeps the first of two identical questions in one file and warns with both lines', async () => {
      const { dir, repo } = await workspace(open, {
        'dup.md': '## What is an index?\n\nA lookup structure.\n\n## Other?\n\nYes.\n\n## What is an  INDEX?\n\nSaid twice.\n',
      });
      const report = await run(dir, repo);
      expect(report.added.map((i) => i.prompt)).toEqual(['What is an index?', 'Other?']);
      // Reported once, as a warning (the file imported), at the second copy, naming the first.
      expect(report.skipped).toEqual([]);
      expect(report.warnings).toEqual([{ file: 'dup.md', line: 9, message: expect.stringMatching(/line 1\b/) }]);
    });

    it('imports the good files and reports each bad one with file:line, in one run', async () => {
      const latin1 = Buffer.concat([Buffer.from('## Good line?\n\nYes.\n\n## Caf'), Buffer.from([0xe9]), Buffer.from('?\n\nNo.\n')]);
      const { dir, repo } = await workspace(open, {
        'good.md': '## What is a transaction?\n\nAll or nothing.\n',
        'latin1.md': latin1,
        'binary.md': Buffer.from([0x00, 0x01, 0x02, 0x03]),
      });
      symlinkSync(join(dir, 'missing.md'), join(dir, 'notes', 'broken-link.md'));
      const report = await run(dir, repo);
      expect(report.added.map((i) => i.prompt)).toEqual(['What is a transaction?']);
      expect(report.skipped).toEqual([
        { file: 'binary.md', line: 1, message: expect.stringContaining('binary') },
        { file: 'broken-link.md', line: 0, message: expect.stringContaining('cannot be read') },
        { file: 'latin1.md', line: 5, message: expect.stringContaining('UTF-8') },
      ]);
      expect(nothingImported(report)).toBe(false);
    });

    it('a file that turns unreadable keeps its questions instead of retiring them', async () => {
      const { dir, repo } = await workspace(open, { 'a.md': '## What is a transaction?\n\nAll or nothing.\n', 'b.md': '## Other?\n\nYes.\n' });
      await run(dir, repo);
      writeFileSync(join(dir, 'notes', 'a.md'), Buffer.from([0x23, 0x23, 0x20, 0xff, 0xfe, 0x0a]));
      const report = await run(dir, repo);
      expect(report.removed).toEqual([]);
      expect(report.skipped.map((p) => p.file)).toEqual(['a.md']);
      expect(await repo.countQuestions()).toBe(2);
    });

    it('retires the questions of a deleted file, and restores them with the same id when it returns', async () => {
      const { dir, repo } = await workspace(open, { 'a.md': '## What is a transaction?\n\nAll or nothing.\n', 'b.md': '## Other?\n\nYes.\n' });
      const first = await run(dir, repo);
      unlinkSync(join(dir, 'notes', 'a.md'));
      const second = await run(dir, repo);
      expect(second.removed.map((i) => i.id)).toEqual([first.added[0]!.id]);
      writeFileSync(join(dir, 'notes', 'a.md'), '## What is a transaction?\n\nAll or nothing.\n');
      const third = await run(dir, repo);
      expect(third.added.map((i) => i.id)).toEqual([first.added[0]!.id]);
    });

    it('keeps the id through a renamed heading with the same answer, and through case/whitespace edits', async () => {
      const { dir, repo } = await workspace(open, { 'a.md': '## What is a transaction?\n\nA unit of work that commits or rolls back as a whole.\n' });
      const first = await run(dir, repo);
      writeFileSync(join(dir, 'notes', 'a.md'), '# Moved down\n\n## Explain database transactions\n\nA unit of work that commits or rolls back as a whole.\n');
      const renamed = await run(dir, repo);
      expect(renamed.added).toEqual([]);
      expect(renamed.changed.map((i) => i.id)).toEqual([first.added[0]!.id]);
      writeFileSync(join(dir, 'notes', 'a.md'), '## explain   DATABASE transactions\n\nA unit of work that commits or rolls back as a whole.\n');
      const recased = await run(dir, repo);
      expect(recased.added).toEqual([]);
      expect((await repo.listQuestions()).map((q) => q.id)).toEqual([first.added[0]!.id]);
    });

    it('an empty folder imports nothing, writes nothing, and says so', async () => {
      const { dir, repo, sql } = await workspace(open);
      const report = await run(dir, repo);
      expect(nothingImported(report)).toBe(true);
      expect(report.skipped).toContainEqual({ file: 'notes', line: 0, message: expect.stringContaining('no Markdown notes') });
      expect(await runs(sql)).toBe(0);
    });

    it('notes without any question leave an existing bank untouched', async () => {
      const { dir, repo, sql } = await workspace(open, { 'a.md': '## What is a transaction?\n\nAll or nothing.\n' });
      await run(dir, repo);
      writeFileSync(join(dir, 'notes', 'a.md'), 'Just a paragraph, no questions here.\n');
      const report = await run(dir, repo);
      expect(nothingImported(report)).toBe(true);
      expect(report.removed).toEqual([]);
      expect(await repo.countQuestions()).toBe(1);
      expect(await runs(sql)).toBe(1);
    });

    it('a dry run reports what a real run would do and writes nothing', async () => {
      const { dir, repo, sql } = await workspace(open, { 'a.md': '## What is a transaction?\n\nAll or nothing.\n' });
      const dry = await run(dir, repo, { dryRun: true });
      expect(dry.dryRun).toBe(true);
      expect(dry.added.map((i) => i.prompt)).toEqual(['What is a transaction?']);
      expect(await repo.countQuestions({ includeRetired: true })).toBe(0);
      expect(await runs(sql)).toBe(0);
    });

    it('imports a 5 MB notes file', async () => {
      const filler = 'An index trades write cost for read speed; the planner uses statistics to pick one. '.repeat(30);
      const sections: string[] = [];
      let size = 0;
      for (let i = 0; size < 5 * 1024 * 1024; i++) {
        const s = `## Question number ${i} about indexes?\n\n${filler}\n\n\`\`\`sql\nCREATE INDEX i${i} ON t (c);\n\`\`\`\n\n`;
        sections.push(s);
        size += Buffer.byteLength(s);
      }
      const { dir, repo } = await workspace(open, { 'big.md': sections.join('') });
      const report = await run(dir, repo);
      expect(report.skipped).toEqual([]);
      expect(report.added).toHaveLength(sections.length);
      // remark alone needs seconds for 5 MB on a busy machine; this is a room to finish, not a speed assertion.
    }, 180_000);

    it('passes the parser’s problems through as warnings with file:line (the file still imports)', async () => {
      const { dir, repo } = await workspace(open, {
        'fm.md': '---\ntopics: [go\ntitle: "unclosed\n---\n\n## What is a goroutine?\n\nA cheap concurrent function.\n',
      });
      const report = await run(dir, repo);
      expect(report.added.map((i) => i.prompt)).toEqual(['What is a goroutine?']);
      expect(report.skipped).toEqual([]);
      const fm = report.warnings.find((w) => w.file === 'fm.md' && /front matter/i.test(w.message));
      // YAML notices the unclosed "[" of line 2 on the line after it; either is inside the front matter (lines 2-3).
      expect(fm?.line).toBeGreaterThanOrEqual(2);
      expect(fm?.line).toBeLessThanOrEqual(3);
    });
  });

  describe('importNotes with follow-ups (test/fixtures/notes/follow-ups.md)', () => {
    const FIXTURE = join(import.meta.dirname, '../../fixtures/notes/follow-ups.md');

    it('stores follow-ups under their questions, keeps ids on re-import, and serves only top-level questions', async () => {
      const { dir, repo } = await workspace(open);
      copyFileSync(FIXTURE, join(dir, 'notes', 'follow-ups.md'));
      const first = await run(dir, repo);
      // 3 questions with 6 follow-ups between them (see follow-ups.expected.json).
      expect(first.added).toHaveLength(9);
      const byLine = new Map(first.added.map((i) => [i.line, i]));
      const goroutine = byLine.get(3)!;
      const mutex = byLine.get(34)!;
      expect(first.added.filter((i) => i.followUpOf === goroutine.id).map((i) => i.line)).toEqual([8, 12, 20, 30]);
      expect(first.added.filter((i) => i.followUpOf === mutex.id).map((i) => i.line)).toEqual([38, 42]);
      expect(byLine.get(46)!.followUpOf).toBeUndefined();
      expect(byLine.get(38)!.id).not.toBe(byLine.get(46)!.id);
      // Two follow-ups have no answer: reported like empty questions.
      expect(first.emptyAnswer.map((i) => i.line)).toEqual([12, 30]);

      expect((await repo.listFollowUps(goroutine.id)).map((x) => x.line)).toEqual([8, 12, 20, 30]);
      const follow = (await repo.listFollowUps(mutex.id))[0]!;
      expect(follow.topics).toEqual((await repo.getQuestion(mutex.id))!.topics);
      expect((await repo.listQuestions({ servable: true })).map((x) => x.line)).toEqual([3, 34, 46]);

      const second = await run(dir, repo);
      expect(second.added).toEqual([]);
      expect(second.changed).toEqual([]);
      expect(second.removed).toEqual([]);
      expect(second.unchanged).toBe(9);
    });
  });
});
