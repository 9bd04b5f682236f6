import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { doc, emph, heading, list, p, quote, strong, text, userText, code, link } from '../../../src/chat/md.ts';
import type { Message } from '../../../src/chat/message.ts';
import { homeTab, renderMessage } from '../../../src/adapters/slack/cards.ts';
import { validateBlocks, validateView } from '../../fakes/slack/validate.ts';
import { FakeSlack, richTextString } from '../../fakes/slack/index.ts';
import { stripControlChars, ZWJ } from '../../../src/chat/safety.ts';

type Json = Record<string, unknown>;
type Inline = { type: string; text?: string; url?: string; style?: Record<string, boolean> };
type RichEl = { type: string; elements: (Inline | { type: string; elements: Inline[] })[] };

const blocksOf = (m: Message) => renderMessage(m).flatMap((part) => part.blocks as unknown as Json[]);
const sectionsText = (blocks: Json[]) => blocks.filter((b) => b.type === 'section').map((b) => (b.text as { text: string }).text);
const richOf = (blocks: Json[]) => blocks.filter((b) => b.type === 'rich_text') as unknown as { elements: RichEl[] }[];
/** Every inline element of every rich_text block, in order. */
const inlines = (blocks: Json[]): Inline[] =>
  richOf(blocks).flatMap((b) =>
    b.elements.flatMap((e) => (e.type === 'rich_text_list' ? (e.elements as { elements: Inline[] }[]).flatMap((i) => i.elements) : (e.elements as Inline[]))),
  );
const MARKUP = '*x* _y_ ~z~ `c`';

describe('user text on Slack is shown as typed', () => {
  it('mrkdwn marks typed by a person go out as an unstyled rich_text element, not as mrkdwn', () => {
    const blocks = blocksOf({ body: doc(p(userText(MARKUP))) });
    expect(validateBlocks(blocks, 'message')).toEqual([]);
    expect(sectionsText(blocks).join('')).not.toContain('*x*');
    expect(inlines(blocks)).toEqual([{ type: 'text', text: MARKUP }]);
  });

  it('a display name like *ADMIN* keeps its asterisks while the bot’s own bold, italics and code become styles', () => {
    const blocks = blocksOf({ body: doc(p(strong('Leader: '), userText('*ADMIN*'), text(' answered. '), emph('Nice'), ' ', code('/ask'))) });
    expect(validateBlocks(blocks, 'message')).toEqual([]);
    expect(inlines(blocks)).toEqual([
      { type: 'text', text: 'Leader: ', style: { bold: true } },
      { type: 'text', text: '*ADMIN* answered. ' },
      { type: 'text', text: 'Nice', style: { italic: true } },
      { type: 'text', text: ' ' },
      { type: 'text', text: '/ask', style: { code: true } },
    ]);
  });

  it('blocks without user text stay mrkdwn sections with Slack formatting', () => {
    const blocks = blocksOf({ body: doc(p(strong('Your answer')), quote(p(userText(MARKUP))), p(emph('Rate it'), ' ', link('https://example.com', 'docs'))) });
    expect(validateBlocks(blocks, 'message')).toEqual([]);
    expect(blocks.map((b) => b.type)).toEqual(['section', 'rich_text', 'section']);
    expect(sectionsText(blocks)).toEqual(['*Your answer*', '_Rate it_ <https://example.com|docs>']);
    // The typed answer is a quote Slack draws itself, with the asterisks intact.
    expect(richOf(blocks)[0]!.elements).toEqual([{ type: 'rich_text_quote', elements: [{ type: 'text', text: MARKUP }] }]);
    expect(FakeSlack.render({ text: '', blocks })).toContain(`> ${MARKUP}`);
  });

  it('mentions typed by a person stay inert in rich_text too', () => {
    const typed = '<!channel> <!here> <@U1> <#C1> <!subteam^S1> @here @channel @everyone';
    const blocks = blocksOf({ body: doc(p(userText(typed), ' answered')) });
    expect(validateBlocks(blocks, 'message')).toEqual([]);
    const shown = richTextString(blocks[0]!);
    expect(shown).not.toMatch(/<[!@#]/);
    expect(shown).not.toMatch(/@(here|channel|everyone)\b/);
    // Only invisible joiners were added: the reader sees what was typed.
    expect(shown.replaceAll(ZWJ, '')).toBe(`${typed} answered`);
    // Plain text and links only: never a broadcast/user/usergroup element.
    expect(inlines(blocks).every((e) => e.type === 'text')).toBe(true);
  });

  it('a leaderboard-style list and a heading with user names render as valid rich_text', () => {
    const blocks = blocksOf({
      body: doc(heading(2, 'Board for ', userText('_team_')), list([[userText('*a*'), ' · 3'], [userText('b'), ' · 1']], true)),
    });
    expect(validateBlocks(blocks, 'message')).toEqual([]);
    expect(FakeSlack.render({ text: '', blocks })).toBe('Board for _team_\n1. *a* · 3\n2. b · 1');
    // The heading's bold is the bot's; the name inside it is bold but keeps its underscores.
    expect(inlines(blocks)[0]).toEqual({ type: 'text', text: 'Board for _team_', style: { bold: true } });
  });

  it('only http(s)/mailto links become link elements inside user-text blocks', () => {
    const blocks = blocksOf({ body: doc(p(userText('x'), link('https://example.com/a?b=1&c=2', 'docs'), link('!channel', 'click'))) });
    expect(validateBlocks(blocks, 'message')).toEqual([]);
    expect(inlines(blocks)).toEqual([
      { type: 'text', text: 'x' },
      { type: 'link', url: 'https://example.com/a?b=1&c=2', text: 'docs' },
      { type: 'text', text: 'click' },
    ]);
  });

  it('long user text is split over several rich_text blocks of at most 3,000 characters, nothing lost, order kept', () => {
    const long = Array.from({ length: 400 }, (_, i) => `line ${i} *not bold* & <tag>`).join('\n');
    const blocks = blocksOf({ body: doc(p('before'), quote(p(userText(long))), p('after')) });
    expect(validateBlocks(blocks, 'message')).toEqual([]);
    const rich = richOf(blocks);
    expect(rich.length).toBeGreaterThan(2);
    for (const b of rich) expect(inlines([b as unknown as Json]).reduce((n, e) => n + [...(e.text ?? '')].length, 0)).toBeLessThanOrEqual(3000);
    expect(inlines(blocks).map((e) => e.text).join('')).toBe(long);
    expect(blocks[0]).toMatchObject({ type: 'section' });
    expect(blocks.at(-1)).toMatchObject({ type: 'section', text: { text: 'after' } });
  });

  it('user text works on the Home tab and passes the view limits', () => {
    expect(validateView(homeTab({ body: doc(p('Hi ', userText('*me*'))) }))).toEqual([]);
  });

  it('any typed text renders valid, un-styled, as typed (apart from invisible joiners and dropped control characters)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 7000, unit: 'grapheme' }), (typed) => {
        const blocks = blocksOf({ body: doc(p(userText(typed))) });
        expect(validateBlocks(blocks, 'message')).toEqual([]);
        const els = inlines(blocks);
        expect(els.every((e) => e.style === undefined)).toBe(true);
        expect(els.map((e) => e.text).join('').replaceAll(ZWJ, '')).toBe(stripControlChars(typed).replaceAll(ZWJ, ''));
        for (const s of blocks.map((b) => richTextString(b))) expect(s).not.toMatch(/<[!@#]/);
      }),
      { numRuns: 150 },
    );
  });
});

describe('the fake rejects rich_text that Slack would', () => {
  const rich = (elements: unknown) => [{ type: 'rich_text', elements }];
  const section = (elements: unknown) => rich([{ type: 'rich_text_section', elements }]);

  it('accepts the shapes the adapter sends', () => {
    expect(
      validateBlocks(
        rich([
          { type: 'rich_text_section', elements: [{ type: 'text', text: 'a', style: { bold: true } }, { type: 'link', url: 'https://x.y' }] },
          { type: 'rich_text_quote', elements: [{ type: 'text', text: 'q' }] },
          { type: 'rich_text_preformatted', elements: [{ type: 'text', text: 'code' }] },
          { type: 'rich_text_list', style: 'ordered', indent: 1, elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'i' }] }] },
        ]),
        'message',
      ),
    ).toEqual([]);
  });

  it.each([
    ['an empty block', rich([])],
    ['an empty section', section([])],
    ['an empty text', section([{ type: 'text', text: '' }])],
    ['a text without text', section([{ type: 'text' }])],
    ['an unknown element', section([{ type: 'mrkdwn', text: 'x' }])],
    ['an unknown style', section([{ type: 'text', text: 'x', style: { blink: true } }])],
    ['a non-boolean style', section([{ type: 'text', text: 'x', style: { bold: 'yes' } }])],
    ['a link without url', section([{ type: 'link', text: 'x' }])],
    ['a list without style', rich([{ type: 'rich_text_list', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'i' }] }] }])],
    ['a list item that is not a section', rich([{ type: 'rich_text_list', style: 'bullet', elements: [{ type: 'text', text: 'i' }] }])],
    ['an indent above 8', rich([{ type: 'rich_text_list', style: 'bullet', indent: 9, elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'i' }] }] }])],
    ['an unknown sub-element', rich([{ type: 'rich_text_paragraph', elements: [{ type: 'text', text: 'x' }] }])],
    ['more than 3,000 characters', section([{ type: 'text', text: 'x'.repeat(3001) }])],
  ])('rejects %s', (_what, blocks) => {
    expect(validateBlocks(blocks, 'message')).not.toEqual([]);
  });

  it('shows pings inside rich_text as Slack markup, so mention checks catch them', () => {
    const blocks = section([{ type: 'broadcast', range: 'channel' }, { type: 'user', user_id: 'U1' }]);
    expect(richTextString(blocks[0] as Json)).toBe('<!channel><@U1>');
  });
});
