/**
 * Key points of a reference answer, used later to grade coverage: the
 * answer's top-level list items, each split into its sentences while the
 * checklist stays within MAX_POINTS, else the sentences of its paragraphs.
 * A sentence too long to show whole is split into clauses.
 */
import type { ListItem, Nodes } from 'mdast';
import { isLinkOnly, isNavigation, plainText } from './mdtext.ts';

const MAX_POINTS = 12;
const MAX_LENGTH = 240;
/** Sentences longer than this are split into clauses: a point that long is several ideas, and would be cut for display. */
const CLAUSE_SPLIT_LENGTH = 200;
/** A sentence of fewer words ("Why?", "See below.") is not a point of its own; it stays with the sentence before it. */
const MIN_POINT_WORDS = 3;

function shorten(text: string): string {
  if (text.length <= MAX_LENGTH) return text;
  const cut = text.slice(0, MAX_LENGTH);
  const space = cut.lastIndexOf(' ');
  return `${cut.slice(0, space > MAX_LENGTH / 2 ? space : MAX_LENGTH).trimEnd()}…`;
}

/** An item's own text, without the lists nested inside it. */
function itemText(item: ListItem): string {
  return item.children
    .filter((c) => c.type !== 'list')
    .map((c) => plainText(c))
    .join(' ')
    .trim();
}

/** Splits prose into sentences at ". ", "! ", "? " before a capital, digit or quote. */
export function sentences(text: string): string[] {
  const parts = text.split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}"'“(`])/u);
  const out: string[] = [];
  for (const part of parts) {
    const prev = out[out.length - 1];
    // "e.g. GNU/Hurd" is one sentence: do not split after common abbreviations.
    if (prev !== undefined && ABBREVIATION.test(prev)) out[out.length - 1] = `${prev} ${part}`;
    else out.push(part);
  }
  return out.map((s) => s.trim()).filter((s) => /[\p{L}\p{N}]/u.test(s));
}

const ABBREVIATION = /(?:\b(?:e\.g|i\.e|etc|vs|cf|approx|incl|Mr|Mrs|Ms|Dr|No|Fig)\.|\b\p{Lu}\.)$/u;

function collect<T>(nodes: readonly T[], take: (node: T) => string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const node of nodes) {
    for (const raw of take(node)) {
      const point = shorten(raw.replace(/\s+/g, ' ').trim().replace(/^[–—•:]\s+/, ''));
      const key = point.toLowerCase();
      if (point.length < 2 || seen.has(key)) continue;
      seen.add(key);
      out.push(point);
      if (out.length >= MAX_POINTS) return out;
    }
  }
  return out;
}

const wordCount = (s: string) => s.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;

/**
 * A very long sentence as clauses: cut at "; " first, then at ", " so that each
 * piece stays under CLAUSE_SPLIT_LENGTH where the commas allow.
 */
function clauses(sentence: string): string[] {
  if (sentence.length <= CLAUSE_SPLIT_LENGTH) return [sentence];
  const out: string[] = [];
  for (const part of sentence.split(/(?<=;)\s+/u)) {
    if (part.length <= CLAUSE_SPLIT_LENGTH) {
      out.push(part);
      continue;
    }
    let current = '';
    for (const piece of part.split(/(?<=,)\s+/u)) {
      if (current && current.length + 1 + piece.length > CLAUSE_SPLIT_LENGTH) {
        out.push(current);
        current = piece;
      } else current = current ? `${current} ${piece}` : piece;
    }
    if (current) out.push(current);
  }
  return out;
}

/** The checkable pieces of one bullet or paragraph: sentences, clauses of long ones, fragments kept with their neighbour. */
function pieces(text: string): string[] {
  const out: string[] = [];
  for (const piece of sentences(text).flatMap(clauses)) {
    const prev = out.length - 1;
    if (prev >= 0 && (wordCount(piece) < MIN_POINT_WORDS || wordCount(out[prev]!) < MIN_POINT_WORDS)) {
      out[prev] = `${out[prev]} ${piece}`;
    } else out.push(piece);
  }
  return out;
}

/**
 * Bullets split into their pieces, longest bullet first, as long as the checklist stays
 * within MAX_POINTS; a bullet that no longer fits stays whole rather than pushing the
 * last bullets off the checklist.
 */
function splitBullets(items: readonly string[]): string[] {
  const split: string[][] = items.map((item) => [item]);
  let total = items.length;
  const byLength = items.map((item, i) => ({ i, length: item.length })).sort((a, b) => b.length - a.length);
  for (const { i } of byLength) {
    const parts = pieces(items[i]!);
    if (parts.length > 1 && total - 1 + parts.length <= MAX_POINTS) {
      split[i] = parts;
      total += parts.length - 1;
    }
  }
  return split.flat();
}

/** Key points from the answer's top-level nodes (as parsed; nothing is re-parsed here). */
export function keyPointsOf(nodes: readonly Nodes[]): string[] {
  const items = nodes.flatMap((node) =>
    node.type === 'list' ? node.children.filter((item) => !isLinkOnly(item) && !isNavigation(item)).map(itemText) : [],
  );
  // A bullet of several sentences is several points (the seed writes whole paragraphs as "- …"):
  // one ✓ for three claims hides which of them the answer made.
  if (items.length > 0) return collect(splitBullets(items), (point) => [point]);
  return collect(nodes, (node) => {
    if (node.type === 'paragraph' || node.type === 'blockquote' || node.type === 'tableCell') {
      if (isLinkOnly(node) || isNavigation(node)) return [];
      return pieces(plainText(node));
    }
    return [];
  });
}
