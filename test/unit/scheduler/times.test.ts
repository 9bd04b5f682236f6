import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decideDue,
  localDateOf,
  localTimeOf,
  nextOccurrence,
  occurrencesBetween,
  parseLocalTime,
  parseWeekdays,
  previousOccurrence,
  zonedInstant,
  type FireSpec,
} from '../../../src/scheduler/times.ts';

const weekdays: FireSpec['weekdays'] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const daily: FireSpec['weekdays'] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

describe('zonedInstant', () => {
  it('maps a local wall time to UTC in zones on both sides of UTC', () => {
    // Kolkata is UTC+05:30 all year; New York is UTC-05:00 in January.
    expect(zonedInstant('2026-01-05', '09:30', 'Asia/Kolkata').toISOString()).toBe('2026-01-05T04:00:00.000Z');
    expect(zonedInstant('2026-01-05', '09:30', 'America/New_York').toISOString()).toBe('2026-01-05T14:30:00.000Z');
    // Chatham is +13:45 in (southern) summer: a date line and a quarter-hour offset at once.
    expect(zonedInstant('2026-01-05', '00:10', 'Pacific/Chatham').toISOString()).toBe('2026-01-04T10:25:00.000Z');
  });

  it('keeps 09:30 local across the spring and autumn changes (Europe/Berlin)', () => {
    // CET (+1) before 2026-03-29, CEST (+2) after, CET again from 2026-10-25.
    expect(zonedInstant('2026-03-28', '09:30', 'Europe/Berlin').toISOString()).toBe('2026-03-28T08:30:00.000Z');
    expect(zonedInstant('2026-03-29', '09:30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T07:30:00.000Z');
    expect(zonedInstant('2026-10-24', '09:30', 'Europe/Berlin').toISOString()).toBe('2026-10-24T07:30:00.000Z');
    expect(zonedInstant('2026-10-25', '09:30', 'Europe/Berlin').toISOString()).toBe('2026-10-25T08:30:00.000Z');
  });

  it('fires a time inside the spring-forward gap at the first valid minute after it', () => {
    // New York 2026-03-08: 02:00 EST jumps to 03:00 EDT (07:00Z); 02:30 does not exist.
    const t = zonedInstant('2026-03-08', '02:30', 'America/New_York');
    expect(t.toISOString()).toBe('2026-03-08T07:00:00.000Z');
    expect(localTimeOf(t, 'America/New_York')).toBe('03:00');
  });

  it('fires a repeated fall-back time once, at its first occurrence', () => {
    // New York 2026-11-01: 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
    expect(zonedInstant('2026-11-01', '01:30', 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
    const spec: FireSpec = { localTime: '01:30', timezone: 'America/New_York', weekdays: daily };
    const fires = occurrencesBetween(spec, new Date('2026-10-31T12:00:00Z'), new Date('2026-11-02T12:00:00Z'));
    expect(fires.map((o) => o.at.toISOString())).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
  });

  it('round-trips: the instant reads back as the same local date and time (property)', () => {
    const zones = ['Asia/Kolkata', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham', 'UTC'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 3 * 365 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        (zone, dayOffset, h, m) => {
          const date = new Date(Date.UTC(2025, 0, 1) + dayOffset * 86_400_000).toISOString().slice(0, 10);
          const time = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
          const at = zonedInstant(date, time, zone);
          const readDate = localDateOf(at, zone);
          const readTime = localTimeOf(at, zone);
          if (readDate === date && readTime === time) return;
          // Only allowed when the time does not exist that day: then it is the first minute after the gap,
          // same date, a later time, and the minute before it reads as earlier than the target.
          expect(readDate).toBe(date);
          expect(readTime > time).toBe(true);
          expect(localTimeOf(new Date(at.getTime() - 60_000), zone) < time).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('occurrences', () => {
  it('fires only on the chosen weekdays', () => {
    const spec: FireSpec = { localTime: '09:30', timezone: 'Asia/Kolkata', weekdays };
    // 2026-01-02 is a Friday; the week to 2026-01-09 (Fri) has Mon–Fri 5–9.
    const fires = occurrencesBetween(spec, new Date('2026-01-02T12:00:00Z'), new Date('2026-01-09T12:00:00Z'));
    expect(fires.map((o) => o.localDate)).toEqual(['2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09']);
  });

  it('gives a late-evening local fire the local date, not the UTC date', () => {
    // 23:30 in Los Angeles on Friday 2026-01-09 is 07:30Z on Saturday.
    const spec: FireSpec = { localTime: '23:30', timezone: 'America/Los_Angeles', weekdays: ['fri'] };
    const next = nextOccurrence(spec, new Date('2026-01-09T00:00:00Z'));
    expect(next?.localDate).toBe('2026-01-09');
    expect(next?.at.toISOString()).toBe('2026-01-10T07:30:00.000Z');
  });

  it('next and previous occurrence bracket an instant', () => {
    const spec: FireSpec = { localTime: '09:30', timezone: 'Europe/Berlin', weekdays: ['mon', 'wed', 'fri'] };
    const now = new Date('2026-03-31T12:00:00Z'); // Tuesday after the change
    expect(previousOccurrence(spec, now)?.at.toISOString()).toBe('2026-03-30T07:30:00.000Z');
    expect(nextOccurrence(spec, now)?.at.toISOString()).toBe('2026-04-01T07:30:00.000Z');
    // Exactly at the fire instant: that occurrence is the previous one, the next is later.
    const at = new Date('2026-04-01T07:30:00Z');
    expect(previousOccurrence(spec, at)?.localDate).toBe('2026-04-01');
    expect(nextOccurrence(spec, at)?.localDate).toBe('2026-04-03');
  });

  it('has no occurrence for an empty weekday set', () => {
    expect(nextOccurrence({ localTime: '09:30', timezone: 'UTC', weekdays: [] }, new Date())).toBeUndefined();
  });
});

describe('decideDue', () => {
  const at = new Date('2026-01-05T04:00:00Z');
  const grace = 2 * 3600_000;
  it('waits before, posts on time and late within the grace window, skips after it', () => {
    expect(decideDue(at, new Date(at.getTime() - 1), grace)).toBe('not-yet');
    expect(decideDue(at, at, grace)).toBe('post');
    expect(decideDue(at, new Date(at.getTime() + grace), grace)).toBe('post');
    expect(decideDue(at, new Date(at.getTime() + grace + 1), grace)).toBe('skip');
  });
});

describe('parsing what people type', () => {
  it('accepts 24-hour and am/pm times', () => {
    expect(parseLocalTime('09:30')).toEqual({ ok: true, value: '09:30' });
    expect(parseLocalTime('9:30')).toEqual({ ok: true, value: '09:30' });
    expect(parseLocalTime('5pm')).toEqual({ ok: true, value: '17:00' });
    expect(parseLocalTime('12:15 am')).toEqual({ ok: true, value: '00:15' });
    expect(parseLocalTime('12pm')).toEqual({ ok: true, value: '12:00' });
  });

  it('rejects bad times with an example', () => {
    for (const bad of ['25:00', '9:75', 'noon', '9', '13pm', '']) {
      const r = parseLocalTime(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/e\.g\. time:09:30/);
    }
  });

  it('accepts day ranges, lists and names', () => {
    expect(parseWeekdays('mon-fri')).toEqual({ ok: true, value: ['mon', 'tue', 'wed', 'thu', 'fri'] });
    expect(parseWeekdays('weekdays')).toEqual({ ok: true, value: ['mon', 'tue', 'wed', 'thu', 'fri'] });
    expect(parseWeekdays('daily')).toEqual({ ok: true, value: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] });
    expect(parseWeekdays('Mon,Wed, fri')).toEqual({ ok: true, value: ['mon', 'wed', 'fri'] });
    expect(parseWeekdays('fri-mon')).toEqual({ ok: true, value: ['mon', 'fri', 'sat', 'sun'] });
  });

  it('rejects unknown days with an example', () => {
    for (const bad of ['funday', 'mon-xyz', 'mon-tue-wed', '']) {
      const r = parseWeekdays(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/days:mon-fri/);
    }
  });
});
