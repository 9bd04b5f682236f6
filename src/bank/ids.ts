import { createHash } from 'node:crypto';

/**
 * Stable question id: the same file and normalised question text always give the
 * same id, so a re-import keeps the progress attached to it. 12 hex chars (48 bits)
 * keep ids short enough to type in `prepbot bank show ID` while collisions stay
 * negligible for any realistic bank; the store still checks and re-derives on a clash.
 */
export function questionId(file: string, normKey: string, attempt = 0): string {
  const input = attempt === 0 ? `${file}\n${normKey}` : `${file}\n${normKey}\n${attempt}`;
  return createHash('sha256').update(input, 'utf8').digest('hex').slice(0, 12);
}

/**
 * Hash of what a question says, independent of its heading, so a renamed heading
 * with an unchanged answer is recognised as the same question. Whitespace runs are
 * collapsed so re-wrapping a paragraph does not count as a new body.
 */
export function bodyHash(answer: string, promptDetail: string): string {
  const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(`${squash(promptDetail)}\n${squash(answer)}`, 'utf8').digest('hex').slice(0, 16);
}
