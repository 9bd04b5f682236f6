import { randomInt } from 'node:crypto';

/** No 0/O, 1/I/L: a code is read on one screen and typed on another. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const LINK_CODE_LENGTH = 6;
export const LINK_CODE_TTL_MS = 10 * 60_000;

export function generateLinkCode(random: (max: number) => number = randomInt): string {
  let code = '';
  for (let i = 0; i < LINK_CODE_LENGTH; i++) code += ALPHABET[random(ALPHABET.length)];
  return code;
}

/** Normalises what a person typed (`abc-123 ` → `ABC123`); undefined when it cannot be a code. */
export function normaliseLinkCode(input: string): string | undefined {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== LINK_CODE_LENGTH) return undefined;
  for (const ch of code) if (!ALPHABET.includes(ch)) return undefined;
  return code;
}

export function linkCodeExpiry(now: Date): Date {
  return new Date(now.getTime() + LINK_CODE_TTL_MS);
}

/**
 * Guessing a code would let someone join their account to a stranger's person,
 * so failed redemptions are limited. Per account stops one guesser; per workspace
 * stops one guesser with many accounts, and is high enough that a single
 * mistyping person never meets it. With 31^6 ≈ 887 million codes live for 10
 * minutes, 5 guesses per 15 minutes makes a hit hopeless.
 */
export const LINK_ATTEMPT_LIMIT = { windowMs: 15 * 60_000, perAccount: 5, perWorkspace: 20 } as const;
