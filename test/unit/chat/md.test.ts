import { describe, expect, it } from 'vitest';
import { toMarkdown } from 'mdast-util-to-markdown';
import { code, codeBlock, doc, emph, fromMarkdown, heading, link, list, p, strong, text, userText } from '../../../src/chat/md.ts';

describe('md builders', () => {
  it('build the same tree the Markdown parser produces for the same message', () => {
    const built = doc(
      heading(2, 'What is a ', emph('goroutine'), '?'),
      p('Use ', code('go f()'), ' and ', strong('channels'), '.'),
      list(['one', ['two ', strong('bold')]]),
      list(['first', 'second'], true),
      codeBlock('x := 1', 'go'),
      p(link('https://go.dev', 'Go')),
    );
    const parsed = fromMarkdown(
      '## What is a *goroutine*?\n\nUse `go f()` and **channels**.\n\n- one\n- two **bold**\n\n1. first\n2. second\n\n```go\nx := 1\n```\n\n[Go](https://go.dev)\n',
    );
    const strip = (n: unknown): unknown =>
      JSON.parse(JSON.stringify(n, (k, v) => (k === 'position' || k === 'data' || k === 'checked' ? undefined : v)));
    expect(strip(built)).toEqual(strip(parsed));
  });

  it('drops falsy entries so optional parts read inline', () => {
    const show = false;
    expect(doc(p('a'), show && p('b'), null).children).toHaveLength(1);
    expect(p('a', show && 'b').children).toHaveLength(1);
  });

  it('userText is literal: Markdown in it is escaped when rendered, controls dropped', () => {
    const tree = doc(p(userText('**not bold** <b>x</b> [link](/x)\u0007')));
    const node = tree.children[0];
    expect(node?.type === 'paragraph' && node.children[0]?.type === 'text' && node.children[0].data?.userText).toBe(true);
    const md = toMarkdown(tree);
    const reparsed = fromMarkdown(md);
    const para = reparsed.children[0];
    expect(para?.type).toBe('paragraph');
    // Reparsing the rendered Markdown yields one plain text node: nothing became markup.
    expect(para?.type === 'paragraph' && para.children.map((c) => c.type)).toEqual(['text']);
    expect(md).not.toContain('\u0007');
  });

  it('fromMarkdown understands GFM tables and strikethrough', () => {
    const root = fromMarkdown('| a | b |\n| - | - |\n| 1 | 2 |\n\n~~old~~\n');
    expect(root.children[0]?.type).toBe('table');
    const para = root.children[1];
    expect(para?.type === 'paragraph' && para.children[0]?.type).toBe('delete');
    expect(text('x')).toEqual({ type: 'text', value: 'x' });
  });
});
