import type { Responder } from '../chat/port.ts';
import { code, emph, p, strong } from '../chat/md.ts';
import type { CommandSpec } from '../chat/commands.ts';
import type { BreakRecord } from '../store/streak-care-types.ts';
import { addDays, daysBetween, practiceDayStart } from '../time/local-time.ts';
import { info, say } from './messages.ts';
import { plannedDays, shortDate } from './excuses.ts';
import { stringOption, type BotServices, type CommandEvent, type CommandModule, type PersonDayRef } from './module.ts';

/**
 * `/break 7d`, `/break until:2027-01-10`, `/break end`, `/break`: time off
 * without losing the streak or coming back to a pile of reviews.
 *
 * - A break starts today (the person's practice day) and covers whole local
 *   days, at most BREAK_MAX_DAYS. Its days are excused: they neither count nor
 *   break the streak.
 * - It ends when it runs out, with `/break end`, or at the person's first
 *   answer (any answering path: BotServices.streakDay). Ended early, it covers
 *   only the days before the day it ended.
 * - When it ends, the person's reviews that fell due after it began move by
 *   the days it actually took: decided at the end, because only then is that
 *   number known (an early end moves them less).
 * - At most BREAKS_PER_WINDOW breaks started in any BREAK_WINDOW_DAYS days; a
 *   break cancelled on the day it began took no day and does not count.
 */

export const BREAK_MAX_DAYS = 30;
export const BREAKS_PER_WINDOW = 2;
export const BREAK_WINDOW_DAYS = 90;

export const breakSpec: CommandSpec = {
  name: 'break',
  description: 'Take a break of up to 30 days: your streak and your reviews wait for you',
  options: [
    {
      name: 'length',
      description: 'How long: 7d, 2w, a last day (2027-01-10), or end (empty: show your break)',
      type: 'string',
      maxLength: 32,
    },
    { name: 'until', description: 'The last day of the break, YYYY-MM-DD (at most 30 days from today)', type: 'string', maxLength: 32 },
  ],
  permission: 'everyone',
};

type Person = PersonDayRef & { personId: string };

export type BreakRequest = { kind: 'show' } | { kind: 'end' } | { kind: 'days'; days: number } | { kind: 'until'; date: string } | { kind: 'bad'; input: string };

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/** What `/break <length> [until:…]` asks for. */
export function parseBreakRequest(length: string | undefined, until: string | undefined): BreakRequest {
  if (until !== undefined) {
    if (length !== undefined) return { kind: 'bad', input: `${length} until:${until}` };
    return isDate(until) ? { kind: 'until', date: until } : { kind: 'bad', input: until };
  }
  if (length === undefined) return { kind: 'show' };
  const t = length.trim().toLowerCase();
  if (['end', 'stop', 'over', 'back', 'cancel'].includes(t)) return { kind: 'end' };
  if (isDate(t)) return { kind: 'until', date: t };
  const d = /^(\d{1,3})\s*(d|days?)?$/.exec(t);
  if (d) return { kind: 'days', days: Number(d[1]) };
  const w = /^(\d{1,2})\s*(w|wks?|weeks?)$/.exec(t);
  if (w) return { kind: 'days', days: Number(w[1]) * 7 };
  return { kind: 'bad', input: length };
}

/**
 * Ends a break and moves the reviews; the store makes it happen once. `day` is
 * the person's practice day when it ends early: the break covers the days
 * before it. Without `day` it ran out and covers every planned day.
 */
export async function finishBreak(s: BotServices, brk: BreakRecord, now: Date, how: { reason: 'ran-out' } | { reason: 'ended' | 'answered'; day: string }) {
  const planned = plannedDays(brk);
  const taken = how.reason === 'ran-out' ? planned : Math.min(planned, Math.max(0, daysBetween(brk.startsOn, how.day)));
  return s.practice.endBreak({ breakId: brk.id, now, reason: how.reason, daysTaken: taken, shiftDays: taken });
}

/**
 * The person's open break, finishing it first if it has run out (the minute
 * job may not have reached it yet, e.g. right after a restart).
 */
export async function liveBreak(s: BotServices, person: Person, now: Date): Promise<BreakRecord | undefined> {
  const open = await s.practice.openBreak(person.personId);
  if (!open) return undefined;
  if (Date.parse(open.endsAt) <= now.getTime()) {
    await finishBreak(s, open, now, { reason: 'ran-out' });
    return undefined;
  }
  return open;
}

/** The first answer during a break ends it (called by BotServices.streakDay before the answer is recorded). */
export async function endBreakOnAnswer(s: BotServices, person: Person, day: string, now: Date): Promise<void> {
  const open = await liveBreak(s, person, now);
  if (open) await finishBreak(s, open, now, { reason: 'answered', day });
}

/** Minute job: finishes every break that has run out (safe to run twice, and from two processes). */
export async function finishExpiredBreaks(s: BotServices, now: Date): Promise<number> {
  let finished = 0;
  for (const brk of await s.practice.expiredBreaks(now)) {
    if (await finishBreak(s, brk, now, { reason: 'ran-out' })) finished++;
  }
  return finished;
}

const dayWord = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;

function span(brk: Pick<BreakRecord, 'startsOn' | 'untilDay'>, today: string): string {
  return brk.startsOn === brk.untilDay ? shortDate(brk.startsOn, today) : `${shortDate(brk.startsOn, today)}–${shortDate(brk.untilDay, today)}`;
}

async function breakCommand(event: CommandEvent, respond: Responder, s: BotServices): Promise<void> {
  const me = await s.person(event.ctx);
  const now = s.clock.now();
  const today = s.dayOf(me, now);
  const request = parseBreakRequest(stringOption(event, 'length'), stringOption(event, 'until'));
  const open = await liveBreak(s, me, now);

  if (request.kind === 'bad') {
    await respond.reply(
      say(
        `I could not read “${request.input.slice(0, 32)}” as a break. Give a length of up to ${BREAK_MAX_DAYS} days, e.g. `,
        code('/break 7d'),
        ' or ',
        code('/break 2w'),
        ', or its last day: ',
        code(`/break until:${addDays(today, 6)}`),
        '. ',
        code('/break end'),
        ' ends one.',
      ),
      'private',
    );
    return;
  }

  if (request.kind === 'show') {
    if (open) {
      await respond.reply(
        info(
          p(strong(`🏖 You are on a break until ${shortDate(open.untilDay, today)}`), ` (${span(open, today)}).`),
          p('Your streak is safe and your reviews wait. Your first answer ends the break early, and so does ', code('/break end'), '.'),
        ),
        'private',
      );
      return;
    }
    await respond.reply(
      say(
        'You are not on a break. ',
        code('/break 7d'),
        ` takes up to ${BREAK_MAX_DAYS} days off without losing your streak (${BREAKS_PER_WINDOW} breaks in any ${BREAK_WINDOW_DAYS} days).`,
      ),
      'private',
    );
    return;
  }

  if (request.kind === 'end') {
    if (!open) {
      await respond.reply(say('You are not on a break, so there is nothing to end. ', code('/break 7d'), ' starts one.'), 'private');
      return;
    }
    const ended = await finishBreak(s, open, now, { reason: 'ended', day: today });
    const taken = ended?.daysTaken ?? 0;
    await respond.reply(
      say(
        taken === 0
          ? 'Break cancelled: it had not taken a day yet, so it does not count towards your breaks. Welcome back!'
          : `Welcome back! Your break took ${dayWord(taken)} (${span({ startsOn: open.startsOn, untilDay: addDays(open.startsOn, taken - 1) }, today)}); your reviews moved ${dayWord(taken)} later. Answer today to keep your streak going.`,
      ),
      'private',
    );
    return;
  }

  if (open) {
    await respond.reply(
      say(`You are already on a break until ${shortDate(open.untilDay, today)}. To change it, end it with `, code('/break end'), ' and start a new one.'),
      'private',
    );
    return;
  }
  if (request.kind === 'days' && request.days < 1) {
    await respond.reply(say('A break is at least 1 day (today). For example ', code('/break 7d'), '.'), 'private');
    return;
  }
  const untilDay = request.kind === 'days' ? addDays(today, request.days - 1) : request.date;
  const length = daysBetween(today, untilDay) + 1;
  if (length < 1) {
    await respond.reply(say(`${shortDate(untilDay, today)} has already passed. Give today or a later day, e.g. `, code(`/break until:${addDays(today, 6)}`), '.'), 'private');
    return;
  }
  if (length > BREAK_MAX_DAYS) {
    await respond.reply(
      say(
        `A break can be at most ${BREAK_MAX_DAYS} days; that would be ${length}. The latest last day is ${addDays(today, BREAK_MAX_DAYS - 1)}: `,
        code(`/break until:${addDays(today, BREAK_MAX_DAYS - 1)}`),
        '.',
      ),
      'private',
    );
    return;
  }
  const zone = s.zoneOf(me);
  const result = await s.practice.startBreak({
    personId: me.personId,
    startsOn: today,
    untilDay,
    zone,
    endsAt: practiceDayStart(addDays(untilDay, 1), zone, s.dayStartOf(me)),
    now,
    countFrom: addDays(today, -(BREAK_WINDOW_DAYS - 1)),
    maxCounted: BREAKS_PER_WINDOW,
  });
  if (!result.ok && result.reason === 'on-break') {
    await respond.reply(say(`You are already on a break until ${shortDate(result.current.untilDay, today)}.`), 'private');
    return;
  }
  if (!result.ok) {
    const oldest = result.counted[result.counted.length - BREAKS_PER_WINDOW]!;
    const next = addDays(oldest.startsOn, BREAK_WINDOW_DAYS);
    await respond.reply(
      say(
        `You have started ${BREAKS_PER_WINDOW} breaks in the last ${BREAK_WINDOW_DAYS} days (${result.counted.map((b) => shortDate(b.startsOn, today)).join(' and ')}), the most allowed. ` +
          `Your next break can start on ${shortDate(next, today)} (${next}). Freezes still cover a single missed day.`,
      ),
      'private',
    );
    return;
  }
  const used = await countedSince(s, me.personId, addDays(today, -(BREAK_WINDOW_DAYS - 1)));
  await respond.reply(
    info(
      p(strong(`🏖 Enjoy your break: ${dayWord(length)}, ${span(result.brk, today)}.`)),
      p(
        'Your streak is safe and no reviews pile up: when the break ends, your reviews move later by the days you actually took. ',
        'Your first answer ends it early, and so does ',
        code('/break end'),
        '.',
      ),
      p(emph(`Breaks used in the last ${BREAK_WINDOW_DAYS} days: ${used} of ${BREAKS_PER_WINDOW}.`)),
    ),
    'private',
  );
}

/** Counted breaks (not cancelled) started since `from`. */
async function countedSince(s: BotServices, personId: string, from: string): Promise<number> {
  const records = (await s.practice.streakExcuses([personId])).get(personId);
  return (records?.breaks ?? []).filter((b) => b.startsOn >= from && b.daysTaken !== 0).length;
}

export const breakModule: CommandModule = { spec: breakSpec, run: breakCommand };
