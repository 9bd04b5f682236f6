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
