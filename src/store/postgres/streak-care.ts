import type { StreakRecord } from '../practice-types.ts';
import { BREAK_COLUMNS, breakEnding, breakKey, REPAIR_COLUMNS, shiftedReviews, toBreak, toRepair, type BreakRow, type RepairRow } from '../streak-care-rows.ts';
import type { StreakCareRepository, StreakExcuseRecords } from '../streak-care-types.ts';
import { lockPeople } from './locks.ts';
import type { SqlClient, SqlQueryable } from './sql.ts';
import { withPostgresUnavailableErrors } from './unavailable.ts';

/**
 * Breaks, excused days, repairs and heartbeats on PostgreSQL: the same behaviour as
 * src/store/sqlite/streak-care.ts, in PostgreSQL's dialect.
 *
 * SQLite's single writer makes each read-decide-write method serial for free. Here
 * two bot processes could both find no open break and both insert one, or replay a
 * streak while an answer updates it; so each such method is one transaction that
 * takes the person's advisory lock first (src/store/postgres/locks.ts), the lock
 * answers, ratings and links take too. Under READ COMMITTED every statement after
 * the lock sees what the previous holder committed.
 *
 * Text is ordered with COLLATE "C", as SQLite compares bytes.
 */

const UPSERT_STREAK = `INSERT INTO streaks (person_id, current, longest, last_day, freezes, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (person_id) DO UPDATE SET current = excluded.current, longest = excluded.longest,
    last_day = excluded.last_day, freezes = excluded.freezes, updated_at = excluded.updated_at`;

async function activeDays(db: SqlQueryable, personId: string): Promise<string[]> {
  const { rows } = await db.query<{ local_date: string }>(
    'SELECT local_date FROM activity_days WHERE person_id = $1 ORDER BY local_date COLLATE "C"',
    [personId],
  );
  return rows.map((r) => r.local_date);
}

/** Replays and stores the streak; the caller holds the person's lock. */
async function replay(tx: SqlQueryable, personId: string, at: string, fn: (days: string[]) => StreakRecord): Promise<StreakRecord> {
  const s = fn(await activeDays(tx, personId));
  await tx.query(UPSERT_STREAK, [personId, s.current, s.longest, s.lastDay, s.freezes, at]);
  return s;
}

async function openBreakRow(db: SqlQueryable, personId: string): Promise<BreakRow | undefined> {
  return (
    await db.query<BreakRow>(
      `SELECT ${BREAK_COLUMNS} FROM breaks WHERE person_id = $1 AND ended_at IS NULL
        ORDER BY started_at COLLATE "C" DESC, id DESC LIMIT 1`,
      [personId],
    )
  ).rows[0];
}

/** The streak-care methods over `db`, which must be migrated (migratePostgres, or openPostgres which does it). */
export function createPostgresStreakCare(db: SqlClient): StreakCareRepository {
  const store: StreakCareRepository = {
    async startBreak(input) {
      return db.transaction(async (tx) => {
        // Two /break commands at once (two processes) would both pass the open-break and limit checks.
        await lockPeople(tx, [input.personId]);
        const open = await openBreakRow(tx, input.personId);
        if (open) return { ok: false, reason: 'on-break', current: toBreak(open) };
        // A break cancelled on the day it began took no day (days_taken 0) and does not count.
        const counted = (
          await tx.query<BreakRow>(
            `SELECT ${BREAK_COLUMNS} FROM breaks WHERE person_id = $1 AND starts_on >= $2 AND (days_taken IS NULL OR days_taken > 0)
              ORDER BY starts_on COLLATE "C", id`,
            [input.personId, input.countFrom],
          )
        ).rows.map(toBreak);
        if (counted.length >= input.maxCounted) return { ok: false, reason: 'limit', counted };
        const { rows } = await tx.query<BreakRow>(
          `INSERT INTO breaks (person_id, starts_on, until_day, zone, started_at, ends_at) VALUES ($1, $2, $3, $4, $5, $6)
           RETURNING ${BREAK_COLUMNS}`,
          [input.personId, input.startsOn, input.untilDay, input.zone, input.now.toISOString(), input.endsAt.toISOString()],
        );
        return { ok: true, brk: toBreak(rows[0]!) };
      });
    },
    async openBreak(personId) {
      const row = await openBreakRow(db, personId);
      return row ? toBreak(row) : undefined;
    },
    async endBreak(input) {
      const key = breakKey(input.breakId);
      // Also beyond int4: the id column is an INTEGER, so no row can match a larger one (and the query would fail).
      if (key === undefined || key > 2_147_483_647) return undefined;
      return db.transaction(async (tx) => {
        const found = (await tx.query<{ person_id: string }>('SELECT person_id FROM breaks WHERE id = $1', [key])).rows[0];
        if (!found) return undefined;
        // The person's lock: moving reviews must not interleave with a rating writing one.
        await lockPeople(tx, [found.person_id]);
        const { daysTaken, shift } = breakEnding(input);
        // The first end wins: the minute job and an answer at the same moment move nothing twice.
        const ended = (
          await tx.query<BreakRow>(
            `UPDATE breaks SET ended_at = $1, end_reason = $2, days_taken = $3, shifted_days = $4 WHERE id = $5 AND ended_at IS NULL
             RETURNING ${BREAK_COLUMNS}`,
            [input.now.toISOString(), input.reason, daysTaken, shift, key],
          )
        ).rows[0];
        if (!ended) return undefined;
        if (shift > 0) {
          const due = (
            await tx.query<{ question_id: string; due_at: string }>(
              'SELECT question_id, due_at FROM reviews WHERE person_id = $1 AND due_at >= $2',
              [ended.person_id, ended.started_at],
            )
          ).rows;
          for (const r of shiftedReviews(due, shift)) {
            await tx.query('UPDATE reviews SET due_at = $1 WHERE person_id = $2 AND question_id = $3', [r.dueAt, ended.person_id, r.questionId]);
          }
        }
        return toBreak(ended);
      });
    },
    async expiredBreaks(now, limit = 100) {
      const { rows } = await db.query<BreakRow>(
        `SELECT ${BREAK_COLUMNS} FROM breaks WHERE ended_at IS NULL AND ends_at <= $1 ORDER BY ends_at COLLATE "C", id LIMIT $2`,
        [now.toISOString(), limit],
      );
      return rows.map(toBreak);
    },
    async streakExcuses(personIds) {
      const ids = [...new Set(personIds)];
      const out = new Map<string, StreakExcuseRecords>(ids.map((id) => [id, { breaks: [], repairs: [], workspaceDays: [] }]));
      if (ids.length === 0) return out;
      // One query per table for every person, where SQLite runs one per person: round trips cost here.
      const breaks = await db.query<BreakRow>(
        `SELECT ${BREAK_COLUMNS} FROM breaks WHERE person_id = ANY(CAST($1 AS TEXT[])) ORDER BY starts_on COLLATE "C", id`,
        [ids],
      );
      for (const r of breaks.rows) out.get(r.person_id)!.breaks.push(toBreak(r));
      const repairs = await db.query<RepairRow>(
        `SELECT ${REPAIR_COLUMNS} FROM streak_repairs WHERE person_id = ANY(CAST($1 AS TEXT[])) ORDER BY local_date COLLATE "C"`,
        [ids],
      );
      for (const r of repairs.rows) out.get(r.person_id)!.repairs.push(toRepair(r));
      const days = await db.query<{ person_id: string; local_date: string; reason: string }>(
        `SELECT person_id, local_date, reason FROM (
           SELECT DISTINCT a.person_id, e.local_date, e.reason FROM excused_days e
             JOIN accounts a ON a.workspace_id = e.workspace_id
            WHERE a.person_id = ANY(CAST($1 AS TEXT[]))) d
          ORDER BY local_date COLLATE "C", reason COLLATE "C"`,
        [ids],
      );
      for (const r of days.rows) out.get(r.person_id)!.workspaceDays.push({ localDate: r.local_date, reason: r.reason });
      return out;
    },
    async inWorkspace(personId, workspaceKey) {
      const { rows } = await db.query(
        `SELECT 1 FROM accounts WHERE person_id = $1 AND workspace_id = $2
         UNION ALL SELECT 1 FROM attempts WHERE person_id = $1 AND workspace_id = $2 LIMIT 1`,
        [personId, workspaceKey],
      );
      return rows.length > 0;
    },
    async activeDays(personId) {
      return activeDays(db, personId);
    },
    async repairStreak(input) {
      return db.transaction(async (tx) => {
        // Serialises with answers and other replays of this person, so the stored streak is the last replay's.
        await lockPeople(tx, [input.personId]);
        const existing = (
          await tx.query<RepairRow>(`SELECT ${REPAIR_COLUMNS} FROM streak_repairs WHERE person_id = $1 AND local_date = $2`, [
            input.personId,
            input.localDate,
          ])
        ).rows[0];
        if (existing) return { ok: false, reason: 'already-repaired', existing: toRepair(existing) };
        const at = input.now.toISOString();
        await tx.query(
          'INSERT INTO streak_repairs (person_id, local_date, reason, repaired_by, repaired_by_name, repaired_at) VALUES ($1, $2, $3, $4, $5, $6)',
          [input.personId, input.localDate, input.reason, input.repairedBy, input.repairedByName, at],
        );
        return { ok: true, streak: await replay(tx, input.personId, at, input.replay) };
      });
    },
    async replayStreak(personId, now, fn) {
      return db.transaction(async (tx) => {
        await lockPeople(tx, [personId]);
        return replay(tx, personId, now.toISOString(), fn);
      });
    },
    async excuseWorkspaceDay(workspaceKey, localDate, reason, now) {
      // The primary key decides between two processes marking the same day: the second inserts nothing.
      const { rowCount } = await db.query(
        'INSERT INTO excused_days (workspace_id, local_date, reason, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [workspaceKey, localDate, reason, now.toISOString()],
      );
      return rowCount > 0;
    },
    async recordAlive(processId, now, maxSilenceMs) {
      // No lock: only the process itself writes its rows, one heartbeat at a time.
      await db.transaction(async (tx) => {
        const at = now.toISOString();
        const { rowCount } = await tx.query(
          `UPDATE bot_uptime SET last_seen_at = $1
            WHERE id = (SELECT id FROM bot_uptime WHERE process_id = $2 ORDER BY last_seen_at COLLATE "C" DESC, id DESC LIMIT 1)
              AND last_seen_at >= $3 AND last_seen_at <= $1`,
          [at, processId, new Date(now.getTime() - maxSilenceMs).toISOString()],
        );
        if (rowCount === 0) await tx.query('INSERT INTO bot_uptime (process_id, started_at, last_seen_at) VALUES ($1, $2, $2)', [processId, at]);
      });
    },
    async aliveIntervals() {
      const { rows } = await db.query<{ started_at: string; last_seen_at: string }>(
        'SELECT started_at, last_seen_at FROM bot_uptime ORDER BY started_at COLLATE "C", id',
      );
      return rows.map((r) => ({ from: r.started_at, until: r.last_seen_at }));
    },
  };
  return withPostgresUnavailableErrors(store);
}
