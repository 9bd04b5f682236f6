import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bodyHash, questionId } from '../../../src/bank/ids.ts';
import { migrate, openDatabase, type Db } from '../../../src/store/db.ts';
import { migrations } from '../../../src/store/migrations/index.ts';
import type { ImportPlan, ImportQuestion } from '../../../src/store/types.ts';
import { bankStores } from '../../stores/bank.ts';

function q(file: string, prompt: string, answer: string, topics: string[] = [], line = 1): ImportQuestion {
  return {
    file,
    line,
    prompt,
    promptDetail: '',
    answer,
    keyPoints: answer ? [answer] : [],
    topics,
    emptyAnswer: answer === '',
    normKey: prompt.toLowerCase().replace(/\s+/g, ' ').trim(),
    bodyHash: bodyHash(answer, ''),
  };
}

function plan(questions: ImportQuestion[], extra: Partial<ImportPlan> = {}): ImportPlan {
  return {
    paths: ['notes'],
    scope: { files: [], folders: [''] },
    keepFiles: [],
    questions,
    topics: [
      { id: 'go', name: 'Go' },
      { id: 'concurrency', name: 'Concurrency' },
    ],
    skipped: [],
    warnings: [],
    startedAt: new Date('2025-01-01T00:00:00Z'),
    now: new Date('2025-01-01T00:00:01Z'),
    dryRun: false,
    ...extra,
  };
}

const seed = () => [
  q('a.md', 'What is a goroutine?', 'A lightweight thread managed by the Go runtime.', ['go', 'concurrency'], 3),
  q('a.md', 'What is a mutex?', 'A lock for mutual exclusion.', ['concurrency'], 7),
  q('b.md', 'What is CAP?', 'Consistency, availability, partition tolerance: pick two under partition.', [], 1),
];

const dirs: string[] = [];
const dbs: Db[] = [];
function tempDb(): { db: Db; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'prepbot-store-'));
  dirs.push(dir);
  const path = join(dir, 'bank.db');
  const db = openDatabase(path);
  dbs.push(db);
  return { db, path };
}
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('bank migration (SQLite file)', () => {
  it('applies once; reopening and re-running migrate change nothing', () => {
    const { db, path } = tempDb();
    db.close();
    const again = openDatabase(path);
    dbs.push(again);
    migrate(again);
    const versions = again.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(versions).toEqual(migrations.map((m) => ({ version: m.version, name: m.name })).sort((a, b) => a.version - b.version));
    expect(versions).toContainEqual({ version: 1, name: 'bank' });
    const tables = again
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('questions','topics','question_topics','import_runs','questions_fts')")
      .all()
      .map((r) => (r as { name: string }).name)
      .sort();
    expect(tables).toEqual(['import_runs', 'question_topics', 'questions', 'questions_fts', 'topics']);
  });

  it('runs in WAL mode with foreign keys enforced', () => {
    const { db } = tempDb();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() => db.prepare("INSERT INTO question_topics (question_id, topic_id, position) VALUES ('nope', 'nope', 0)").run()).toThrow(
      /FOREIGN KEY/,
    );
  });
});

describe.each(bankStores())('bank store on $name', ({ open }) => {
  describe('applyImport', () => {
    it('adds everything on a fresh bank, then a second identical run is all unchanged', async () => {
      const { repo, sql } = await open();
      const first = await repo.applyImport(plan(seed()));
      expect(first.added.map((i) => i.prompt)).toEqual(['What is a goroutine?', 'What is a mutex?', 'What is CAP?']);
      expect(first.added[0]!.id).toBe(questionId('a.md', 'what is a goroutine?'));
      const second = await repo.applyImport(plan(seed()));
      expect(second.added).toEqual([]);
      expect(second.changed).toEqual([]);
      expect(second.removed).toEqual([]);
      expect(second.unchanged).toBe(3);
      expect(await sql.count('import_runs')).toBe(2);
    });

    it('stores every field and reads it back, with topics in order', async () => {
      const { repo } = await open();
      const report = await repo.applyImport(plan(seed()));
      const stored = await repo.getQuestion(report.added[0]!.id);
      expect(stored).toEqual({
        id: report.added[0]!.id,
        file: 'a.md',
        line: 3,
        prompt: 'What is a goroutine?',
        promptDetail: '',
        answer: 'A lightweight thread managed by the Go runtime.',
        keyPoints: ['A lightweight thread managed by the Go runtime.'],
        topics: ['go', 'concurrency'],
        emptyAnswer: false,
        retired: false,
        parentId: null,
      });
      expect(await repo.getQuestion('missing')).toBeUndefined();
    });

    it('reports an edited answer as changed and keeps the id', async () => {
      const { repo } = await open();
      const first = await repo.applyImport(plan(seed()));
      const edited = seed();
      edited[1] = q('a.md', 'What is a mutex?', 'A lock that lets one goroutine in at a time.', ['concurrency'], 7);
      const second = await repo.applyImport(plan(edited));
      expect(second.changed.map((i) => i.id)).toEqual([first.added[1]!.id]);
      expect((await repo.getQuestion(first.added[1]!.id))!.answer).toBe('A lock that lets one goroutine in at a time.');
    });

    it('treats a moved section as unchanged but records its new line', async () => {
      const { repo } = await open();
      const first = await repo.applyImport(plan(seed()));
      const moved = seed();
      moved[0] = { ...moved[0]!, line: 40 };
      const second = await repo.applyImport(plan(moved));
      expect(second.changed).toEqual([]);
      expect(second.unchanged).toBe(3);
      expect((await repo.getQuestion(first.added[0]!.id))!.line).toBe(40);
    });

    it('keeps the id when a heading is renamed but its body is unchanged', async () => {
      const { repo } = await open();
      const first = await repo.applyImport(plan(seed()));
      const renamed = seed();
      renamed[0] = q('a.md', 'Explain goroutines', 'A lightweight thread managed by the Go runtime.', ['go', 'concurrency'], 3);
      const second = await repo.applyImport(plan(renamed));
      expect(second.added).toEqual([]);
      expect(second.removed).toEqual([]);
      expect(second.changed).toEqual([{ id: first.added[0]!.id, prompt: 'Explain goroutines', file: 'a.md', line: 3 }]);
      // The old heading returning later is a new question and must not collide with the kept id.
      const third = await repo.applyImport(
        plan([...renamed, q('a.md', 'What is a goroutine?', 'Something else entirely.', [], 20)]),
      );
      expect(third.added).toHaveLength(1);
      expect(third.added[0]!.id).not.toBe(first.added[0]!.id);
    });

    it('does not pair renamed headings by body when the body is empty', async () => {
      const { repo } = await open();
      await repo.applyImport(plan([q('a.md', 'Question one', '')]));
      const second = await repo.applyImport(plan([q('a.md', 'Question two', '')]));
      expect(second.added.map((i) => i.prompt)).toEqual(['Question two']);
      expect(second.removed.map((i) => i.prompt)).toEqual(['Question one']);
    });

    it('retires a removed question instead of deleting it, and what references it survives', async () => {
      const { repo, sql } = await open();
      const first = await repo.applyImport(plan(seed()));
      const mutexId = first.added[1]!.id;
      // Stands in for a later migration's table (answers, reviews) pointing at questions.id.
      await sql.rows('CREATE TABLE answers_probe (question_id TEXT NOT NULL REFERENCES questions (id))');
      await sql.rows('INSERT INTO answers_probe (question_id) VALUES (?)', [mutexId]);

      const second = await repo.applyImport(plan(seed().filter((x) => x.prompt !== 'What is a mutex?')));
      expect(second.removed.map((i) => i.id)).toEqual([mutexId]);
      expect(await sql.rows('SELECT question_id FROM answers_probe')).toEqual([{ question_id: mutexId }]);
      const retired = await repo.getQuestion(mutexId);
      expect(retired?.retired).toBe(true);
      expect((await repo.listQuestions()).map((x) => x.id)).not.toContain(mutexId);
      expect((await repo.listQuestions({ includeRetired: true })).map((x) => x.id)).toContain(mutexId);
      expect(await repo.searchQuestions('mutex')).toEqual([]);

      // A third run does not report it as removed again.
      const third = await repo.applyImport(plan(seed().filter((x) => x.prompt !== 'What is a mutex?')));
      expect(third.removed).toEqual([]);

      // It comes back with the same id when the notes have it again.
      const fourth = await repo.applyImport(plan(seed()));
      expect(fourth.added.map((i) => i.id)).toEqual([mutexId]);
      expect((await repo.getQuestion(mutexId))?.retired).toBe(false);
    });

    it('retires only inside the scope, and never questions of files that could not be read', async () => {
      const { repo } = await open();
      await repo.applyImport(plan(seed()));
      const onlyA = seed().filter((x) => x.file === 'a.md').slice(0, 1);
      const scoped = await repo.applyImport(plan(onlyA, { scope: { files: ['a.md'], folders: [] } }));
      expect(scoped.removed.map((i) => i.prompt)).toEqual(['What is a mutex?']);
      const kept = await repo.applyImport(plan(onlyA, { keepFiles: ['b.md'] }));
      expect(kept.removed).toEqual([]);
      expect(await repo.countQuestions()).toBe(2);
    });

    it('a dry run reports the same as the real run and writes nothing', async () => {
      const { repo, sql } = await open();
      const dry = await repo.applyImport(plan(seed(), { dryRun: true }));
      expect(dry.dryRun).toBe(true);
      expect(await repo.countQuestions({ includeRetired: true })).toBe(0);
      expect(await sql.count('import_runs')).toBe(0);
      const real = await repo.applyImport(plan(seed()));
      expect({ ...dry, dryRun: false }).toEqual(real);
    });

    it('writes nothing when any part of the import fails (one transaction)', async () => {
      const { repo, sql } = await open();
      await repo.applyImport(plan(seed()));
      // A NOT NULL violation on the last row fails the run after the earlier rows were written inside it.
      const broken = { ...q('c.md', 'Late question?', 'x'), prompt: null as unknown as string };
      const edited = seed().map((x) => ({ ...x, answer: `${x.answer} (edited)` }));
      // SQLite says "NOT NULL constraint failed", PostgreSQL "violates not-null constraint".
      await expect(repo.applyImport(plan([...edited, broken]))).rejects.toThrow(/NOT NULL|not-null/);
      expect((await repo.listQuestions()).map((x) => x.answer)).toEqual(seed().map((x) => x.answer));
      expect(await sql.count('import_runs')).toBe(1);
    });

    it('keeps the first of two identical questions and warns about the second', async () => {
      const { repo } = await open();
      const report = await repo.applyImport(plan([...seed(), { ...seed()[0]!, line: 30 }]));
      expect(report.added).toHaveLength(3);
      expect(report.warnings).toEqual([{ file: 'a.md', line: 30, message: expect.stringContaining('line 3') }]);
    });

    it('lists empty answers in the report and never serves them', async () => {
      const { repo } = await open();
      const report = await repo.applyImport(plan([...seed(), q('c.md', 'Explain Raft', '', ['concurrency'])]));
      expect(report.emptyAnswer.map((i) => i.prompt)).toEqual(['Explain Raft']);
      expect(await repo.countQuestions()).toBe(4);
      expect(await repo.countQuestions({ servable: true })).toBe(3);
    });

    it('filters by topic and counts servable questions per topic', async () => {
      const { repo } = await open();
      await repo.applyImport(plan(seed()));
      expect((await repo.listQuestions({ topic: 'concurrency' })).map((x) => x.prompt)).toEqual([
        'What is a goroutine?',
        'What is a mutex?',
      ]);
      expect(await repo.listTopics()).toEqual([
        { id: 'concurrency', name: 'Concurrency', questionCount: 2 },
        { id: 'go', name: 'Go', questionCount: 1 },
      ]);
      expect(await repo.listQuestions({ limit: 1 })).toHaveLength(1);
    });

    it('creates a topic row for a linked topic the catalog does not name', async () => {
      const { repo } = await open();
      await repo.applyImport(plan([q('a.md', 'Q?', 'A.', ['kubernetes'])]));
      expect((await repo.listTopics()).find((t) => t.id === 'kubernetes')).toEqual({ id: 'kubernetes', name: 'kubernetes', questionCount: 1 });
    });
  });

  describe('searchQuestions', () => {
    it('finds words in prompt and answer, prefixes of the last word, and follows edits', async () => {
      const { repo } = await open();
      await repo.applyImport(plan(seed()));
      expect((await repo.searchQuestions('lightweight runtime')).map((x) => x.prompt)).toEqual(['What is a goroutine?']);
      expect((await repo.searchQuestions('partit')).map((x) => x.prompt)).toEqual(['What is CAP?']);
      const edited = seed();
      edited[2] = q('b.md', 'What is CAP?', 'A theorem about replicated stores.', [], 1);
      await repo.applyImport(plan(edited));
      expect(await repo.searchQuestions('partition')).toEqual([]);
      expect((await repo.searchQuestions('replicated')).map((x) => x.prompt)).toEqual(['What is CAP?']);
    });

    it('treats FTS syntax in user text as plain words and falls back to any word', async () => {
      const { repo } = await open();
      await repo.applyImport(plan(seed()));
      expect((await repo.searchQuestions('mutex" OR * NEAR(')).map((x) => x.prompt)).toContain('What is a mutex?');
      expect((await repo.searchQuestions('mutex zebra')).map((x) => x.prompt)).toEqual(['What is a mutex?']);
      expect(await repo.searchQuestions('  ?!  ')).toEqual([]);
    });

    // FTS5 ranks with bm25 (term rarity, document length); PostgreSQL's ts_rank with the
    // weights of where a word stands (no rarity). Scores differ, so only what both
    // promise is asserted: a word in the prompt outranks the same word only in an answer.
    it('ranks a match in the prompt above a match only in the answer, and honours the limit', async () => {
      const { repo } = await open();
      await repo.applyImport(
        plan([
          q('c.md', 'What is a channel?', 'A typed pipe that goroutines send values through.', [], 1),
          ...seed(),
          q('c.md', 'How do you stop a worker?', 'Close a channel the goroutine reads, or cancel its context.', [], 9),
        ]),
      );
      const found = await repo.searchQuestions('goroutine');
      expect(found.map((x) => x.prompt)[0]).toBe('What is a goroutine?');
      expect(found.map((x) => x.prompt).sort()).toEqual(['How do you stop a worker?', 'What is a channel?', 'What is a goroutine?']);
      expect(found[0]!.topics).toEqual(['go', 'concurrency']);
      expect(await repo.searchQuestions('goroutine', 2)).toHaveLength(2);
    });

    // Stemming differs in detail (FTS5's porter tokenizer, PostgreSQL's english snowball),
    // but both reduce these inflections to the same stem.
    it('matches other forms of a word', async () => {
      const { repo } = await open();
      await repo.applyImport(plan(seed()));
      expect((await repo.searchQuestions('partitions')).map((x) => x.prompt)).toEqual(['What is CAP?']);
      expect((await repo.searchQuestions('managing threads')).map((x) => x.prompt)).toEqual(['What is a goroutine?']);
    });
  });

  describe('follow-ups', () => {
    /** A follow-up of the plan question at `parentIndex`, built like the import builds one. */
    const f = (parentIndex: number, prompt: string, answer: string, line: number, topics: string[] = ['concurrency']): ImportQuestion => ({
      ...q('a.md', prompt, answer, topics, line),
      parentIndex,
    });
    // "What is a deadlock?" is both a follow-up of the mutex question and a question of its own, as in
    // test/fixtures/notes/follow-ups.md.
    const withFollowUps = () => [
      q('a.md', 'What is a mutex?', 'A lock for mutual exclusion.', ['concurrency'], 7),
      f(0, 'What is a deadlock?', 'Two holders wait for each other forever.', 9),
      f(0, 'When would you use an RWMutex?', 'When reads far outnumber writes.', 12),
      f(2, 'What can starve the writers?', 'A steady stream of readers.', 14),
      q('a.md', 'What is a deadlock?', 'Every goroutine is blocked.', ['concurrency'], 20),
    ];

    it('stores each follow-up under its question and lists them in note order', async () => {
      const { repo } = await open();
      const report = await repo.applyImport(plan(withFollowUps()));
      const [mutex, deadlockFollowUp, rw, starve, deadlock] = report.added;
      expect(report.added).toHaveLength(5);
      expect(mutex!.followUpOf).toBeUndefined();
      expect(deadlockFollowUp!.followUpOf).toBe(mutex!.id);
      expect(starve!.followUpOf).toBe(rw!.id);
      expect(deadlock!.followUpOf).toBeUndefined();

      expect((await repo.getQuestion(mutex!.id))!.parentId).toBeNull();
      expect((await repo.getQuestion(deadlockFollowUp!.id))!.parentId).toBe(mutex!.id);
      expect((await repo.listFollowUps(mutex!.id)).map((x) => x.prompt)).toEqual(['What is a deadlock?', 'When would you use an RWMutex?']);
      expect((await repo.listFollowUps(rw!.id)).map((x) => x.prompt)).toEqual(['What can starve the writers?']);
      expect(await repo.listFollowUps(deadlock!.id)).toEqual([]);
      expect(await repo.listFollowUps('missing')).toEqual([]);
    });

    it('never serves a follow-up alone, and counts only top-level questions per topic', async () => {
      const { repo } = await open();
      await repo.applyImport(plan(withFollowUps()));
      const servable = await repo.listQuestions({ servable: true });
      expect(servable.map((x) => [x.prompt, x.line])).toEqual([
        ['What is a mutex?', 7],
        ['What is a deadlock?', 20],
      ]);
      expect(servable.every((x) => x.parentId === null)).toBe(true);
      expect(await repo.countQuestions({ servable: true, topic: 'concurrency' })).toBe(2);
      expect((await repo.listTopics()).find((t) => t.id === 'concurrency')?.questionCount).toBe(2);
      // Listings that are not about serving still show everything, follow-ups marked by parentId.
      expect((await repo.listQuestions()).filter((x) => x.parentId !== null)).toHaveLength(3);
    });

    it('gives a follow-up an id of its own, apart from a question with the same text in the same file', async () => {
      const { repo } = await open();
      const report = await repo.applyImport(plan(withFollowUps()));
      const deadlocks = report.added.filter((i) => i.prompt === 'What is a deadlock?');
      expect(deadlocks).toHaveLength(2);
      expect(deadlocks[0]!.id).not.toBe(deadlocks[1]!.id);
      expect(deadlocks[1]!.id).toBe(questionId('a.md', 'what is a deadlock?'));
      expect((await repo.getQuestion(deadlocks[0]!.id))!.answer).toBe('Two holders wait for each other forever.');
      expect((await repo.getQuestion(deadlocks[1]!.id))!.answer).toBe('Every goroutine is blocked.');
    });

    it('keeps every id across a re-import, and a second identical run changes nothing', async () => {
      const { repo } = await open();
      const first = await repo.applyImport(plan(withFollowUps()));
      const again = await repo.applyImport(plan(withFollowUps()));
      expect(again.added).toEqual([]);
      expect(again.changed).toEqual([]);
      expect(again.removed).toEqual([]);
      expect(again.unchanged).toBe(5);
      const moved = withFollowUps().map((x) => ({ ...x, line: x.line + 100 }));
      const third = await repo.applyImport(plan(moved));
      expect(third.unchanged).toBe(5);
      const ids = first.added.map((i) => i.id);
      expect((await repo.listQuestions()).map((x) => x.id).sort()).toEqual([...ids].sort());
    });

    it('keeps the follow-ups\u2019 ids when their question is renamed over an unchanged answer', async () => {
      const { repo } = await open();
      const first = await repo.applyImport(plan(withFollowUps()));
      const renamed = withFollowUps();
      renamed[0] = q('a.md', 'Explain mutexes', 'A lock for mutual exclusion.', ['concurrency'], 7);
      const second = await repo.applyImport(plan(renamed));
      expect(second.added).toEqual([]);
      expect(second.removed).toEqual([]);
      expect(second.changed.map((i) => i.id)).toEqual([first.added[0]!.id]);
      expect((await repo.listFollowUps(first.added[0]!.id)).map((x) => x.id)).toEqual([first.added[1]!.id, first.added[2]!.id]);
    });

    it('retires a follow-up that left the notes, and restores its id when it comes back', async () => {
      const { repo } = await open();
      const first = await repo.applyImport(plan(withFollowUps()));
      const without = withFollowUps().filter((x) => x.prompt !== 'What can starve the writers?');
      const second = await repo.applyImport(plan(without));
      expect(second.removed).toEqual([{ id: first.added[3]!.id, prompt: 'What can starve the writers?', file: 'a.md', line: 14, followUpOf: first.added[2]!.id }]);
      expect(await repo.listFollowUps(first.added[2]!.id)).toEqual([]);
      expect((await repo.getQuestion(first.added[3]!.id))!.retired).toBe(true);
      const third = await repo.applyImport(plan(withFollowUps()));
      expect(third.added.map((i) => i.id)).toEqual([first.added[3]!.id]);
      expect((await repo.listFollowUps(first.added[2]!.id)).map((x) => x.id)).toEqual([first.added[3]!.id]);
    });

    it('a follow-up moved under another question is a new follow-up there; the old one retires', async () => {
      const { repo } = await open();
      const first = await repo.applyImport(plan(withFollowUps()));
      const moved = withFollowUps();
      moved[3] = f(0, 'What can starve the writers?', 'A steady stream of readers.', 14);
      const second = await repo.applyImport(plan(moved));
      expect(second.removed.map((i) => i.id)).toEqual([first.added[3]!.id]);
      expect(second.added).toHaveLength(1);
      expect(second.added[0]!.followUpOf).toBe(first.added[0]!.id);
      expect(second.added[0]!.id).not.toBe(first.added[3]!.id);
    });

    it('leaves out, with a warning, a follow-up whose parent is not earlier in the plan, and imports the rest', async () => {
      const { repo } = await open();
      const questions = [q('a.md', 'What is a mutex?', 'A lock.', [], 1), { ...q('a.md', 'Orphan?', 'No parent.', [], 3), parentIndex: 5 }];
      const report = await repo.applyImport(plan(questions));
      expect(report.added.map((i) => i.prompt)).toEqual(['What is a mutex?']);
      expect(report.warnings).toEqual([{ file: 'a.md', line: 3, message: expect.stringMatching(/follow-up whose question was not imported/) }]);
    });
  });
});
