/**
 * The five real-world shapes of issue 11 through the whole import: question
 * counts from the fixtures' hand-written gold, ids that survive a re-import, an
 * edit of one of several equal-headed questions, and notes stored before stems
 * were read apart from answers.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importNotes } from '../../../src/bank/import.ts';
import { createTopicCatalog } from '../../../src/bank/topics.ts';
import { bankStores, type BankStore, type OpenBank } from '../../stores/bank.ts';
import type { ImportPlan, StoredQuestion } from '../../../src/store/types.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures/notes');
const SHAPES = ['quiz-output', 'repeated-headings', 'study-guide', 'titled-paragraphs', 'unanswered'];
const now = new Date('2025-03-01T10:00:00Z');
const catalog = createTopicCatalog([{ id: 'python', name: 'Python', aliases: [], keywords: [] }]);

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function workspace(open: () => Promise<OpenBank>): Promise<{ dir: string; repo: BankStore }> {
  const dir = mkdtempSync(join(tmpdir(), 'prepbot-shapes-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'notes'));
  return { dir, repo: (await open()).repo };
}

const run = (dir: string, repo: BankStore) =>
  importNotes({ paths: ['notes'], root: 'notes', cwd: dir, catalog, repo, now });

const gold = (name: string) =>
  JSON.parse(readFileSync(join(FIXTURES, `${name}.expected.json`), 'utf8')) as {
    questions: { prompt: string; line: number; emptyAnswer: boolean }[];
  };

const byLine = (qs: StoredQuestion[], file: string) => new Map(qs.filter((q) => q.file === file).map((q) => [q.line, q]));

describe.each(bankStores())('the import on $name', ({ open }) => {
  describe('the five shapes through the import', () => {
    it('stores every gold question of each fixture, and a second run changes nothing', async () => {
      const { dir, repo } = await workspace(open);
      for (const name of SHAPES) copyFileSync(join(FIXTURES, `${name}.md`), join(dir, 'notes', `${name}.md`));
      const first = await run(dir, repo);
      expect(first.warnings).toEqual([]);
      const stored = await repo.listQuestions();
      for (const name of SHAPES) {
        const want = gold(name).questions;
        const got = stored.filter((q) => q.file === `${name}.md`);
        expect(got.map((q) => [q.line, q.prompt, q.emptyAnswer]), name).toEqual(want.map((q) => [q.line, q.prompt, q.emptyAnswer]));
      }
      // Ids are distinct even where 31 questions share one heading.
      expect(new Set(stored.map((q) => q.id)).size).toBe(stored.length);

      const second = await run(dir, repo);
      expect(second.added).toEqual([]);
      expect(second.changed).toEqual([]);
      expect(second.removed).toEqual([]);
      expect(second.rekeyed).toEqual([]);
      expect((await repo.listQuestions()).map((q) => q.id)).toEqual(stored.map((q) => q.id));
    });

    it('editing one of several "What will be the output…?" questions keeps every id, the edited one included', async () => {
      const { dir, repo } = await workspace(open);
      const file = join(dir, 'notes', 'repeated-headings.md');
      const text = readFileSync(join(FIXTURES, 'repeated-headings.md'), 'utf8');
      writeFileSync(file, text);
      await run(dir, repo);
      const before = byLine(await repo.listQuestions(), 'repeated-headings.md');

      // The second list puzzle's code changes (its stem); its answer does not. Another one's answer changes.
      const stemEdit = text.replace('b = a[:]\nb.append(4)', 'b = list(a)\nb.append(4)');
      const edited = stemEdit.replace('Slices never raise `IndexError`', 'Slicing never raises `IndexError`');
      expect(edited).not.toBe(stemEdit);
      expect(stemEdit).not.toBe(text);
      writeFileSync(file, edited);
      const report = await run(dir, repo);
      expect(report.added).toEqual([]);
      expect(report.removed).toEqual([]);
      expect(report.changed).toHaveLength(2);
      const after = byLine(await repo.listQuestions(), 'repeated-headings.md');
      expect([...after.keys()]).toEqual([...before.keys()]);
      for (const [line, q] of after) expect(q.id, `line ${line}`).toBe(before.get(line)?.id);
      expect(after.get(report.changed[0]!.line)?.promptDetail).toContain('b = list(a)');
    });

    it('a question inserted among equal headings leaves the ids of the others alone', async () => {
      const { dir, repo } = await workspace(open);
      const file = join(dir, 'notes', 'quiz-output.md');
      const text = readFileSync(join(FIXTURES, 'quiz-output.md'), 'utf8');
      writeFileSync(file, text);
      await run(dir, repo);
      const ids = new Set((await repo.listQuestions()).map((q) => q.id));
      const inserted = text.replace(
        '###### 1. What\'s the output?',
        "###### 0. What's the output?\n\n```javascript\nconsole.log(typeof null);\n```\n\n- A: `\"null\"`\n- B: `\"object\"`\n\n<details><summary><b>Answer</b></summary>\n<p>\n\n#### Answer: B\n\nA historical bug.\n\n</p>\n</details>\n\n---\n\n###### 1. What's the output?",
      );
      writeFileSync(file, inserted);
      const report = await run(dir, repo);
      expect(report.added).toHaveLength(1);
      expect(report.removed).toEqual([]);
      expect(report.changed).toEqual([]);
      const now2 = await repo.listQuestions();
      expect(now2.filter((q) => !ids.has(q.id)).map((q) => q.promptDetail)).toEqual(['```javascript\nconsole.log(typeof null);\n```\n\n- A: `"null"`\n- B: `"object"`']);
    });

    it('questions stored before their stem was read apart keep their ids, and the report says they were re-keyed', async () => {
      const { dir, repo } = await workspace(open);
      const text = readFileSync(join(FIXTURES, 'quiz-output.md'), 'utf8');
      const lines = text.split('\n');
      // How the bank held this file before: one "What's the output?" per file (the others were
      // dropped as duplicates), its stem and the whole <details> block as its answer.
      const block = lines.slice(26, 51).join('\n').trim();
      expect(lines[24]).toBe("###### 1. What's the output?");
      expect(block.startsWith('```javascript')).toBe(true);
      expect(block.endsWith('</details>')).toBe(true);
      const old: ImportPlan = {
        paths: ['notes'],
        scope: { files: ['quiz-output.md'], folders: [] },
        keepFiles: [],
        questions: [
          {
            file: 'quiz-output.md', line: 25, prompt: "What's the output?", promptDetail: '', answer: block, keyPoints: [], topics: [],
            emptyAnswer: false, normKey: "what's the output", bodyHash: 'old-body',
          },
        ],
        topics: [],
        skipped: [],
        warnings: [],
        startedAt: now,
        now,
        dryRun: false,
      };
      const stored = await repo.applyImport(old);
      const oldId = stored.added[0]!.id;

      writeFileSync(join(dir, 'notes', 'quiz-output.md'), text);
      const report = await run(dir, repo);
      expect(report.removed).toEqual([]);
      expect(report.rekeyed.map((r) => [r.id, r.line, r.was])).toEqual([[oldId, 25, "what's the output"]]);
      const q = await repo.getQuestion(oldId);
      expect(q?.line).toBe(25);
      expect(q?.promptDetail.startsWith('```javascript\nfunction sayHi() {')).toBe(true);
      expect(q?.answer.startsWith('#### Answer: D')).toBe(true);
    });

    it('a title stored as the prompt keeps its id when the paragraph under it becomes the prompt', async () => {
      const { dir, repo } = await workspace(open);
      const old: ImportPlan = {
        paths: ['notes'],
        scope: { files: ['titled-paragraphs.md'], folders: [] },
        keepFiles: [],
        questions: [
          {
            file: 'titled-paragraphs.md', line: 51, prompt: 'Bloated constructor',
            promptDetail: '', answer: 'Explain what is wrong with a constructor that takes twelve parameters, and how you would refactor it.',
            keyPoints: [], topics: [], emptyAnswer: false, normKey: 'bloated constructor', bodyHash: 'old-body',
          },
        ],
        topics: [], skipped: [], warnings: [], startedAt: now, now, dryRun: false,
      };
      const oldId = (await repo.applyImport(old)).added[0]!.id;
      copyFileSync(join(FIXTURES, 'titled-paragraphs.md'), join(dir, 'notes', 'titled-paragraphs.md'));
      await run(dir, repo);
      const q = await repo.getQuestion(oldId);
      expect(q?.retired).toBe(false);
      expect(q?.prompt).toBe('Explain what is wrong with a constructor that takes twelve parameters, and how you would refactor it.');
      expect(q?.emptyAnswer).toBe(true);
    });

    it('lists unanswered questions for note owners', async () => {
      const { dir, repo } = await workspace(open);
      copyFileSync(join(FIXTURES, 'unanswered.md'), join(dir, 'notes', 'unanswered.md'));
      await run(dir, repo);
      const want = gold('unanswered').questions.filter((q) => q.emptyAnswer).map((q) => q.prompt);
      expect(want).toHaveLength(17);
      expect((await repo.listQuestions({ unanswered: true })).map((q) => q.prompt)).toEqual(want);
    });
  });
});
