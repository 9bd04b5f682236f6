/**
 * mdast → Slack mrkdwn. Slack has its own dialect: *bold*, _italic_, ~strike~,
 * <url|text> links, ``` fences without a language, and `&`, `<`, `>` must be
 * sent as entities everywhere (also inside code) or Slack reads them as markup,
 * which is also how `<!channel>`-style pings would sneak in.
 */
import type { Nodes, Root, RootContent, Table } from 'mdast';
import { neutraliseMentions, safeText, stripControlChars } from '../../chat/safety.ts';

/**
 * Escape Slack's three control characters, then defuse broadcast words. After
 * escaping, Slack can only ping through `<!…>`/`<@…>` markup, which cannot
 * appear any more; `@here`-style words get a joiner so they stay inert even if
 * a message is ever sent with `link_names`.
 */
export function escapeMrkdwn(text: string): string {
  return neutraliseMentions(stripControlChars(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

/** For plain_text fields (labels, titles, buttons): no entity escaping, but still no pings. */
export function plainSafe(text: string): string {
  return safeText(text);
}

/** Only real web/mail links become `<url|text>`; anything else (`!channel`, `@U1`, `#C1`) would be Slack markup. */
function safeUrl(url: string): string | undefined {
  if (!/^(https?:\/\/|mailto:)/i.test(url)) return undefined;
  if (/[\s|<>]/.test(url)) return undefined;
  return url.replace(/&/g, '&amp;');
}

function linkText(text: string): string {
  // `|` and `>` end the label in Slack's link syntax.
  return escapeMrkdwn(text.replace(/\|/g, '¦'));
}

function plainText(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return (node.children as Nodes[]).map(plainText).join('');
  if (node.type === 'image') return node.alt ?? '';
  return '';
}

function inline(nodes: readonly Nodes[]): string {
  return nodes.map(inlineNode).join('');
}

function wrap(mark: string, inner: string): string {
  // Slack formatting cannot start or end on whitespace; keep the spaces outside the markers.
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner);
  if (!m || !m[2]) return inner;
  return `${m[1]}${mark}${m[2]}${mark}${m[3]}`;
}

function inlineNode(node: Nodes): string {
  switch (node.type) {
    case 'text':
      return escapeMrkdwn(node.value);
    case 'strong':
      return wrap('*', inline(node.children));
    case 'emphasis':
      return wrap('_', inline(node.children));
    case 'delete':
      return wrap('~', inline(node.children));
    case 'inlineCode':
      return node.value ? `\`${escapeMrkdwn(node.value.replace(/`/g, 'ˋ'))}\`` : '';
    case 'break':
      return '\n';
    case 'link': {
      const label = plainText(node);
      const url = safeUrl(node.url);
      if (!url) return linkText(label || node.url);
      return label && label !== node.url ? `<${url}|${linkText(label)}>` : `<${url}>`;
    }
    case 'image': {
      const url = safeUrl(node.url);
      const label = node.alt || node.url;
      return url ? `<${url}|${linkText(label)}>` : linkText(label);
    }
    case 'html':
      return escapeMrkdwn(node.value);
    case 'footnoteReference':
    case 'linkReference':
    case 'imageReference':
      return 'children' in node ? inline(node.children as Nodes[]) : '';
    default:
      return 'children' in node ? inline(node.children as Nodes[]) : 'value' in node ? escapeMrkdwn(String(node.value)) : '';
  }
}

/** A fenced code block; Slack ignores a language tag, so none is emitted. */
export function codeBlock(value: string): string {
  return `\`\`\`\n${escapeMrkdwn(value).replace(/```/g, 'ˋˋˋ')}\n\`\`\``;
}

function table(node: Table): string {
  const rows = node.children.map((r) => r.children.map((c) => plainText(c).replace(/\s+/g, ' ').trim()));
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  const lines = rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ').trimEnd());
  if (lines.length > 1) lines.splice(1, 0, widths.map((w) => '-'.repeat(Math.max(w, 1))).join('-+-'));
  return codeBlock(lines.join('\n'));
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l, i) => (i === 0 || l === '' ? l : by + l))
    .join('\n');
}

/** Render one block-level node. */
export function blockNode(node: RootContent | Nodes): string {
  switch (node.type) {
    case 'root':
      return node.children.map(blockNode).filter(Boolean).join('\n\n');
    case 'paragraph':
      return inline(node.children);
    case 'heading':
      return wrap('*', inline(node.children));
    case 'code':
      return codeBlock(node.value);
    case 'blockquote':
      return node.children
        .map(blockNode)
        .join('\n\n')
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n');
    case 'list': {
      const start = node.start ?? 1;
      return node.children
        .map((item, i) => {
          const marker = node.ordered ? `${start + i}. ` : '• ';
          const check = item.checked === true ? '☑ ' : item.checked === false ? '☐ ' : '';
          const body = item.children.map(blockNode).filter(Boolean).join('\n');
          return marker + check + indent(body, '    ');
        })
        .join('\n');
    }
    case 'listItem':
      return node.children.map(blockNode).join('\n');
    case 'thematicBreak':
      return '───';
    case 'table':
      return table(node);
    case 'html':
      return escapeMrkdwn(node.value);
    case 'definition':
    case 'footnoteDefinition':
    case 'yaml':
      return '';
    default:
      return inlineNode(node as Nodes);
  }
}

/** The whole tree as one mrkdwn string. */
export function toMrkdwn(root: Root): string {
  return blockNode(root);
}

/** Each top-level node rendered on its own: the units a message may be split between. */
export function topLevelChunks(root: Root): string[] {
  return root.children.map(blockNode).filter((s) => s.trim() !== '');
}

/** Plain text (no markup, entities escaped) for fallback `text` and plain_text fields. */
export function toPlain(root: Root): string {
  return root.children
    .map((n) => plainText(n))
    .filter(Boolean)
    .join('\n');
}

/*
 * User text → rich_text. mrkdwn has no escape for `*`, `_`, `~` or backticks
 * (only `&`, `<`, `>` can be escaped), so a display name like `*ADMIN*` would
 * render bold. A rich_text block carries formatting as explicit `style` flags
 * and shows the `text` of its text elements as typed: Slack documents it as the
 * block for "user-defined formatted text". So every top-level block that holds
 * user text (`data.userText`) is sent as rich_text; the bot's own formatting in
 * that block becomes styles, and the rest of the message stays mrkdwn.
 */

export interface RichStyle {
  bold?: true;
  italic?: true;
  strike?: true;
  code?: true;
}
export type RichInline = { type: 'text'; text: string; style?: RichStyle } | { type: 'link'; url: string; text?: string; style?: RichStyle };
export type RichElement =
  | { type: 'rich_text_section'; elements: RichInline[] }
  | { type: 'rich_text_quote'; elements: RichInline[] }
  | { type: 'rich_text_preformatted'; elements: RichInline[] }
  | { type: 'rich_text_list'; style: 'bullet' | 'ordered'; indent?: number; elements: { type: 'rich_text_section'; elements: RichInline[] }[] };

/** Whether a node is, or contains, text a person typed. */
export function hasUserText(node: Nodes): boolean {
  if (node.type === 'text') return node.data?.userText === true;
  return 'children' in node && (node.children as Nodes[]).some(hasUserText);
}

/** Rich text needs no entity escaping (it is not parsed), but pings and control characters are still defused. */
function richText(text: string, style: RichStyle): RichInline[] {
  const value = safeText(text);
  if (value === '') return [];
  return [Object.keys(style).length > 0 ? { type: 'text', text: value, style: { ...style } } : { type: 'text', text: value }];
}

function richInline(nodes: readonly Nodes[], style: RichStyle): RichInline[] {
  return nodes.flatMap((n) => richInlineNode(n, style));
}

function richInlineNode(node: Nodes, style: RichStyle): RichInline[] {
  switch (node.type) {
    case 'text':
      return richText(node.value, style);
    case 'strong':
      return richInline(node.children, { ...style, bold: true });
    case 'emphasis':
      return richInline(node.children, { ...style, italic: true });
    case 'delete':
      return richInline(node.children, { ...style, strike: true });
    case 'inlineCode':
      return richText(node.value, { ...style, code: true });
    case 'break':
      return richText('\n', style);
    case 'link':
    case 'image': {
      const label = safeText(node.type === 'link' ? plainText(node) : node.alt || '');
      const url = /^(https?:\/\/|mailto:)/i.test(node.url) && !/\s/.test(node.url) ? node.url : undefined;
      if (!url) return richText(label || node.url, style);
      const link: RichInline = { type: 'link', url, ...(label && label !== node.url ? { text: label } : {}) };
      return [Object.keys(style).length > 0 ? { ...link, style: { ...style } } : link];
    }
    case 'html':
      return richText(node.value, style);
    default:
      if ('children' in node) return richInline(node.children as Nodes[], style);
      return 'value' in node ? richText(String(node.value), style) : [];
  }
}

/** Adjacent text elements with the same style become one (fewer elements, same look). */
function merge(elements: RichInline[]): RichInline[] {
  const out: RichInline[] = [];
  for (const e of elements) {
    const last = out.at(-1);
    if (last && last.type === 'text' && e.type === 'text' && JSON.stringify(last.style) === JSON.stringify(e.style)) {
      out[out.length - 1] = { ...last, text: last.text + e.text };
    } else out.push(e);
  }
  return out;
}

/** Block content flattened to one run of inline elements, paragraphs separated by a blank line. */
function flatInline(nodes: readonly Nodes[], style: RichStyle = {}): RichInline[] {
  const parts = nodes.map((n) => richFlat(n, style)).filter((p) => p.length > 0);
  return parts.flatMap((p, i) => (i === 0 ? p : [...richText('\n\n', {}), ...p]));
}

function richFlat(node: Nodes, style: RichStyle): RichInline[] {
  switch (node.type) {
    case 'paragraph':
      return richInline(node.children, style);
    case 'heading':
      return richInline(node.children, { ...style, bold: true });
    case 'code':
      return richText(node.value, { ...style, code: true });
    case 'list':
      return node.children.flatMap((item, i) => [
        ...(i > 0 ? richText('\n', {}) : []),
        ...richText(node.ordered ? `${(node.start ?? 1) + i}. ` : '• ', {}),
        ...flatInline(item.children, style),
      ]);
    case 'blockquote':
    case 'listItem':
    case 'root':
      return flatInline(node.children, style);
    case 'thematicBreak':
      return richText('───', style);
    case 'table':
      return richText(node.children.map((r) => r.children.map((c) => plainText(c).trim()).join(' | ')).join('\n'), style);
    default:
      return richInlineNode(node, style);
  }
}

/** One top-level node as rich_text elements (an empty array when nothing is visible). */
export function richElements(node: RootContent): RichElement[] {
  switch (node.type) {
    case 'blockquote': {
      const elements = merge(flatInline(node.children));
      return elements.length > 0 ? [{ type: 'rich_text_quote', elements }] : [];
    }
    case 'code':
      return node.value ? [{ type: 'rich_text_preformatted', elements: [{ type: 'text', text: safeText(node.value) }] }] : [];
    case 'list':
      return richList(node, 0);
    default: {
      const elements = merge(richFlat(node as Nodes, {}));
      return elements.length > 0 ? [{ type: 'rich_text_section', elements }] : [];
    }
  }
}

const MAX_INDENT = 8;

function richList(node: Extract<RootContent, { type: 'list' }>, indent: number): RichElement[] {
  // Slack nests lists as consecutive rich_text_list elements with a growing indent;
  // an ordered list not starting at 1 keeps its numbers as text.
  const out: RichElement[] = [];
  const ordered = node.ordered === true && (node.start ?? 1) === 1;
  let items: { type: 'rich_text_section'; elements: RichInline[] }[] = [];
  const flush = (): void => {
    if (items.length > 0) out.push({ type: 'rich_text_list', style: ordered ? 'ordered' : 'bullet', ...(indent > 0 ? { indent } : {}), elements: items });
    items = [];
  };
  node.children.forEach((item, i) => {
    const nested = item.children.filter((c) => c.type === 'list');
    const own = item.children.filter((c) => c.type !== 'list');
    const number = node.ordered && !ordered ? richText(`${(node.start ?? 1) + i}. `, {}) : [];
    const check = item.checked === true ? richText('☑ ', {}) : item.checked === false ? richText('☐ ', {}) : [];
    const elements = merge([...number, ...check, ...flatInline(own)]);
    items.push({ type: 'rich_text_section', elements: elements.length > 0 ? elements : [{ type: 'text', text: ' ' }] });
    if (nested.length > 0) {
      flush();
      for (const n of nested) out.push(...richList(n, Math.min(indent + 1, MAX_INDENT)));
    }
  });
  flush();
  return out;
}
