/**
 * Fixture-driven parser tests, remark style: each test/fixtures/notes/NAME.md
 * sits beside NAME.expected.json, hand-written facts about the questions it
 * must yield (in order) and the problems it must report.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNotes } from '../../../src/bank/parse.ts';
import type { ParsedQuestion } from '../../../src/bank/types.ts';

interface ExpectedQuestion {
  prompt: string;
  line: number;
  emptyAnswer: boolean;
  answer?: string;
  promptDetail?: string;
  explicitTopics?: string[];
  keyPoints?: string[];
  followUps?: ExpectedQuestion[];
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

      // Follow-ups are checked like questions, level by level; none listed means none expected.
      const check = (got: ParsedQuestion[], want: ExpectedQuestion[], under: string): void => {
        expect(got.map((q) => q.prompt), `${under}prompts`).toEqual(want.map((q) => q.prompt));
        want.forEach((w, i) => {
          const g = got[i];
          expect(g, w.prompt).toBeDefined();
          if (!g) return;
          const label = `${under}${w.prompt}`;
          expect(g.file).toBe(file);
          expect(g.line, `${label}: line`).toBe(w.line);
          expect(g.emptyAnswer, `${label}: emptyAnswer`).toBe(w.emptyAnswer);
          if (w.answer !== undefined) expect(g.answer, `${label}: answer`).toBe(w.answer);
          if (w.promptDetail !== undefined) expect(g.promptDetail, `${label}: promptDetail`).toBe(w.promptDetail);
          if (w.explicitTopics !== undefined) expect(g.explicitTopics, `${label}: topics`).toEqual(w.explicitTopics);
          if (w.keyPoints !== undefined) expect(g.keyPoints, `${label}: keyPoints`).toEqual(w.keyPoints);
          if (g.emptyAnswer) expect(g.keyPoints).toEqual([]);
          check(g.followUps, w.followUps ?? [], `${label} → follow-up `);
        });
      };
      check(result.questions, expected.questions, '');

      expect(result.problems.map((p) => p.line)).toEqual(expected.problems.map((p) => p.line));
      expected.problems.forEach((want, i) => {
        expect(result.problems[i]?.file).toBe(file);
        expect(result.problems[i]?.message).toContain(want.includes);
      });
    });
  }
});
