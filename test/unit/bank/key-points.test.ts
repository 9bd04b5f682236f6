import type { Root } from 'mdast';
import { remark } from 'remark';
import remarkGfm from 'remark-gfm';
import { describe, expect, it } from 'vitest';
import { readFrontMatter } from '../../../src/bank/front-matter.ts';
import { keyPointsOf, sentences } from '../../../src/bank/key-points.ts';

const blocks = (md: string) => (remark().use(remarkGfm).parse(md) as Root).children;

describe('keyPointsOf', () => {
  it('uses top-level list items, without nested lists, resource links or duplicates', () => {
    const md = 'Intro sentence.\n\n- Use `--delete` to mirror.\n  - nested detail\n- Use `-a` for archive mode.\n- Use `-a` for archive mode.\n\nUseful resources:\n\n- [rsync docs](https://example.com)\n';
    expect(keyPointsOf(blocks(md))).toEqual(['Use --delete to mirror.', 'Use -a for archive mode.']);
  });

  it('falls back to sentences of paragraphs, not code', () => {
    const md = 'A goroutine is cheap. It starts with a small stack, e.g. 2 KB.\n\n```go\ngo f()\n```\n';
    expect(keyPointsOf(blocks(md))).toEqual(['A goroutine is cheap.', 'It starts with a small stack, e.g. 2 KB.']);
  });

  it('splits a lone bullet into its sentences, so a partial answer shows as partial', () => {
    const md = '- Microservices scale per service. Bugs stay local. Network calls add latency.\n';
    expect(keyPointsOf(blocks(md))).toEqual(['Microservices scale per service.', 'Bugs stay local.', 'Network calls add latency.']);
  });

  it('splits every bullet of several sentences, so each claim is its own point', () => {
    const md = '- Goroutines are cheap. The runtime schedules them.\n- Threads belong to the kernel.\n- Channels pass values. Mutexes guard memory. Both are in the standard library.\n';
    expect(keyPointsOf(blocks(md))).toEqual([
      'Goroutines are cheap.',
      'The runtime schedules them.',
      'Threads belong to the kernel.',
      'Channels pass values.',
      'Mutexes guard memory.',
      'Both are in the standard library.',
    ]);
  });

  it('keeps a fragment of a sentence with the sentence before it', () => {
    const md = '- A mutex guards shared data. See below.\n- Why? Channels copy values between goroutines.\n';
    expect(keyPointsOf(blocks(md))).toEqual(['A mutex guards shared data. See below.', 'Why? Channels copy values between goroutines.']);
  });

  it('stops splitting bullets at the cap instead of dropping the last bullets', () => {
    const bullet = (n: number) => `- Point ${n} first claim here. Point ${n} second claim here. Point ${n} third claim here.`;
    const points = keyPointsOf(blocks(`${[1, 2, 3, 4, 5, 6].map(bullet).join('\n')}\n`));
    expect(points).toHaveLength(12);
    // Three bullets split into three points each, three stay whole: every bullet is still on the checklist.
    for (const n of [1, 2, 3, 4, 5, 6]) expect(points.some((pt) => pt.startsWith(`Point ${n} first`))).toBe(true);
    expect(points.filter((pt) => pt.includes('second claim') && pt.includes('first claim'))).toHaveLength(3);
  });

  it('splits a very long sentence into clauses rather than cutting it', () => {
    const first = `Goroutines are multiplexed onto a small pool of operating system threads by the runtime scheduler, ${'which parks them on blocking calls, '.repeat(2)}and wakes them later`;
    const second = 'threads are scheduled by the kernel, which preempts them at any instruction and costs a full context switch each time';
    const points = keyPointsOf(blocks(`- ${first}; ${second}.\n`));
    expect(points).toEqual([`${first};`, `${second}.`]);
    expect(points.every((pt) => !pt.endsWith('…'))).toBe(true);
  });

  it('is empty for code-only answers', () => {
    expect(keyPointsOf(blocks('```sh\nls\n```\n'))).toEqual([]);
  });

  it('keeps each point short', () => {
    const long = `${'word '.repeat(100)}end.`;
    const [point] = keyPointsOf(blocks(`- ${long}\n`));
    expect(point?.length).toBeLessThanOrEqual(241);
    expect(point?.endsWith('…')).toBe(true);
  });
});

describe('sentences', () => {
  it('does not split after abbreviations', () => {
    expect(sentences('Use tools, i.e. grep. Then stop! Why? Because.')).toEqual(['Use tools, i.e. grep.', 'Then stop!', 'Why?', 'Because.']);
  });
});

describe('readFrontMatter', () => {
  it('reads topics, tags (list or comma string) and title', () => {
    expect(readFrontMatter('title: Go\ntopics: go, concurrency\ntags: [backend]', 2)).toEqual({
      topics: ['go', 'concurrency', 'backend'],
      title: 'Go',
      error: null,
    });
  });

  it('points errors at the notes file line', () => {
    const fm = readFrontMatter('title: ok\nbad: : x', 2);
    expect(fm.error?.line).toBe(3);
    expect(fm.topics).toEqual([]);
  });

  it('rejects front matter that is not a mapping', () => {
    expect(readFrontMatter('- a\n- b', 2).error?.message).toMatch(/mapping/);
  });
});
