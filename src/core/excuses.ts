import type { AliveInterval, BreakRecord, StreakExcuseRecords } from '../store/streak-care-types.ts';
import { addDays, daysBetween } from '../time/local-time.ts';
import type { BotServices, PersonDayRef } from './module.ts';
import type { ExcusedDays } from './streaks.ts';

/**
 * Excused days: local dates that neither count nor break a streak. Four
 * sources, each a fact stored elsewhere, turned into one map per person here:
 *
 * - the person's breaks (`/break`): the days the break covered;
 * - prepbot down for a whole local day of the person's (the heartbeat's gaps);
 * - a daily question prepbot could not post in a workspace the person is in;
 * - an admin's audited repair (`/streak repair`).
 */

export const REASON_BREAK = 'on a break';
export const REASON_DOWN = 'prepbot was down';

/** A local day is at least 23 hours (a spring-forward day); shorter gaps cannot hold a whole one. */
const SHORTEST_DAY_MS = 23 * 3600_000;

/** The local days a break covers: the days it actually took once it ended, else every planned day. */
export function breakDates(b: Pick<BreakRecord, 'startsOn' | 'untilDay' | 'daysTaken'>): string[] {
  const n = b.daysTaken ?? plannedDays(b);
  return Array.from({ length: Math.max(0, n) }, (_, i) => addDays(b.startsOn, i));
}

export function plannedDays(b: Pick<BreakRecord, 'startsOn' | 'untilDay'>): number {
  return daysBetween(b.startsOn, b.untilDay) + 1;
}

/** The stretches prepbot was not running: between the merged alive intervals, oldest first. */
export function downtimes(intervals: readonly AliveInterval[]): { from: Date; until: Date }[] {
  const sorted = [...intervals].sort((a, b) => a.from.localeCompare(b.from));
  const out: { from: Date; until: Date }[] = [];
  let end: number | undefined;
  for (const i of sorted) {
    const from = Date.parse(i.from);
    const until = Date.parse(i.until);
    if (end !== undefined && from > end) out.push({ from: new Date(end), until: new Date(from) });
    end = end === undefined ? until : Math.max(end, until);
  }
  return out;
}

/**
 * Local days (by `dayOf`, the person's own calendar and day start) with no
 * sign of life at all: the days strictly between the day prepbot was last seen
 * and the day it came back.
 */
export function downDates(intervals: readonly AliveInterval[], dayOf: (at: Date) => string): string[] {
  const out: string[] = [];
  for (const gap of downtimes(intervals)) {
    if (gap.until.getTime() - gap.from.getTime() < SHORTEST_DAY_MS) continue;
    const last = dayOf(gap.from);
    const back = dayOf(gap.until);
    for (let d = addDays(last, 1); d < back; d = addDays(d, 1)) out.push(d);
  }
  return out;
}

/** One person's excused days, each with the reason /streak gives. */
export function excusedDays(records: StreakExcuseRecords, intervals: readonly AliveInterval[], dayOf: (at: Date) => string): ExcusedDays {
  const out = new Map<string, string>();
  const add = (date: string, reason: string) => {
    if (!out.has(date)) out.set(date, reason);
  };
  // A repair is the most specific reason (its audit, with why, is listed by /streak), so it is kept first.
  for (const r of records.repairs) add(r.localDate, `repaired by ${r.repairedByName ?? 'an admin'} (see Repairs)`);
  for (const d of downDates(intervals, dayOf)) add(d, REASON_DOWN);
  for (const w of records.workspaceDays) add(w.localDate, w.reason);
  for (const b of records.breaks) for (const d of breakDates(b)) add(d, REASON_BREAK);
  return out;
}

/** The break a person is on at `now`: open and not yet run out. */
export function currentBreak(records: Pick<StreakExcuseRecords, 'breaks'>, now: Date): BreakRecord | undefined {
  return records.breaks.find((b) => b.endedAt === null && Date.parse(b.endsAt) > now.getTime());
}

export interface PersonExcuses {
  excused: ExcusedDays;
  records: StreakExcuseRecords;
}

/** Excused days of several people at once (a board), in each person's own calendar. */
export async function excusesFor(
  s: Pick<BotServices, 'practice' | 'dayOf'>,
  people: readonly (PersonDayRef & { personId: string })[],
): Promise<Map<string, PersonExcuses>> {
  if (people.length === 0) return new Map();
  const [records, intervals] = await Promise.all([s.practice.streakExcuses(people.map((p) => p.personId)), s.practice.aliveIntervals()]);
  const out = new Map<string, PersonExcuses>();
  for (const person of people) {
    const r = records.get(person.personId) ?? { breaks: [], repairs: [], workspaceDays: [] };
    out.set(person.personId, { records: r, excused: excusedDays(r, intervals, (at) => s.dayOf(person, at)) });
  }
  return out;
}

export async function excusesOf(s: BotServices, person: PersonDayRef & { personId: string }): Promise<PersonExcuses> {
  return (await excusesFor(s, [person])).get(person.personId)!;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** '2026-12-12' → '12 Dec' (with the year when it is not `today`'s). */
export function shortDate(date: string, today?: string): string {
  const [y, m, d] = date.split('-');
  const base = `${Number(d)} ${MONTHS[Number(m) - 1]}`;
  return today && today.slice(0, 4) !== y ? `${base} ${y}` : base;
}

/** Consecutive excused days with the same reason as one line: '1 Dec–7 Dec excused: on a break'. */
export function excusedRuns(excused: ExcusedDays, from: string, to: string): { first: string; last: string; reason: string }[] {
  const runs: { first: string; last: string; reason: string }[] = [];
  for (const [date, reason] of [...excused.entries()].filter(([d]) => d >= from && d <= to).sort(([a], [b]) => a.localeCompare(b))) {
    const prev = runs.at(-1);
    if (prev && prev.reason === reason && addDays(prev.last, 1) === date) prev.last = date;
    else runs.push({ first: date, last: date, reason });
  }
  return runs;
}
