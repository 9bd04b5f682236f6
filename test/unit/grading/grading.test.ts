import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNotes } from '../../../src/bank/parse.ts';
import { createTopicCatalog, loadTopicCatalog } from '../../../src/bank/topics.ts';
import { gradeAnswer, significantTerms, synonymIndex, termsNeeded } from '../../../src/core/grading.ts';

const shipped = synonymIndex(loadTopicCatalog(join(import.meta.dirname, '../../../notes/topics.yml')));

const covered = (answer: string, keyPoints: string[], syn = shipped) =>
  gradeAnswer(answer, keyPoints, syn).points.map((p) => p.covered);

describe('gradeAnswer', () => {
  const keyPoints = [
    'Goroutines are managed by the Go runtime, threads by the OS kernel.',
    'Goroutines communicate using channels; threads share memory.',
    'A goroutine starts with a small stack that grows dynamically.',
  ];

  it('marks the key points an answer covers (2 of 3)', () => {
    const answer =
      'The Go runtime schedules goroutines itself while the kernel schedules threads. ' +
      'Goroutines pass data over channels instead of sharing memory like threads do.';
    const grade = gradeAnswer(answer, keyPoints, shipped);
    expect(grade.points).toEqual([
      { text: keyPoints[0], covered: true },
      { text: keyPoints[1], covered: true },
      { text: keyPoints[2], covered: false },
    ]);
    expect(grade.coverage).toBeCloseTo(2 / 3);
  });

  it('gives 0 to an empty or blank answer', () => {
    for (const answer of ['', '   \n\t', 'the and of it', '```\n\n```', '\u0000\u0001']) {
      const grade = gradeAnswer(answer, keyPoints, shipped);
      expect(grade.coverage, JSON.stringify(answer)).toBe(0);
      expect(grade.points.every((p) => !p.covered)).toBe(true);
    }
  });

  it('reads stems: plurals and verb forms meet', () => {
    expect(covered('A channel is how they communicate', ['channels communicating'])).toEqual([true]);
    expect(covered('Indexes speed up queries.', ['An index speeds up a query'])).toEqual([true]);
    expect(covered('synchronization with a lock', ['Synchronisation needs locking'])).toEqual([true]);
  });

  it('uses synonyms from topics.yml', () => {
    // "go routine" and "goroutine" are one keyword group; "db" is an alias of databases.
    expect(covered('each go routine gets its own stack', ['goroutine stack'])).toEqual([true]);
    expect(covered('store it in the db', ['persist to the database'])).toEqual([false]); // "persist" ≠ "store"
    expect(covered('store it in the db', ['store in a database'])).toEqual([true]);
    expect(covered('written in golang', ['written in Go'])).toEqual([true]);
    // Without the synonym index the same words do not meet.
    expect(gradeAnswer('store it in the db', ['store in a database']).points[0]!.covered).toBe(false);
  });

  it('keeps different ideas apart: sql is not nosql', () => {
    expect(covered('NoSQL scales horizontally', ['SQL scales vertically'])).toEqual([false]);
    expect(significantTerms('sql', shipped)).not.toEqual(significantTerms('nosql', shipped));
  });

  it('forgives a one-letter slip in a long word', () => {
    expect(covered('concurrency primitives', ['Concurency primitives'])).toEqual([true]);
    expect(covered('protect shared resources', ['Protect shared resouces'])).toEqual([true]);
    expect(covered('parallelism', ['Paralelism'])).toEqual([true]);
    // Short words must match exactly: "thread" is not "tread".
    expect(covered('tread carefully', ['thread'])).toEqual([false]);
  });

  it('ignores stop words when counting a point\'s terms', () => {
    // The only significant terms are "mutex" and "protects"; stop words in the answer cannot cover it.
    expect(covered('it is what it was and will be', ['It is the mutex that protects it'])).toEqual([false]);
    expect(covered('a mutex protects shared data', ['It is the mutex that protects it'])).toEqual([true]);
  });

  it('leaves out key points with nothing to check', () => {
    const grade = gradeAnswer('channels', ['`<-`', 'channels'], shipped);
    expect(grade.points).toEqual([{ text: 'channels', covered: true }]);
  });

  it('with no key points: full coverage for a real answer, none for a blank one', () => {
    expect(gradeAnswer('some answer', [], shipped)).toEqual({ points: [], coverage: 1 });
    expect(gradeAnswer('  ', [], shipped)).toEqual({ points: [], coverage: 0 });
  });

  it('grades a 100 KB answer with control characters', () => {
    const noise = 'lorem ipsum \u0000\u0007\u001b[31m dolor \u202e sit amet '.repeat(2500);
    const answer = `${noise} goroutines communicate over channels and threads share memory ${noise}`;
    expect(answer.length).toBeGreaterThan(100_000);
    const grade = gradeAnswer(answer, keyPoints, shipped);
    expect(grade.points.map((p) => p.covered)).toEqual([false, true, false]);
  });
});

describe('termsNeeded', () => {
  it('asks for every term of a short point and a shrinking share of a long one', () => {
    expect([1, 2, 3, 4, 5, 6, 8, 10, 12, 20, 40].map(termsNeeded)).toEqual([1, 2, 2, 2, 3, 3, 4, 5, 5, 7, 12]);
    for (let n = 1; n < 200; n++) {
      expect(termsNeeded(n)).toBeGreaterThanOrEqual(1);
      expect(termsNeeded(n)).toBeLessThanOrEqual(n);
      expect(termsNeeded(n + 1)).toBeGreaterThanOrEqual(termsNeeded(n));
    }
  });
});

describe('synonymIndex', () => {
  it('joins a topic name with its aliases, and keyword lists made only of its names', () => {
    const syn = synonymIndex(
      createTopicCatalog([
        { id: 'go', aliases: ['golang', 'go lang'], keywords: [['golang', 'go lang'], ['goroutine', 'go routine']] },
        { id: 'databases', aliases: ['db', 'sql'], keywords: [['sql', 'structured query language'], 'index'] },
      ]),
    );
    const same = (a: string, b: string) => expect(significantTerms(a, syn), `${a} ≈ ${b}`).toEqual(significantTerms(b, syn));
    same('go', 'golang');
    same('go lang', 'Golang');
    same('goroutine', 'go routine');
    same('GoRoutines', 'go-routine');
    same('db', 'databases');
    same('sql', 'structured query language');
    expect(significantTerms('sql', syn)).not.toEqual(significantTerms('db', syn));
    // A plain keyword without synonyms stays an ordinary word.
    expect(significantTerms('index', syn)).toEqual(significantTerms('index'));
  });
});

describe('gradeAnswer properties', () => {
  it('coverage is always within [0, 1], never throws, and agrees with the points', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.array(fc.string({ maxLength: 120 }), { maxLength: 8 }), (answer, points) => {
        const grade = gradeAnswer(answer, points, shipped);
        expect(grade.coverage).toBeGreaterThanOrEqual(0);
        expect(grade.coverage).toBeLessThanOrEqual(1);
        expect(grade.points.length).toBeLessThanOrEqual(points.length);
        if (grade.points.length > 0) {
          expect(grade.coverage).toBeCloseTo(grade.points.filter((p) => p.covered).length / grade.points.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('an answer that repeats a key point covers it', () => {
    const word = fc.stringMatching(/^[a-z]{3,10}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 12 }), (words) => {
        const point = words.join(' ');
        const grade = gradeAnswer(`My answer: ${point}.`, [point], shipped);
        expect(grade.points.every((p) => p.covered)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('gradeAnswer on a seed question', () => {
  it('grades a good short answer to "GoRoutine vs Thread" against the notes\' own key points', () => {
    const seed = parseNotes(readFileSync(join(import.meta.dirname, '../../../notes/sde2-notes.md'), 'utf8'), 'sde2-notes.md');
    const q = seed.questions.find((x) => x.prompt === 'What are the Difference between GoRoutine and Thread?')!;
    expect(q.keyPoints).toHaveLength(3); // concurrency vs parallelism; runtime vs kernel and stacks; channels vs shared memory
    const answer =
      'Goroutines are lightweight: the Go runtime manages them and their stacks grow dynamically, while OS threads ' +
      'are managed by the kernel with a fixed stack size. Goroutines communicate through channels rather than shared memory.';
    // Says nothing about concurrency versus parallelism, so only the last two points.
    expect(gradeAnswer(answer, q.keyPoints, shipped).points.map((p) => p.covered)).toEqual([false, true, true]);
  });
});
