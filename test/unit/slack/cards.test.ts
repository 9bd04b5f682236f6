import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { doc, p, codeBlock, fromMarkdown } from '../../../src/chat/md.ts';
import type { Action, Message } from '../../../src/chat/message.ts';
import { answerModal, decodeActionId, homeTab, parseFormMetadata, renderMessage, splitMrkdwn } from '../../../src/adapters/slack/cards.ts';
import { validateBlocks, validateView } from '../../fakes/slack/validate.ts';

type Section = { type: string; text?: { text: string } };
const sections = (m: Message) => renderMessage(m).flatMap((part) => (part.blocks as Section[]).filter((b) => b.type === 'section').map((b) => b.text!.text));
const fencesBalanced = (s: string) => (s.match(/^```$/gm) ?? []).length % 2 === 0;

describe('Block Kit rendering', () => {
  it('a short message is one section with fallback text', () => {
    const [only, ...rest] = renderMessage({ body: doc(p('Hello & welcome')) });
    expect(rest).toEqual([]);
    expect(only!.text).toBe('Hello &amp; welcome');
    expect(only!.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'Hello &amp; welcome' } }]);
  });

  it('buttons become one actions block with Slack-valid styles and action ids unique within the block', () => {
    const actions: Action[] = [
      { kind: 'button', id: 'rate', label: 'Again', value: 'a|1', style: 'danger' },
      { kind: 'button', id: 'rate', label: 'Good', value: 'a|3', style: 'success' },
      { kind: 'button', id: 'skip', label: 'x'.repeat(200), value: 'a', style: 'secondary' },
    ];
    const [part] = renderMessage({ body: doc(p('Rate it')), actions });
    expect(validateBlocks(part!.blocks, 'message')).toEqual([]);
    const buttons = (part!.blocks.at(-1) as { elements: { action_id: string; value: string }[] }).elements;
    expect(buttons.map((b) => decodeActionId(b.action_id))).toEqual(['rate', 'rate', 'skip']);
    expect(buttons.map((b) => b.value)).toEqual(['a|1', 'a|3', 'a']);
  });

  it('the reference answer follows a divider under a "Reference answer" title', () => {
    const [part] = renderMessage({ body: doc(p('Your answer')), spoiler: doc(p('The answer')) });
    expect(part!.blocks.map((b) => b.type)).toEqual(['section', 'divider', 'section', 'section']);
    expect(JSON.stringify(part!.blocks[2])).toContain('Reference answer');
    expect(JSON.stringify(part!.blocks[3])).toContain('The answer');
  });

  it('more than 50 blocks go out as several messages, with the buttons on the last', () => {
    const big = 'word '.repeat(590); // each paragraph ~2950 chars: one section each
    const message: Message = {
      body: doc(...Array.from({ length: 120 }, () => p(big))),
      actions: [{ kind: 'button', id: 'answer', label: 'Answer', value: 'q' }],
    };
    const parts = renderMessage(message);
    expect(parts.length).toBe(3);
    for (const part of parts) expect(validateBlocks(part.blocks, 'message')).toEqual([]);
    expect(parts.at(-1)!.blocks.at(-1)!.type).toBe('actions');
    expect(parts.slice(0, -1).every((part) => part.blocks.every((b) => b.type !== 'actions'))).toBe(true);
  });

  it('a code block longer than a section is split with its fence closed and reopened', () => {
    const code = Array.from({ length: 300 }, (_, i) => `fmt.Println(${i}) // <${i}>`).join('\n');
    const texts = sections({ body: doc(codeBlock(code, 'go')) });
    expect(texts.length).toBeGreaterThan(1);
    for (const t of texts) {
      expect(t.startsWith('```\n')).toBe(true);
      expect(t.endsWith('\n```')).toBe(true);
    }
    const lines = texts.flatMap((t) => t.split('\n')).filter((l) => l !== '```');
    expect(lines).toHaveLength(300);
    expect(lines[299]).toBe('fmt.Println(299) // &lt;299&gt;');
  });

  it('property: any Markdown renders within Slack limits, fences balanced, no line lost', () => {
    const line = fc.stringMatching(/^[a-z<>&*_ ]{0,120}$/);
    const block = fc.oneof(
      fc.array(line, { minLength: 1, maxLength: 40 }).map((ls) => ({ md: `\`\`\`\n${ls.join('\n')}\n\`\`\``, lines: ls })),
      fc.stringMatching(/^[a-z ]{1,5000}$/).map((t) => ({ md: t.trim() || 'x', lines: [] as string[] })),
    );
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 30 }), (blocks) => {
        const message: Message = { body: fromMarkdown(blocks.map((b) => b.md).join('\n\n')) };
        const parts = renderMessage(message);
        const all: string[] = [];
        for (const part of parts) {
          expect(validateBlocks(part.blocks, 'message')).toEqual([]);
          for (const b of part.blocks as Section[]) {
            if (b.type !== 'section') continue;
            expect(fencesBalanced(b.text!.text)).toBe(true);
            all.push(b.text!.text);
          }
        }
        const joined = all.join('\n');
        for (const b of blocks) for (const l of b.lines) {
          const escaped = l.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
          expect(joined).toContain(escaped);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('splitMrkdwn keeps short text whole and never cuts an entity', () => {
    expect(splitMrkdwn('short', 100)).toEqual(['short']);
    const long = '&amp;'.repeat(100);
    for (const piece of splitMrkdwn(long, 64)) expect(piece).toMatch(/^(&amp;)+$/);
  });

  it('the answer modal fits Slack’s modal limits and round-trips its metadata', () => {
    const view = answerModal(
      { id: 'answer', value: 'attempt-42', title: 'Answer: what is a goroutine leak?', label: 'What is a goroutine leak? '.repeat(200), placeholder: 'p'.repeat(300), maxLength: 4000 },
      { f: 'answer', v: 'attempt-42', c: 'C1', r: 'https://hooks.example/r' },
    );
    expect(validateView(view)).toEqual([]);
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(parseFormMetadata(view.private_metadata!)).toEqual({ f: 'answer', v: 'attempt-42', c: 'C1', r: 'https://hooks.example/r' });
    expect(parseFormMetadata('not json')).toBeUndefined();
  });

  it('a form value too long for private_metadata fails loudly instead of being cut', () => {
    expect(() => answerModal({ id: 'answer', value: 'v'.repeat(3100), title: 't', label: 'l', maxLength: 10 }, { f: 'answer', v: 'v'.repeat(3100) })).toThrow(/private_metadata/);
  });

  it('the Home tab stays within 100 blocks, keeping its buttons', () => {
    const view = homeTab({ body: doc(...Array.from({ length: 150 }, () => p('word '.repeat(600)))), actions: [{ kind: 'button', id: 'ask', label: 'Practise', value: 'x' }] });
    expect(validateView(view)).toEqual([]);
    expect(view.blocks.at(-1)!.type).toBe('actions');
  });
});
