import { describe, expect, it } from 'vitest';
import { generateLinkCode, linkCodeExpiry, normaliseLinkCode } from '../../../src/core/link-codes.ts';

describe('link codes', () => {
  it('are 6 characters that survive normalisation', () => {
    for (let i = 0; i < 50; i++) {
      const code = generateLinkCode();
      expect(code).toMatch(/^[A-Z2-9]{6}$/);
      expect(normaliseLinkCode(code.toLowerCase())).toBe(code);
    }
  });

  it('accept spaces and dashes as typed, refuse other lengths and ambiguous letters', () => {
    expect(normaliseLinkCode(' abc-def ')).toBe('ABCDEF');
    expect(normaliseLinkCode('ABCDE')).toBeUndefined();
    expect(normaliseLinkCode('ABCDE0')).toBeUndefined();
  });

  it('expire 10 minutes after issue', () => {
    const now = new Date('2025-01-01T10:00:00Z');
    expect(linkCodeExpiry(now).toISOString()).toBe('2025-01-01T10:10:00.000Z');
  });
});
