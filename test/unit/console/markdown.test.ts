import { describe, expect, it } from 'vitest';
import { renderPlain } from '../../../src/adapters/console/markdown.ts';
import { code, codeBlock, doc, emph, fromMarkdown, heading, link, list, p, strong, userText } from '../../../src/chat/md.ts';

const plain = (md: string) => renderPlain(fromMarkdown(md), { color: false });
const ANSI = /\u001b\[/;

describe('renderPlain', () => {
  it('drops inline markers but keeps inline code recognisable', () => {
    expect(renderPlain(doc(p('a ', strong('b'), ' ', emph('c'), ' ', code('d()'))), { color: false })).toBe('a b c `d()`');
  });

  it('underlines top headings and separates blocks by a blank line', () => {
    expect(plain('# Title\n\n## Sub\n\n### Small\n\ntext')).toBe('Title\n=====\n\nSub\n---\n\nSmall\n\ntext');
  });

  it('renders bullet, ordered, nested and task lists', () => {
    expect(plain('- a\n- b\n  - c')).toBe('- a\n- b\n  - c');
    expect(plain('3. x\n4. y')).toBe('3. x\n4. y');
    expect(plain('- [x] done\n- [ ] todo')).toBe('- [x] done\n- [ ] todo');
    expect(renderPlain(doc(list(['one', 'two'], true)), { color: false })).toBe('1. one\n2. two');
  });

  it('keeps code blocks fenced with their language', () => {
    expect(renderPlain(doc(codeBlock('x := 1\ny := 2', 'go')), { color: false })).toBe('```go\nx := 1\ny := 2\n```');
  });

  it('shows links as text (url), bare URLs once', () => {
    expect(renderPlain(doc(p(link('https://go.dev', 'Go'))), { color: false })).toBe('Go (https://go.dev)');
    expect(plain('<https://go.dev>')).toBe('https://go.dev');
  });

  it('shows HTML from notes as its text and tables as aligned columns', () => {
    expect(plain('<details><summary>Answer</summary>\n\nbody\n\n</details>')).toBe('Answer\n\nbody');
    expect(plain('| a | bb |\n|---|---|\n| ccc | d |').split('\n')).toEqual(['a   | bb', '----+----', 'ccc | d']);
  });

  it('never lets user text ping or carry terminal escapes', () => {
    const out = renderPlain(doc(p(userText('@everyone \u001b[31mred <!channel>'))), { color: false });
    expect(out).not.toMatch(/@everyone|<!channel>/);
    expect(out).not.toMatch(ANSI);
    expect(out.replace(/\u200D/g, '')).toBe('@everyone red <!channel>');
  });

  it('uses ANSI styles only when colour is on', () => {
    const tree = doc(heading(2, 'Q'), p(strong('bold'), ' ', code('x')));
    expect(renderPlain(tree, { color: false })).not.toMatch(ANSI);
    const coloured = renderPlain(tree, { color: true });
    expect(coloured).toMatch(ANSI);
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe('Q\n\nbold x');
  });
});
