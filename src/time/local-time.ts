/**
 * Local dates and wall-clock times in IANA zones: the one place prepbot turns
 * instants into "which day is it for this person / this schedule". Built on
 * Intl only (no tz database of our own), so it follows whatever zone rules the
 * Node runtime ships. Core (streaks, caps, breaks), the store and the scheduler
 * all use these, so a day means the same thing everywhere.
 */

export type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';

/** Index = JS getUTCDay() of the local date. */
export const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

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
  if (!zone || zone.length > 64 || zone.trim() !== zone) return false;
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


/** Days between two local dates (b - a), calendar arithmetic without time zones. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY);
}

/** The calendar date of `instant` in `zone`, as `YYYY-MM-DD` (the name core has always used). */
export const localDate = localDateOf;

/** Local wall-clock hour (0-23) of an instant in a zone. */
export function localHourOf(instant: Date, zone: string): number {
  return localParts(instant.getTime(), zone).hour;
}

/**
 * The practice day an instant belongs to, with a day-start hour (Anki's "next
 * day starts at 4 AM"): before `dayStartHour` on the local wall clock counts
 * for the previous date. Wall-clock, not elapsed hours, so on DST days 03:30
 * is still before a 4 o'clock day start.
 */
export function practiceDate(instant: Date, zone: string, dayStartHour = 0): string {
  const p = localParts(instant.getTime(), zone);
  const date = `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
  return p.hour < dayStartHour ? addDays(date, -1) : date;
}

/**
 * The instant a practice day starts: `dayStartHour`:00 local on that date (in a
 * spring-forward gap, the first instant after it).
 */
export function practiceDayStart(date: string, zone: string, dayStartHour = 0): Date {
  return zonedInstant(date, `${pad(dayStartHour)}:00`, zone);
}

/** The Monday of the (ISO, Monday-first) week a local date falls in. */
export function weekStartOf(localDate: string): string {
  const { year, month, day } = parseDate(localDate);
  const sinceMonday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
  return addDays(localDate, -sinceMonday);
}

export type CalendarPeriod = 'week' | 'month';

/** The key of the calendar period a local date falls in: `week:YYYY-MM-DD` (its Monday) or `month:YYYY-MM`. */
export function calendarPeriodKey(period: CalendarPeriod, localDate: string): string {
  return period === 'week' ? `week:${weekStartOf(localDate)}` : `month:${localDate.slice(0, 7)}`;
}

/**
 * The calendar week (Monday 00:00 to Monday 00:00) or month (the 1st 00:00 to
 * the next 1st) an instant falls in, on the zone's wall clock: its key (see
 * calendarPeriodKey; keys of one zone sort chronologically) and the instant it
 * started.
 */
export function calendarPeriodOf(period: CalendarPeriod, instant: Date, zone: string): { key: string; start: Date } {
  const date = localDateOf(instant, zone);
  const first = period === 'week' ? weekStartOf(date) : `${date.slice(0, 7)}-01`;
  return { key: calendarPeriodKey(period, date), start: zonedInstant(first, '00:00', zone) };
}
