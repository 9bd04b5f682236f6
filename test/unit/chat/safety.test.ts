import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { neutraliseMentions, stripControlChars } from '../../../src/chat/safety.ts';

// What Discord and Slack would treat as a ping if sent verbatim.
const PING = /@(everyone|here|channel)\b|<[@#!]/i;

describe('neutraliseMentions', () => {
  const samples = [
    '@everyone',
    'hey @here look',
    'ping @Everyone now',
    '<@123456789012345678>',
    '<@!123>',
    '<@&987>',
    '<#555>',
    '<!channel>',
    '<!here>',
    '<!everyone>',
    '<@U024BE7LH>',
    '<!subteam^S012AB3CD>',
    'slack @channel please',
  ];
  it.each(samples)('makes %s inert but keeps its words', (s) => {
    const out = neutraliseMentions(s);
    expect(out).not.toMatch(PING);
    expect(out.replace(/\u200D/g, '')).toBe(s);
  });

  it('leaves e-mail addresses and ordinary angle brackets alone', () => {
    expect(neutraliseMentions('mail a@example.com if x < y')).toBe('mail a@example.com if x < y');
  });

  it('is idempotent and never leaves a ping in arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('@', '<', '>', '!', '#', '&', 'e', 'v', 'r', 'y', 'o', 'n', 'h', 'c', 'a', 'l', ' ', '1') }), (s) => {
        const once = neutraliseMentions(s);
        expect(neutraliseMentions(once)).toBe(once);
        expect(once).not.toMatch(PING);
      }),
    );
  });
});

describe('stripControlChars', () => {
  it('keeps newlines and tabs, turns CR/CRLF into newlines, drops other controls', () => {
    expect(stripControlChars('a\tb\r\nc\rd\u0007e\u001b[31mf\u0000g\u202Eh')).toBe('a\tb\nc\ndefgh');
  });
  it('drops whole terminal escape sequences, not only their ESC byte', () => {
    expect(stripControlChars('\u001b[31mRED\u001b[0m \u001b[2J \u001b]0;pwned\u0007 \u009b31mx')).toBe('RED   x');
    expect(stripControlChars('a \u001b]8;;http://e\u001b\\link\u001b]8;;\u001b\\ b')).toBe('a link b');
    expect(stripControlChars('\u001b[0m')).toBe('');
    // An unterminated OSC stops at the line end, so the rest of an answer survives.
    expect(stripControlChars('a\u001b]title\nnext line')).toBe('a\nnext line');
    // Text that merely looks like a sequence is kept.
    expect(stripControlChars('[31m and ]0; stay')).toBe('[31m and ]0; stay');
  });
  it('is idempotent on arbitrary control-heavy text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('\u001b', '\u009b', '\u009d', '\u0007', '[', ']', '\\', '0', ';', 'm', 'a', '\n') }), (s) => {
        const once = stripControlChars(s);
        expect(stripControlChars(once)).toBe(once);
        expect(once).not.toMatch(/[\u001b\u0007\u009b\u009d]/);
      }),
    );
  });
  it('keeps ordinary unicode text', () => {
    expect(stripControlChars('naïve 😀 ünïcode — ok')).toBe('naïve 😀 ünïcode — ok');
  });
});
