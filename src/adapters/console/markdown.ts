/**
 * mdast → plain terminal text. Colours (ANSI) only when asked; no Markdown markers
 * survive except code fences and inline backticks, which still help on a plain terminal.
 */
import type { ListItem, Nodes, Root, Table } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { safeText, stripControlChars } from '../../chat/safety.ts';

export interface PlainOptions {
  color: boolean;
}

const ESC = '\u001b[';
const STYLE = {
  bold: ['1', '22'],
  italic: ['3', '23'],
  underline: ['4', '24'],
  strike: ['9', '29'],
  dim: ['2', '22'],
  cyan: ['36', '39'],
} as const;

export type Style = keyof typeof STYLE;

export function paint(s: string, style: Style, color: boolean): string {
  if (!color || s === '') return s;
  const [on, off] = STYLE[style];
  return `${ESC}${on}m${s}${ESC}${off}m`;
}

function indent(s: string, first: string, rest: string): string {
  return s
    .split('\n')
    .map((l, k) => (k === 0 ? first : l === '' ? '' : rest) + l)
    .join('\n');
}

function table(node: Table, o: PlainOptions): string {
  const rows = node.children.map((row) => row.children.map((cell) => inlines(cell.children, o)));
  const plainWidth = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '').length;
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, k) => (widths[k] = Math.max(widths[k] ?? 0, plainWidth(c))));
  const line = (r: string[]) => r.map((c, k) => c + ' '.repeat((widths[k] ?? 0) - plainWidth(c))).join(' | ').trimEnd();
  const out = rows.map(line);
  if (out.length > 1) out.splice(1, 0, widths.map((w) => '-'.repeat(Math.max(3, w))).join('-+-'));
  return out.join('\n');
}

function inlines(nodes: readonly Nodes[], o: PlainOptions): string {
  return nodes.map((n) => node(n, o)).join('');
}

function listItem(item: ListItem, marker: string, o: PlainOptions): string {
  const check = item.checked === true ? '[x] ' : item.checked === false ? '[ ] ' : '';
  const body = item.children.map((c) => node(c, o)).join(item.spread ? '\n\n' : '\n');
  return indent(check + body, marker, ' '.repeat(marker.length));
}

function node(n: Nodes, o: PlainOptions): string {
  switch (n.type) {
    case 'root':
      return blocks(n.children, o);
    case 'paragraph':
      return inlines(n.children, o);
    case 'heading': {
      const t = inlines(n.children, o);
      if (o.color) return paint(t, 'bold', true);
      // Setext-style underlines read as headings on any terminal.
      const w = t.length;
      return n.depth === 1 ? `${t}\n${'='.repeat(w)}` : n.depth === 2 ? `${t}\n${'-'.repeat(w)}` : t;
    }
    case 'text':
      return safeText(n.value);
    case 'strong':
      return paint(inlines(n.children, o), 'bold', o.color);
    case 'emphasis':
      return paint(inlines(n.children, o), 'italic', o.color);
    case 'delete':
      return o.color ? paint(inlines(n.children, o), 'strike', true) : `~${inlines(n.children, o)}~`;
    case 'inlineCode': {
      const v = stripControlChars(n.value);
      return o.color ? paint(v, 'cyan', true) : `\`${v}\``;
    }
    case 'code': {
      const fence = n.value.includes('```') ? '~~~' : '```';
      const open = paint(fence + (n.lang ?? ''), 'dim', o.color);
      const close = paint(fence, 'dim', o.color);
      return `${open}\n${stripControlChars(n.value)}\n${close}`;
    }
    case 'break':
      return '\n';
    case 'link': {
      const label = inlines(n.children, o);
      const plain = toString(n);
      const url = safeText(n.url);
      return plain === n.url || plain === '' ? paint(url, 'underline', o.color) : `${label} (${paint(url, 'underline', o.color)})`;
    }
    case 'image':
      return `[image: ${safeText(n.alt ?? '')}] (${safeText(n.url)})`;
    case 'linkReference':
    case 'imageReference':
      return inlines('children' in n ? n.children : [], o);
    case 'list': {
      const start = n.start ?? 1;
      const width = String(start + n.children.length - 1).length;
      return n.children
        .map((item, k) => listItem(item, n.ordered ? `${String(start + k).padStart(width)}. ` : '- ', o))
        .join(n.spread ? '\n\n' : '\n');
    }
    case 'listItem':
      return listItem(n, '- ', o);
    case 'blockquote':
      return indent(blocks(n.children, o), '> ', '> ');
    case 'thematicBreak':
      return '----';
    case 'html':
      // Notes carry <details>/<summary> and the like; show their text, never the tags.
      return safeText(n.value.replace(/<[^>]*>/g, '')).trim();
    case 'table':
      return table(n, o);
    case 'definition':
    case 'footnoteDefinition':
    case 'yaml':
      return '';
    default:
      return safeText(toString(n));
  }
}

function blocks(nodes: readonly Nodes[], o: PlainOptions): string {
  return nodes
    .map((n) => node(n, o))
    .filter((s) => s !== '')
    .join('\n\n');
}

/** Render a message body for a terminal. */
export function renderPlain(root: Root, opts: PlainOptions): string {
  return node(root, opts);
}
