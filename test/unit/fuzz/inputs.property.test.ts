/**
 * Property tests over what people type, on every text path the adapters share, 10,000 generated
 * inputs each (cheap pure functions, so this stays a few seconds):
 *  - every command's options as typed on Slack and the console (`parseCommandText` / `parseArgs`):
 *    never throws, and every value it hands the core was typed (nothing invented or merged);
 *  - the answer form's text and any user text as rendered for Discord and for Slack: no output that
 *    pings (@everyone, @here, <@…>, <@&…>, <!channel>, <!here>, <!subteam^…>, broadcast/user
 *    elements) and no code block broken open by what was typed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArgs, parseCommandText } from '../../../src/chat/parse-text.ts';
import { codeBlock, doc, p, userText } from '../../../src/chat/md.ts';
import { allCommandSpecs } from '../../../src/commands.ts';
import { renderMessageContents } from '../../../src/adapters/discord/markdown.ts';
import { renderMessage } from '../../../src/adapters/slack/cards.ts';
import { pingsAnyone, pingsOf } from '../../fakes/discord/mentions.ts';

const RUNS = 10_000;
const specs = allCommandSpecs();

/** Fragments people (and attackers) type, mixed with arbitrary unicode. */
const hostile = fc.constantFrom(
  '@everyone', '@here', '<@123456789012345678>', '<@!123>', '<@&456>', '<#789>', '<!channel>', '<!here>', '<!everyone>',
  '<!subteam^S1>', '<@U0BOB>', '<https://evil.example|click>', '```', '`', '||', '**', '_', '~', '\\', '"', "'", ':', 'topic:',
  'scope:', '\u0000', '\u001b[31m', '\u202e', '\n', '\t', '  ', 'ａｓｋ', '🔥',
);
const typed = fc.array(fc.oneof(hostile, fc.string({ maxLength: 12, unit: 'grapheme' })), { maxLength: 12 }).map((parts) => parts.join(' '));

/** Every object in a Block Kit payload, depth first. */
function* objects(v: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(v)) for (const x of v) yield* objects(x);
  else if (v && typeof v === 'object') {
    yield v as Record<string, unknown>;
    for (const x of Object.values(v)) yield* objects(x);
  }
}

describe('typed command options (Slack and console parsing path)', () => {
  it(`${RUNS} lines for every command: no throw, an answer or a message, and only typed text passed on`, () => {
    fc.assert(
      fc.property(fc.constantFrom(...specs), typed, (spec, rest) => {
        const line = `/${spec.name} ${rest}`;
        const parsed = parseCommandText(specs, line);
        expect(typeof parsed.ok).toBe('boolean');
        if (!parsed.ok) {
          expect(parsed.error.length).toBeGreaterThan(0);
          return;
        }
        expect(parsed.command).toBe(spec.name);
        // Nothing stored except what was typed: every string value occurs in the line as typed, apart
        // from grouping quotes (straight or curly, as phones type them) removed and runs of spaces
        // between words joined into one.
        const norm = (t: string) => t.replace(/["“”„]/g, '').replace(/\s+/g, ' ').trim();
        for (const [name, value] of Object.entries(parsed.options)) {
          if (name === 'subcommand' || typeof value !== 'string') continue;
          expect(norm(line)).toContain(norm(value));
        }
        // The same text after the name (Slack delivers the name separately) parses the same way.
        expect(parseArgs(spec, line.slice(spec.name.length + 2).trim())).toEqual(parsed);
      }),
      { numRuns: RUNS },
    );
  });

  it(`${RUNS} answers typed after /answer arrive exactly as typed (trimmed)`, () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 300, unit: 'grapheme' }).filter((s) => s.trim() !== '' && !/^\s*text:/i.test(s)), (answer) => {
        const parsed = parseCommandText(specs, `/answer ${answer}`);
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(String(parsed.options.text ?? Object.values(parsed.options)[0]).trim()).toBe(answer.trim());
      }),
      { numRuns: RUNS },
    );
  });
});

describe('what people typed, as the bot shows it', () => {
  const withCode = (s: string) => ({ body: doc(p('You wrote: ', userText(s)), codeBlock('mu.Lock()\ndefer mu.Unlock()', 'go')) });

  it(`Discord: ${RUNS} texts render with no ping even without allowed_mentions, and fences stay balanced`, () => {
    fc.assert(
      fc.property(typed, (s) => {
        for (const part of renderMessageContents(withCode(s))) {
          expect(pingsAnyone(pingsOf(part, undefined))).toBe(false);
          expect((part.match(/```/g) ?? []).length % 2).toBe(0);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it(`Slack: ${RUNS} texts render with no mention syntax and no mention elements`, () => {
    fc.assert(
      fc.property(typed, (s) => {
        for (const payload of renderMessage(withCode(s))) {
          // Text Slack parses (the notification fallback, mrkdwn objects) holds no live syntax at all;
          // rich_text text elements are shown literally, and still carry no mention syntax.
          expect(payload.text).not.toMatch(/<[!@#]|<https?:/);
          for (const o of objects(payload.blocks)) {
            expect(['broadcast', 'user', 'usergroup', 'channel']).not.toContain(o.type);
            if (o.type === 'mrkdwn') expect(String(o.text)).not.toMatch(/<[!@#]|<https?:/);
            if (o.type === 'text' && typeof o.text === 'string') expect(o.text).not.toMatch(/<[!@#]/);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});
