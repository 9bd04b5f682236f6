import { randomUUID } from 'node:crypto';
import type { DailyAnswerer, ScheduleRepository } from '../../core/schedule/types.ts';
import { formatWeekdays } from '../../scheduler/times.ts';
import { clip, iso, toPost, toSchedule, type PostRow, type ScheduleRow } from '../schedule-rows.ts';
import type { SqlClient } from './sql.ts';
import { withPostgresUnavailableErrors } from './unavailable.ts';

/**
 * Daily-question schedules on PostgreSQL: the same behaviour as
 * src/store/sqlite/schedules.ts, in PostgreSQL's dialect.
 *
 * Exactly-once with several bot processes on one database rests on two things
 * PostgreSQL does under its default READ COMMITTED isolation:
 * - a day's claim (and a skip) is an INSERT … ON CONFLICT DO NOTHING on the primary
 *   key (schedule_id, local_date): of two inserts at once, the second waits for the
 *   first to commit and then inserts nothing;
 * - every takeover, lease renewal, mark and reveal claim is one conditional UPDATE:
 *   the second of two waits on the row lock the first holds, then re-checks its WHERE
 *   against the row the first committed (a fresh claimed_at, another claimed_by) and
 *   matches nothing.
 * Both are single statements, so each is atomic without an explicit transaction.
 * upsertSchedule reads, decides and writes: it is one transaction under a lock on
 * the conversation, where SQLite's single writer serialises it for free.
 *
 * Text is ordered with COLLATE "C", as SQLite compares bytes.
 */

/**
 * Class id of upsertSchedule's advisory lock; the conversation's hash is the object
 * id. The two-int key space of advisory locks is separate from the bigint one the
 * bank import's lock uses, so the two never collide.
 */
const UPSERT_LOCK_CLASS = 726_051_403;

const SCHEDULE_COLUMNS =
  'id, conversation_id, platform, workspace_id, local_time, timezone, weekdays, topic, reveal_time, status, paused_reason, created_by, created_at, updated_at, effective_from';
const POST_COLUMNS =
  'schedule_id, local_date, conversation_id, fire_at, status, claimed_at, claimed_by, attempts, message_id, thread_id, question_id, error, sent_at, reveal_at, reveal_status, reveal_message_id, revealed_at';
const P_POST_COLUMNS = POST_COLUMNS.split(', ')
  .map((c) => `p.${c}`)
  .join(', ');

/** The schedules over `db`, which must be migrated (migratePostgres, or openPostgres which does it). */
export function createPostgresScheduleStore(db: SqlClient): ScheduleRepository {
  const changed = async (text: string, params: unknown[]) => (await db.query(text, params)).rowCount === 1;

  const store: ScheduleRepository = {
    async upsertSchedule(input, now) {
      return db.transaction(async (tx) => {
        // Two `/schedule set` in one channel at once (two processes) would both find no
        // schedule and both insert; the second would break the one-live-schedule index.
        await tx.query(`SELECT pg_advisory_xact_lock(${UPSERT_LOCK_CLASS}, hashtext($1))`, [input.conversationId]);
        const t = iso(now);
        const existing = (
          await tx.query<{ id: string }>("SELECT id FROM schedules WHERE conversation_id = $1 AND status <> 'deleted'", [input.conversationId])
        ).rows[0];
        if (existing) {
          // New settings start counting from now: changing 09:30 to 08:00 at 08:30 must not post "late" for 08:00.
          const { rows } = await tx.query<ScheduleRow>(
            `UPDATE schedules SET local_time = $1, timezone = $2, weekdays = $3, topic = $4, reveal_time = $5,
               status = 'active', paused_reason = NULL, updated_at = $6, effective_from = $6 WHERE id = $7
             RETURNING ${SCHEDULE_COLUMNS}`,
            [input.localTime, input.timezone, formatWeekdays(input.weekdays), input.topic, input.revealTime, t, existing.id],
          );
          return { schedule: toSchedule(rows[0]!), created: false };
        }
        const { rows } = await tx.query<ScheduleRow>(
          `INSERT INTO schedules (id, conversation_id, platform, workspace_id, local_time, timezone, weekdays, topic,
             reveal_time, status, paused_reason, created_by, created_at, updated_at, effective_from)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', NULL, $10, $11, $11, $11)
           RETURNING ${SCHEDULE_COLUMNS}`,
          [
            randomUUID().slice(0, 8),
            input.conversationId,
            input.platform,
            input.workspaceId,
            input.localTime,
            input.timezone,
            formatWeekdays(input.weekdays),
            input.topic,
            input.revealTime,
            input.createdBy,
            t,
          ],
        );
        return { schedule: toSchedule(rows[0]!), created: true };
      });
    },
    async getSchedule(id) {
      const r = (await db.query<ScheduleRow>(`SELECT ${SCHEDULE_COLUMNS} FROM schedules WHERE id = $1`, [id])).rows[0];
      return r ? toSchedule(r) : undefined;
    },
    async scheduleFor(conversationId) {
      const r = (
        await db.query<ScheduleRow>(`SELECT ${SCHEDULE_COLUMNS} FROM schedules WHERE conversation_id = $1 AND status <> 'deleted'`, [
          conversationId,
        ])
      ).rows[0];
      return r ? toSchedule(r) : undefined;
    },
    async listSchedules(filter) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.platform) {
        params.push(filter.platform);
        where.push(`platform = $${params.length}`);
      }
      if (filter.workspaceId) {
        params.push(filter.workspaceId);
        where.push(`workspace_id = $${params.length}`);
      }
      params.push(filter.status ?? ['active', 'paused']);
      where.push(`status = ANY(CAST($${params.length} AS TEXT[]))`);
      const { rows } = await db.query<ScheduleRow>(
        `SELECT ${SCHEDULE_COLUMNS} FROM schedules WHERE ${where.join(' AND ')} ORDER BY created_at COLLATE "C", id COLLATE "C"`,
        params,
      );
      return rows.map(toSchedule);
    },
    async pauseSchedule(id, reason, now) {
      return changed("UPDATE schedules SET status = 'paused', paused_reason = $1, updated_at = $2 WHERE id = $3 AND status = 'active'", [
        clip(reason),
        iso(now),
        id,
      ]);
    },
    async resumeSchedule(id, now) {
      return changed(
        "UPDATE schedules SET status = 'active', paused_reason = NULL, updated_at = $1, effective_from = $1 WHERE id = $2 AND status = 'paused'",
        [iso(now), id],
      );
    },
    async deleteSchedule(id, now) {
      return changed("UPDATE schedules SET status = 'deleted', updated_at = $1 WHERE id = $2 AND status <> 'deleted'", [iso(now), id]);
    },

    async claimPost(input) {
      return changed(
        `INSERT INTO schedule_posts (schedule_id, local_date, conversation_id, fire_at, status, claimed_at, claimed_by, attempts, updated_at)
         VALUES ($1, $2, $3, $4, 'claimed', $5, $6, 0, $5)
         ON CONFLICT (schedule_id, local_date) DO NOTHING`,
        [input.scheduleId, input.localDate, input.conversationId, iso(input.fireAt), iso(input.now), input.processId],
      );
    },
    async takeOverStaleClaim(scheduleId, localDate, processId, now, staleBefore) {
      return changed(
        `UPDATE schedule_posts SET claimed_by = $1, claimed_at = $2, updated_at = $2
         WHERE schedule_id = $3 AND local_date = $4 AND status = 'claimed' AND claimed_at < $5`,
        [processId, iso(now), scheduleId, localDate, iso(staleBefore)],
      );
    },
    async renewClaim(scheduleId, localDate, processId, now) {
      return changed(
        `UPDATE schedule_posts SET claimed_at = $1, updated_at = $1
         WHERE schedule_id = $2 AND local_date = $3 AND status = 'claimed' AND claimed_by = $4`,
        [iso(now), scheduleId, localDate, processId],
      );
    },
    async beginAttempt(scheduleId, localDate, processId, now) {
      return changed(
        `UPDATE schedule_posts SET claimed_at = $1, updated_at = $1, attempts = attempts + 1
         WHERE schedule_id = $2 AND local_date = $3 AND status = 'claimed' AND claimed_by = $4`,
        [iso(now), scheduleId, localDate, processId],
      );
    },
    async markSent(scheduleId, localDate, processId, s) {
      const t = iso(s.now);
      return changed(
        `UPDATE schedule_posts SET status = 'sent', message_id = $1, thread_id = $2, question_id = $3, sent_at = $4,
           reveal_at = $5, error = NULL, updated_at = $4
         WHERE schedule_id = $6 AND local_date = $7 AND status = 'claimed' AND claimed_by = $8`,
        [s.messageId, s.threadId, s.questionId, t, iso(s.revealAt), scheduleId, localDate, processId],
      );
    },
    async setPostThread(scheduleId, localDate, threadId) {
      await db.query('UPDATE schedule_posts SET thread_id = $1 WHERE schedule_id = $2 AND local_date = $3', [threadId, scheduleId, localDate]);
    },
    async markUnsent(scheduleId, localDate, processId, status, error, now) {
      return changed(
        `UPDATE schedule_posts SET status = $1, error = $2, updated_at = $3
         WHERE schedule_id = $4 AND local_date = $5 AND status = 'claimed' AND claimed_by = $6`,
        [status, clip(error), iso(now), scheduleId, localDate, processId],
      );
    },
    async recordSkip(input) {
      return changed(
        `INSERT INTO schedule_posts (schedule_id, local_date, conversation_id, fire_at, status, error, attempts, updated_at)
         VALUES ($1, $2, $3, $4, 'skipped', $5, 0, $6)
         ON CONFLICT (schedule_id, local_date) DO NOTHING`,
        [input.scheduleId, input.localDate, input.conversationId, iso(input.fireAt), clip(input.reason), iso(input.now)],
      );
    },
    async getPost(scheduleId, localDate) {
      const r = (
        await db.query<PostRow>(`SELECT ${POST_COLUMNS} FROM schedule_posts WHERE schedule_id = $1 AND local_date = $2`, [scheduleId, localDate])
      ).rows[0];
      return r ? toPost(r) : undefined;
    },
    async listPosts(scheduleId) {
      const { rows } = await db.query<PostRow>(
        `SELECT ${POST_COLUMNS} FROM schedule_posts WHERE schedule_id = $1 ORDER BY local_date COLLATE "C"`,
        [scheduleId],
      );
      return rows.map(toPost);
    },
    async staleClaims(staleBefore) {
      const { rows } = await db.query<PostRow>(
        `SELECT ${P_POST_COLUMNS} FROM schedule_posts p JOIN schedules s ON s.id = p.schedule_id
         WHERE p.status = 'claimed' AND p.claimed_at < $1 AND s.status <> 'deleted'
         ORDER BY p.fire_at COLLATE "C"`,
        [iso(staleBefore)],
      );
      return rows.map(toPost);
    },
    async postsSince(scheduleIds, since) {
      if (scheduleIds.length === 0) return [];
      // One array parameter, however many schedules: no cap on bound parameters to chunk around.
      const { rows } = await db.query<PostRow>(
        `SELECT ${POST_COLUMNS} FROM schedule_posts WHERE fire_at > $1 AND schedule_id = ANY(CAST($2 AS TEXT[]))`,
        [iso(since), scheduleIds],
      );
      return rows.map(toPost);
    },

    async dueReveals(now, staleBefore) {
      const { rows } = await db.query<PostRow>(
        `SELECT ${P_POST_COLUMNS} FROM schedule_posts p JOIN schedules s ON s.id = p.schedule_id
         WHERE p.status = 'sent' AND s.status = 'active' AND p.reveal_at <= $1
           AND (p.reveal_status IS NULL OR (p.reveal_status = 'claimed' AND p.reveal_claimed_at < $2))
         ORDER BY p.reveal_at COLLATE "C"`,
        [iso(now), iso(staleBefore)],
      );
      return rows.map(toPost);
    },
    async claimReveal(scheduleId, localDate, processId, now, staleBefore) {
      return changed(
        `UPDATE schedule_posts SET reveal_status = 'claimed', reveal_claimed_by = $1, reveal_claimed_at = $2, updated_at = $2
         WHERE schedule_id = $3 AND local_date = $4 AND status = 'sent'
           AND (reveal_status IS NULL OR (reveal_status = 'claimed' AND reveal_claimed_at < $5))`,
        [processId, iso(now), scheduleId, localDate, iso(staleBefore)],
      );
    },
    async markRevealed(scheduleId, localDate, processId, status, messageId, error, now) {
      const t = iso(now);
      return changed(
        `UPDATE schedule_posts SET reveal_status = $1, reveal_message_id = $2, revealed_at = $3, error = COALESCE($4, error), updated_at = $5
         WHERE schedule_id = $6 AND local_date = $7 AND reveal_status = 'claimed' AND reveal_claimed_by = $8`,
        [status, messageId, status === 'sent' ? t : null, error ? clip(error) : null, t, scheduleId, localDate, processId],
      );
    },

    // The practice tables (attempts, people, streaks) always exist here: the PostgreSQL
    // migrator applies every registered migration before a store opens, where an old
    // SQLite file may predate them (hence the SQLite store's table checks).
    async askedInConversation(conversationId) {
      const { rows } = await db.query<{ question_id: string; n: number }>(
        `SELECT question_id, COUNT(*) AS n FROM schedule_posts
         WHERE conversation_id = $1 AND question_id IS NOT NULL AND status = 'sent'
         GROUP BY question_id`,
        [conversationId],
      );
      return new Map(rows.map((r) => [r.question_id, r.n]));
    },
    async seenByMembers(conversationId) {
      const { rows } = await db.query<{ question_id: string; n: number }>(
        `SELECT question_id, COUNT(DISTINCT person_id) AS n FROM attempts
         WHERE person_id IN (SELECT DISTINCT person_id FROM attempts WHERE conversation_id = $1)
         GROUP BY question_id`,
        [conversationId],
      );
      return new Map(rows.map((r) => [r.question_id, r.n]));
    },
    async dailyAnswerers(conversationIds, questionId, since, until): Promise<DailyAnswerer[]> {
      if (conversationIds.length === 0) return [];
      const { rows } = await db.query<{ display_name: string; streak: number | null }>(
        `SELECT p.display_name AS display_name, s.current AS streak
         FROM attempts a JOIN people p ON p.id = a.person_id
         LEFT JOIN streaks s ON s.person_id = a.person_id
         WHERE a.source = 'daily' AND a.question_id = $1 AND a.gave_up = 0 AND a.answered_at IS NOT NULL
           AND a.answered_at >= $2 AND a.answered_at <= $3
           AND a.conversation_id = ANY(CAST($4 AS TEXT[]))
         GROUP BY a.person_id, p.display_name, s.current
         ORDER BY MIN(a.answered_at) COLLATE "C", p.display_name COLLATE "C"`,
        [questionId, iso(since), iso(until), conversationIds],
      );
      return rows.map((r) => ({ displayName: r.display_name, streak: r.streak ?? 0 }));
    },
  };
  return withPostgresUnavailableErrors(store);
}
