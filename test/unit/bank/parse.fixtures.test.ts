/**
 * Fixture-driven parser tests, remark style: each test/fixtures/notes/NAME.md
 * sits beside NAME.expected.json, hand-written facts about the questions it
 * must yield (in order) and the problems it must report.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNotes } from '../../../src/bank/parse.ts';

interface ExpectedQuestion {
  prompt: string;
  line: number;
  emptyAnswer: boolean;
  answer?: string;
  promptDetail?: string;
  explicitTopics?: string[];
  keyPoints?: string[];
}
interface Expected {
  questions: ExpectedQuestion[];
  problems: { line: number; includes: string }[];
}

const dir = join(import.meta.dirname, '../../fixtures/notes');
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.md'))
  .map((f) => f.slice(0, -3))
  .sort();

describe('parseNotes fixtures', () => {
  it('has fixtures to run', () => {
    expect(names.length).toBeGreaterThanOrEqual(12);
  });

  for (const name of names) {
    it(name, () => {
      const markdown = readFileSync(join(dir, `${name}.md`), 'utf8');
      const expected = JSON.parse(readFileSync(join(dir, `${name}.expected.json`), 'utf8')) as Expected;
      const file = `fixtures/${name}.md`;
      const result = parseNotes(markdown, file);

      expect(result.questions.map((q) => q.prompt)).toEqual(expected.questions.map((q) => q.prompt));
      expected.questions.forEach((want, i) => {
        const got = result.questions[i];
        expect(got, want.prompt).toBeDefined();
        if (!got) return;
        expect(got.file).toBe(file);
        expect(got.line, `${want.prompt}: line`).toBe(want.line);
        expect(got.emptyAnswer, `${want.prompt}: emptyAnswer`).toBe(want.emptyAnswer);
        if (want.answer !== undefined) expect(got.answer, `${want.prompt}: answer`).toBe(want.answer);
        if (want.promptDetail !== undefined) expect(got.promptDetail, `${want.prompt}: promptDetail`).toBe(want.promptDetail);
        if (want.explicitTopics !== undefined) expect(got.explicitTopics, `${want.prompt}: topics`).toEqual(want.explicitTopics);
        if (want.keyPoints !== undefined) expect(got.keyPoints, `${want.prompt}: keyPoints`).toEqual(want.keyPoints);
        if (got.emptyAnswer) expect(got.keyPoints).toEqual([]);
      });

      expect(result.problems.map((p) => p.line)).toEqual(expected.problems.map((p) => p.line));
      expected.problems.forEach((want, i) => {
        expect(result.problems[i]?.file).toBe(file);
        expect(result.problems[i]?.message).toContain(want.includes);
      });
    });
  }
});
