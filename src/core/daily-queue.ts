import type { Message } from '../chat/message.ts';
import { code, doc, emph, p } from '../chat/md.ts';
import type { PersonRef, ScheduledReview } from '../store/practice-types.ts';
import { addDays, practiceDayStart } from '../time/local-time.ts';
import { nextFromDailyQueue, type DailyCaps, type DailyQueue, type DoneToday } from './load.ts';
import type { BotServices } from './module.ts';
import { capsOf, settingsFor, type EffectiveSettings } from './practice-settings.ts';

/** `/ask` without a topic: today's queue for a person, read from the store and planned by core/load. */

export const ACTION_EXTRA = 'extra';

export interface Today {
  /** The practice day (s.dayOf): time zone and /daystart respected. */
  date: string;
  dayEnd: Date;
  settings: EffectiveSettings;
  caps: DailyCaps;
  done: DoneToday;
  queue: DailyQueue;
  /** Inputs a caller may reuse (extra practice). */
  reviews: ScheduledReview[];
  seen: Set<string>;
  lastQuestionId?: string;
  answeredToday: Set<string>;
}

/** The instants today's practice day runs between, for this person: [start, end). */
export function practiceDayWindow(s: BotServices, person: PersonRef, now: Date): { date: string; start: Date; end: Date } {
  const date = s.dayOf(person, now);
  const zone = s.zoneOf(person);
  const hour = s.dayStartOf(person);
  return { date, start: practiceDayStart(date, zone, hour), end: practiceDayStart(addDays(date, 1), zone, hour) };
}

export async function today(s: BotServices, person: PersonRef, workspaceKey: string, candidates: readonly string[]): Promise<Today> {
  const { date, start: dayStart, end: dayEnd } = practiceDayWindow(s, person, s.clock.now());
  const [settings, load, reviews, seenIds, last] = await Promise.all([
    settingsFor(s, person, workspaceKey),
    s.practice.dayLoad(person.personId, dayStart, dayEnd),
    s.practice.reviewSchedule(person.personId),
    s.practice.seenQuestionIds(person.personId),
    s.practice.lastQuestionId(person.personId),
  ]);
  const caps = capsOf(settings);
  const done = { review: load.rated.review, new: load.rated.new };
  const seen = new Set(seenIds);
  const queue = nextFromDailyQueue({ caps, done, reviews, dayEnd, candidates, seen, ...(last ? { lastQuestionId: last } : {}) });
  return {
    date,
    dayEnd,
    settings,
    caps,
    done,
    queue,
    reviews,
    seen,
    ...(last ? { lastQuestionId: last } : {}),
    answeredToday: new Set(load.answeredQuestionIds),
  };
}

const reviewsWord = (n: number) => (n === 1 ? 'review' : 'reviews');

/** "After this one: 3 reviews due, 2 new left today." plus the backlog, if any. */
export function loadLine(t: Today): string {
  const pick = t.queue.pick;
  const reviews = t.queue.reviewsLeft - (pick?.queue === 'review' ? 1 : 0);
  const fresh = t.queue.newLeft - (pick?.queue === 'new' ? 1 : 0);
  const head = `After this one: ${reviews} ${reviewsWord(reviews)} due, ${fresh} new left today.`;
  return t.queue.backlog > 0 ? `${head} ${backlogLine(t)}` : head;
}

function backlogLine(t: Today): string {
  const n = t.queue.backlog;
  return `${n} more due ${reviewsWord(n)} wait for the next days (at most ${t.caps.reviewsPerDay} a day, the most overdue first).`;
}

/** Nothing left in today's queue: why, and the way to keep going without moving the schedule. */
export function queueDoneMessage(t: Today): Message {
  const q = t.queue;
  const openOnly = q.reviewsLeft + q.newLeft > 0;
  const usedUp = q.backlog > 0 || (q.fresh > 0 && q.newLeft === 0);
  const why = openOnly
    ? 'Your last question is still open: answer it (or give up) first.'
    : usedUp
      ? `That is today's load done: ${t.done.review} ${reviewsWord(t.done.review)} and ${t.done.new} new rated (your caps: ${t.caps.reviewsPerDay} reviews, ${t.caps.newPerDay} new a day).`
      : 'Nothing is due and there are no new questions left: you are all caught up.';
  const capsZero = t.caps.reviewsPerDay === 0 || t.caps.newPerDay === 0;
  const later = [
    q.backlog > 0 ? backlogLine(t) : '',
    usedUp && q.fresh > 0 ? (capsZero ? 'With a cap of 0, no new questions come until you raise it.' : 'New questions come again tomorrow.') : '',
  ]
    .filter(Boolean)
    .join(' ');
  return {
    body: doc(
      p(why, later ? ` ${later}` : ''),
      p(
        emph('More now? Extra practice counts for your streak and stats and leaves your review schedule as it is: '),
        code('/ask extra:true'),
        emph(' or the button. '),
        code('/settings'),
        emph(' changes the caps.'),
      ),
    ),
    actions: [{ kind: 'button', id: ACTION_EXTRA, label: 'Extra practice', value: 'extra', style: 'primary' }],
  };
}
