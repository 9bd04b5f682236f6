/**
 * Reading mdast nodes as plain text, and the structural tests built on that:
 * is a block only links (a table of contents, "Useful resources"), is it
 * navigation ("⬆ Back to top"), is it a `<br>` spacer, is a paragraph bold-only.
 */
import type { Nodes, Paragraph, Strong } from 'mdast';
import { stripHtml } from './normalise.ts';

type AnyNode = Nodes;

function hasChildren(node: AnyNode): node is AnyNode & { children: AnyNode[] } {
  return 'children' in node && Array.isArray((node as { children?: unknown }).children);
}

// Containers whose children are blocks (or cells): their children are separated by a space.
const BLOCK_TYPES = new Set(['root', 'listItem', 'list', 'tableRow', 'blockquote', 'table', 'footnoteDefinition']);

// The parser, key points and topic matching all ask for the text of the same nodes; walk each once.
const textCache = new WeakMap<AnyNode, string>();

/** Plain text of a node: inline HTML tags dropped, images by their alt text, blocks separated by a space. */
export function plainText(node: AnyNode): string {
  const cached = textCache.get(node);
  if (cached !== undefined) return cached;
  const text = computePlainText(node);
  textCache.set(node, text);
  return text;
}

function computePlainText(node: AnyNode): string {
  const parts: string[] = [];
  const walk = (n: AnyNode): void => {
    switch (n.type) {
      case 'text':
      case 'inlineCode':
        parts.push(n.value);
        return;
      case 'code':
        parts.push(' ', n.value, ' ');
        return;
      case 'html':
        parts.push(stripHtml(n.value));
        return;
      case 'image':
        parts.push(n.alt ?? '');
        return;
      case 'break':
        parts.push(' ');
        return;
      case 'yaml':
      case 'definition':
      case 'footnoteReference':
      case 'footnoteDefinition':
        return;
      default:
        if (hasChildren(n)) {
          const block = BLOCK_TYPES.has(n.type);
          for (const c of n.children) {
            walk(c);
            if (block) parts.push(' ');
          }
        }
    }
  };
  walk(node);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

const LETTER = /[\p{L}\p{N}]/gu;
const ASCII_WORD = /^[\x00-\x7F]*$/;

function countLetters(text: string): number {
  if (ASCII_WORD.test(text)) {
    let n = 0;
    for (let i = 0; i < text.length; i += 1) {
      const c = text.charCodeAt(i) | 0x20;
      if ((c >= 0x61 && c <= 0x7a) || (text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39)) n += 1;
    }
    return n;
  }
  return text.match(LETTER)?.length ?? 0;
}

interface LinkStats {
  inside: number;
  outside: number;
  links: number;
  anchorsOnly: boolean;
  media: boolean;
}

// Several structural tests ask about the same node; walk each node once.
const statsCache = new WeakMap<AnyNode, LinkStats>();

/** How much of a node's text sits inside links; also whether it carries an image or code. */
export function linkStats(node: AnyNode): LinkStats {
  const cached = statsCache.get(node);
  if (cached) return cached;
  const stats: LinkStats = { inside: 0, outside: 0, links: 0, anchorsOnly: true, media: false };
  const walk = (n: AnyNode, inLink: boolean): void => {
    if (n.type === 'link' || n.type === 'linkReference') {
      stats.links += 1;
      if (n.type === 'linkReference' || !n.url.startsWith('#')) stats.anchorsOnly = false;
      for (const c of n.children) walk(c, true);
      return;
    }
    if (n.type === 'image' || n.type === 'imageReference' || n.type === 'code') {
      stats.media = true;
      return;
    }
    if (n.type === 'html') {
      if (/<(img|video|iframe|svg|pre|code|table)\b/i.test(n.value)) stats.media = true;
      const inner = stripHtml(n.value);
      if (/<a\s[^>]*href/i.test(n.value)) {
        stats.links += 1;
        if (!/<a\s[^>]*href\s*=\s*["']?#/i.test(n.value)) stats.anchorsOnly = false;
        stats.inside += countLetters(inner);
      } else {
        stats[inLink ? 'inside' : 'outside'] += countLetters(inner);
      }
      return;
    }
    if (n.type === 'text' || n.type === 'inlineCode') {
      const letters = countLetters(n.value);
      stats[inLink ? 'inside' : 'outside'] += letters;
      return;
    }
    if (hasChildren(n)) for (const c of n.children) walk(c, inLink);
  };
  walk(node, false);
  statsCache.set(node, stats);
  return stats;
}

/** Only links (with at most a word or two around them): a table of contents or a resource list. */
export function isLinkOnly(node: AnyNode): boolean {
  const s = linkStats(node);
  if (s.links === 0 || s.media) return false;
  return s.outside <= 3 || s.inside >= 4 * s.outside;
}

/** "⬆ Back to top" and other in-page navigation: anchor links with no words of their own. */
export function isNavigation(node: AnyNode): boolean {
  const s = linkStats(node);
  if (s.links > 0 && s.anchorsOnly && !s.media && s.outside === 0) return true;
  // Every letter counted in the stats is a character of the plain text, so 40 letters
  // already rule out the short "back to top" line without building the text.
  if (s.inside + s.outside >= 40) return false;
  const text = plainText(node);
  return text.length < 40 && /\b(back to (the )?top|go to top|return to top)\b/i.test(text);
}

/** A `<br>` spacer, or an HTML comment, with nothing else in it. */
export function isSpacerHtml(value: string): boolean {
  return /^(\s*(<br\s*\/?>|<!--[\s\S]*?-->|&nbsp;))*\s*$/i.test(value);
}

/** The `strong` (or `<b>`/`<strong>` HTML) that makes up a whole paragraph, as text; null when it is not bold-only. */
export function boldOnlyText(node: Paragraph): string | null {
  const meaningful = node.children.filter((c) => !(c.type === 'text' && c.value.trim() === '') && !(c.type === 'html' && isSpacerHtml(c.value)) && c.type !== 'break');
  if (meaningful.length === 1 && meaningful[0]?.type === 'strong') return plainText(meaningful[0] as Strong);
  // `<b>…</b>` written as inline HTML around plain text.
  const first = meaningful[0];
  const last = meaningful[meaningful.length - 1];
  if (meaningful.length >= 3 && first?.type === 'html' && last?.type === 'html' && /^<(b|strong)>$/i.test(first.value) && /^<\/(b|strong)>$/i.test(last.value)) {
    return plainText(node);
  }
  return null;
}

/** True when a node holds something a reader would call content (not only spacing, links-as-navigation or nothing). */
export function hasWords(node: AnyNode): boolean {
  const s = linkStats(node);
  return s.media || s.inside + s.outside > 0;
}

function hasAnchorLink(node: AnyNode): boolean {
  if (node.type === 'link') return node.url.startsWith('#');
  if (node.type === 'html') return /<a\s[^>]*href\s*=\s*["']?#/i.test(node.value);
  return hasChildren(node) && node.children.some(hasAnchorLink);
}

/** A list or table whose items/rows (nearly) all link into the page: a table of contents. */
export function isTableOfContents(node: AnyNode): boolean {
  let rows: AnyNode[];
  if (node.type === 'list') rows = node.children;
  else if (node.type === 'table') rows = node.children.slice(1);
  else return false;
  if (rows.length === 0) return false;
  const linked = rows.filter(hasAnchorLink).length;
  return linked * 5 >= rows.length * 4;
}
