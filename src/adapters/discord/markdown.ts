/**
 * mdast → Discord markdown. Discord speaks a CommonMark subset with its own
 * extras (`||spoilers||`, `__underline__`, `-# subtext`, `<@id>` mentions), so
 * text nodes are escaped for Discord's parser, mentions are neutralised, and
 * constructs Discord lacks (tables, rules, task lists, deep headings) become
 * their closest readable form. Pure functions: tree in, string out.
 */
import type { Nodes, Parents, PhrasingContent, Root, RootContent, Table } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { safeText, stripControlChars } from '../../chat/safety.ts';
import { splitMarkdown } from '../../chat/split.ts';
import type { Message } from '../../chat/message.ts';
import { DISCORD_LIMITS } from './types.ts';

const ZWSP = '\u200B';

/**
 * Escape characters Discord would read as formatting. Discord's parser honours a
 * backslash before any ASCII punctuation, so escaping is always safe to display.
 */
export function escapeText(s: string): string {
  return (
    safeText(s)
      .replace(/[\\*_~`|[\]]/g, '\\$&')
      // Line-start syntax: headings, subtext, quotes, list markers.
      .replace(/^(\s*)([#>+-])/gm, '$1\\$2')
      .replace(/^(\s*\d+)([.)])/gm, '$1\\$2')
  );
}

/** Code keeps its characters; only a run of three backticks, which would end the block, is broken. */
function codeBody(value: string): string {
  return stripControlChars(value).replace(/```/g, `\`${ZWSP}\`\``);
}

function codeLang(lang: string | null | undefined): string {
  return (lang ?? '').replace(/[^A-Za-z0-9_+\-.#]/g, '').slice(0, 20);
}

function inlineCode(value: string): string {
  const v = stripControlChars(value).replace(/\n/g, ' ');
  if (!v.includes('`')) return `\`${v}\``;
  // Double backticks with padding hold single backticks; runs of two or more are broken up.
  return `\`\` ${v.replace(/``+/g, (run) => run.split('').join(ZWSP))} \`\``;
}

function isHttpUrl(url: string): boolean {
  return /^https?:\/\/[^\s<>()]+$/i.test(url);
}

function renderInline(nodes: readonly PhrasingContent[]): string {
  return nodes.map(renderPhrasing).join('');
}

function renderPhrasing(node: PhrasingContent): string {
  switch (node.type) {
    case 'text':
      return escapeText(node.value);
    case 'emphasis':
      return wrap('*', renderInline(node.children));
    case 'strong':
      return wrap('**', renderInline(node.children));
    case 'delete':
      return wrap('~~', renderInline(node.children));
    case 'inlineCode':
      return inlineCode(node.value);
    case 'break':
      return '\n';
    case 'link': {
      const label = renderInline(node.children);
      if (!isHttpUrl(node.url)) return `${label} (${escapeText(node.url)})`;
      if (toString(node) === node.url) return `<${node.url}>`;
      return `[${label}](<${node.url}>)`;
    }
    case 'image':
      return isHttpUrl(node.url) ? `[${escapeText(node.alt || 'image')}](${node.url})` : escapeText(node.alt ?? '');
    case 'html':
      return escapeText(node.value);
    case 'footnoteReference':
      return escapeText(`[^${node.identifier}]`);
    default:
      return 'children' in node ? renderInline((node as Parents).children as PhrasingContent[]) : escapeText(toString(node));
  }
}

/**
 * Markers need content (`****` renders literally) and must touch it: Discord,
 * like CommonMark, does not close `*Use *`, so edge spaces move outside.
 */
function wrap(marker: string, inner: string): string {
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner)!;
  return m[2] === '' ? inner : `${m[1]}${marker}${m[2]}${marker}${m[3]}`;
}

function indent(text: string, prefix: string, first = prefix): string {
  return text
    .split('\n')
    .map((line, i) => (i === 0 ? first : line === '' ? '' : prefix) + line)
    .join('\n');
}

function renderTable(node: Table): string {
  // Discord has no tables; aligned columns in a code block stay readable.
  const rows = node.children.map((row) => row.children.map((cell) => stripControlChars(toString(cell)).replace(/\n/g, ' ')));
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  const line = (row: string[]) => row.map((c, i) => c + ' '.repeat((widths[i] ?? 0) - [...c].length)).join(' | ').trimEnd();
  const out = rows.map(line);
  if (out.length > 1) out.splice(1, 0, widths.map((w) => '-'.repeat(Math.max(1, w))).join('-+-'));
  return '```\n' + codeBody(out.join('\n')) + '\n```';
}

function renderBlock(node: RootContent, depth: number): string {
  switch (node.type) {
    case 'paragraph':
      return renderInline(node.children);
    case 'heading': {
      const inner = renderInline(node.children);
      if (inner.trim() === '') return '';
      // Discord renders #, ## and ###; deeper headings become bold lines.
      return node.depth <= 3 && depth === 0 ? `${'#'.repeat(node.depth)} ${inner}` : `**${inner}**`;
    }
    case 'code':
      return '```' + codeLang(node.lang) + '\n' + codeBody(node.value) + '\n```';
    case 'blockquote': {
      const inner = renderBlocks(node.children, depth + 1);
      // Discord has one level of quote; nested quotes flatten into it.
      return indent(inner.replace(/^> /gm, ''), '> ').replace(/^$/gm, '> ');
    }
    case 'list': {
      let n = node.start ?? 1;
      return node.children
        .map((item) => {
          const marker = node.ordered ? `${n++}. ` : '- ';
          const check = item.checked === true ? '☑ ' : item.checked === false ? '☐ ' : '';
          const body = renderBlocks(item.children, depth + 1, item.spread ? '\n\n' : '\n');
          return indent(check + body, ' '.repeat(marker.length), marker);
        })
        .join(node.spread ? '\n\n' : '\n');
    }
    case 'thematicBreak':
      return '⎯'.repeat(12);
    case 'table':
      return renderTable(node);
    case 'html':
      return escapeText(node.value);
    case 'yaml':
    case 'definition':
      return '';
    case 'footnoteDefinition':
      return `${escapeText(`[^${node.identifier}]:`)} ${renderBlocks(node.children, depth + 1)}`;
    default:
      if ('children' in node) return renderBlocks((node as Parents).children as RootContent[], depth);
      return renderPhrasing(node as PhrasingContent);
  }
}

function renderBlocks(nodes: readonly RootContent[], depth: number, sep = '\n\n'): string {
  return nodes
    .map((n) => renderBlock(n, depth))
    .filter((s) => s !== '')
    .join(sep);
}

/** Render an mdast tree as Discord markdown. */
export function toDiscordMarkdown(root: Root | Nodes): string {
  const children = root.type === 'root' ? root.children : [root as RootContent];
  return renderBlocks(children, 0).trim();
}

/**
 * Inside a spoiler, `||` in code (`a || b`) would close the spoiler early and
 * reveal the rest, so it is broken with an invisible space.
 */
function spoilerSafe(part: string): string {
  return part.replace(/\|\|/g, `|${ZWSP}|`);
}

/**
 * A whole Message as Discord message contents, each ≤ 2000 characters: the body,
 * then the spoiler section as `||…||` parts (each part wrapped separately so a
 * split never exposes it), packed greedily so short messages stay one message.
 */
export function renderMessageContents(message: Message, limit: number = DISCORD_LIMITS.messageChars): string[] {
  const pieces: string[] = [];
  const body = toDiscordMarkdown(message.body);
  if (body) pieces.push(...splitMarkdown(body, limit));
  if (message.spoiler) {
    const hidden = toDiscordMarkdown(message.spoiler);
    if (hidden) {
      // Newlines inside keep a fenced block on its own lines within the spoiler.
      for (const part of splitMarkdown(hidden, limit - 6)) pieces.push(`||\n${spoilerSafe(part)}\n||`);
    }
  }
  const out: string[] = [];
  for (const piece of pieces) {
    const last = out.at(-1);
    if (last !== undefined && last.length + 2 + piece.length <= limit) out[out.length - 1] = `${last}\n\n${piece}`;
    else out.push(piece);
  }
  return out;
}
