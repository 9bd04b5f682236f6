/**
 * Pure wall-clock arithmetic for schedules: "09:30 in Asia/Kolkata on weekdays"
 * → UTC instants. Built on Intl only (no tz database of our own), so it follows
 * whatever zone rules the Node runtime ships.
 *
 * DST rules (the ones a team expects from a calendar):
 * - 09:30 stays 09:30 local across changes (we recompute per local date).
 * - A local time that does not exist that day (spring-forward gap) fires at the
 *   first valid minute after the gap (02:30 on a 02:00→03:00 day fires at 03:00).
 * - A local time that exists twice (fall-back) fires once, at the first of them.
 */

import { addDays, localDateOf, weekdayOf, zonedInstant, type Weekday, WEEKDAYS } from '../time/local-time.ts';

// Zone and local-date helpers live in src/time/local-time.ts (shared by core, store and scheduler); re-exported for existing callers.
export {
  addDays,
  canonicalTimeZone,
  isValidTimeZone,
  localDateOf,
  localTimeOf,
  weekdayOf,
  WEEKDAYS,
  zonedInstant,
  type Weekday,
} from '../time/local-time.ts';

const DAY = 86_400_000;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** What a schedule needs for time computations. */
export interface FireSpec {
  /** 'HH:MM', 24-hour. */
  localTime: string;
  /** IANA zone, e.g. 'Asia/Kolkata'. */
  timezone: string;
  weekdays: readonly Weekday[];
}

export interface Occurrence {
  /** The local calendar date ('YYYY-MM-DD') this occurrence belongs to, in the schedule's zone. */
  localDate: string;
  /** The UTC instant it fires. */
  at: Date;
}

/** The occurrence on a local date, or undefined if the schedule does not run that weekday. */
export function occurrenceOn(spec: FireSpec, localDate: string): Occurrence | undefined {
  if (!spec.weekdays.includes(weekdayOf(localDate))) return undefined;
  return { localDate, at: zonedInstant(localDate, spec.localTime, spec.timezone) };
}

/** Occurrences with from < at ≤ to, oldest first. */
export function occurrencesBetween(spec: FireSpec, from: Date, to: Date): Occurrence[] {
  const out: Occurrence[] = [];
  if (to.getTime() <= from.getTime()) return out;
  // One day of slack either side: an occurrence's instant can sit on a neighbouring UTC/local date.
  const last = addDays(localDateOf(to, spec.timezone), 1);
  for (let d = addDays(localDateOf(from, spec.timezone), -1); d <= last; d = addDays(d, 1)) {
    const o = occurrenceOn(spec, d);
    if (o && o.at.getTime() > from.getTime() && o.at.getTime() <= to.getTime()) out.push(o);
  }
  return out;
}

/** The first occurrence strictly after `after`, or undefined when the schedule has no weekdays. */
export function nextOccurrence(spec: FireSpec, after: Date): Occurrence | undefined {
  if (spec.weekdays.length === 0) return undefined;
  const start = addDays(localDateOf(after, spec.timezone), -1);
  for (let i = 0; i <= 9; i++) {
    const o = occurrenceOn(spec, addDays(start, i));
    if (o && o.at.getTime() > after.getTime()) return o;
  }
  return undefined;
}

/** The latest occurrence at or before `at`, looking back at most a week. */
export function previousOccurrence(spec: FireSpec, at: Date): Occurrence | undefined {
  const list = occurrencesBetween(spec, new Date(at.getTime() - 8 * DAY), at);
  return list[list.length - 1];
}

export type DueDecision = 'not-yet' | 'post' | 'skip';

/**
 * What to do about an occurrence at `now`: post it (on time, or late within the
 * grace window: the bot was down or busy), or skip it and record why (past the
 * window a "daily" question arriving hours late is noise, and might land after
 * the next one).
 */
export function decideDue(occurrenceAt: Date, now: Date, graceMs: number): DueDecision {
  const late = now.getTime() - occurrenceAt.getTime();
  if (late < 0) return 'not-yet';
  return late <= graceMs ? 'post' : 'skip';
}

// ─── Parsing what people type ──────────────────────────────────────────────

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

const TIME_EXAMPLE = 'use 24-hour HH:MM, e.g. time:09:30 (or 9:30am, 5pm)';

/** '9:30', '09:30', '17:00', '9am', '5:15 pm' → 'HH:MM'. */
export function parseLocalTime(input: string): ParseResult<string> {
  const s = input.trim().toLowerCase().replace(/\s+/g, '');
  const m = /^(\d{1,2})(?:[:.h](\d{2}))?(am|pm)?$/.exec(s);
  if (!m) return { ok: false, error: `"${input}" is not a time of day; ${TIME_EXAMPLE}` };
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const meridiem = m[3];
  if (m[2] === undefined && !meridiem) {
    return { ok: false, error: `"${input}" is ambiguous; ${TIME_EXAMPLE}` };
  }
  if (meridiem) {
    if (hour < 1 || hour > 12) return { ok: false, error: `"${input}": with am/pm the hour is 1–12; ${TIME_EXAMPLE}` };
    hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return { ok: false, error: `"${input}" is not a valid time; ${TIME_EXAMPLE}` };
  return { ok: true, value: `${pad(hour)}:${pad(minute)}` };
}

const DAY_ALIASES: Record<string, Weekday> = {
  sun: 'sun', sunday: 'sun', su: 'sun',
  mon: 'mon', monday: 'mon', mo: 'mon',
  tue: 'tue', tues: 'tue', tuesday: 'tue', tu: 'tue',
  wed: 'wed', wednesday: 'wed', we: 'wed',
  thu: 'thu', thur: 'thu', thurs: 'thu', thursday: 'thu', th: 'thu',
  fri: 'fri', friday: 'fri', fr: 'fri',
  sat: 'sat', saturday: 'sat', sa: 'sat',
};

const DAYS_EXAMPLE = 'use e.g. days:mon-fri, days:weekdays, days:daily or days:mon,wed,fri';

/** 'mon-fri', 'weekdays', 'weekends', 'daily', 'mon,wed,fri', 'fri-mon' → weekdays in week order (Mon first). */
export function parseWeekdays(input: string): ParseResult<Weekday[]> {
  const s = input.trim().toLowerCase();
  if (s === '') return { ok: false, error: `no days given; ${DAYS_EXAMPLE}` };
  if (['daily', 'everyday', 'every day', 'all', '*'].includes(s)) return { ok: true, value: sortWeek([...WEEKDAYS]) };
  if (['weekdays', 'workdays', 'working days'].includes(s)) return { ok: true, value: ['mon', 'tue', 'wed', 'thu', 'fri'] };
  if (['weekends', 'weekend'].includes(s)) return { ok: true, value: ['sat', 'sun'] };
  const picked = new Set<Weekday>();
  for (const part of s.split(/[\s,]+/).filter(Boolean)) {
    const range = part.split('-');
    if (range.length === 1) {
      const d = DAY_ALIASES[part];
      if (!d) return { ok: false, error: `"${part}" is not a day; ${DAYS_EXAMPLE}` };
      picked.add(d);
    } else if (range.length === 2) {
      const a = DAY_ALIASES[range[0]!];
      const b = DAY_ALIASES[range[1]!];
      if (!a || !b) return { ok: false, error: `"${part}" is not a day range; ${DAYS_EXAMPLE}` };
      // Ranges run forward through the week and may wrap (fri-mon = fri,sat,sun,mon).
      let i = WEEKDAYS.indexOf(a);
      const end = WEEKDAYS.indexOf(b);
      picked.add(WEEKDAYS[i]!);
      while (i !== end) {
        i = (i + 1) % 7;
        picked.add(WEEKDAYS[i]!);
      }
    } else {
      return { ok: false, error: `"${part}" is not a day range; ${DAYS_EXAMPLE}` };
    }
  }
  return { ok: true, value: sortWeek([...picked]) };
}

function sortWeek(days: Weekday[]): Weekday[] {
  const order = (d: Weekday) => (WEEKDAYS.indexOf(d) + 6) % 7; // Monday first
  return [...new Set(days)].sort((a, b) => order(a) - order(b));
}

/** Stored form: 'mon,tue,wed'. */
export function formatWeekdays(days: readonly Weekday[]): string {
  return sortWeek([...days]).join(',');
}

/** Reads the stored form; unknown tokens are dropped (the column is only written by formatWeekdays). */
export function readWeekdays(stored: string): Weekday[] {
  return sortWeek(stored.split(',').filter((d): d is Weekday => (WEEKDAYS as readonly string[]).includes(d)));
}

/** A human form: 'Mon–Fri', 'every day', 'Mon, Wed, Fri'. */
export function describeWeekdays(days: readonly Weekday[]): string {
  const s = formatWeekdays(days);
  if (s === 'mon,tue,wed,thu,fri,sat,sun') return 'every day';
  if (s === 'mon,tue,wed,thu,fri') return 'Mon–Fri';
  if (s === 'sat,sun') return 'weekends';
  return sortWeek([...days])
    .map((d) => d[0]!.toUpperCase() + d.slice(1))
    .join(', ');
}
