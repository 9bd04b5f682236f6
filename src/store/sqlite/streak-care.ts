import type { Db } from '../db.ts';
import type { StreakRecord } from '../practice-types.ts';
import { breakEnding, breakKey, shiftedReviews, toBreak, toRepair, type BreakRow, type RepairRow } from '../streak-care-rows.ts';
import type {
  AliveInterval,
  BreakRecord,
  EndBreakInput,
  RepairStreakInput,
  RepairStreakResult,
  StartBreakInput,
  StartBreakResult,
  StreakCareRepository,
  StreakExcuseRecords,
} from '../streak-care-types.ts';

/** Breaks, excused days, repairs and the heartbeat (migration 10), for the SQLite practice repository. */

export function createSqliteStreakCare(db: Db): StreakCareRepository {
  const q = {
    openBreak: db.prepare('SELECT * FROM breaks WHERE person_id = ? AND ended_at IS NULL ORDER BY started_at DESC, id DESC LIMIT 1'),
    breakById: db.prepare('SELECT * FROM breaks WHERE id = ?'),
    days: db.prepare('SELECT local_date FROM activity_days WHERE person_id = ? ORDER BY local_date'),
    upsertStreak: db.prepare(
      `INSERT INTO streaks (person_id, current, longest, last_day, freezes, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (person_id) DO UPDATE SET current = excluded.current, longest = excluded.longest,
         last_day = excluded.last_day, freezes = excluded.freezes, updated_at = excluded.updated_at`,
    ),
  };

  const activeDays = (personId: string) => (q.days.all(personId) as { local_date: string }[]).map((r) => r.local_date);

  const replay = (personId: string, at: string, fn: (days: string[]) => StreakRecord): StreakRecord => {
    const s = fn(activeDays(personId));
    q.upsertStreak.run(personId, s.current, s.longest, s.lastDay, s.freezes, at);
    return s;
  };

  const startBreak = db.transaction((input: StartBreakInput): StartBreakResult => {
    const open = q.openBreak.get(input.personId) as BreakRow | undefined;
    if (open) return { ok: false, reason: 'on-break', current: toBreak(open) };
    // A break cancelled on the day it began took no day (days_taken 0) and does not count.
    const counted = (
      db
        .prepare(
          `SELECT * FROM breaks WHERE person_id = ? AND starts_on >= ? AND (days_taken IS NULL OR days_taken > 0)
            ORDER BY starts_on, id`,
        )
        .all(input.personId, input.countFrom) as BreakRow[]
    ).map(toBreak);
    if (counted.length >= input.maxCounted) return { ok: false, reason: 'limit', counted };
    const info = db
      .prepare('INSERT INTO breaks (person_id, starts_on, until_day, zone, started_at, ends_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(input.personId, input.startsOn, input.untilDay, input.zone, input.now.toISOString(), input.endsAt.toISOString());
    return { ok: true, brk: toBreak(q.breakById.get(info.lastInsertRowid) as BreakRow) };
  });

  const endBreak = db.transaction((input: EndBreakInput): BreakRecord | undefined => {
    const key = breakKey(input.breakId);
    if (key === undefined) return undefined;
    const row = q.breakById.get(key) as BreakRow | undefined;
    if (!row || row.ended_at !== null) return undefined;
    const { daysTaken, shift } = breakEnding(input);
    const ended = db
      .prepare(
        'UPDATE breaks SET ended_at = ?, end_reason = ?, days_taken = ?, shifted_days = ? WHERE id = ? AND ended_at IS NULL',
      )
      .run(input.now.toISOString(), input.reason, daysTaken, shift, key).changes;
    if (ended === 0) return undefined;
    if (shift > 0) {
      const due = db
        .prepare('SELECT question_id, due_at FROM reviews WHERE person_id = ? AND due_at >= ?')
        .all(row.person_id, row.started_at) as { question_id: string; due_at: string }[];
      const move = db.prepare('UPDATE reviews SET due_at = ? WHERE person_id = ? AND question_id = ?');
      for (const r of shiftedReviews(due, shift)) move.run(r.dueAt, row.person_id, r.questionId);
    }
    return toBreak(q.breakById.get(key) as BreakRow);
  });

  const repairStreak = db.transaction((input: RepairStreakInput): RepairStreakResult => {
    const existing = db
      .prepare('SELECT * FROM streak_repairs WHERE person_id = ? AND local_date = ?')
      .get(input.personId, input.localDate) as RepairRow | undefined;
    if (existing) return { ok: false, reason: 'already-repaired', existing: toRepair(existing) };
    const at = input.now.toISOString();
    db.prepare(
      'INSERT INTO streak_repairs (person_id, local_date, reason, repaired_by, repaired_by_name, repaired_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(input.personId, input.localDate, input.reason, input.repairedBy, input.repairedByName, at);
    return { ok: true, streak: replay(input.personId, at, input.replay) };
  });

  const recordAlive = db.transaction((processId: string, now: Date, maxSilenceMs: number) => {
    const at = now.toISOString();
    const extended = db
      .prepare(
        `UPDATE bot_uptime SET last_seen_at = ?
          WHERE id = (SELECT id FROM bot_uptime WHERE process_id = ? ORDER BY last_seen_at DESC, id DESC LIMIT 1)
            AND last_seen_at >= ? AND last_seen_at <= ?`,
      )
      .run(at, processId, new Date(now.getTime() - maxSilenceMs).toISOString(), at).changes;
    if (extended === 0) db.prepare('INSERT INTO bot_uptime (process_id, started_at, last_seen_at) VALUES (?, ?, ?)').run(processId, at, at);
  });

  return {
    async startBreak(input) {
      // IMMEDIATE: two /break commands at once cannot both pass the limit.
      return startBreak.immediate(input);
    },
    async openBreak(personId) {
      const row = q.openBreak.get(personId) as BreakRow | undefined;
      return row ? toBreak(row) : undefined;
    },
    async endBreak(input) {
      return endBreak.immediate(input);
    },
    async expiredBreaks(now, limit = 100) {
      return (
        db.prepare('SELECT * FROM breaks WHERE ended_at IS NULL AND ends_at <= ? ORDER BY ends_at, id LIMIT ?').all(now.toISOString(), limit) as BreakRow[]
      ).map(toBreak);
    },
    async streakExcuses(personIds) {
      const out = new Map<string, StreakExcuseRecords>();
      const breaks = db.prepare('SELECT * FROM breaks WHERE person_id = ? ORDER BY starts_on, id');
      const repairs = db.prepare('SELECT * FROM streak_repairs WHERE person_id = ? ORDER BY local_date');
      const workspaceDays = db.prepare(
        `SELECT DISTINCT e.local_date, e.reason FROM excused_days e
          WHERE e.workspace_id IN (SELECT a.workspace_id FROM accounts a WHERE a.person_id = ?) ORDER BY e.local_date`,
      );
      for (const id of new Set(personIds)) {
        out.set(id, {
          breaks: (breaks.all(id) as BreakRow[]).map(toBreak),
          repairs: (repairs.all(id) as RepairRow[]).map(toRepair),
          workspaceDays: (workspaceDays.all(id) as { local_date: string; reason: string }[]).map((r) => ({ localDate: r.local_date, reason: r.reason })),
        });
      }
      return out;
    },
    async inWorkspace(personId, workspaceKey) {
      return (
        db
          .prepare(
            `SELECT 1 FROM accounts WHERE person_id = ? AND workspace_id = ?
             UNION ALL SELECT 1 FROM attempts WHERE person_id = ? AND workspace_id = ? LIMIT 1`,
          )
          .get(personId, workspaceKey, personId, workspaceKey) !== undefined
      );
    },
    async activeDays(personId) {
      return activeDays(personId);
    },
    async repairStreak(input) {
      return repairStreak.immediate(input);
    },
    async replayStreak(personId, now, fn) {
      return db.transaction(() => replay(personId, now.toISOString(), fn)).immediate();
    },
    async excuseWorkspaceDay(workspaceKey, localDate, reason, now) {
      return (
        db
          .prepare('INSERT INTO excused_days (workspace_id, local_date, reason, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
          .run(workspaceKey, localDate, reason, now.toISOString()).changes > 0
      );
    },
    async recordAlive(processId, now, maxSilenceMs) {
      recordAlive(processId, now, maxSilenceMs);
    },
    async aliveIntervals(): Promise<AliveInterval[]> {
      return (db.prepare('SELECT started_at, last_seen_at FROM bot_uptime ORDER BY started_at, id').all() as { started_at: string; last_seen_at: string }[]).map(
        (r) => ({ from: r.started_at, until: r.last_seen_at }),
      );
    },
  };
}
