import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  TopicCatalogError,
  createTopicCatalog,
  loadTopicCatalog,
  parseTopicCatalog,
} from '../../../src/bank/topics.ts';

const TOPICS = join(import.meta.dirname, '../../../notes/topics.yml');

function problemsOf(yamlText: string): TopicCatalogError['problems'] {
  try {
    parseTopicCatalog(yamlText, 'topics.yml');
  } catch (err) {
    expect(err).toBeInstanceOf(TopicCatalogError);
    return (err as TopicCatalogError).problems;
  }
  throw new Error('expected the catalog to be rejected');
}

describe('notes/topics.yml', () => {
  it('loads and holds the taxonomy the design asks for', () => {
    const catalog = loadTopicCatalog(TOPICS);
    const required = [
      'concurrency', 'go', 'system-design', 'databases', 'distributed-systems', 'design-patterns',
      'architecture', 'behavioral', 'javascript', 'python', 'networking', 'security',
      'data-structures', 'algorithms',
    ];
    for (const id of required) expect(catalog.get(id), id).toBeDefined();
    for (const t of catalog.topics) {
      expect(t.name.length, t.id).toBeGreaterThan(0);
      expect(t.keywords.length, t.id).toBeGreaterThan(0);
    }
    expect(catalog.get('concurrency')!.keywords).toEqual(expect.arrayContaining(['mutex', 'waitgroup', 'semaphore']));
  });
});

describe('parseTopicCatalog', () => {
  it('reads the full form, the shorthand list form and synonym groups', () => {
    const catalog = parseTopicCatalog(
      [
        'system-design:',
        '  name: System Design',
        '  aliases: [sd, sys design]',
        '  keywords:',
        '    - load balancer',
        '    - [sharding, shard]',
        'go: [golang, goroutine]',
        'data-structures:',
        '  keywords: [3, heap]',
      ].join('\n'),
      'topics.yml',
    );
    expect(catalog.topics.map((t) => t.id)).toEqual(['system-design', 'go', 'data-structures']);
    const sd = catalog.get('system-design')!;
    expect(sd).toMatchObject({ name: 'System Design', aliases: ['sd', 'sys design'] });
    expect(sd.keywords).toEqual(['load balancer', 'sharding', 'shard']);
    expect(sd.keywordGroups).toEqual([['load balancer'], ['sharding', 'shard']]);
    // No name given: the id in title case.
    expect(catalog.get('go')!.name).toBe('Go');
    expect(catalog.get('data-structures')!.name).toBe('Data Structures');
    // YAML reads a bare 3 as a number; the person meant the word.
    expect(catalog.get('data-structures')!.keywords).toEqual(['3', 'heap']);
    expect(catalog.get('nope')).toBeUndefined();
  });

  it('reports broken YAML with its line', () => {
    const problems = problemsOf(['concurrency:', '  aliases: [a, b', '  keywords: [mutex]', 'go: [x]'].join('\n'));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]!.file).toBe('topics.yml');
    expect(problems[0]!.line).toBeGreaterThanOrEqual(2);
    expect(problems[0]!.message).toMatch(/not valid YAML/);
  });

  it('rejects an id that is not a slug and says how to write it', () => {
    const problems = problemsOf(['go: [golang]', 'System Design:', '  keywords: [cache]'].join('\n'));
    expect(problems).toEqual([
      expect.objectContaining({ file: 'topics.yml', line: 2, message: expect.stringContaining('"system-design"') }),
    ]);
  });

  it('points at an unknown field', () => {
    const problems = problemsOf(['go:', '  name: Go', '  alias: [golang]', '  keywords: [goroutine]'].join('\n'));
    expect(problems).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringMatching(/unknown field "alias".*name, aliases or keywords/) }),
    ]);
  });

  it('points at aliases written as text instead of a list', () => {
    const problems = problemsOf(['go: [golang]', 'databases:', '  name: Databases', '  aliases: db', '  keywords: [sql]'].join('\n'));
    expect(problems).toEqual([
      expect.objectContaining({ line: 4, message: expect.stringMatching(/aliases must be a list/) }),
    ]);
  });

  it('points at an empty keyword inside a list', () => {
    const problems = problemsOf(['go:', '  keywords:', '    - golang', '    - ""'].join('\n'));
    expect(problems).toEqual([expect.objectContaining({ line: 4, message: expect.stringMatching(/must not be empty/) })]);
  });

  it('rejects an alias that two topics claim, at the second one', () => {
    const problems = problemsOf(
      ['databases:', '  aliases: [db, sql]', 'data-structures:', '  aliases: [ds, DB]', '  keywords: [heap]'].join('\n'),
    );
    expect(problems).toEqual([
      expect.objectContaining({ line: 4, message: expect.stringMatching(/"DB" of topic "data-structures".*topic "databases"/) }),
    ]);
  });

  it('rejects an empty topic, an empty file and a file that is not a mapping', () => {
    expect(problemsOf('go:\nconcurrency: [mutex]\n')).toEqual([
      expect.objectContaining({ line: 1, message: expect.stringMatching(/topic "go" is empty/) }),
    ]);
    expect(problemsOf('')[0]!.message).toMatch(/no topics/);
    expect(problemsOf('# only a comment\n')[0]!.message).toMatch(/no topics/);
    expect(problemsOf('- concurrency\n- go\n')[0]!.message).toMatch(/must map topic ids/);
  });

  it('collects every problem of the file at once', () => {
    const problems = problemsOf(['Go Lang: [x]', 'db:', '  nam: Databases'].join('\n'));
    expect(problems.map((p) => p.line)).toEqual([1, 3]);
    expect(new TopicCatalogError(problems).message).toMatch(/^topics\.yml:1: .*\ntopics\.yml:3: /);
  });
});

describe('loadTopicCatalog', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('names the file in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prepbot-topics-'));
    dirs.push(dir);
    const path = join(dir, 'topics.yml');
    writeFileSync(path, 'go:\n  keywords: golang\n');
    expect(() => loadTopicCatalog(path)).toThrow(new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: `));
    expect(() => loadTopicCatalog(join(dir, 'missing.yml'))).toThrow(/missing\.yml.*file not found/);
  });
});

describe('createTopicCatalog', () => {
  it('builds a catalog in code and applies the same checks', () => {
    const catalog = createTopicCatalog([{ id: 'go', aliases: ['golang'], keywords: [['goroutine', 'go routine']] }]);
    expect(catalog.get('go')).toMatchObject({ name: 'Go', keywords: ['goroutine', 'go routine'] });
    expect(() => createTopicCatalog([{ id: 'Go Lang' }])).toThrow(TopicCatalogError);
    expect(() => createTopicCatalog([{ id: 'a', aliases: ['x'] }, { id: 'b', aliases: ['X'] }])).toThrow(/already the alias/);
  });
});
