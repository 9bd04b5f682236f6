import type { Message } from '../chat/message.ts';
import { code, userText } from '../chat/md.ts';
import { stripControlChars } from '../chat/safety.ts';
import type { PersonRef, RateResult, RecordAnswerResult } from '../store/practice-types.ts';
import { MAX_ANSWER_CHARS } from './commands.ts';
import type { Grade } from './grading.ts';
import { say } from './messages.ts';
import type { BotServices } from './module.ts';
import { daysUntil, nextCard, parseCard, type SelfRating } from './review.ts';

/**
 * The steps every answering flow shares (/ask, daily posts, mock interviews),
 * so an interview answer is checked, graded, counted and scheduled exactly as
 * an /ask answer is.
 */

/**
 * Before grading: not over the length cap, not empty once control characters
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

/** Grades an answer and records it with the person's streak day, in one store transaction. */
export async function gradeAndRecord(args: {
  attemptId: string;
  person: PersonRef;
  /** Stored exactly as typed. */
  typed: string;
  /** What is graded (checkAnswerText's forGrading). */
  forGrading: string;
  keyPoints: readonly string[];
  s: BotServices;
}): Promise<{ grade: Grade; result: RecordAnswerResult }> {
  const { s, person } = args;
  const grade = await s.grader.grade(args.forGrading, args.keyPoints);
  const now = s.clock.now();
  const result = await s.practice.recordAnswer({
    attemptId: args.attemptId,
    personId: person.personId,
    text: args.typed,
    coverage: grade.coverage,
    coverageJson: JSON.stringify(grade.points),
    now,
    ...(await s.streakDay(person, now)),
  });
  return { grade, result };
}

/** The FSRS step after a self-rating; `next` reads "tomorrow" or "in N days". */
export async function rateAttempt(
  attemptId: string,
  personId: string,
  rating: SelfRating,
  s: BotServices,
): Promise<{ result: RateResult; next?: string; kept?: boolean }> {
  const now = s.clock.now();
  const result = await s.practice.rate({
    attemptId,
    personId,
    rating,
    now,
    schedule: (previous, attempt) => {
      // Extra practice never moves a schedule: the rating is recorded, the card stays as it was.
      if (attempt.queue === 'extra') return null;
      const card = nextCard(previous === undefined ? undefined : parseCard(previous), rating, now);
      return { card, due: card.due };
    },
  });
  if (!result.ok) return { result };
  const kept = result.attempt.queue === 'extra';
  if (result.due === null) return { result, kept };
  if (result.due.getTime() <= now.getTime()) return { result, next: 'due now', kept };
  const days = daysUntil(result.due, now);
  return { result, next: days <= 1 ? 'tomorrow' : `in ${days} days`, kept };
}

/** A typed topic resolved to the catalog's, or the polite refusal with suggestions. */
export function resolveTopicInput(input: string, s: BotServices): { ok: true; id: string; name: string } | { ok: false; message: Message } {
  const r = s.topics.resolve(input);
  if (r.ok) return r;
  const hint = r.suggestions.length > 0 ? ` Did you mean: ${r.suggestions.join(', ')}?` : '';
  return { ok: false, message: say('I don’t know the topic “', userText(input), `”.${hint} `, code('/topics'), ' lists them all.') };
}
