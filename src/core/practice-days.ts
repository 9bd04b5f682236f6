import type { BotServices, PersonDayRef } from './module.ts';
import { applyActivity } from './streaks.ts';

/** See BotServices.streakDay. */
export async function streakDayFor(s: BotServices, person: PersonDayRef & { personId: string }, now: Date) {
  const localDate = s.dayOf(person, now);
  return { localDate, applyActivity: (state: Parameters<typeof applyActivity>[0], day: string) => applyActivity(state, day) };
}
