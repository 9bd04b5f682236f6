import { describe, expect, it } from 'vitest';
import { practiceDate } from '../../../src/time/local-time.ts';
import { parseDayStartHour } from '../../../src/core/daystart.ts';
import { createHarness, plain } from '../core/harness.ts';

describe('practiceDate with a day start (wall-clock hour, DST-correct)', () => {
  it('New York, spring forward (2025-03-09, 02:00 → 03:00): 03:30 EDT is before a 4 o’clock start', () => {
    // 08:00Z is 04:00 EDT but only 3 elapsed hours after midnight EST: the wall clock is what counts.
    expect(practiceDate(new Date('2025-03-09T07:30:00Z'), 'America/New_York', 4)).toBe('2025-03-08');
    expect(practiceDate(new Date('2025-03-09T08:00:00Z'), 'America/New_York', 4)).toBe('2025-03-09'); // 04:00 EDT
  });

  it('New York, fall back (2025-11-02, 02:00 → 01:00): both 01:30s belong to the day before', () => {
    expect(practiceDate(new Date('2025-11-02T05:30:00Z'), 'America/New_York', 4)).toBe('2025-11-01'); // 01:30 EDT
    expect(practiceDate(new Date('2025-11-02T06:30:00Z'), 'America/New_York', 4)).toBe('2025-11-01'); // 01:30 EST
    expect(practiceDate(new Date('2025-11-02T08:59:00Z'), 'America/New_York', 4)).toBe('2025-11-01'); // 03:59 EST, 4 h 59 elapsed since midnight
    expect(practiceDate(new Date('2025-11-02T09:00:00Z'), 'America/New_York', 4)).toBe('2025-11-02'); // 04:00 EST
  });

  it('Berlin, spring forward (2025-03-30, 02:00 → 03:00)', () => {
    expect(practiceDate(new Date('2025-03-30T01:30:00Z'), 'Europe/Berlin', 4)).toBe('2025-03-29'); // 03:30 CEST
    expect(practiceDate(new Date('2025-03-30T02:00:00Z'), 'Europe/Berlin', 4)).toBe('2025-03-30'); // 04:00 CEST
  });

  it('Sydney, fall back (2025-04-06, 03:00 → 02:00) and spring forward (2025-10-05, 02:00 → 03:00)', () => {
    expect(practiceDate(new Date('2025-04-05T16:30:00Z'), 'Australia/Sydney', 4)).toBe('2025-04-05'); // 02:30 AEDT
    expect(practiceDate(new Date('2025-04-05T17:30:00Z'), 'Australia/Sydney', 4)).toBe('2025-04-05'); // 03:30 AEST
    expect(practiceDate(new Date('2025-04-05T18:00:00Z'), 'Australia/Sydney', 4)).toBe('2025-04-06'); // 04:00 AEST
    expect(practiceDate(new Date('2025-10-04T16:30:00Z'), 'Australia/Sydney', 4)).toBe('2025-10-04'); // 03:30 AEDT
    expect(practiceDate(new Date('2025-10-04T17:00:00Z'), 'Australia/Sydney', 4)).toBe('2025-10-05'); // 04:00 AEDT
  });

  it('day start 0 is the plain calendar date', () => {
    expect(practiceDate(new Date('2025-03-30T22:30:00Z'), 'Europe/Berlin', 0)).toBe('2025-03-31');
  });
});

describe('parseDayStartHour', () => {
  it('takes 0-23 and a few spoken forms, refuses the rest', () => {
    expect(parseDayStartHour('4')).toBe(4);
    expect(parseDayStartHour('04:00')).toBe(4);
    expect(parseDayStartHour('4am')).toBe(4);
    expect(parseDayStartHour('0')).toBe(0);
    expect(parseDayStartHour('23')).toBe(23);
    expect(parseDayStartHour('24')).toBeUndefined();
    expect(parseDayStartHour('-1')).toBeUndefined();
    expect(parseDayStartHour('4:30')).toBeUndefined();
    expect(parseDayStartHour('soon')).toBeUndefined();
  });
});

const alice = { id: 'U1', name: 'alice' };

describe('/daystart through the bot', () => {
  it('an answer at 01:30 local counts for the day before, so the late-night answer keeps the streak going', async () => {
    const h = await createHarness({ start: '2025-03-10T20:00:00Z' });
    await h.command(alice, 'timezone', { zone: 'Europe/Berlin' });
    const set = await h.command(alice, 'daystart', { hour: '4' });
    expect(set.texts('private')[0]).toContain('starts at 04:00');
    await h.practise(alice, 'A mutex is a lock; unlock with defer.'); // 21:00 Berlin on the 10th
    h.clock.set('2025-03-12T00:30:00Z'); // 01:30 Berlin on the 12th: still the 11th
    const late = await h.practise(alice, 'A typed pipe between goroutines.');
    expect(late.result.texts('private').join(' ')).toContain('Streak: 2 days');
    expect(plain((await h.command(alice, 'streak')).replies[0]!.message)).toContain('Today is done');
  });

  it('refuses a bad hour politely and the workspace default is for admins', async () => {
    const h = await createHarness();
    const bad = await h.command(alice, 'daystart', { hour: '25' });
    expect(bad.replies[0]!.visibility).toBe('private');
    expect(bad.texts()[0]).toContain('from 0 to 23');
    const notAdmin = await h.command(alice, 'daystart', { hour: '5', scope: 'workspace' });
    expect(notAdmin.texts()[0]).toContain('Only workspace admins');
    const admin = await h.command({ id: 'U9', name: 'boss' }, 'daystart', { hour: '5', scope: 'workspace' }, { actorIsAdmin: true });
    expect(admin.texts()[0]).toContain('05:00');
    const shown = await h.command(alice, 'daystart');
    expect(shown.texts()[0]).toContain('starts at 05:00 (the workspace default)');
  });
});
