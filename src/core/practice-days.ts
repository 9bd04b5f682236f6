import type { BotServices, PersonDayRef } from './module.ts';
import { endBreakOnAnswer } from './breaks.ts';
import { excusesOf } from './excuses.ts';
import { applyActivity } from './streaks.ts';

/**
 * See BotServices.streakDay. The break ends before the answer is recorded, so
 * the reviews it moves are moved before this answer's rating schedules its own.
 */
export async function streakDayFor(s: BotServices, person: PersonDayRef & { personId: string }, now: Date) {
  const localDate = s.dayOf(person, now);
  await endBreakOnAnswer(s, person, localDate, now);
  const { excused } = await excusesOf(s, person);
  return { localDate, applyActivity: (state: Parameters<typeof applyActivity>[0], day: string) => applyActivity(state, day, excused) };
}
