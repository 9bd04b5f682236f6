import { describe, expect, it } from 'vitest';
import type { StreakRecord } from '../../../src/store/practice-types.ts';
import type { StartBreakInput } from '../../../src/store/streak-care-types.ts';
import { careStores, seedPerson, seedQuestions, type OpenCare } from '../../stores/care.ts';

const now = new Date('2026-12-02T09:00:00.000Z');
const DAY = 86_400_000;
const later = (ms: number) => new Date(now.getTime() + ms);

const breakFor = (personId: string, over: Partial<StartBreakInput> = {}): StartBreakInput => ({
  personId,
  startsOn: '2026-12-02',
  untilDay: '2026-12-08',
  zone: 'Europe/Berlin',
  endsAt: new Date('2026-12-08T23:00:00.000Z'),
  now,
  countFrom: '2026-01-01',
  maxCounted: 2,
  ...over,
});

/** A replay the test can tell apart: the streak is the number of active days, ending on the last. */
const countDays = (days: string[]): StreakRecord => ({ current: days.length, longest: days.length, lastDay: days.at(-1) ?? null, freezes: 1 });

async function seedReview(store: OpenCare, personId: string, questionId: string, dueAt: string) {
  await store.sql.rows('INSERT INTO reviews (person_id, question_id, card, due_at, reviewed_at) VALUES (?, ?, ?, ?, ?)', [
    personId,
    questionId,
    '{}',
    dueAt,
    now.toISOString(),
  ]);
}

async function seedDays(store: OpenCare, personId: string, days: string[]) {
  for (const d of days) await store.sql.rows('INSERT INTO activity_days (person_id, local_date) VALUES (?, ?)', [personId, d]);
}

const dueDates = async (store: OpenCare, personId: string) =>
  (await store.sql.rows<{ due_at: string }>('SELECT due_at FROM reviews WHERE person_id = ? ORDER BY due_at', [personId])).map((r) => r.due_at);

const storedStreak = async (store: OpenCare, personId: string) =>
  (await store.sql.rows('SELECT current, longest, last_day, freezes FROM streaks WHERE person_id = ?', [personId]))[0];

describe.each(careStores())('streak care on $name', (kind) => {
  it('starts one break at a time and refuses past the limit, not counting one cancelled on its first day', async () => {
    const { care, sql } = await kind.open();
    const { personId } = await seedPerson(sql, 'p-amy', 'Amy');
    const first = await care.startBreak(breakFor(personId));
    expect(first).toMatchObject({
      ok: true,
      brk: { personId, startsOn: '2026-12-02', untilDay: '2026-12-08', zone: 'Europe/Berlin', startedAt: now.toISOString(), endsAt: '2026-12-08T23:00:00.000Z', endedAt: null, endReason: null, daysTaken: null, shiftedDays: null },
    });
    if (!first.ok) throw new Error('unreachable');
    expect(await care.openBreak(personId)).toEqual(first.brk);
    expect(await care.startBreak(breakFor(personId))).toEqual({ ok: false, reason: 'on-break', current: first.brk });

    // Ended on its first day: took no day, so it does not count towards the limit.
    expect(await care.endBreak({ breakId: first.brk.id, now, reason: 'ended', daysTaken: 0, shiftDays: 0 })).toMatchObject({ endReason: 'ended', daysTaken: 0, shiftedDays: 0, endedAt: now.toISOString() });
    expect(await care.openBreak(personId)).toBeUndefined();
    const second = await care.startBreak(breakFor(personId, { startsOn: '2026-12-03' }));
    expect(second.ok).toBe(true);
    if (!second.ok) throw new Error('unreachable');
    await care.endBreak({ breakId: second.brk.id, now: later(DAY), reason: 'ended', daysTaken: 1, shiftDays: 1 });
    const third = await care.startBreak(breakFor(personId, { startsOn: '2026-12-10' }));
    expect(third.ok).toBe(true);
    if (!third.ok) throw new Error('unreachable');
    await care.endBreak({ breakId: third.brk.id, now: later(9 * DAY), reason: 'answered', daysTaken: 2, shiftDays: 2 });
    const refused = await care.startBreak(breakFor(personId, { startsOn: '2026-12-20' }));
    expect(refused.ok === false && refused.reason === 'limit' && refused.counted.map((b) => b.startsOn)).toEqual(['2026-12-03', '2026-12-10']);
    // Breaks before the window's start do not count.
    expect((await care.startBreak(breakFor(personId, { startsOn: '2026-12-20', countFrom: '2026-12-05' }))).ok).toBe(true);
  });

  it('ends a break once and moves only the reviews due since it began', async () => {
    const store = await kind.open();
    const { care, sql, bank } = store;
    const { personId } = await seedPerson(sql, 'p-amy', 'Amy');
    const { personId: bob } = await seedPerson(sql, 'p-bob', 'Bob');
    const [q1, q2, q3] = await seedQuestions(bank, ['Q one?', 'Q two?', 'Q three?']);
    await seedReview(store, personId, q1!, '2026-12-01T09:00:00.000Z'); // overdue before the break: stays
    await seedReview(store, personId, q2!, '2026-12-02T09:00:00.000Z'); // due as it began: moves
    await seedReview(store, personId, q3!, '2026-12-05T10:30:00.000Z'); // due during it: moves
    await seedReview(store, bob, q2!, '2026-12-05T10:30:00.000Z'); // someone else's: stays
    const started = await care.startBreak(breakFor(personId));
    if (!started.ok) throw new Error('the break did not start');
    expect(await care.endBreak({ breakId: 'abc', now, reason: 'ran-out', daysTaken: 7, shiftDays: 7 })).toBeUndefined();
    expect(await care.endBreak({ breakId: '99999999999', now, reason: 'ran-out', daysTaken: 7, shiftDays: 7 })).toBeUndefined();
    const ended = await care.endBreak({ breakId: started.brk.id, now: later(7 * DAY), reason: 'ran-out', daysTaken: 7, shiftDays: 7 });
    expect(ended).toMatchObject({ id: started.brk.id, endReason: 'ran-out', daysTaken: 7, shiftedDays: 7, endedAt: later(7 * DAY).toISOString() });
    expect(await dueDates(store, personId)).toEqual(['2026-12-01T09:00:00.000Z', '2026-12-09T09:00:00.000Z', '2026-12-12T10:30:00.000Z']);
    expect(await dueDates(store, bob)).toEqual(['2026-12-05T10:30:00.000Z']);
    // The minute job and an answer at the same moment: the second end changes nothing.
    expect(await care.endBreak({ breakId: started.brk.id, now: later(8 * DAY), reason: 'answered', daysTaken: 8, shiftDays: 8 })).toBeUndefined();
    expect(await dueDates(store, personId)).toEqual(['2026-12-01T09:00:00.000Z', '2026-12-09T09:00:00.000Z', '2026-12-12T10:30:00.000Z']);
    // Negative counts from the core (a clock stepping back) move nothing.
    const again = await care.startBreak(breakFor(personId, { startsOn: '2026-12-20', countFrom: '2026-12-15' }));
    if (!again.ok) throw new Error('the second break did not start');
    expect(await care.endBreak({ breakId: again.brk.id, now, reason: 'ended', daysTaken: -1, shiftDays: -3 })).toMatchObject({ daysTaken: 0, shiftedDays: 0 });
    expect(await dueDates(store, personId)).toEqual(['2026-12-01T09:00:00.000Z', '2026-12-09T09:00:00.000Z', '2026-12-12T10:30:00.000Z']);
  });

  it('lists expired open breaks by when they ran out, up to the limit', async () => {
    const { care, sql } = await kind.open();
    const ids: string[] = [];
    for (const [n, endsAt] of [['a', '2026-12-05T23:00:00.000Z'], ['b', '2026-12-03T23:00:00.000Z'], ['c', '2026-12-09T23:00:00.000Z'], ['d', '2026-12-04T23:00:00.000Z']] as const) {
      const { personId } = await seedPerson(sql, `p-${n}`, n);
      const r = await care.startBreak(breakFor(personId, { endsAt: new Date(endsAt) }));
      if (!r.ok) throw new Error('the break did not start');
      ids.push(r.brk.id);
    }
    await care.endBreak({ breakId: ids[3]!, now, reason: 'ended', daysTaken: 1, shiftDays: 0 });
    const at = new Date('2026-12-05T23:00:00.000Z');
    expect((await care.expiredBreaks(at)).map((b) => b.personId)).toEqual(['p-b', 'p-a']);
    expect((await care.expiredBreaks(at, 1)).map((b) => b.personId)).toEqual(['p-b']);
    expect(await care.expiredBreaks(new Date('2026-12-03T22:59:59.999Z'))).toEqual([]);
  });

  it('repairs a date once, with an audit row, and replays the streak from the active days', async () => {
    const store = await kind.open();
    const { care, sql } = store;
    const { personId } = await seedPerson(sql, 'p-amy', 'Amy');
    await seedDays(store, personId, ['2026-12-03', '2026-12-01']);
    expect(await care.activeDays(personId)).toEqual(['2026-12-01', '2026-12-03']);
    const repair = { personId, localDate: '2026-12-02', reason: 'the bot was down', repairedBy: 'slack:T1:admin', repairedByName: 'Admin', now, replay: countDays };
    expect(await care.repairStreak(repair)).toEqual({ ok: true, streak: { current: 2, longest: 2, lastDay: '2026-12-03', freezes: 1 } });
    expect(await storedStreak(store, personId)).toEqual({ current: 2, longest: 2, last_day: '2026-12-03', freezes: 1 });
    expect(await care.repairStreak({ ...repair, reason: 'again', now: later(1000) })).toEqual({
      ok: false,
      reason: 'already-repaired',
      existing: { personId, localDate: '2026-12-02', reason: 'the bot was down', repairedBy: 'slack:T1:admin', repairedByName: 'Admin', repairedAt: now.toISOString() },
    });
    await seedDays(store, personId, ['2026-12-04']);
    expect(await care.replayStreak(personId, later(DAY), countDays)).toEqual({ current: 3, longest: 3, lastDay: '2026-12-04', freezes: 1 });
    expect(await storedStreak(store, personId)).toEqual({ current: 3, longest: 3, last_day: '2026-12-04', freezes: 1 });
  });

  it('gathers every excuse per person: breaks, repairs, and failed days of workspaces they have an account in', async () => {
    const store = await kind.open();
    const { care, sql, bank } = store;
    const { personId: amy } = await seedPerson(sql, 'p-amy', 'Amy', 'slack:T1');
    await sql.rows("INSERT INTO workspaces (id, platform, created_at) VALUES ('discord:G1', 'discord', 'x')");
    await sql.rows("INSERT INTO accounts (id, platform, person_id, display_name, workspace_id, created_at) VALUES ('discord:G1:amy', 'discord', 'p-amy', 'Amy', 'discord:G1', 'x')");
    const { personId: bob } = await seedPerson(sql, 'p-bob', 'Bob', 'slack:T2');
    expect(await care.excuseWorkspaceDay('slack:T1', '2026-12-04', 'daily question not posted', now)).toBe(true);
    expect(await care.excuseWorkspaceDay('slack:T1', '2026-12-04', 'again', now)).toBe(false);
    expect(await care.excuseWorkspaceDay('discord:G1', '2026-12-04', 'daily question not posted', now)).toBe(true);
    expect(await care.excuseWorkspaceDay('discord:G1', '2026-12-01', 'daily question not posted', now)).toBe(true);
    expect(await care.excuseWorkspaceDay('slack:T2', '2026-12-06', 'outage', now)).toBe(true);
    const brk = await care.startBreak(breakFor(amy));
    await care.repairStreak({ personId: amy, localDate: '2026-11-30', reason: 'r', repairedBy: 'a', repairedByName: 'A', now, replay: countDays });
    const excuses = await care.streakExcuses([amy, bob, amy, 'p-nobody']);
    expect([...excuses.keys()].sort()).toEqual(['p-amy', 'p-bob', 'p-nobody']);
    expect(excuses.get(amy)).toEqual({
      breaks: [brk.ok && brk.brk],
      repairs: [{ personId: amy, localDate: '2026-11-30', reason: 'r', repairedBy: 'a', repairedByName: 'A', repairedAt: now.toISOString() }],
      workspaceDays: [
        { localDate: '2026-12-01', reason: 'daily question not posted' },
        { localDate: '2026-12-04', reason: 'daily question not posted' },
      ],
    });
    expect(excuses.get(bob)).toEqual({ breaks: [], repairs: [], workspaceDays: [{ localDate: '2026-12-06', reason: 'outage' }] });
    expect(excuses.get('p-nobody')).toEqual({ breaks: [], repairs: [], workspaceDays: [] });
    expect((await care.streakExcuses([])).size).toBe(0);

    // In a workspace: an account there, or an answer there (a Discord account spans guilds).
    expect(await care.inWorkspace(amy, 'slack:T1')).toBe(true);
    expect(await care.inWorkspace(amy, 'slack:T2')).toBe(false);
    const [q] = await seedQuestions(bank, ['Q?']);
    await sql.rows("INSERT INTO attempts (person_id, question_id, conversation_id, workspace_id, source, asked_at) VALUES (?, ?, 'c', 'slack:T2', 'ask', 'x')", [amy, q]);
    expect(await care.inWorkspace(amy, 'slack:T2')).toBe(true);
  });

  it('records when the bot was alive: one stretch per process until it falls silent too long', async () => {
    const { care } = await kind.open();
    const minute = 60_000;
    await care.recordAlive('proc-1', now, 5 * minute);
    await care.recordAlive('proc-1', later(minute), 5 * minute);
    await care.recordAlive('proc-1', later(6 * minute), 5 * minute);
    await care.recordAlive('proc-2', later(2 * minute), 5 * minute);
    // Silent for more than five minutes (the machine slept): a new stretch.
    await care.recordAlive('proc-1', later(12 * minute), 5 * minute);
    await care.recordAlive('proc-1', later(13 * minute), 5 * minute);
    expect(await care.aliveIntervals()).toEqual([
      { from: now.toISOString(), until: later(6 * minute).toISOString() },
      { from: later(2 * minute).toISOString(), until: later(2 * minute).toISOString() },
      { from: later(12 * minute).toISOString(), until: later(13 * minute).toISOString() },
    ]);
  });

  describe('under two processes', () => {
    it(`two /break at once for one person start one break (${kind.twoLabel()})`, async () => {
      const [a, b] = await kind.openTwo();
      const { personId } = await seedPerson(a.sql, 'p-amy', 'Amy');
      for (let round = 0; round < 10; round++) {
        const input = breakFor(personId, { maxCounted: 100 });
        const results = await Promise.all([a.care.startBreak(input), b.care.startBreak(input), a.care.startBreak(input), b.care.startBreak(input)]);
        const won = results.filter((r) => r.ok);
        expect(won).toHaveLength(1);
        for (const r of results) if (!r.ok) expect(r).toMatchObject({ reason: 'on-break', current: { id: won[0]!.ok && won[0]!.brk.id } });
        const open = await a.sql.rows('SELECT id FROM breaks WHERE ended_at IS NULL');
        expect(open).toHaveLength(1);
        // Two ends at once (the minute job in one process, an answer in the other): one wins.
        const end = { breakId: String(won[0]!.ok && won[0]!.brk.id), now, reason: 'ended' as const, daysTaken: 1, shiftDays: 0 };
        expect((await Promise.all([a.care.endBreak(end), b.care.endBreak(end)])).filter((x) => x !== undefined)).toHaveLength(1);
      }
    });

    it(`two repairs of one date at once record one, and the stored streak is a full replay (${kind.twoLabel()})`, async () => {
      const [a, b] = await kind.openTwo();
      const { personId } = await seedPerson(a.sql, 'p-amy', 'Amy');
      await seedDays(a, personId, ['2026-12-01', '2026-12-03']);
      for (const day of ['2026-12-02', '2026-12-04', '2026-12-05']) {
        const repair = { personId, localDate: day, reason: 'r', repairedBy: 'a', repairedByName: 'A', now, replay: countDays };
        const results = await Promise.all([a.care.repairStreak(repair), b.care.repairStreak(repair), a.care.replayStreak(personId, now, countDays)]);
        expect(results.filter((r) => 'ok' in r && r.ok)).toHaveLength(1);
        expect(results.filter((r) => 'ok' in r && !r.ok && r.reason === 'already-repaired')).toHaveLength(1);
      }
      expect(await a.sql.count('streak_repairs')).toBe(3);
      expect(await storedStreak(a, personId)).toEqual({ current: 2, longest: 2, last_day: '2026-12-03', freezes: 1 });
    });
  });
});
