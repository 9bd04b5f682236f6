/**
 * mdast → CommonMark/GFM text with every text node made safe (no pings, no
 * control characters). The memory adapter shows this; platform renderers can
 * start from it and adjust for their dialect.
 */
import type { Root } from 'mdast';
import { toMarkdown } from 'mdast-util-to-markdown';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { visit } from 'unist-util-visit';
import { safeText, stripControlChars } from './safety.ts';

/** A deep copy of `root` with text, HTML and link labels neutralised; code keeps its characters (minus controls). */
export function sanitiseTree(root: Root): Root {
  const copy = structuredClone(root);
  visit(copy, (node) => {
    if (node.type === 'text' || node.type === 'html') node.value = safeText(node.value);
    else if (node.type === 'code' || node.type === 'inlineCode') node.value = stripControlChars(node.value);
  });
  return copy;
}

export function renderMarkdown(root: Root): string {
  return toMarkdown(sanitiseTree(root), { extensions: [gfmToMarkdown()], bullet: '-', rule: '-' }).trimEnd();
}
