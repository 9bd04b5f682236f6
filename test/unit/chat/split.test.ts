import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { splitMarkdown, fencesBalanced, MIN_SPLIT_LIMIT } from '../../../src/chat/split.ts';

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
/** Content without fence lines and whitespace: what a split may not lose or reorder. */
const essence = (s: string): string =>
  s
    .split('\n')
    .filter((l) => !FENCE.test(l))
    .join('')
    .replace(/\s+/g, '');

const word = fc.stringMatching(/^[a-z0-9@<>!#*_.,-]{1,12}$/);
const line = fc.array(word, { minLength: 1, maxLength: 30 }).map((ws) => ws.join(' '));
const longLine = fc.array(fc.constantFrom('x', 'y', 'z', 'é', '😀'), { minLength: 100, maxLength: 700 }).map((a) => a.join(''));
const paragraph = fc.array(fc.oneof(line, line, longLine), { minLength: 1, maxLength: 5 }).map((ls) => ls.join('\n'));
const listBlock = fc.array(line, { minLength: 1, maxLength: 8 }).map((ls) => ls.map((l) => `- ${l}`).join('\n'));
const codeBody = fc.array(fc.oneof(line, fc.constant(''), longLine), { minLength: 0, maxLength: 25 }).map((ls) => ls.join('\n'));
const fenced = fc
  .tuple(fc.constantFrom('```', '````', '~~~'), fc.constantFrom('', 'ts', 'go', 'python', 'sql'), codeBody)
  .map(([m, lang, body]) => `${m}${lang}\n${body}${body ? '\n' : ''}${m}`);
const markdown = fc
  .array(fc.oneof(paragraph, listBlock, fenced, fenced), { minLength: 1, maxLength: 12 })
  .chain((blocks) => fc.constantFrom('\n\n', '\n', '\n\n\n').map((sep) => blocks.join(sep)));

describe('splitMarkdown', () => {
  it('keeps every part under the limit, loses nothing, and balances fences in every part', () => {
    fc.assert(
      fc.property(markdown, fc.integer({ min: 40, max: 600 }), (md, limit) => {
        const parts = splitMarkdown(md, limit);
        for (const part of parts) {
          expect(part.length).toBeLessThanOrEqual(limit);
          expect(fencesBalanced(part)).toBe(true);
        }
        expect(essence(parts.join('\n'))).toBe(essence(md));
      }),
      { numRuns: 300 },
    );
  });

  it('returns short text unchanged as one part', () => {
    expect(splitMarkdown('hello\n\nworld', 2000)).toEqual(['hello\n\nworld']);
  });

  it('cuts at a blank line between paragraphs rather than inside one', () => {
    const a = 'a'.repeat(30) + '\n' + 'b'.repeat(30);
    const b = 'c'.repeat(30) + '\n' + 'd'.repeat(30);
    const parts = splitMarkdown(`${a}\n\n${b}`, 80);
    expect(parts).toEqual([a, b]);
  });

  it('cuts at a line break when a paragraph alone is too long', () => {
    const lines = Array.from({ length: 10 }, (_, k) => `line ${k} `.padEnd(20, '.'));
    const parts = splitMarkdown(lines.join('\n'), 50);
    for (const part of parts) for (const l of part.split('\n')) expect(lines).toContain(l);
  });

  it('closes a code fence at a cut and reopens it with the same language', () => {
    const body = Array.from({ length: 40 }, (_, k) => `fmt.Println(${k})`).join('\n');
    const parts = splitMarkdown(`Intro\n\n\`\`\`go\n${body}\n\`\`\`\n\nAfter.`, 200);
    expect(parts.length).toBeGreaterThan(2);
    const inner = parts.filter((p) => p.includes('fmt.Println'));
    for (const part of inner) {
      expect(part.split('\n').some((l) => l === '```go')).toBe(true);
      expect(fencesBalanced(part)).toBe(true);
    }
    for (const part of inner.slice(0, -1)) expect(part.endsWith('\n```')).toBe(true);
    expect(parts.at(-1)).toContain('After.');
  });

  it('closes a fence the text never closed', () => {
    const parts = splitMarkdown('```ts\n' + 'let x = 1;\n'.repeat(50), 100);
    for (const part of parts) expect(fencesBalanced(part)).toBe(true);
  });

  it('hard-cuts a line longer than the limit without splitting a surrogate pair', () => {
    const s = '😀'.repeat(100);
    const parts = splitMarkdown(s, 25);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(25);
      expect(part).not.toMatch(/[\uD800-\uDBFF]$/);
    }
    expect(parts.join('')).toBe(s);
  });

  it('refuses a limit too small to hold fence bookkeeping', () => {
    expect(() => splitMarkdown('x', MIN_SPLIT_LIMIT - 1)).toThrow(RangeError);
  });
});
