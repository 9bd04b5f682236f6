import { readFileSync } from 'node:fs';
import { distance } from 'fastest-levenshtein';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { PhraseIndex } from './phrases.ts';
import { tokenize } from './text.ts';

/** A topic from notes/topics.yml. */
export interface Topic {
  /** Stable slug used in the store and in commands ("system-design"). */
  id: string;
  /** Display name ("System Design"). */
  name: string;
  /** What people type to pick the topic ("sd", "sys design"). */
  aliases: string[];
  /** Every keyword and synonym, flattened. */
  keywords: string[];
  /** Keywords as written: each group is one idea in several spellings ([goroutine, go routine]). */
  keywordGroups: string[][];
}

export interface TopicCatalog {
  /** Topics in file order. */
  readonly topics: readonly Topic[];
  get(id: string): Topic | undefined;
  /** Where the catalog came from, for messages ("notes/topics.yml"). */
  readonly source: string;
}

export interface CatalogProblem {
  file: string;
  line: number;
  message: string;
}

/** A topics file that cannot be used; `message` lists every problem as file:line: text. */
export class TopicCatalogError extends Error {
  readonly problems: CatalogProblem[];
  constructor(problems: CatalogProblem[]) {
    super(problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n'));
    this.name = 'TopicCatalogError';
    this.problems = problems;
  }
}

// ---------------------------------------------------------------------------
// Loading and validation

const TOPIC_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

// YAML reads `- 2pc` as text but `- 3` or `- true` as number/boolean; people mean the word.
const text = z.preprocess(
  (v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v),
  z
    .string({ error: 'must be a word or phrase (text), not a list or mapping' })
    .trim()
    .min(1, { error: 'must not be empty; remove the entry or write a word' }),
);
const keywordEntry = z.union([text, z.array(text).min(1, { error: 'an empty synonym list []; remove it' })], {
  error: 'each keyword must be a word, or a list of synonyms like [goroutine, go routine]',
});
const keywordList = z.array(keywordEntry, { error: 'keywords must be a list, e.g. keywords: [mutex, channel]' });
const topicBody = z.strictObject(
  {
    name: text.optional(),
    aliases: z.array(text, { error: 'aliases must be a list, e.g. aliases: [db, sql]' }).optional(),
    keywords: keywordList.optional(),
  },
  { error: 'a topic is either a mapping with name/aliases/keywords, or a plain list of keywords' },
);
const topicValue = z.union([topicBody, keywordList], {
  error: 'a topic is either a mapping with name/aliases/keywords, or a plain list of keywords',
});

type Path = readonly PropertyKey[];

/** The deepest node of `path` that exists in the YAML tree, so an error points at the right line. */
function offsetAt(doc: Document, path: Path, preferKey = false): number {
  let node: unknown = doc.contents;
  let best = (doc.contents?.range?.[0] as number | undefined) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const keyStart = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      const last = i === path.length - 1;
      if (keyStart !== undefined) best = keyStart;
      if (last && preferKey) break;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
    } else {
      break;
    }
    const start = (node as { range?: [number, number, number] } | null)?.range?.[0];
    if (start !== undefined) best = start;
  }
  return best;
}

function titleCase(id: string): string {
  return id
    .split('-')
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join(' ');
}

/** Case, spaces, hyphens and punctuation do not matter when people type a topic ("Sys-Design" = "sys design"). */
export function topicKey(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}+#]/gu, '');
}

/** Input for building a catalog in code (tests, defaults); keywords may be synonym groups. */
export interface TopicInput {
  id: string;
  name?: string;
  aliases?: string[];
  keywords?: Array<string | string[]>;
}

function toTopic(input: TopicInput): Topic {
  const groups = (input.keywords ?? []).map((k) => (Array.isArray(k) ? [...k] : [k]));
  const keywords = [...new Set(groups.flat())];
  return {
    id: input.id,
    name: input.name ?? titleCase(input.id),
    aliases: [...(input.aliases ?? [])],
    keywords,
    keywordGroups: groups,
  };
}

function makeCatalog(topics: Topic[], source: string): TopicCatalog {
  const byId = new Map(topics.map((t) => [t.id, t]));
  return { topics, source, get: (id: string) => byId.get(id) };
}

/**
 * Build a catalog from data in code. Throws TopicCatalogError on a bad id or an
 * alias claimed by two topics, like the file loader.
 */
export function createTopicCatalog(inputs: TopicInput[], source = '(built-in topics)'): TopicCatalog {
  const problems: CatalogProblem[] = [];
  inputs.forEach((t) => {
    if (!TOPIC_ID.test(t.id)) problems.push({ file: source, line: 0, message: badIdMessage(t.id) });
  });
  const topics = inputs.map(toTopic);
  problems.push(...nameClashes(topics, source, () => 0));
  if (problems.length > 0) throw new TopicCatalogError(problems);
  return makeCatalog(topics, source);
}

function badIdMessage(id: string): string {
  const slug = id
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `topic id "${id}" must be lowercase words joined by hyphens${slug ? `; write it as "${slug}"` : ''}`;
}

/** Two topics answering to the same typed word would make `/ask word` a coin toss, so it is an error. */
function nameClashes(
  topics: Topic[],
  file: string,
  lineOf: (topicId: string, field: 'id' | 'name' | 'aliases', index?: number) => number,
): CatalogProblem[] {
  const owner = new Map<string, { topic: string; what: string }>();
  const problems: CatalogProblem[] = [];
  for (const t of topics) {
    const entries: Array<{ value: string; field: 'id' | 'name' | 'aliases'; index?: number }> = [
      { value: t.id, field: 'id' },
      { value: t.name, field: 'name' },
      ...t.aliases.map((value, index) => ({ value, field: 'aliases' as const, index })),
    ];
    for (const e of entries) {
      const key = topicKey(e.value);
      if (!key) {
        problems.push({
          file,
          line: lineOf(t.id, e.field, e.index),
          message: `topic "${t.id}": ${e.field === 'aliases' ? `alias "${e.value}"` : e.field} has no letters or digits; remove it`,
        });
        continue;
      }
      const prev = owner.get(key);
      if (prev && prev.topic !== t.id) {
        problems.push({
          file,
          line: lineOf(t.id, e.field, e.index),
          message: `"${e.value}" of topic "${t.id}" is already the ${prev.what} of topic "${prev.topic}"; a typed word may lead to one topic only, so remove or change one of them`,
        });
      } else if (!prev) {
        owner.set(key, { topic: t.id, what: e.field === 'aliases' ? 'alias' : e.field });
      }
    }
  }
  return problems;
}

/** Parse topics.yml text. `sourceName` is used in error messages (e.g. "notes/topics.yml"). */
export function parseTopicCatalog(yamlText: string, sourceName: string): TopicCatalog {
  const lc = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lc, prettyErrors: false });
  const lineAt = (offset: number) => lc.linePos(offset).line;
  const fail = (line: number, message: string): never => {
    throw new TopicCatalogError([{ file: sourceName, line, message }]);
  };

  if (doc.errors.length > 0) {
    throw new TopicCatalogError(
      doc.errors.map((e) => ({
        file: sourceName,
        line: e.linePos?.[0]?.line ?? lineAt(e.pos[0]),
        message: `not valid YAML: ${e.message.split('\n')[0]} (check indentation and that lists use [a, b] or "- item" lines)`,
      })),
    );
  }
  if (doc.contents === null) {
    fail(1, 'no topics defined; add one, e.g.\nconcurrency:\n  aliases: [threads]\n  keywords: [mutex, channel]');
  }
  if (!isMap(doc.contents)) {
    fail(lineAt(offsetAt(doc, [])), 'the file must map topic ids to topics, e.g. "concurrency:" then indented "aliases:" and "keywords:"');
  }

  const data = doc.toJS() as Record<string, unknown>;
  const problems: CatalogProblem[] = [];
  const topics: Topic[] = [];
  for (const [id, value] of Object.entries(data)) {
    if (!TOPIC_ID.test(id)) {
      problems.push({ file: sourceName, line: lineAt(offsetAt(doc, [id], true)), message: badIdMessage(id) });
      continue;
    }
    if (value === null || value === undefined) {
      problems.push({
        file: sourceName,
        line: lineAt(offsetAt(doc, [id], true)),
        message: `topic "${id}" is empty; give it aliases and keywords, or remove it`,
      });
      continue;
    }
    const parsed = topicValue.safeParse(value);
    if (!parsed.success) {
      problems.push(...zodProblems(parsed.error, id, value, doc, sourceName, lineAt));
      continue;
    }
    const body = Array.isArray(parsed.data) ? { keywords: parsed.data } : parsed.data;
    topics.push(toTopic({ id, ...body }));
  }
  const lineOf = (topicId: string, field: 'id' | 'name' | 'aliases', index?: number) =>
    lineAt(field === 'id' ? offsetAt(doc, [topicId], true) : offsetAt(doc, index === undefined ? [topicId, field] : [topicId, field, index]));
  problems.push(...nameClashes(topics, sourceName, lineOf));
  if (problems.length > 0) throw new TopicCatalogError(problems);
  return makeCatalog(topics, sourceName);
}

function zodProblems(
  error: z.ZodError,
  id: string,
  value: unknown,
  doc: Document,
  file: string,
  lineAt: (offset: number) => number,
): CatalogProblem[] {
  // A union reports why every branch failed; when the value is clearly a mapping, only the mapping branch matters.
  let issues: z.core.$ZodIssue[] = error.issues;
  if (issues.length === 1 && issues[0]!.code === 'invalid_union' && !Array.isArray(value) && typeof value === 'object') {
    const branch = (issues[0] as z.core.$ZodIssueInvalidUnion).errors[0];
    if (branch && branch.length > 0) issues = branch;
  }
  return issues.map((issue) => {
    const path = [id, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0] ?? '';
      return {
        file,
        line: lineAt(offsetAt(doc, [...path, key], true)),
        message: `topic "${id}": unknown field "${key}"; use name, aliases or keywords`,
      };
    }
    const where = issue.path.map((seg) => (typeof seg === 'number' ? `item ${seg + 1}` : String(seg))).join(', ');
    return { file, line: lineAt(offsetAt(doc, path)), message: `topic "${id}": ${where ? `${where}: ` : ''}${issue.message}` };
  });
}

/** Read and validate a topics file. Throws TopicCatalogError (file:line: what to fix). */
export function loadTopicCatalog(path: string): TopicCatalog {
  let textContent: string;
  try {
    textContent = readFileSync(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String((err as Error).message);
    throw new TopicCatalogError([
      { file: path, line: 0, message: `cannot read the topics file (${reason}); create it or point to it with the right path` },
    ]);
  }
  return parseTopicCatalog(textContent, path);
}

// ---------------------------------------------------------------------------
// Derived indexes, built once per catalog

interface LookupEntry {
  topic: Topic;
  key: string;
  /** Keys of the single words, for "design" finding "System Design". */
  wordKeys: string[];
}

interface Derived {
  lookup: LookupEntry[];
  /** Keyword phrase → encoded (topic index, keyword group index). */
  keywords: PhraseIndex<number>;
  /** Id, name and alias phrases → topic index; for topic names inside headings. */
  mentions: PhraseIndex<number>;
}

const GROUP_SPAN = 1 << 16;
const derivedCache = new WeakMap<TopicCatalog, Derived>();

function derive(catalog: TopicCatalog): Derived {
  const cached = derivedCache.get(catalog);
  if (cached) return cached;
  const lookup: LookupEntry[] = [];
  const keywords = new PhraseIndex<number>();
  const mentions = new PhraseIndex<number>();
  catalog.topics.forEach((topic, ti) => {
    const names = [topic.id.replace(/-/g, ' '), topic.name, ...topic.aliases];
    for (const n of names) {
      const key = topicKey(n);
      if (!key) continue;
      lookup.push({ topic, key, wordKeys: n.split(/[\s\-_/]+/u).map(topicKey).filter(Boolean) });
      mentions.add(n, ti);
    }
    topic.keywordGroups.forEach((group, gi) => {
      for (const phrase of group) keywords.add(phrase, ti * GROUP_SPAN + gi);
    });
  });
  const d = { lookup, keywords, mentions };
  derivedCache.set(catalog, d);
  return d;
}

// ---------------------------------------------------------------------------
// Assigning topics to a question

/** Question fields topic assignment looks at (a ParsedQuestion fits). */
export interface TopicSubject {
  prompt: string;
  answer: string;
  promptDetail?: string;
  explicitTopics: string[];
}

/**
 * Scoring, tuned on the seed notes and the corpus:
 * - a keyword in the question itself is strong evidence: PROMPT_WEIGHT, and the topic is always tagged;
 * - in the answer each keyword group scores its occurrences, at most ANSWER_CAP, so a code sample that
 *   repeats `mu.Lock()` ten times is still one idea;
 * - a topic seen only in the answer needs ANSWER_MIN_GROUPS different keyword groups, a score of at
 *   least ANSWER_MIN_SCORE growing with the answer's length (one hit per ANSWER_WORDS_PER_POINT words),
 *   and at least RELATIVE_MIN of the best topic's score: a passing mention of threads in a design-patterns
 *   answer does not make it a concurrency question.
 */
export const TOPIC_SCORING = {
  PROMPT_WEIGHT: 3,
  ANSWER_CAP: 3,
  ANSWER_MIN_GROUPS: 2,
  ANSWER_MIN_SCORE: 4,
  ANSWER_WORDS_PER_POINT: 120,
  RELATIVE_MIN: 0.35,
  MAX_KEYWORD_TOPICS: 4,
} as const;

/** The topic that a string names exactly (id, name or alias; case, spaces and hyphens ignored). */
export function exactTopic(input: string, catalog: TopicCatalog): Topic | undefined {
  const key = topicKey(input);
  if (!key) return undefined;
  return derive(catalog).lookup.find((e) => e.key === key)?.topic;
}

/**
 * Topic ids for a question: explicit topics first (in the order the notes give them),
 * then keyword matches by score. An explicit string that is not a topic name ("Part 2:
 * Concurrency in Go") contributes the topics whose names appear in it; otherwise it is dropped.
 */
export function assignTopics(q: TopicSubject, catalog: TopicCatalog): string[] {
  const d = derive(catalog);
  const out: string[] = [];
  const add = (id: string) => {
    if (!out.includes(id)) out.push(id);
  };

  for (const raw of q.explicitTopics) {
    const exact = exactTopic(raw, catalog);
    if (exact) {
      add(exact.id);
      continue;
    }
    for (const m of d.mentions.scan(tokenize(raw).map((t) => t.stem))) {
      for (const ti of m.values) add(catalog.topics[ti]!.id);
    }
  }

  const S = TOPIC_SCORING;
  const promptGroups = new Map<number, Set<number>>();
  const answerCounts = new Map<number, Map<number, number>>();
  for (const m of d.keywords.scan(tokenize(q.prompt).map((t) => t.stem))) {
    for (const v of m.values) {
      const ti = Math.floor(v / GROUP_SPAN);
      let set = promptGroups.get(ti);
      if (!set) promptGroups.set(ti, (set = new Set()));
      set.add(v % GROUP_SPAN);
    }
  }
  const answerTokens = tokenize(`${q.promptDetail ?? ''}\n${q.answer}`).map((t) => t.stem);
  for (const m of d.keywords.scan(answerTokens)) {
    for (const v of m.values) {
      const ti = Math.floor(v / GROUP_SPAN);
      let counts = answerCounts.get(ti);
      if (!counts) answerCounts.set(ti, (counts = new Map()));
      counts.set(v % GROUP_SPAN, (counts.get(v % GROUP_SPAN) ?? 0) + 1);
    }
  }

  const scored: Array<{ ti: number; score: number; inPrompt: boolean; answerScore: number; answerGroups: number }> = [];
  for (const ti of new Set([...promptGroups.keys(), ...answerCounts.keys()])) {
    const inPrompt = promptGroups.get(ti)?.size ?? 0;
    const counts = answerCounts.get(ti) ?? new Map<number, number>();
    let answerScore = 0;
    for (const n of counts.values()) answerScore += Math.min(n, S.ANSWER_CAP);
    scored.push({
      ti,
      score: inPrompt * S.PROMPT_WEIGHT + answerScore,
      inPrompt: inPrompt > 0,
      answerScore,
      answerGroups: counts.size,
    });
  }
  const best = Math.max(0, ...scored.map((s) => s.score));
  const minAnswerScore = Math.max(S.ANSWER_MIN_SCORE, answerTokens.length / S.ANSWER_WORDS_PER_POINT);
  const chosen = scored
    .filter(
      (s) =>
        s.inPrompt ||
        (s.answerGroups >= S.ANSWER_MIN_GROUPS && s.answerScore >= minAnswerScore && s.score >= best * S.RELATIVE_MIN),
    )
    .sort((a, b) => b.score - a.score || a.ti - b.ti)
    .slice(0, S.MAX_KEYWORD_TOPICS);
  for (const s of chosen) add(catalog.topics[s.ti]!.id);
  return out;
}

// ---------------------------------------------------------------------------
// Looking a topic up from what a person typed

export type TopicResolution = { ok: true; topic: Topic } | { ok: false; suggestions: Topic[] };

/** Typo budget grows with length: "db" must be exact, "concurency" may miss a letter or two. */
function typoBudget(key: string): number {
  if (key.length <= 2) return 0;
  if (key.length <= 5) return 1;
  if (key.length <= 10) return 2;
  return 3;
}

/** Lower tier is better: 0 exact, 1 prefix, 2 word prefix, 3 substring, 4 close typo, 5 unrelated. */
interface Rank {
  topic: Topic;
  tier: number;
  dist: number;
  order: number;
}

function rankAll(input: string, catalog: TopicCatalog): Rank[] {
  const key = topicKey(input);
  const budget = typoBudget(key);
  const ranks = new Map<Topic, Rank>();
  catalog.topics.forEach((topic, order) => ranks.set(topic, { topic, tier: 5, dist: Infinity, order }));
  for (const e of derive(catalog).lookup) {
    const r = ranks.get(e.topic)!;
    // Distance to the whole name and to its start of the same length, so "concurenc" (still typing) is close too.
    const dist = Math.min(distance(key, e.key), distance(key, e.key.slice(0, key.length)));
    let tier = 5;
    if (e.key === key) tier = 0;
    else if (key.length >= 2 && e.key.startsWith(key)) tier = 1;
    else if (key.length >= 2 && e.wordKeys.some((w) => w.startsWith(key))) tier = 2;
    else if (key.length >= 3 && e.key.includes(key)) tier = 3;
    else if (dist <= budget) tier = 4;
    r.tier = Math.min(r.tier, tier);
    r.dist = Math.min(r.dist, dist);
  }
  return [...ranks.values()].sort((a, b) => a.tier - b.tier || a.dist - b.dist || a.order - b.order);
}

const SUGGESTIONS = 3;

/**
 * What a person typed → one topic, or the closest few. In order: exact id/name/alias;
 * a prefix or word prefix that only one topic has ("conc"); a substring only one topic
 * has; a small typo that only one topic is closest to ("concurency"). Anything ambiguous or unknown gets up to three
 * suggestions, best first.
 */
export function resolveTopic(input: string, catalog: TopicCatalog): TopicResolution {
  const key = topicKey(input);
  const ranked = rankAll(input, catalog);
  if (!key) return { ok: false, suggestions: ranked.slice(0, SUGGESTIONS).map((r) => r.topic) };
  const first = ranked[0];
  if (!first) return { ok: false, suggestions: [] };
  if (first.tier === 0) return { ok: true, topic: first.topic };
  // Only the best non-empty tier decides; two topics there means the person must choose.
  const tier = first.tier;
  const sameTier = ranked.filter((r) => r.tier === tier || (tier <= 2 && r.tier <= 2));
  if (tier <= 3 && sameTier.length === 1) return { ok: true, topic: first.topic };
  if (tier === 4 && sameTier.filter((r) => r.dist === first.dist).length === 1) return { ok: true, topic: first.topic };
  return { ok: false, suggestions: ranked.slice(0, SUGGESTIONS).map((r) => r.topic) };
}

/**
 * Topics for autocomplete, best first, ranked like resolveTopic. Empty input lists every
 * topic by display name. When nothing matches, the closest few are offered instead of nothing.
 */
export function rankTopics(partial: string, catalog: TopicCatalog, limit = 25): Topic[] {
  if (!topicKey(partial)) {
    return [...catalog.topics].sort((a, b) => a.name.localeCompare(b.name, 'en') || a.id.localeCompare(b.id)).slice(0, limit);
  }
  const ranked = rankAll(partial, catalog);
  const matching = ranked.filter((r) => r.tier <= 4);
  return (matching.length > 0 ? matching : ranked.slice(0, SUGGESTIONS)).slice(0, limit).map((r) => r.topic);
}
