import { describe, expect, it } from 'vitest';
import { fromMarkdown, doc, p, userText, link } from '../../../src/chat/md.ts';
import { escapeMrkdwn, toMrkdwn } from '../../../src/adapters/slack/markdown.ts';

const mrkdwn = (md: string) => toMrkdwn(fromMarkdown(md));

describe('mdast → Slack mrkdwn', () => {
  it('uses Slack’s single-character emphasis markers', () => {
    expect(mrkdwn('**bold** and *italic* and ~~gone~~')).toBe('*bold* and _italic_ and ~gone~');
  });

  it('keeps spaces outside the markers (Slack ignores "* bold*")', () => {
    expect(toMrkdwn(doc(p('a', { type: 'strong', children: [{ type: 'text', value: ' x ' }] }, 'b')))).toBe('a *x* b');
  });

  it('escapes &, < and > in text, inline code and code blocks', () => {
    expect(mrkdwn('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
    expect(mrkdwn('`x<y`')).toBe('`x&lt;y`');
    expect(mrkdwn('```go\nif a < b {}\n```')).toBe('```\nif a &lt; b {}\n```');
  });

  it('renders links as <url|text> and bare URLs as <url>', () => {
    expect(mrkdwn('[the docs](https://example.com/a?b=1&c=2)')).toBe('<https://example.com/a?b=1&amp;c=2|the docs>');
    expect(mrkdwn('<https://example.com>')).toBe('<https://example.com>');
    expect(mrkdwn('[a|b](https://example.com)')).toBe('<https://example.com|a¦b>');
  });

  it('never turns a link target into Slack markup (!channel, @user, #channel, javascript:)', () => {
    for (const url of ['!channel', '!here', '@U123', '#C123', 'javascript:alert(1)']) {
      const out = toMrkdwn(doc(p(link(url, 'click'))));
      expect(out).toBe('click');
    }
  });

  it('makes every mention form inert', () => {
    const out = toMrkdwn(doc(p(userText('<!channel> <!here> <@U1> <#C1> <!subteam^S1> @here @channel @everyone'))));
    expect(out).not.toMatch(/<[!@#]/);
    expect(out).not.toMatch(/@(here|channel|everyone)\b/);
    expect(escapeMrkdwn('@here')).not.toBe('@here');
  });

  it('renders headings as bold lines, lists with bullets and numbers, quotes with >', () => {
    expect(mrkdwn('## Why?')).toBe('*Why?*');
    expect(mrkdwn('- one\n- two\n  - nested')).toBe('• one\n• two\n    • nested');
    expect(mrkdwn('3. c\n4. d')).toBe('3. c\n4. d');
    expect(mrkdwn('> quoted\n> text')).toBe('> quoted\n> text');
  });

  it('renders tables as aligned monospace text', () => {
    expect(mrkdwn('| a | bb |\n|---|---|\n| ccc | d |')).toBe('```\na   | bb\n----+---\nccc | d\n```');
  });

  it('separates blocks with a blank line', () => {
    expect(mrkdwn('first\n\nsecond')).toBe('first\n\nsecond');
  });
});
