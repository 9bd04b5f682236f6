/**
 * What /stats draws, as plain data: a practice calendar of the last weeks (a
 * Monday-first grid like GitHub's contribution graph) and key-point coverage by
 * topic, week by week. Pure functions on practice days (`s.dayOf` of each
 * answer, so the person's zone and day start decide the day), no clock.
 */
import { addDays, daysBetween, weekdayOf, type Weekday } from '../../time/local-time.ts';

export const CALENDAR_WEEKS = 12;
/** Topics with most answers in the window get a line each; more would not read. */
export const CHART_TOPICS = 4;
export const NO_TOPIC = '(no topic)';

const MONDAY_FIRST: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface CalendarDay {
  date: string;
  answers: number;
  /** After today: drawn empty, not as a missed day. */
  future: boolean;
}

export interface CalendarWeek {
  /** The Monday. */
  start: string;
  /** Monday to Sunday. */
  days: CalendarDay[];
}

export interface PracticeCalendar {
  today: string;
  /** Oldest first; the last one holds today. */
  weeks: CalendarWeek[];
  /** Days in the window with at least one answer. */
  activeDays: number;
  answers: number;
}

export interface TopicWeekly {
  topic: string;
  /** Answers in the window, graded or not. */
  answers: number;
  /** Mean coverage 0..1 per week, oldest first; null where the topic had no graded answer that week. */
  weekly: (number | null)[];
}

/** One answer placed on its practice day, with the topics of its question. */
export interface DatedAnswer {
  day: string;
  topics: readonly string[];
  coverage: number | null;
}

/** The Monday on or before `date`. */
export function mondayOf(date: string): string {
  return addDays(date, -MONDAY_FIRST.indexOf(weekdayOf(date)));
}

/** The first day the calendar shows: the Monday `weeks - 1` weeks before this week's. */
export function calendarStart(today: string, weeks = CALENDAR_WEEKS): string {
  return addDays(mondayOf(today), -7 * (weeks - 1));
}

/** Which calendar week (0 = oldest) a day falls in; undefined outside the window or after today. */
export function weekIndex(day: string, today: string, weeks = CALENDAR_WEEKS): number | undefined {
  const offset = daysBetween(calendarStart(today, weeks), day);
  if (offset < 0 || daysBetween(day, today) < 0) return undefined;
  const k = Math.floor(offset / 7);
  return k < weeks ? k : undefined;
}

/** Answers per day over the last `weeks` weeks, from each answer's practice day. */
export function practiceCalendar(answerDays: readonly string[], today: string, weeks = CALENDAR_WEEKS): PracticeCalendar {
  const counts = new Map<string, number>();
  for (const day of answerDays) {
    if (weekIndex(day, today, weeks) === undefined) continue;
    counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  const first = calendarStart(today, weeks);
  const out: CalendarWeek[] = [];
  for (let w = 0; w < weeks; w++) {
    const start = addDays(first, 7 * w);
    const days = Array.from({ length: 7 }, (_, d) => {
      const date = addDays(start, d);
      return { date, answers: counts.get(date) ?? 0, future: daysBetween(date, today) < 0 };
    });
    out.push({ start, days });
  }
  let answers = 0;
  for (const n of counts.values()) answers += n;
  return { today, weeks: out, activeDays: counts.size, answers };
}

/**
 * Mean key-point coverage per week for the `top` topics with most answers in the
 * window (ties by name). An answer counts for every topic of its question; one
 * without topics counts under NO_TOPIC.
 */
export function topicCoverageByWeek(answers: readonly DatedAnswer[], today: string, weeks = CALENDAR_WEEKS, top = CHART_TOPICS): TopicWeekly[] {
  const acc = new Map<string, { answers: number; sum: number[]; graded: number[] }>();
  for (const a of answers) {
    const k = weekIndex(a.day, today, weeks);
    if (k === undefined) continue;
    for (const topic of a.topics.length > 0 ? a.topics : [NO_TOPIC]) {
      const t = acc.get(topic) ?? { answers: 0, sum: new Array<number>(weeks).fill(0), graded: new Array<number>(weeks).fill(0) };
      t.answers++;
      if (a.coverage !== null) {
        t.sum[k]! += a.coverage;
        t.graded[k]!++;
      }
      acc.set(topic, t);
    }
  }
  return [...acc.entries()]
    .sort((a, b) => b[1].answers - a[1].answers || a[0].localeCompare(b[0]))
    .slice(0, top)
    .map(([topic, t]) => ({ topic, answers: t.answers, weekly: t.sum.map((s, k) => (t.graded[k]! > 0 ? s / t.graded[k]! : null)) }));
}

/** Shade of a calendar cell, 0 (none) to 4, so the picture and the text grid agree. */
export function intensity(answers: number): 0 | 1 | 2 | 3 | 4 {
  if (answers <= 0) return 0;
  if (answers === 1) return 1;
  if (answers === 2) return 2;
  if (answers <= 4) return 3;
  return 4;
}

/** First and last weekly value of a series that has any: how coverage moved over the window. */
export function trend(weekly: readonly (number | null)[]): { from: number; to: number; weeks: number } | undefined {
  const seen = weekly.flatMap((v, k) => (v === null ? [] : [{ v, k }]));
  if (seen.length === 0) return undefined;
  return { from: seen[0]!.v, to: seen.at(-1)!.v, weeks: seen.length };
}
