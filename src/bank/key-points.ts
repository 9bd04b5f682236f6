/**
 * Key points of a reference answer, used later to grade coverage: the
 * answer's top-level list items (the sentences of a lone item), else the
 * sentences of its paragraphs.
 */
import type { ListItem, Nodes } from 'mdast';
import { isLinkOnly, isNavigation, plainText } from './mdtext.ts';

const MAX_POINTS = 12;
const MAX_LENGTH = 240;

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

/** Key points from the answer's top-level nodes (as parsed; nothing is re-parsed here). */
export function keyPointsOf(nodes: readonly Nodes[]): string[] {
  const items = nodes.flatMap((node) =>
    node.type === 'list' ? node.children.filter((item) => !isLinkOnly(item) && !isNavigation(item)).map(itemText) : [],
  );
  // A single bullet is a paragraph in disguise (the seed writes every answer as "- …"):
  // its sentences make a checklist that can tell a partial answer from a full one.
  const points = items.length === 1 ? sentences(items[0]!) : items;
  if (points.length > 0) return collect(points, (point) => [point]);
  return collect(nodes, (node) => {
    if (node.type === 'paragraph' || node.type === 'blockquote' || node.type === 'tableCell') {
      if (isLinkOnly(node) || isNavigation(node)) return [];
      return sentences(plainText(node));
    }
    return [];
  });
}
