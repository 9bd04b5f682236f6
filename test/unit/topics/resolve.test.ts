import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignTopics, createTopicCatalog, loadTopicCatalog, rankTopics, resolveTopic, type Topic } from '../../../src/bank/topics.ts';

const catalog = loadTopicCatalog(join(import.meta.dirname, '../../../notes/topics.yml'));

function resolvedId(input: string): string | undefined {
  const r = resolveTopic(input, catalog);
  return r.ok ? r.topic.id : undefined;
}
function suggestionIds(input: string): string[] {
  const r = resolveTopic(input, catalog);
  if (r.ok) throw new Error(`"${input}" unexpectedly resolved to ${r.topic.id}`);
  return r.suggestions.map((t) => t.id);
}

describe('resolveTopic with the shipped topics.yml', () => {
  it.each([
    ['concurrency', 'concurrency'],
    ['Concurrency', 'concurrency'],
    ['  concurrency ', 'concurrency'],
    ['sys design', 'system-design'],
    ['system design', 'system-design'],
    ['System-Design', 'system-design'],
    ['SYSTEM_DESIGN', 'system-design'],
    ['db', 'databases'],
    ['DB', 'databases'],
    ['golang', 'go'],
    ['go', 'go'],
    ['js', 'javascript'],
    ['distributed systems', 'distributed-systems'],
  ])('exact id, name or alias: %j → %s', (input, id) => {
    expect(resolvedId(input)).toBe(id);
  });

  it.each([
    ['conc', 'concurrency'],
    ['algo', 'algorithms'],
    ['beha', 'behavioral'],
    ['secu', 'security'],
  ])('unique prefix: %j → %s', (input, id) => {
    expect(resolvedId(input)).toBe(id);
  });

  it.each([
    ['concurency', 'concurrency'],
    ['concurrancy', 'concurrency'],
    ['sytem design', 'system-design'],
    ['databse', 'databases'],
    ['algoritms', 'algorithms'],
    ['netwroking', 'networking'],
    ['concurenc', 'concurrency'],
  ])('small typo: %j → %s', (input, id) => {
    expect(resolvedId(input)).toBe(id);
  });

  it('offers up to three suggestions for an unknown topic', () => {
    const ids = suggestionIds('quantum');
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThanOrEqual(3);
    for (const id of ids) expect(catalog.get(id)).toBeDefined();
  });

  it('does not guess between two topics a word could mean', () => {
    expect(suggestionIds('design').slice(0, 2).sort()).toEqual(['design-patterns', 'system-design']);
    expect(suggestionIds('data').slice(0, 2).sort()).toEqual(['data-structures', 'databases']);
  });

  it('does not resolve an empty input', () => {
    expect(resolveTopic('   ', catalog).ok).toBe(false);
  });
});

describe('resolveTopic on a small catalog', () => {
  const small = createTopicCatalog([
    { id: 'caching', aliases: ['cache'] },
    { id: 'hashing', aliases: ['hash'] },
    { id: 'testing' },
  ]);
  const ids = (ts: Topic[]) => ts.map((t) => t.id);

  it('ranks suggestions by distance', () => {
    const r = resolveTopic('xashing', small);
    // "xashing" is one edit from hashing and two from caching: the closer one wins.
    expect(r).toMatchObject({ ok: true, topic: { id: 'hashing' } });
    const tie = resolveTopic('cashing', small); // one letter from both caching and hashing
    expect(tie.ok).toBe(false);
    if (!tie.ok) expect(ids(tie.suggestions).slice(0, 2).sort()).toEqual(['caching', 'hashing']);
  });

  it('gives no typo allowance to two-letter input', () => {
    const r = resolveTopic('ca', small);
    expect(r).toMatchObject({ ok: true, topic: { id: 'caching' } }); // prefix, not typo
    expect(resolveTopic('zz', small).ok).toBe(false);
  });
});

describe('rankTopics', () => {
  it('lists every topic for an empty input, by display name, the same way every time', () => {
    const all = rankTopics('', catalog, 1000);
    expect(all).toHaveLength(catalog.topics.length);
    const names = all.map((t) => t.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
    expect(rankTopics('', catalog, 1000)).toEqual(all);
  });

  it('respects the limit (Discord shows at most 25 choices)', () => {
    expect(rankTopics('', catalog).length).toBeLessThanOrEqual(25);
    expect(rankTopics('', catalog, 3)).toHaveLength(3);
  });

  it('puts the best match first, like resolveTopic', () => {
    expect(rankTopics('conc', catalog)[0]!.id).toBe('concurrency');
    expect(rankTopics('concurency', catalog)[0]!.id).toBe('concurrency');
    expect(rankTopics('db', catalog)[0]!.id).toBe('databases');
    const design = rankTopics('design', catalog).map((t) => t.id);
    expect(design).toEqual(expect.arrayContaining(['design-patterns', 'system-design']));
    expect(design.indexOf('design-patterns')).toBeLessThan(2);
  });

  it('still offers something when nothing matches', () => {
    const r = rankTopics('quantum', catalog);
    expect(r.length).toBeGreaterThan(0);
    expect(r.length).toBeLessThanOrEqual(3);
  });
});

describe('lookup properties', () => {
  it('any input resolves to a catalog topic or gets at most three suggestions, never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (input) => {
        const r = resolveTopic(input, catalog);
        if (r.ok) expect(catalog.get(r.topic.id)).toBe(r.topic);
        else expect(r.suggestions.length).toBeLessThanOrEqual(3);
        const ranked = rankTopics(input, catalog);
        expect(ranked.length).toBeLessThanOrEqual(25);
        expect(new Set(ranked.map((t) => t.id)).size).toBe(ranked.length);
        // What resolves is what autocomplete offers first.
        if (r.ok) expect(ranked[0]).toBe(r.topic);
      }),
      { numRuns: 500 },
    );
  });

  it('every id, name and alias resolves to its own topic', () => {
    for (const t of catalog.topics) {
      for (const s of [t.id, t.name, ...t.aliases]) expect(resolvedId(s), s).toBe(t.id);
    }
  });

  it('assignTopics returns known, distinct topic ids for any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 400 }), fc.array(fc.string({ maxLength: 30 }), { maxLength: 3 }), (prompt, answer, explicitTopics) => {
        const ids = assignTopics({ prompt, answer, explicitTopics }, catalog);
        expect(new Set(ids).size).toBe(ids.length);
        for (const id of ids) expect(catalog.get(id)).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });
});
