import { describe, expect, it } from 'vitest';
import {
  NO_TOPIC,
  calendarStart,
  intensity,
  mondayOf,
  practiceCalendar,
  topicCoverageByWeek,
  trend,
  weekIndex,
} from '../../../src/core/stats/data.ts';

// 2026-03-04 is a Wednesday; its week starts Monday 2026-03-02, and eleven weeks
// before that is Monday 2025-12-15 (2026 is not a leap year).
const TODAY = '2026-03-04';

describe('calendar window', () => {
  it('starts weeks on Monday, Sunday included in the week before', () => {
    expect(mondayOf('2026-03-04')).toBe('2026-03-02');
    expect(mondayOf('2026-03-02')).toBe('2026-03-02');
    expect(mondayOf('2026-03-08')).toBe('2026-03-02'); // Sunday
    expect(mondayOf('2026-01-01')).toBe('2025-12-29'); // across a year
  });

  it('shows twelve weeks ending with the one holding today', () => {
    expect(calendarStart(TODAY)).toBe('2025-12-15');
    expect(weekIndex('2025-12-15', TODAY)).toBe(0);
    expect(weekIndex('2025-12-14', TODAY)).toBeUndefined();
    expect(weekIndex('2026-03-01', TODAY)).toBe(10);
    expect(weekIndex(TODAY, TODAY)).toBe(11);
    expect(weekIndex('2026-03-05', TODAY)).toBeUndefined(); // tomorrow
  });
});

describe('practiceCalendar', () => {
  it('counts answers per day in a Monday-first grid and marks the days after today', () => {
    const cal = practiceCalendar(['2026-03-04', '2026-03-04', '2026-03-02', '2025-12-15', '2025-12-14', '2026-03-05'], TODAY);
    expect(cal.weeks).toHaveLength(12);
    expect(cal.weeks.map((w) => w.days.length)).toEqual(new Array(12).fill(7));
    expect(cal.weeks[0]!.start).toBe('2025-12-15');
    expect(cal.weeks[11]!.start).toBe('2026-03-02');
    const last = cal.weeks[11]!.days;
    expect(last.map((d) => d.date)).toEqual(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08']);
    expect(last.map((d) => d.answers)).toEqual([1, 0, 2, 0, 0, 0, 0]);
    expect(last.map((d) => d.future)).toEqual([false, false, false, true, true, true, true]);
    expect(cal.weeks[0]!.days[0]).toEqual({ date: '2025-12-15', answers: 1, future: false });
    // The day before the window and tomorrow are left out of the totals.
    expect(cal.answers).toBe(4);
    expect(cal.activeDays).toBe(3);
  });

  it('is empty, not missing, when nothing was answered', () => {
    const cal = practiceCalendar([], TODAY);
    expect(cal.answers).toBe(0);
    expect(cal.activeDays).toBe(0);
    expect(cal.weeks.flatMap((w) => w.days).filter((d) => !d.future)).toHaveLength(7 * 11 + 3);
  });
});

describe('topicCoverageByWeek', () => {
  const a = (day: string, topics: string[], coverage: number | null) => ({ day, topics, coverage });

  it('averages coverage per topic per week, leaving weeks without graded answers empty', () => {
    const series = topicCoverageByWeek(
      [
        a('2025-12-15', ['concurrency'], 0.2),
        a('2025-12-21', ['concurrency'], 0.4), // Sunday: same week as the 15th
        a('2026-03-03', ['concurrency'], 1),
        a('2026-03-04', ['concurrency'], null), // counted as an answer, not in the average
      ],
      TODAY,
    );
    expect(series).toHaveLength(1);
    expect(series[0]!.topic).toBe('concurrency');
    expect(series[0]!.answers).toBe(4);
    expect(series[0]!.weekly[0]).toBeCloseTo(0.3);
    expect(series[0]!.weekly.slice(1, 11)).toEqual(new Array(10).fill(null));
    expect(series[0]!.weekly[11]).toBe(1);
  });

  it('keeps the topics with most answers (ties by name), counts a question under each of its topics, and names the topicless', () => {
    const series = topicCoverageByWeek(
      [
        a('2026-03-02', ['go', 'concurrency'], 0.5),
        a('2026-03-02', ['databases'], 0.5),
        a('2026-03-03', ['databases'], 0.5),
        a('2026-03-03', [], 0.5),
        a('2026-03-03', [], 0.5),
        a('2026-03-03', [], 0.5),
        a('2025-12-01', ['networking'], 0.5), // before the window
      ],
      TODAY,
      undefined,
      3,
    );
    expect(series.map((s) => [s.topic, s.answers])).toEqual([
      [NO_TOPIC, 3],
      ['databases', 2],
      ['concurrency', 1],
    ]);
  });
});

describe('shading and trend', () => {
  it('shades 0, 1, 2, 3-4 and 5+ answers differently', () => {
    expect([0, 1, 2, 3, 4, 5, 40].map(intensity)).toEqual([0, 1, 2, 3, 3, 4, 4]);
  });

  it('reads a trend from the first and the latest week with a value', () => {
    expect(trend([null, 0.25, null, 0.5, null])).toEqual({ from: 0.25, to: 0.5, weeks: 2 });
    expect(trend([null, null])).toBeUndefined();
  });
});
