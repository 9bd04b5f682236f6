import { PhraseIndex } from '../bank/phrases.ts';
import { FUZZY_MIN_LENGTH, deletionVariants, foldSpelling, isStopWord, phraseStems, placedTokens, stemWord, type PlacedToken } from '../bank/text.ts';
import { topicKey, type TopicCatalog } from '../bank/topics.ts';

/**
 * Automatic key-point coverage: which of a question's key points a free-text answer
 * touches. It is a hint shown next to the person's own Again/Hard/Good/Easy rating,
 * not a verdict, so it errs towards recognising an answer in other words: stems
 * ("channels" = "channel"), synonyms from topics.yml ("go routine" = "goroutine",
 * "db" = "database"), words written apart, hyphenated or together ("Go-Runtime" =
 * "go runtime", "schema-less" = "schemaless") and one-letter slips in long words
 * ("concurency"). It does not count a word the answer denies that the point asserts
 * ("nothing is encrypted" against "encrypts traffic"), or the other way round.
 *
 * Callers go through the Grader port, so a stronger grader can replace this matcher
 * without them changing.
 */

/** Phrases that mean the same thing, each mapped to one shared term. Build with synonymIndex(). */
export interface SynonymIndex {
  readonly phrases: PhraseIndex<string>;
}

export interface GradedPoint {
  text: string;
  covered: boolean;
  /** The answer's words, as typed, that met the point's terms, in answer order (also for a point not covered). */
  matched: string[];
}

export interface Grade {
  points: GradedPoint[];
  /** Covered points / points, 0..1. */
  coverage: number;
}

/**
 * Grades an answer against a question's key points. The port the practice flow calls,
 * so a different grader (a model behind an HTTP endpoint, say) can stand in for the
 * key-point matcher without the callers changing. It must return one GradedPoint per
 * checkable key point, in order, and must not throw for odd input.
 */
export interface Grader {
  grade(answer: string, keyPoints: readonly string[]): Promise<Grade>;
}

/** The built-in grader: key-point matching with the synonyms of a topic catalog. */
export function keyPointGrader(catalog: TopicCatalog): Grader {
  const synonyms = synonymIndex(catalog);
  return { grade: async (answer, keyPoints) => gradeAnswer(answer, keyPoints, synonyms) };
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

/** One term of a text and where it stands: a stem, a synonym's shared term, or two words joined. */
interface Occurrence {
  term: string;
  /** First and last token it covers. */
  first: number;
  last: number;
  negated: boolean;
  /** A single filler word (FILLER_WORDS). */
  filler?: boolean;
}

interface Analysed {
  source: string;
  tokens: PlacedToken[];
  /** Significant terms in text order. */
  terms: Occurrence[];
  /** Two adjacent words written apart or hyphenated, joined ("go runtime" → "goruntime"). */
  joins: Occurrence[];
}

// Words that deny what follows them in their clause ("zero methods" = "no methods"). "n't" arrives as a separate "t".
const NEGATORS = new Set(
  'not no never none nothing nobody neither nor zero cannot cant dont doesnt isnt arent wasnt werent didnt wont without unlike'.split(' '),
);
const NT_BEFORE = new Set('can don doesn isn aren wasn weren won wouldn shouldn couldn didn hasn haven hadn mustn needn ain'.split(' '));
// A denial reaches to the end of its clause, and at most this many significant words.
const NEGATION_REACH = 4;
const CLAUSE_BREAK = /[,;:.!?()[\]]/;
const CLAUSE_WORDS = new Set('but while whereas however though although yet so because which then'.split(' '));
// Two words may be read as one when only these stand between them.
const JOINABLE_GAP = /^[\s_-]*$/;
// "a sync" is not "async": short joins meet real words by chance.
const MIN_JOINED_LENGTH = 5;

const significant = (t: PlacedToken) => t.word.length > 1 && !isStopWord(t.word);

/**
 * Words of explanatory prose that carry no idea of their own ("designed", "special",
 * "almost"): an interviewer does not miss them, so a key point does not ask for them
 * unless they are all it has. Kept apart from STOP_WORDS, which topic matching shares.
 */
const FILLER_WORDS: ReadonlySet<string> = new Set(
  `mean means meant meaning design designed act acts acting help helps helped allow allows allowed provide provides
  provided providing give gives given giving take takes taken taking need needs needed require requires required
  occur occurs occurred happen happens happened say says said see seen known special certain particular
  various different important main common general better best good bad big huge almost nearly usually often
  sometimes sometime generally actually just even still already however therefore hence instead whole able possible
  kind lot lots example examples matter manner situation fact part existing exist exists around across along among
  onto toward towards since though although itself based`
    .split(/\s+/u)
    .filter(Boolean),
);

function negatedTokens(source: string, tokens: readonly PlacedToken[]): boolean[] {
  const out = tokens.map(() => false);
  for (let i = 0; i < tokens.length; i++) {
    const w = tokens[i]!.word;
    const denies =
      NEGATORS.has(w) ||
      (w === 't' && i > 0 && NT_BEFORE.has(tokens[i - 1]!.word)) ||
      (w === 'rather' && tokens[i + 1]?.word === 'than');
    if (!denies) continue;
    for (let j = i + 1, reach = 0; j < tokens.length && reach < NEGATION_REACH; j++) {
      if (CLAUSE_BREAK.test(source.slice(tokens[j - 1]!.end, tokens[j]!.start)) || CLAUSE_WORDS.has(tokens[j]!.word)) break;
      out[j] = true;
      if (significant(tokens[j]!)) reach++;
    }
  }
  return out;
}

function analyse(text: string, synonyms?: SynonymIndex): Analysed {
  const { source, tokens } = placedTokens(text);
  const negated = negatedTokens(source, tokens);
  const terms: Occurrence[] = [];
  const inPhrase = tokens.map(() => false);
  const keep = (i: number) => {
    const t = tokens[i]!;
    if (significant(t)) terms.push({ term: t.stem, first: i, last: i, negated: negated[i]!, filler: FILLER_WORDS.has(t.word) });
  };
  let next = 0;
  for (const m of synonyms?.phrases.scan(tokens.map((t) => t.stem)) ?? []) {
    for (let i = next; i < m.start; i++) keep(i);
    const last = m.start + m.length - 1;
    terms.push({ term: m.values[0]!, first: m.start, last, negated: negated.slice(m.start, last + 1).some(Boolean) });
    for (let i = m.start; i <= last; i++) inPhrase[i] = true;
    next = last + 1;
  }
  for (let i = next; i < tokens.length; i++) keep(i);

  const joins: Occurrence[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const a = tokens[i]!;
    const b = tokens[i + 1]!;
    if (inPhrase[i] || inPhrase[i + 1] || !JOINABLE_GAP.test(source.slice(a.end, b.start))) continue;
    if (a.word.length + b.word.length < MIN_JOINED_LENGTH || (!significant(a) && !significant(b))) continue;
    const term = stemWord(foldSpelling(a.word + b.word));
    joins.push({ term, first: i, last: i + 1, negated: negated[i]! || negated[i + 1]! });
  }
  return { source, tokens, terms, joins };
}

/**
 * Significant terms of a text in order: stems, with synonym phrases replaced by their
 * shared term, stop words and single letters dropped.
 */
export function significantTerms(text: string, synonyms?: SynonymIndex): string[] {
  return analyse(text, synonyms).terms.map((o) => o.term);
}

const NEEDED_SHARE = 0.3;

/**
 * How many of a key point's n distinct idea terms the answer must contain: all of one
 * or two, else two and at least 30%. Answers say the same thing in their own words, so
 * most of a point's words are missing from a good answer (the labelled set in
 * test/fixtures/grading shows it: good answers share about a third of them, wrong ones
 * rarely more than one):
 *   n:      1  2  3  4  5  6  7  8  10  12  20  40
 *   needed: 1  2  2  2  2  2  3  3   3   4   6  12
 */
export function termsNeeded(n: number): number {
  if (n <= 2) return n;
  return Math.max(2, Math.ceil(n * NEEDED_SHARE));
}

// Porter's stopping places differ by a few letters at most; short stems are too often other words.
const PREFIX_MIN_LENGTH = 6;
const PREFIX_MAX_EXTRA = 3;

/** An answer's terms (its words, synonyms and joined pairs), with one-letter-slip lookup built only when needed. */
class AnswerIndex {
  private readonly exact = new Map<string, Occurrence[]>();
  private dropped: Map<string, string[]> | undefined;
  readonly blank: boolean;
  constructor(readonly analysed: Analysed) {
    for (const o of [...analysed.terms, ...analysed.joins]) {
      const list = this.exact.get(o.term);
      if (list) list.push(o);
      else this.exact.set(o.term, [o]);
    }
    this.blank = analysed.terms.length === 0;
  }

  /** Where the answer has this term, exactly or with one letter more or fewer. */
  find(term: string): readonly Occurrence[] {
    const exact = this.exact.get(term);
    if (exact) return exact;
    if (term.startsWith(SYNONYM_MARK) || term.length < FUZZY_MIN_LENGTH - 1) return [];
    if (!this.dropped) {
      this.dropped = new Map();
      for (const a of this.exact.keys()) {
        if (a.length < FUZZY_MIN_LENGTH || a.startsWith(SYNONYM_MARK)) continue;
        for (const v of deletionVariants(a)) this.dropped.set(v, [...(this.dropped.get(v) ?? []), a]);
      }
    }
    // The answer wrote the word with one extra letter ("concurrency" for "concurency")…
    const longer = this.dropped.get(term);
    if (longer) return longer.flatMap((a) => this.exact.get(a)!);
    // …or one letter fewer…
    const shorter = term.length >= FUZZY_MIN_LENGTH ? deletionVariants(term).flatMap((v) => this.exact.get(v) ?? []) : [];
    if (shorter.length > 0) return shorter;
    // …or Porter stopped at a different place in the same word ("parameters" → "paramet",
    // "parameterized" → "parameter"). Short stems are left out: "state" is not "statement".
    const found: Occurrence[] = [];
    for (const [a, list] of this.exact) {
      if (a.startsWith(SYNONYM_MARK)) continue;
      const [short, long] = a.length < term.length ? [a, term] : [term, a];
      if (short.length >= PREFIX_MIN_LENGTH && long.length - short.length <= PREFIX_MAX_EXTRA && long.startsWith(short)) found.push(...list);
    }
    return found;
  }

  /** The words of an occurrence as typed; a gap of anything but spaces, "-" or "_" between them shows as one space. */
  surface(o: Occurrence): string {
    const { source, tokens } = this.analysed;
    let out = source.slice(tokens[o.first]!.start, tokens[o.first]!.end);
    for (let i = o.first + 1; i <= o.last; i++) {
      if (tokens[i]!.start === tokens[i - 1]!.start) continue; // one typed word that tokenized into several
      const gap = source.slice(tokens[i - 1]!.end, tokens[i]!.start);
      out += (JOINABLE_GAP.test(gap) ? gap.replace(/\s+/gu, ' ') : ' ') + source.slice(tokens[i]!.start, tokens[i]!.end);
    }
    return out;
  }
}

/** Occurrences that agree in sense: the point asserts what the answer asserts, or denies what it denies. */
function agreeing(point: readonly Occurrence[], answer: readonly Occurrence[]): Occurrence[] {
  const pointDenies = point.every((o) => o.negated);
  const pointAsserts = point.every((o) => !o.negated);
  return answer.filter((o) => !(pointDenies && !o.negated) && !(pointAsserts && o.negated));
}

/**
 * Terms most of a question's key points share ("goroutine", "thread" when it compares
 * the two): any answer to it names them, so they alone do not show that a point was
 * made. Only a checklist of three or more points has a subject to tell apart.
 */
function subjectTerms(points: readonly Analysed[]): Set<string> {
  const subject = new Set<string>();
  if (points.length < 3) return subject;
  const seenIn = new Map<string, number>();
  for (const p of points) for (const t of new Set(p.terms.map((o) => o.term))) seenIn.set(t, (seenIn.get(t) ?? 0) + 1);
  const often = Math.max(2, Math.ceil(points.length / 3));
  for (const [t, n] of seenIn) if (n >= often) subject.add(t);
  return subject;
}

/**
 * Grade an answer against key points. A point is covered when the answer contains at
 * least termsNeeded(n) of the point's n distinct significant terms, filler words left
 * out when the point has others.
 *
 * Decisions:
 * - a key point with no significant terms (only code punctuation or stop words) cannot be
 *   checked and is left out of `points`;
 * - a blank answer (no significant terms) covers nothing: coverage 0;
 * - no checkable key points: `points` is empty and coverage is 1 for a non-blank answer
 *   (nothing was missed; the self-rating decides), 0 for a blank one;
 * - with three or more key points, a point is not covered by the question's subject terms
 *   alone (subjectTerms): one of its own terms must be met too;
 * - a term counts when the answer uses it in the same sense: a point that asserts
 *   "guarantees delivery" is not met by "does not guarantee delivery", and a point that
 *   denies it is not met by an answer that asserts it.
 */
export function gradeAnswer(answer: string, keyPoints: readonly string[], synonyms?: SynonymIndex): Grade {
  const index = new AnswerIndex(analyse(answer, synonyms));
  const analysed = keyPoints.map((raw) => ({ text: raw.trim(), point: analyse(raw.trim(), synonyms) }));
  const subject = subjectTerms(analysed.map((a) => a.point));
  const points: GradedPoint[] = [];
  for (const { text, point } of analysed) {
    const all = new Map<string, Occurrence[]>();
    for (const o of point.terms) all.set(o.term, [...(all.get(o.term) ?? []), o]);
    if (all.size === 0) continue;
    const ideas = new Map([...all].filter(([, list]) => !list.every((o) => o.filler)));
    const byTerm = ideas.size > 0 ? ideas : all;
    const hits = new Map<string, Occurrence[]>();
    if (!index.blank) {
      for (const [term, occurrences] of byTerm) {
        const found = agreeing(occurrences, index.find(term));
        if (found.length > 0) hits.set(term, found);
      }
      // The point writes apart or hyphenated what the answer writes as one word ("Go-Runtime", "goruntime").
      for (const join of point.joins) {
        const parts = point.terms.filter((o) => o.first >= join.first && o.last <= join.last && byTerm.has(o.term));
        if (parts.length === 0 || parts.every((o) => hits.has(o.term))) continue;
        const found = agreeing([join], index.find(join.term));
        if (found.length > 0) for (const o of parts) hits.set(o.term, [...(hits.get(o.term) ?? []), ...found]);
      }
    }
    const firstSurface = new Map<string, string>();
    for (const o of [...hits.values()].flat().sort((a, b) => a.first - b.first)) {
      const word = index.surface(o);
      if (!firstSurface.has(word.toLowerCase())) firstSurface.set(word.toLowerCase(), word);
    }
    const aboutSubjectOnly = [...byTerm.keys()].some((t) => !subject.has(t)) && [...hits.keys()].every((t) => subject.has(t));
    points.push({
      text,
      covered: !index.blank && hits.size >= termsNeeded(byTerm.size) && !aboutSubjectOnly,
      matched: [...firstSurface.values()],
    });
  }
  if (points.length === 0) return { points, coverage: index.blank ? 0 : 1 };
  const covered = points.filter((p) => p.covered).length;
  return { points, coverage: covered / points.length };
}
