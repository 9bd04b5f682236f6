import type { Message } from '../chat/message.ts';
import { stripControlChars } from '../chat/safety.ts';
import { MAX_ANSWER_CHARS } from './commands.ts';
import { say } from './messages.ts';

/**
 * What every answer path (the /ask form, /answer, interview answers) checks
 * before grading: not over the length cap, not empty once control characters
 * are gone. The refusal says what to do next; nothing is saved.
 */
export function checkAnswerText(typed: string): { ok: true; forGrading: string } | { ok: false; message: Message } {
  if (typed.length > MAX_ANSWER_CHARS) {
    return {
      ok: false,
      message: say(
        `Your answer is ${typed.length} characters; the limit is ${MAX_ANSWER_CHARS}. Shorten it and send it again; the question is still open.`,
      ),
    };
  }
  const forGrading = stripControlChars(typed).trim();
  if (forGrading === '') {
    return {
      ok: false,
      message: say(
        'Your answer is empty, so nothing was saved. Write what you would say in the interview, or press Give up to see the reference.',
      ),
    };
  }
  return { ok: true, forGrading };
}
