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

export type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';

/** Index = JS getUTCDay() of the local date. */
export const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

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

const MINUTE = 60_000;
const DAY = 86_400_000;

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

export function isValidTimeZone(zone: string): boolean {
  if (!zone || zone.trim() !== zone) return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/**
 * Current names ICU still files under their old spelling (it resolves
 * Asia/Kolkata to Asia/Calcutta); people type and expect to read these.
 */
const MODERN_ZONE_NAMES = [
  'Asia/Kolkata', 'Asia/Kathmandu', 'Asia/Ho_Chi_Minh', 'Asia/Yangon', 'Europe/Kyiv', 'America/Nuuk',
  'Atlantic/Faroe', 'Pacific/Pohnpei', 'Pacific/Chuuk', 'Pacific/Kanton', 'America/Argentina/Buenos_Aires',
  'America/Indiana/Indianapolis', 'America/Kentucky/Louisville', 'UTC', 'Etc/UTC', 'GMT',
];

let zoneSpellings: Map<string, string> | undefined;

/**
 * The zone as people spell it, whatever case was typed ('asia/kolkata' →
 * 'Asia/Kolkata'), or undefined when Intl does not know it. Keeps the name the
 * person chose instead of ICU's legacy canonical form.
 */
export function canonicalTimeZone(zone: string): string | undefined {
  const typed = zone.trim();
  if (!isValidTimeZone(typed)) return undefined;
  if (!zoneSpellings) {
    zoneSpellings = new Map();
    for (const z of [...Intl.supportedValuesOf('timeZone'), ...MODERN_ZONE_NAMES]) zoneSpellings.set(z.toLowerCase(), z);
  }
  return zoneSpellings.get(typed.toLowerCase()) ?? typed;
}

function localParts(instant: number, zone: string): LocalParts {
  const out: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour!, minute: out.minute! };
}

/** Local wall time as if it were UTC, in ms, so two wall times compare as numbers. */
function wallMs(p: LocalParts): number {
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
}

/** The zone's UTC offset at an instant, whole minutes. */
function offsetAt(instant: number, zone: string): number {
  const floored = Math.floor(instant / MINUTE) * MINUTE;
  return wallMs(localParts(floored, zone)) - floored;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** 'YYYY-MM-DD' of an instant in a zone. */
export function localDateOf(instant: Date, zone: string): string {
  const p = localParts(instant.getTime(), zone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** 'HH:MM' of an instant in a zone. */
export function localTimeOf(instant: Date, zone: string): string {
  const p = localParts(instant.getTime(), zone);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

function parseDate(localDate: string): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(localDate);
  if (!m) throw new Error(`not a local date: ${localDate} (expected YYYY-MM-DD)`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

function parseHm(localTime: string): { hour: number; minute: number } {
  const m = /^(\d{2}):(\d{2})$/.exec(localTime);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new Error(`not a local time: ${localTime} (expected HH:MM)`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

export function addDays(localDate: string, days: number): string {
  const { year, month, day } = parseDate(localDate);
  const d = new Date(Date.UTC(year, month - 1, day) + days * DAY);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function weekdayOf(localDate: string): Weekday {
  const { year, month, day } = parseDate(localDate);
  return WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()]!;
}

/**
 * The instant a local date + wall time happens in a zone. A wall time that
 * occurs twice resolves to the earlier; one that does not occur resolves to the
 * first instant after the gap.
 */
export function zonedInstant(localDate: string, localTime: string, zone: string): Date {
  // Every tick asks about the same few (date, time, zone) triples; Intl formatting is the cost.
  const key = `${localDate}|${localTime}|${zone}`;
  const hit = instantCache.get(key);
  if (hit !== undefined) return new Date(hit);
  const at = computeZonedInstant(localDate, localTime, zone);
  if (instantCache.size >= 50_000) instantCache.clear();
  instantCache.set(key, at.getTime());
  return at;
}

const instantCache = new Map<string, number>();

function computeZonedInstant(localDate: string, localTime: string, zone: string): Date {
  const { year, month, day } = parseDate(localDate);
  const { hour, minute } = parseHm(localTime);
  const target = Date.UTC(year, month - 1, day, hour, minute);
  // The offset in force around the target is one of the offsets a day either side
  // (zones change offset at most once in such a span in practice).
  const offsets = new Set([offsetAt(target - DAY, zone), offsetAt(target, zone), offsetAt(target + DAY, zone)]);
  const exact = [...offsets]
    .map((off) => target - off)
    .filter((t) => wallMs(localParts(t, zone)) === target)
    .sort((a, b) => a - b);
  if (exact.length > 0) return new Date(exact[0]!);

  // In a gap: find the first minute whose wall time is past the target. The
  // transition lies between the target read with the larger and smaller offset.
  const sorted = [...offsets].sort((a, b) => a - b);
  let lo = target - sorted[sorted.length - 1]!; // wall time before target
  let hi = target - sorted[0]!; // wall time after target
  if (wallMs(localParts(lo, zone)) >= target || wallMs(localParts(hi, zone)) < target) {
    // Not a plain gap (should not happen with real zone data); fall back to the standard reading.
    return new Date(hi);
  }
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / MINUTE / 2) * MINUTE;
    if (wallMs(localParts(mid, zone)) >= target) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
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
