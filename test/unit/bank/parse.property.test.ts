import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseQuestion } from '../../../src/bank/normalise.ts';
import { parseNotes } from '../../../src/bank/parse.ts';

/** Markdown-ish building blocks, so random documents exercise the structural paths, not just paragraphs. */
const snippet = fc.constantFrom(
  '## What is X?', '### Topic', '# Title', '- item?', '* Explain Y.', '  * follow-up?', '1.  ### Why Z?', '**Bold question?**',
  '<details>', '<summary>View answer</summary>', '<summary><b>What is Q?</b></summary><br>', '</details>', '```js', '```',
  '| Question | Answer |', '| --- | --- |', '| What? | That. |', '---', 'title: [broken', 'topics: [a, b]', '## TODO',
  'To be completed.', 'Answer here', '[⬆ Back to top](#top)', '<br/>', '> quote', '', '\u200D⭐️', 'Plain answer text.',
);
const doc = fc.array(fc.oneof(snippet, fc.string({ maxLength: 20 })), { maxLength: 40 }).map((lines) => lines.join('\n'));

describe('parseNotes properties', () => {
  it('never throws, and every question points at a line of the file', () => {
    fc.assert(
      fc.property(fc.oneof(doc, fc.string({ maxLength: 300 })), (markdown) => {
        const result = parseNotes(markdown, 'x.md');
        const lines = markdown.split('\n').length;
        for (const q of result.questions) {
          expect(q.line).toBeGreaterThanOrEqual(1);
          expect(q.line).toBeLessThanOrEqual(lines);
          expect(q.prompt.trim()).not.toBe('');
          if (q.emptyAnswer) expect(q.keyPoints).toEqual([]);
        }
        for (const p of result.problems) expect(p.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('reads back generated heading questions exactly, whatever their order', () => {
    const word = fc.stringMatching(/^[a-z]{2,8}$/);
    const qa = fc.record({ words: fc.array(word, { minLength: 1, maxLength: 5 }), answer: fc.array(word, { minLength: 1, maxLength: 12 }) });
    fc.assert(
      fc.property(fc.array(qa, { minLength: 1, maxLength: 12 }), fc.integer({ min: 2, max: 6 }), (items, depth) => {
        const prompts = items.map((it, i) => `What is ${it.words.join(' ')} ${i}?`);
        const answers = items.map((it) => `${it.answer.join(' ')}.`);
        const hashes = '#'.repeat(depth);
        const markdown = items.map((_, i) => `${hashes} ${prompts[i]}\n\n${answers[i]}\n`).join('\n');
        const { questions, problems } = parseNotes(markdown, 'gen.md');
        expect(problems).toEqual([]);
        expect(questions.map((q) => q.prompt)).toEqual(prompts);
        expect(questions.map((q) => q.answer)).toEqual(answers);
        expect(questions.every((q) => !q.emptyAnswer)).toBe(true);

        // Moving sections around keeps the same keys (ids come from file + normalised prompt).
        const reversed = items.map((_, i) => `${hashes} ${prompts[i]}\n\n${answers[i]}\n`).reverse().join('\n');
        const keys = (md: string) => parseNotes(md, 'gen.md').questions.map((q) => normaliseQuestion(q.prompt)).sort();
        expect(keys(reversed)).toEqual(keys(markdown));
      }),
      { numRuns: 100 },
    );
  });
});

describe('normaliseQuestion properties', () => {
  const ascii = fc.string({ unit: fc.constantFrom(...'abcXYZ019 ?.!*_`<>#:()-\t'.split('')), maxLength: 40 });

  it('ignores case and the width of whitespace', () => {
    fc.assert(
      fc.property(ascii, fc.integer({ min: 1, max: 4 }), fc.boolean(), (text, widen, upper) => {
        const respaced = `  ${text.replace(/[ \t]+/g, (run) => run + ' '.repeat(widen))}\t`;
        const recased = upper ? respaced.toUpperCase() : respaced.toLowerCase();
        expect(normaliseQuestion(recased)).toBe(normaliseQuestion(text));
      }),
      { numRuns: 500 },
    );
  });

  it('never throws and never leaves zero-width characters or outer whitespace', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const key = normaliseQuestion(`\u200B${text}\uFEFF`);
        expect(key).not.toMatch(/[\u200B-\u200D\uFEFF]/);
        expect(key).toBe(key.trim());
      }),
      { numRuns: 500 },
    );
  });
});
