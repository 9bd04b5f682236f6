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
