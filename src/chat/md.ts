/**
 * Tiny mdast builders so core code that composes messages reads like the message.
 * `doc(heading(2, 'Question'), p('Topic: ', strong(topic)), p(userText(answer)))`.
 */
import type {
  Blockquote,
  Code,
  Emphasis,
  Heading,
  InlineCode,
  Link,
  List,
  ListItem,
  Paragraph,
  PhrasingContent,
  Root,
  RootContent,
  Strong,
  Text,
  ThematicBreak,
  BlockContent,
  DefinitionContent,
} from 'mdast';
import { fromMarkdown as parseMarkdown } from 'mdast-util-from-markdown';
import { gfm } from 'micromark-extension-gfm';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { stripControlChars } from './safety.ts';

declare module 'mdast' {
  interface TextData {
    /** Typed by a person: shown literally (escaped), never interpreted as Markdown. */
    userText?: boolean;
  }
}

/** Inline content: a phrasing node, or a plain string (becomes a text node). */
export type Inline = PhrasingContent | string;
export type Block = RootContent;
/** Falsy entries are dropped so conditional parts read inline: `cond && p('…')`. */
type Maybe<T> = T | null | undefined | false;

const PHRASING_TYPES = new Set([
  'text',
  'emphasis',
  'strong',
  'delete',
  'inlineCode',
  'break',
  'link',
  'image',
  'linkReference',
  'imageReference',
  'footnoteReference',
  'html',
]);

function isPhrasing(node: Inline | Block): node is Inline {
  return typeof node === 'string' || PHRASING_TYPES.has(node.type);
}

function inline(children: Maybe<Inline>[]): PhrasingContent[] {
  return children.filter((c): c is Inline => c !== null && c !== undefined && c !== false).map((c) => (typeof c === 'string' ? text(c) : c));
}

export function doc(...blocks: Maybe<Block | Block[]>[]): Root {
  const children: RootContent[] = [];
  for (const b of blocks) {
    if (b === null || b === undefined || b === false) continue;
    if (Array.isArray(b)) children.push(...b);
    else children.push(b);
  }
  return { type: 'root', children };
}

export function p(...children: Maybe<Inline>[]): Paragraph {
  return { type: 'paragraph', children: inline(children) };
}

/** Text the bot wrote. Renderers still escape it and neutralise mentions. */
export function text(value: string): Text {
  return { type: 'text', value };
}

/**
 * Text a person typed (answers, names, topics as typed). Never parsed as Markdown;
 * control characters are dropped here, mentions are neutralised by every renderer.
 */
export function userText(s: string): Text {
  return { type: 'text', value: stripControlChars(s), data: { userText: true } };
}

export function strong(...children: Maybe<Inline>[]): Strong {
  return { type: 'strong', children: inline(children) };
}

export function emph(...children: Maybe<Inline>[]): Emphasis {
  return { type: 'emphasis', children: inline(children) };
}

/** Inline code. */
export function code(value: string): InlineCode {
  return { type: 'inlineCode', value };
}

export function codeBlock(value: string, lang?: string): Code {
  return { type: 'code', lang: lang ?? null, meta: null, value };
}

export function heading(depth: 1 | 2 | 3 | 4 | 5 | 6, ...children: Maybe<Inline>[]): Heading {
  return { type: 'heading', depth, children: inline(children) };
}

export function link(url: string, ...children: Maybe<Inline>[]): Link {
  const kids = inline(children);
  return { type: 'link', url, title: null, children: kids.length > 0 ? kids : [text(url)] };
}

export function quote(...blocks: Maybe<Block>[]): Blockquote {
  return {
    type: 'blockquote',
    children: blocks.filter((b): b is Block => !!b) as (BlockContent | DefinitionContent)[],
  };
}

export function hr(): ThematicBreak {
  return { type: 'thematicBreak' };
}

/** One list item: a string or inline node, a block, or several (inline runs become paragraphs). */
export type ListEntry = Inline | Block | (Inline | Block)[];

function listItem(entry: ListEntry): ListItem {
  const parts = Array.isArray(entry) ? entry : [entry];
  const children: ListItem['children'] = [];
  let run: Inline[] = [];
  const flush = (): void => {
    if (run.length > 0) children.push(p(...run));
    run = [];
  };
  for (const part of parts) {
    if (isPhrasing(part)) run.push(part);
    else {
      flush();
      if (part.type === 'listItem') children.push(...part.children);
      else children.push(part as BlockContent);
    }
  }
  flush();
  return { type: 'listItem', spread: false, children };
}

export function list(items: readonly ListEntry[], ordered = false): List {
  return { type: 'list', ordered, start: ordered ? 1 : null, spread: false, children: items.map(listItem) };
}

/** Parse trusted Markdown (notes, reference answers) with GFM (tables, task lists, strikethrough, autolinks). */
export function fromMarkdown(markdown: string): Root {
  return parseMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}
