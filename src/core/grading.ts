import { PhraseIndex } from '../bank/phrases.ts';
import { FUZZY_MIN_LENGTH, deletionVariants, isStopWord, phraseStems, tokenize } from '../bank/text.ts';
import { topicKey, type TopicCatalog } from '../bank/topics.ts';

/**
 * Automatic key-point coverage: which of a question's key points a free-text answer
 * touches. It is a hint shown next to the person's own Again/Hard/Good/Easy rating,
 * not a verdict, so it errs towards recognising an answer in other words: stems
 * ("channels" = "channel"), synonyms from topics.yml ("go routine" = "goroutine",
 * "db" = "database") and one-letter slips in long words ("concurency").
 */

/** Phrases that mean the same thing, each mapped to one shared term. Build with synonymIndex(). */
export interface SynonymIndex {
  readonly phrases: PhraseIndex<string>;
}

export interface GradedPoint {
  text: string;
  covered: boolean;
}

export interface Grade {
  points: GradedPoint[];
  /** Covered points / points, 0..1. */
  coverage: number;
}

// Shared terms start with a character tokenize() never produces, so they cannot meet a plain word.
const SYNONYM_MARK = '~';

/**
 * Synonym groups from a topic catalog:
 * - every keyword list of two or more phrases is one group ([goroutine, go routine]);
 * - a topic's id and name form a group with those aliases that appear in no keyword list
 *   ("databases" = "db"), and with keyword lists made only of its own names ([golang, go lang]
 *   under go). An alias that a keyword list treats as its own idea ("sql" under databases,
 *   next to [sql, structured query language]) is left out, so "sql" and "nosql" stay different.
 * Groups sharing a phrase (goroutine appears under concurrency and go) merge.
 */
export function synonymIndex(catalog: TopicCatalog): SynonymIndex {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(k, root);
    return root;
  };
  const phraseKey = (p: string) => phraseStems(p).join(' ');
  const phrasesByKey = new Map<string, string>();
  const union = (group: readonly string[]) => {
    const keys = group.map(phraseKey).filter(Boolean);
    for (const [i, k] of keys.entries()) {
      if (!parent.has(k)) parent.set(k, k);
      if (!phrasesByKey.has(k)) phrasesByKey.set(k, group[i]!);
    }
    const [first, ...rest] = keys;
    if (first === undefined) return;
    for (const k of rest) {
      const a = find(first);
      const b = find(k);
      if (a !== b) parent.set(b, a);
    }
  };

  for (const topic of catalog.topics) {
    const ownNames = [topic.id.replace(/-/g, ' '), topic.name, ...topic.aliases];
    const ownKeys = new Set(ownNames.map(topicKey));
    const nameGroup = [topic.id.replace(/-/g, ' '), topic.name];
    const inSomeList = new Set<string>();
    for (const group of topic.keywordGroups) {
      if (group.every((p) => ownKeys.has(topicKey(p)))) {
        nameGroup.push(...group);
        continue;
      }
      for (const p of group) inSomeList.add(phraseKey(p));
      if (group.length > 1) union(group);
    }
    for (const alias of topic.aliases) {
      if (!inSomeList.has(phraseKey(alias))) nameGroup.push(alias);
    }
    union(nameGroup);
  }

  const phrases = new PhraseIndex<string>();
  const groupSize = new Map<string, number>();
  for (const k of parent.keys()) groupSize.set(find(k), (groupSize.get(find(k)) ?? 0) + 1);
  for (const [k, phrase] of phrasesByKey) {
    const root = find(k);
    // A phrase alone in its group has no synonym; leaving it out keeps it an ordinary word.
    if ((groupSize.get(root) ?? 0) > 1) phrases.add(phrase, SYNONYM_MARK + root);
  }
  return { phrases };
}

/**
 * Significant terms of a text in order: stems, with synonym phrases replaced by their
 * shared term, stop words and single letters dropped.
 */
export function significantTerms(text: string, synonyms?: SynonymIndex): string[] {
  const tokens = tokenize(text);
  const out: string[] = [];
  const keep = (i: number) => {
    const t = tokens[i]!;
    if (t.word.length > 1 && !isStopWord(t.word)) out.push(t.stem);
  };
  if (!synonyms) {
    tokens.forEach((_, i) => keep(i));
    return out;
  }
  let next = 0;
  for (const m of synonyms.phrases.scan(tokens.map((t) => t.stem))) {
    for (let i = next; i < m.start; i++) keep(i);
    out.push(m.values[0]!);
    next = m.start + m.length;
  }
  for (let i = next; i < tokens.length; i++) keep(i);
  return out;
}

/**
 * How many of a key point's n distinct significant terms the answer must contain.
 * Half of them for short points, but the demand grows more slowly for long ones
 * (2 + n/4), because a key point taken from notes is often a whole paragraph that
 * nobody repeats word for word:
 *   n:      1  2  3  4  5  6  8  10  12  20  40
 *   needed: 1  2  2  2  3  3  4   5   5   7  12
 */
export function termsNeeded(n: number): number {
  if (n <= 2) return n;
  return Math.min(Math.ceil(n / 2), 2 + Math.ceil(n / 4));
}

/** Answer terms, with one-letter-slip lookup built only when a term is not found exactly. */
class AnswerTerms {
  private readonly exact: Set<string>;
  private dropped: Set<string> | undefined;
  constructor(terms: readonly string[]) {
    this.exact = new Set(terms);
  }
  get size(): number {
    return this.exact.size;
  }
  has(term: string): boolean {
    if (this.exact.has(term)) return true;
    if (term.startsWith(SYNONYM_MARK) || term.length < FUZZY_MIN_LENGTH - 1) return false;
    if (!this.dropped) {
      this.dropped = new Set();
      for (const a of this.exact) {
        if (a.length >= FUZZY_MIN_LENGTH && !a.startsWith(SYNONYM_MARK)) {
          for (const v of deletionVariants(a)) this.dropped.add(v);
        }
      }
    }
    // The answer wrote the word with one extra letter ("concurrency" for "concurency")…
    if (this.dropped.has(term)) return true;
    // …or one letter fewer.
    return term.length >= FUZZY_MIN_LENGTH && deletionVariants(term).some((v) => this.exact.has(v));
  }
}

/**
 * Grade an answer against key points. A point is covered when the answer contains at
 * least termsNeeded(n) of the point's n distinct significant terms.
 *
 * Decisions:
 * - a key point with no significant terms (only code punctuation or stop words) cannot be
 *   checked and is left out of `points`;
 * - a blank answer (no significant terms) covers nothing: coverage 0;
 * - no checkable key points: `points` is empty and coverage is 1 for a non-blank answer
 *   (nothing was missed; the self-rating decides), 0 for a blank one.
 */
export function gradeAnswer(answer: string, keyPoints: readonly string[], synonyms?: SynonymIndex): Grade {
  const answerTerms = new AnswerTerms(significantTerms(answer, synonyms));
  const blank = answerTerms.size === 0;
  const points: GradedPoint[] = [];
  for (const raw of keyPoints) {
    const text = raw.trim();
    const terms = [...new Set(significantTerms(text, synonyms))];
    if (terms.length === 0) continue;
    let hits = 0;
    if (!blank) for (const t of terms) if (answerTerms.has(t)) hits++;
    points.push({ text, covered: !blank && hits >= termsNeeded(terms.length) });
  }
  if (points.length === 0) return { points, coverage: blank ? 0 : 1 };
  const covered = points.filter((p) => p.covered).length;
  return { points, coverage: covered / points.length };
}
