import { stemmer } from 'stemmer';

/**
 * Text → comparable terms, shared by topic matching and answer grading so both
 * agree on what "the same word" means. Notes are written fast and in several
 * spellings, so the folding here is deliberately forgiving: British/American
 * spellings meet, Porter stemming joins plural/verb forms, and `fuzzyKeys` lets a
 * one-letter slip ("concurency") still meet its word.
 */

export interface Token {
  /** Lowercased word as written (after spelling folding), used for stop-word checks. */
  word: string;
  /** Porter stem of `word`; what comparisons use. */
  stem: string;
}

// URLs and image links add words like "github" and "assets" that say nothing about the topic.
const URL_RE = /\bhttps?:\/\/[^\s)>\]]+/giu;
// Letters and digits only: punctuation, Markdown syntax and control characters all split words.
// Most notes are plain ASCII, where the non-Unicode pattern is about three times faster.
const WORD = /[\p{L}\p{N}]+/u;
const ASCII_WORD = /[a-z0-9]+/;
const NON_ASCII = /[^\x00-\x7f]/;

/** Longest word kept; anything longer is a hash, base64 or minified code, never a term. */
const MAX_WORD = 40;

const stemCache = new Map<string, string>();
const tokenCache = new Map<string, Token>();
// Bounded caches: a 100 KB answer full of unique junk words must not grow memory forever.
const CACHE_LIMIT = 50_000;

/** British and American spellings of the same word become one ("synchronisation", "behaviour"). */
export function foldSpelling(word: string): string {
  if (word.length >= 6) {
    word = word.replace(/isation(s?)$/u, 'ization$1').replace(/is(e|ed|es|ing)$/u, 'iz$1');
  }
  return word.replace(/iour/gu, 'ior');
}

/** Stem one lowercased word; numbers and mixed alphanumerics ("int32", "s3") stay as they are. */
export function stemWord(word: string): string {
  const cached = stemCache.get(word);
  if (cached !== undefined) return cached;
  const stem = /^\p{L}+$/u.test(word) ? stemmer(word) : word;
  if (stemCache.size >= CACHE_LIMIT) stemCache.clear();
  stemCache.set(word, stem);
  return stem;
}

/** Words of a text (Markdown or plain), lowercased, folded and stemmed, in order. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const ascii = !NON_ASCII.test(text);
  let clean = ascii ? text.toLowerCase() : text.normalize('NFKC').toLowerCase();
  if (clean.includes('http')) clean = clean.replace(URL_RE, ' ');
  const re = new RegExp(ascii ? ASCII_WORD : WORD, ascii ? 'g' : 'gu');
  for (let m = re.exec(clean); m !== null; m = re.exec(clean)) {
    const raw = m[0];
    if (raw.length > MAX_WORD) continue;
    let token = tokenCache.get(raw);
    if (!token) {
      const word = foldSpelling(raw);
      token = Object.freeze({ word, stem: stemWord(word) });
      if (tokenCache.size >= CACHE_LIMIT) tokenCache.clear();
      tokenCache.set(raw, token);
    }
    out.push(token);
  }
  return out;
}

/** A token with where its word stands in the text it came from. */
export interface PlacedToken extends Token {
  /** Offsets of the word in `source` (see placedTokens). */
  start: number;
  end: number;
}

const ASCII_WORD_ANY_CASE = /[A-Za-z0-9]+/g;

/**
 * The tokens of tokenize(text), each with the place of its word in `source`: the text
 * itself, or its NFKC form when it has non-ASCII characters (what tokenize reads; it looks
 * the same to a reader). Grading uses it to show the words of an answer as they were typed.
 */
export function placedTokens(text: string): { source: string; tokens: PlacedToken[] } {
  const ascii = !NON_ASCII.test(text);
  const source = ascii ? text : text.normalize('NFKC');
  // Blank URLs out without moving anything after them.
  const masked = /http/i.test(source) ? source.replace(URL_RE, (url) => ' '.repeat(url.length)) : source;
  const re = ascii ? new RegExp(ASCII_WORD_ANY_CASE) : new RegExp(WORD, 'gu');
  const tokens: PlacedToken[] = [];
  for (let m = re.exec(masked); m !== null; m = re.exec(masked)) {
    // Lowercasing can split a word ("İ" becomes "i" and a combining dot), so each word is tokenized on its own.
    for (const t of tokenize(m[0])) tokens.push({ word: t.word, stem: t.stem, start: m.index, end: m.index + m[0].length });
  }
  return { source, tokens };
}

/** Stems of a short phrase such as a keyword or alias ("race conditions" → ["race", "condit"]). */
export function phraseStems(phrase: string): string[] {
  return tokenize(phrase).map((t) => t.stem);
}

/**
 * Keys under which a stem is filed for one-letter-slip matching: the stem itself and
 * every variant with one letter removed. Two stems share a key exactly when one is the
 * other with a letter inserted or dropped ("concur" ⇄ "concurr", "scall" ⇄ "scale"
 * does not match: that is a substitution, deliberately left out because it joins too
 * many real words such as "pointer"/"printer"). Only long stems take part: short
 * words differ by one letter far too often ("thread"/"tread").
 */
export const FUZZY_MIN_LENGTH = 7;

export function deletionVariants(stem: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < stem.length; i++) {
    if (i > 0 && stem[i] === stem[i - 1]) continue; // dropping either of a doubled letter gives the same variant
    out.push(stem.slice(0, i) + stem.slice(i + 1));
  }
  return out;
}

/**
 * Common English function words plus filler that notes use everywhere ("use", "also").
 * Checked against the lowercased word, before stemming.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all also am an and any are aren as at be because been before being below
  between both but by can cannot could did didn do does doesn doing don down during each either etc eg e g ie i
  few for from further had has have having he her here hers herself him himself his how however if in into is
  isn it its itself just let lets like ll may me might more most much must my myself no nor not now of off on
  once only or other ought our ours ourselves out over own per rather re s same shall she should so some such t
  than that the their theirs them themselves then there these they this those through thus to too under until
  up upon us use used uses using ve very via was wasn we were weren what when where whether which while who whom
  whose why will with within without won would yet you your yours yourself yourselves one two get gets got make
  makes made many way ways thing things something basically mainly simply really also`
    .split(/\s+/u)
    .filter(Boolean),
);

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}
