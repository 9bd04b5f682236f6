import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Root } from 'mdast';
import { doc, p, text, userText, strong, emph, code, codeBlock, heading, link, quote, hr, list, fromMarkdown } from '../../../src/chat/md.ts';
import { fencesBalanced } from '../../../src/chat/split.ts';
import { toDiscordMarkdown, renderMessageContents, escapeText } from '../../../src/adapters/discord/markdown.ts';
import { pingsOf, pingsAnyone } from '../../fakes/discord/mentions.ts';

/** Strip Discord's backslash escapes the way its parser does, to read what a user sees. */
const shown = (s: string) => s.replace(/\\([^0-9A-Za-z\s])/g, '$1');

describe('Discord markdown rendering', () => {
  it('keeps a code block and its language, with the code untouched', () => {
    const src = 'func main() {\n\tch := make(chan int, 1) // *not* markdown\n}';
    const out = toDiscordMarkdown(doc(codeBlock(src, 'go')));
    expect(out).toBe('```go\n' + src + '\n```');
  });

  it('breaks a ``` run inside code so the block cannot end early', () => {
    const out = toDiscordMarkdown(doc(codeBlock('a\n```\nb', 'md')));
    expect(out.match(/```/g)?.length).toBe(2);
  });

  it('neutralises every mention form in user text: no pings even without allowed_mentions', () => {
    const attack = '@everyone @here <@123456789012345678> <@!123456789012345678> <@&223456789012345678> hi';
    const out = toDiscordMarkdown(doc(p(userText(attack))));
    expect(pingsAnyone(pingsOf(out, undefined))).toBe(false);
    // Still readable: the words remain.
    expect(shown(out).replace(/\u200D/g, '')).toContain('@everyone');
  });

  it('escapes formatting characters in text so user text shows literally', () => {
    const out = toDiscordMarkdown(doc(p(userText('*not bold* __u__ ~~s~~ ||spoil|| `tick` [x](https://evil.example)'))));
    expect(out).not.toMatch(/(^|[^\\])\*not/);
    expect(out).not.toMatch(/(^|[^\\])\|\|/);
    expect(out).not.toMatch(/(^|[^\\])\[x\]/);
    expect(shown(out)).toBe('*not bold* __u__ ~~s~~ ||spoil|| `tick` [x](https://evil.example)');
  });

  it('escapes line-start syntax (headings, subtext, quotes, lists)', () => {
    const out = toDiscordMarkdown(doc(p(text('# big\n-# small\n> quote\n- item\n1. one'))));
    for (const line of out.split('\n')) expect(line).not.toMatch(/^(#|-#|>|- |\d+\. )/);
    expect(shown(out)).toBe('# big\n-# small\n> quote\n- item\n1. one');
  });

  it('renders strong, emphasis, inline code and links', () => {
    const out = toDiscordMarkdown(doc(p(strong('Topic'), ': ', emph('concurrency'), ' use ', code('sync.Mutex'), ' see ', link('https://go.dev/doc', 'docs'))));
    expect(out).toBe('**Topic**: *concurrency* use `sync.Mutex` see [docs](<https://go.dev/doc>)');
  });

  it('keeps emphasis markers touching their text so Discord renders them', () => {
    const out = toDiscordMarkdown(doc(p(emph('Use '), code('/ask'), emph(' for more.'), strong(' x '))));
    expect(out).toBe('*Use* `/ask` *for more.* **x**');
  });

  it('inline code holding backticks stays one code span', () => {
    const out = toDiscordMarkdown(doc(p(code('a`b'))));
    expect(out.startsWith('`` ') && out.endsWith(' ``')).toBe(true);
  });

  it('turns headings deeper than 3 into bold, tables into an aligned code block, rules into a line', () => {
    const tree = fromMarkdown('#### Deep\n\n| a | bb |\n|---|---|\n| 1 | 2 |\n\n---\n');
    const out = toDiscordMarkdown(tree);
    expect(out).toContain('**Deep**');
    expect(out).not.toContain('####');
    expect(out).toMatch(/```\na +\| bb\n-+-\+-+\n1 +\| 2\n```/);
    expect(out).not.toMatch(/^---$/m);
  });

  it('renders lists, nested lists, task items and quotes', () => {
    const tree = fromMarkdown('- [x] covered point\n- [ ] missed point\n\n1. first\n   - nested\n2. second\n\n> quoted\n> more');
    const out = toDiscordMarkdown(tree);
    expect(out).toContain('- ☑ covered point');
    expect(out).toContain('- ☐ missed point');
    expect(out).toMatch(/1\. first\n +- nested\n2\. second/);
    expect(out).toMatch(/> quoted\n> more/);
  });

  it('uses only # ## ### headings at top level and quotes with "> "', () => {
    const out = toDiscordMarkdown(doc(heading(2, 'Question'), quote(p('said')), hr(), list(['a', 'b'])));
    expect(out.split('\n\n')).toEqual(['## Question', '> said', expect.stringMatching(/^⎯+$/), '- a\n- b']);
  });
});

describe('whole messages: spoilers and splitting', () => {
  const body: Root = doc(p('Reference answer below.'));

  it('wraps the spoiler section in ||…|| and leaves the body visible', () => {
    const [only, ...rest] = renderMessageContents({ body, spoiler: doc(p('the secret answer')) });
    expect(rest).toEqual([]);
    expect(only!.startsWith('Reference answer below.')).toBe(true);
    const spoilerStart = only!.indexOf('||');
    expect(spoilerStart).toBeGreaterThan(0);
    expect(only!.slice(spoilerStart)).toMatch(/^\|\|\n[\s\S]*the secret answer[\s\S]*\n\|\|$/);
  });

  it('code with || inside a spoiler cannot end the spoiler early', () => {
    const [out] = renderMessageContents({ body: doc(), spoiler: doc(codeBlock('if (a || b) {}', 'js')) });
    expect(out!.match(/\|\|/g)?.length).toBe(2);
  });

  it('splits long content into parts ≤ 2000 with balanced fences; spoiler parts each wrapped', () => {
    const longCode = Array.from({ length: 120 }, (_, i) => `line ${i}: x := compute(${i}) // padding padding`).join('\n');
    const longText = Array.from({ length: 40 }, (_, i) => `Paragraph ${i} with some words to fill the space.`).join('\n\n');
    const parts = renderMessageContents({ body: doc(p(longText), codeBlock(longCode, 'go')), spoiler: doc(codeBlock(longCode, 'go')) });
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) {
      expect([...part].length).toBeLessThanOrEqual(2000);
      const inner = part.startsWith('||') ? part.slice(3, -3) : part;
      expect(fencesBalanced(inner)).toBe(true);
    }
    const spoilerParts = parts.filter((x) => x.includes('||'));
    expect(spoilerParts.length).toBeGreaterThan(1);
    for (const sp of spoilerParts) expect(sp.endsWith('\n||')).toBe(true);
    // Every code line survives the split, in order, with the language reopened in each code part.
    const all = parts.join('\n');
    expect(all.match(/line 119:/g)?.length).toBe(2);
    for (const part of parts.filter((x) => x.includes('line '))) expect(part).toMatch(/```go\n/);
  });

  it('property: any user text renders without pings and every part fits', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 5000 }), fc.string({ maxLength: 300 }), (a, b) => {
        const parts = renderMessageContents({ body: doc(p(userText(a))), spoiler: doc(p(userText(b))) });
        for (const part of parts) {
          expect(part.length).toBeLessThanOrEqual(2000);
          expect(pingsAnyone(pingsOf(part, undefined))).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('escapeText is idempotent on safe text without specials', () => {
    expect(escapeText('plain words 123')).toBe('plain words 123');
  });
});
