import { FUZZY_MIN_LENGTH, deletionVariants, foldSpelling, phraseStems, stemWord, tokenize } from './text.ts';

/** One place in a token stream where a known phrase was found. */
export interface PhraseMatch<T> {
  /** Index of the first token. */
  start: number;
  /** Number of tokens the phrase covers. */
  length: number;
  values: readonly T[];
}

interface TrieNode<T> {
  next: Map<string, TrieNode<T>>;
  values: T[];
}

const newNode = <T>(): TrieNode<T> => ({ next: new Map(), values: [] });

function pushUnique<T>(list: T[], value: T): void {
  if (!list.includes(value)) list.push(value);
}

/**
 * Finds known phrases (keywords, aliases, synonyms) in a stream of stems, longest
 * match first, in one left-to-right pass, so a 100 KB text costs one scan whatever
 * the number of phrases. Longest-first means "message queue" is found as itself and
 * does not also count as the data-structure "queue".
 *
 * A multi-word phrase also matches its words written together ("go routine" matches
 * "goroutine", "wait group" matches "WaitGroup"), and a long single word matches with
 * one letter dropped or doubled (see FUZZY_MIN_LENGTH).
 */
export class PhraseIndex<T> {
  private readonly root: TrieNode<T> = newNode();
  /** Deletion variant of a long single-stem phrase → values (text dropped a letter). */
  private readonly dropped = new Map<string, T[]>();
  /** Long single-stem phrase → values (text added a letter). */
  private readonly longStems = new Map<string, T[]>();

  add(phrase: string, value: T): void {
    const stems = phraseStems(phrase);
    if (stems.length === 0) return;
    this.insert(stems, value);
    if (stems.length > 1) {
      const joined = tokenize(phrase).map((t) => t.word).join('');
      this.insert([stemWord(foldSpelling(joined))], value);
    }
  }

  private insert(stems: readonly string[], value: T): void {
    let node = this.root;
    for (const stem of stems) {
      let child = node.next.get(stem);
      if (!child) {
        child = newNode();
        node.next.set(stem, child);
      }
      node = child;
    }
    pushUnique(node.values, value);
    const only = stems.length === 1 ? stems[0] : undefined;
    if (only !== undefined && only.length >= FUZZY_MIN_LENGTH) {
      const own = this.longStems.get(only) ?? [];
      pushUnique(own, value);
      this.longStems.set(only, own);
      for (const variant of deletionVariants(only)) {
        const list = this.dropped.get(variant) ?? [];
        pushUnique(list, value);
        this.dropped.set(variant, list);
      }
    }
  }

  /** Exact value list for a single stem, without fuzzy matching. */
  exact(stem: string): readonly T[] {
    return this.root.next.get(stem)?.values ?? [];
  }

  scan(stems: readonly string[]): PhraseMatch<T>[] {
    const out: PhraseMatch<T>[] = [];
    let i = 0;
    while (i < stems.length) {
      let node: TrieNode<T> | undefined = this.root;
      let bestLength = 0;
      let bestValues: T[] = [];
      for (let j = i; j < stems.length; j++) {
        node = node.next.get(stems[j]!);
        if (!node) break;
        if (node.values.length > 0) {
          bestLength = j - i + 1;
          bestValues = node.values;
        }
      }
      if (bestLength === 0) {
        const fuzzy = this.fuzzy(stems[i]!);
        if (fuzzy.length > 0) {
          bestLength = 1;
          bestValues = fuzzy;
        }
      }
      if (bestLength > 0) {
        out.push({ start: i, length: bestLength, values: bestValues });
        i += bestLength;
      } else {
        i += 1;
      }
    }
    return out;
  }

  private fuzzy(stem: string): T[] {
    if (stem.length < FUZZY_MIN_LENGTH - 1) return [];
    const found: T[] = [];
    for (const v of this.dropped.get(stem) ?? []) pushUnique(found, v);
    if (stem.length > FUZZY_MIN_LENGTH) {
      for (const variant of deletionVariants(stem)) {
        for (const v of this.longStems.get(variant) ?? []) pushUnique(found, v);
      }
    }
    return found;
  }
}
