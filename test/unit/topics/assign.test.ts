import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNotes } from '../../../src/bank/parse.ts';
import { assignTopics, createTopicCatalog, loadTopicCatalog } from '../../../src/bank/topics.ts';

const catalog = loadTopicCatalog(join(import.meta.dirname, '../../../notes/topics.yml'));
const seed = parseNotes(readFileSync(join(import.meta.dirname, '../../../notes/sde2-notes.md'), 'utf8'), 'sde2-notes.md');

const CONCURRENCY_QUESTIONS = [
  'What are the Difference between GoRoutine and Thread?',
  'Describe Concurency Primitives in GOlang.',
  'How you use WaitGroup?',
  'Describe Map Synchronisation.',
  'Describe Channel Comunication',
  'Describe uses of Select in Golang.',
];

describe('assignTopics on the seed notes', () => {
  const questions = seed.questions;
  const tagged = questions.map((q) => ({ prompt: q.prompt, topics: assignTopics(q, catalog) }));

  it('reads the 33 seed questions (sanity check of the input)', () => {
    expect(questions).toHaveLength(33);
    for (const p of CONCURRENCY_QUESTIONS) expect(questions.map((q) => q.prompt)).toContain(p);
  });

  it('tags all six concurrency questions with concurrency', () => {
    for (const p of CONCURRENCY_QUESTIONS) {
      expect(tagged.find((t) => t.prompt === p)!.topics, p).toContain('concurrency');
    }
  });

  it('tags at most three of the other 27 with concurrency', () => {
    const falsePositives = tagged.filter((t) => !CONCURRENCY_QUESTIONS.includes(t.prompt) && t.topics.includes('concurrency'));
    expect(falsePositives.map((t) => t.prompt).length).toBeLessThanOrEqual(3);
  });

  it('tags every question naming Go or Golang with go', () => {
    const namingGo = tagged.filter((t) => /\bgo(lang)?\b|goroutine/i.test(t.prompt));
    expect(namingGo.length).toBeGreaterThanOrEqual(8);
    for (const t of namingGo) expect(t.topics, t.prompt).toContain('go');
  });

  it('reads section headings of real notes as topics, longest name first', () => {
    const ask = (heading: string) => assignTopics({ prompt: 'Explain it', answer: '', explicitTopics: [heading] }, catalog);
    expect(ask('Network Questions')).toEqual(['networking']);
    expect(ask('Neural networks')).toEqual(['machine-learning']);
    expect(ask('Cyber Security Questions')).toEqual(['security']);
    expect(ask('Core React')).toEqual(['react']);
    expect(ask('General Knowledge')).toEqual([]);
  });

  it('gives the system design and database questions their topics', () => {
    const topicsOf = (start: string) => tagged.find((t) => t.prompt.startsWith(start))!.topics;
    expect(topicsOf('What is System Design')).toContain('system-design');
    expect(topicsOf('How would you design a system to handle a million')).toContain('system-design');
    expect(topicsOf('Describe the differences between SQL and NoSQL')).toContain('databases');
    expect(topicsOf('How would you handle data consistency in a distributed system')).toContain('distributed-systems');
    expect(topicsOf('What are SOLID Principles')).toContain('design-patterns');
    expect(topicsOf('Introduce Yourself')).toContain('behavioral');
  });
});

describe('assignTopics rules', () => {
  const small = createTopicCatalog([
    { id: 'concurrency', aliases: ['threads'], keywords: ['mutex', ['channel', 'chan'], ['go routine'], 'deadlock', 'semaphore'] },
    { id: 'databases', aliases: ['db'], keywords: ['sql', 'index', 'transaction', 'nosql'] },
    { id: 'system-design', name: 'System Design', keywords: ['load balancer', 'cache'] },
  ]);
  const ask = (prompt: string, answer = '', explicitTopics: string[] = []) =>
    assignTopics({ prompt, answer, explicitTopics }, small);

  it('puts explicit topics first, resolved by id, name or alias, and drops unknown ones', () => {
    expect(ask('What is a mutex?', '', ['DB', 'unknown-thing', 'System Design'])).toEqual([
      'databases',
      'system-design',
      'concurrency',
    ]);
  });

  it('finds topic names inside an explicit heading that is not itself a topic', () => {
    expect(ask('Explain it', '', ['Part 2: Threads and DB questions'])).toEqual(['concurrency', 'databases']);
  });

  it('does not repeat a topic', () => {
    expect(ask('How does a mutex work?', 'A mutex locks; a mutex unlocks.', ['concurrency'])).toEqual(['concurrency']);
  });

  it('matches plurals and joined spellings of keywords', () => {
    expect(ask('How do channels work?')).toEqual(['concurrency']);
    expect(ask('When to use goroutines?')).toEqual(['concurrency']);
    expect(ask('How do indexes speed up queries?')).toEqual(['databases']);
  });

  it('matches whole words only', () => {
    expect(ask('What changed in the chandelier market?')).toEqual([]);
    expect(ask('Why use NoSQL?')).toEqual(['databases']);
    expect(ask('Describe mutexless design')).toEqual([]);
  });

  it('does not tag on a single passing mention in a long answer', () => {
    const filler = 'We talked about the product roadmap and the customer needs. '.repeat(40);
    expect(ask('Tell me about your last project', `${filler} We once hit a deadlock. ${filler}`)).toEqual([]);
  });

  it('tags from the answer alone when several different keywords appear', () => {
    const answer = 'Protect the map with a mutex, or hand values over a channel; a semaphore bounds workers; beware deadlock.';
    expect(ask('How would you share state safely?', answer)).toEqual(['concurrency']);
  });

  it('needs more than one keyword, however often it is repeated', () => {
    const code = '```go\nmu.Lock()\nmu.Unlock()\n// mutex\n```\n'.repeat(30);
    expect(ask('Explain this code', code)).toEqual([]);
  });

  it('counts a keyword repeated in code only a few times, so it does not drown out other topics', () => {
    const answer = `${'SELECT * FROM t; -- sql\n'.repeat(30)} Add an index. Use a mutex, a channel, a semaphore; avoid deadlock and chan leaks.`;
    expect(ask('Explain this code', answer).sort()).toEqual(['concurrency', 'databases']);
  });

  it('handles empty and odd input without throwing', () => {
    expect(ask('', '')).toEqual([]);
    expect(ask('\u0000\u0007\u001b[31m', '\uFFFF'.repeat(100))).toEqual([]);
  });
});
