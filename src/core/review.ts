import { createEmptyCard, fsrs, Rating, State, type Card, type Grade } from 'ts-fsrs';
import { z } from 'zod';

/** The self-ratings a person gives after seeing the reference answer. */
export const RATINGS = ['again', 'hard', 'good', 'easy'] as const;
export type SelfRating = (typeof RATINGS)[number];

export const RATING_LABELS: Record<SelfRating, string> = { again: 'Again', hard: 'Hard', good: 'Good', easy: 'Easy' };

const GRADES: Record<SelfRating, Grade> = {
  again: Rating.Again,
  hard: Rating.Hard,
  good: Rating.Good,
  easy: Rating.Easy,
};

export function isSelfRating(value: string): value is SelfRating {
  return (RATINGS as readonly string[]).includes(value);
}

// Chat practice happens at most a few times a day, so minute-scale learning steps would
// schedule reviews nobody is around for; every interval is whole days. No fuzz: the same
// history always gives the same schedule, which keeps tests and support questions simple.
const scheduler = fsrs({ enable_fuzz: false, enable_short_term: false });

/**
 * The next card state after a rating: a pure function of (card, rating, now).
 * `undefined` means the person has never reviewed this question.
 */
export function nextCard(card: Card | undefined, rating: SelfRating, now: Date): Card {
  return scheduler.next(card ?? createEmptyCard(now), now, GRADES[rating]).card;
}

const isoDate = z.union([z.string(), z.number(), z.date()]).pipe(z.coerce.date());

/** Stored card JSON is read back through this schema so a corrupt row is noticed, not trusted. */
export const cardSchema = z.object({
  due: isoDate,
  stability: z.number().finite().nonnegative(),
  difficulty: z.number().finite(),
  elapsed_days: z.number().finite(),
  scheduled_days: z.number().finite(),
  learning_steps: z.number().int().nonnegative().default(0),
  reps: z.number().int().nonnegative(),
  lapses: z.number().int().nonnegative(),
  state: z.nativeEnum(State),
  last_review: isoDate.optional().nullable(),
});

/** Parses stored card JSON; returns undefined (treat as never reviewed) when it is unusable. */
export function parseCard(json: unknown): Card | undefined {
  const parsed = cardSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { last_review, ...rest } = parsed.data;
  return last_review ? { ...rest, last_review } : rest;
}

/**
 * "Every review, however far out": stored instants compare as ISO strings, so
 * this must be a plain four-digit-year instant. `new Date(8.64e15)` prints as
 * "+275760-…", which sorts before every real date and matched nothing.
 */
export const END_OF_TIME = new Date('9999-12-31T23:59:59.999Z');

/** Whole days from `now` until `due`, rounded to the nearest day and never below 0. */
export function daysUntil(due: Date, now: Date): number {
  return Math.max(0, Math.round((due.getTime() - now.getTime()) / 86_400_000));
}
