import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Db } from '../db.ts';
import type { ClaimInput, DailyAnswerer, SchedulePost, ScheduleRepository } from '../../core/schedule/types.ts';
import { formatWeekdays } from '../../scheduler/times.ts';
import { clip, iso, toPost, toSchedule, type PostRow, type ScheduleRow } from '../schedule-rows.ts';

/**
 * SQLite schedules store. Every claim/takeover/mark is a single conditional
 * statement, so with two connections (two processes) on one file exactly one
 * wins: SQLite serialises writers, and the condition is re-checked under the
 * write lock.
 */
export function createSqliteScheduleRepository(db: Db): ScheduleRepository {
  // Migrations run when the database opens, so which tables exist is fixed for this repository's life.
  const tables = new Map<string, boolean>();
  const hasTable = (name: string) => {
    let known = tables.get(name);
    if (known === undefined) {
      known = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
      tables.set(name, known);
    }
    return known;
  };
  // Statements whose text varies with the arguments (IN lists, filters): prepared once per distinct text.
  const prepared = new Map<string, Database.Statement<unknown[], unknown>>();
  const stmt = <Row = unknown>(sql: string): Database.Statement<unknown[], Row> => {
    let st = prepared.get(sql);
    if (!st) {
      st = db.prepare(sql);
      prepared.set(sql, st);
    }
    return st as Database.Statement<unknown[], Row>;
  };

  const live = stmt<ScheduleRow>(
    "SELECT * FROM schedules WHERE conversation_id = ? AND status <> 'deleted'",
  );
  const byId = stmt<ScheduleRow>('SELECT * FROM schedules WHERE id = ?');

  const upsert = db.transaction((input: Parameters<ScheduleRepository['upsertSchedule']>[0], now: Date) => {
    const existing = live.get(input.conversationId);
    const t = iso(now);
    if (existing) {
      // New settings start counting from now: changing 09:30 to 08:00 at 08:30 must not post "late" for 08:00.
      stmt(
        `UPDATE schedules SET local_time = ?, timezone = ?, weekdays = ?, topic = ?, reveal_time = ?,
           status = 'active', paused_reason = NULL, updated_at = ?, effective_from = ? WHERE id = ?`,
      ).run(input.localTime, input.timezone, formatWeekdays(input.weekdays), input.topic, input.revealTime, t, t, existing.id);
      return { schedule: toSchedule(byId.get(existing.id)!), created: false };
    }
    const id = randomUUID().slice(0, 8);
    stmt(
      `INSERT INTO schedules (id, conversation_id, platform, workspace_id, local_time, timezone, weekdays, topic,
         reveal_time, status, paused_reason, created_by, created_at, updated_at, effective_from)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', NULL, ?, ?, ?, ?)`,
    ).run(
      id,
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
      t,
      t,
    );
    return { schedule: toSchedule(byId.get(id)!), created: true };
  });

  const claim = stmt(
    `INSERT INTO schedule_posts (schedule_id, local_date, conversation_id, fire_at, status, claimed_at, claimed_by, attempts, updated_at)
     VALUES (?, ?, ?, ?, 'claimed', ?, ?, 0, ?)
     ON CONFLICT (schedule_id, local_date) DO NOTHING`,
  );
  const skip = stmt(
    `INSERT INTO schedule_posts (schedule_id, local_date, conversation_id, fire_at, status, error, attempts, updated_at)
     VALUES (?, ?, ?, ?, 'skipped', ?, 0, ?)
     ON CONFLICT (schedule_id, local_date) DO NOTHING`,
  );
  const takeOver = stmt(
    `UPDATE schedule_posts SET claimed_by = ?, claimed_at = ?, updated_at = ?
     WHERE schedule_id = ? AND local_date = ? AND status = 'claimed' AND claimed_at < ?`,
  );
  const renew = stmt(
    `UPDATE schedule_posts SET claimed_at = ?, updated_at = ?
     WHERE schedule_id = ? AND local_date = ? AND status = 'claimed' AND claimed_by = ?`,
  );
  const attempt = stmt(
    `UPDATE schedule_posts SET claimed_at = ?, updated_at = ?, attempts = attempts + 1
     WHERE schedule_id = ? AND local_date = ? AND status = 'claimed' AND claimed_by = ?`,
  );
  const sent = stmt(
    `UPDATE schedule_posts SET status = 'sent', message_id = ?, thread_id = ?, question_id = ?, sent_at = ?,
       reveal_at = ?, error = NULL, updated_at = ?
     WHERE schedule_id = ? AND local_date = ? AND status = 'claimed' AND claimed_by = ?`,
  );
  const unsent = stmt(
    `UPDATE schedule_posts SET status = ?, error = ?, updated_at = ?
     WHERE schedule_id = ? AND local_date = ? AND status = 'claimed' AND claimed_by = ?`,
  );
  const getPostStmt = stmt<PostRow>(
    'SELECT * FROM schedule_posts WHERE schedule_id = ? AND local_date = ?',
  );
  const claimRevealStmt = stmt(
    `UPDATE schedule_posts SET reveal_status = 'claimed', reveal_claimed_by = ?, reveal_claimed_at = ?, updated_at = ?
     WHERE schedule_id = ? AND local_date = ? AND status = 'sent'
       AND (reveal_status IS NULL OR (reveal_status = 'claimed' AND reveal_claimed_at < ?))`,
  );
  const markRevealStmt = stmt(
    `UPDATE schedule_posts SET reveal_status = ?, reveal_message_id = ?, revealed_at = ?, error = COALESCE(?, error), updated_at = ?
     WHERE schedule_id = ? AND local_date = ? AND reveal_status = 'claimed' AND reveal_claimed_by = ?`,
  );

  return {
    async upsertSchedule(input, now) {
      return upsert(input, now);
    },
    async getSchedule(id) {
      const r = byId.get(id);
      return r ? toSchedule(r) : undefined;
    },
    async scheduleFor(conversationId) {
      const r = live.get(conversationId);
      return r ? toSchedule(r) : undefined;
    },
    async listSchedules(filter) {
      const where: string[] = [];
      const args: string[] = [];
      if (filter.platform) {
        where.push('platform = ?');
        args.push(filter.platform);
      }
      if (filter.workspaceId) {
        where.push('workspace_id = ?');
        args.push(filter.workspaceId);
      }
      const statuses = filter.status ?? ['active', 'paused'];
      where.push(`status IN (${statuses.map(() => '?').join(', ')})`);
      args.push(...statuses);
      const rows = stmt<ScheduleRow>(`SELECT * FROM schedules WHERE ${where.join(' AND ')} ORDER BY created_at, id`)
        .all(...args);
      return rows.map(toSchedule);
    },
    async pauseSchedule(id, reason, now) {
      const r = stmt("UPDATE schedules SET status = 'paused', paused_reason = ?, updated_at = ? WHERE id = ? AND status = 'active'")
        .run(clip(reason), iso(now), id);
      return r.changes === 1;
    },
    async resumeSchedule(id, now) {
      const r = stmt(
          "UPDATE schedules SET status = 'active', paused_reason = NULL, updated_at = ?, effective_from = ? WHERE id = ? AND status = 'paused'",
        )
        .run(iso(now), iso(now), id);
      return r.changes === 1;
    },
    async deleteSchedule(id, now) {
      const r = stmt("UPDATE schedules SET status = 'deleted', updated_at = ? WHERE id = ? AND status <> 'deleted'")
        .run(iso(now), id);
      return r.changes === 1;
    },

    async claimPost(input: ClaimInput) {
      const t = iso(input.now);
      return (
        claim.run(input.scheduleId, input.localDate, input.conversationId, iso(input.fireAt), t, input.processId, t).changes === 1
      );
    },
    async takeOverStaleClaim(scheduleId, localDate, processId, now, staleBefore) {
      return takeOver.run(processId, iso(now), iso(now), scheduleId, localDate, iso(staleBefore)).changes === 1;
    },
    async renewClaim(scheduleId, localDate, processId, now) {
      return renew.run(iso(now), iso(now), scheduleId, localDate, processId).changes === 1;
    },
    async beginAttempt(scheduleId, localDate, processId, now) {
      return attempt.run(iso(now), iso(now), scheduleId, localDate, processId).changes === 1;
    },
    async markSent(scheduleId, localDate, processId, s) {
      const t = iso(s.now);
      return (
        sent.run(s.messageId, s.threadId, s.questionId, t, iso(s.revealAt), t, scheduleId, localDate, processId).changes === 1
      );
    },
    async setPostThread(scheduleId, localDate, threadId) {
      stmt('UPDATE schedule_posts SET thread_id = ? WHERE schedule_id = ? AND local_date = ?').run(threadId, scheduleId, localDate);
    },
    async markUnsent(scheduleId, localDate, processId, status, error, now) {
      return unsent.run(status, clip(error), iso(now), scheduleId, localDate, processId).changes === 1;
    },
    async recordSkip(input) {
      return (
        skip.run(input.scheduleId, input.localDate, input.conversationId, iso(input.fireAt), clip(input.reason), iso(input.now))
          .changes === 1
      );
    },
    async getPost(scheduleId, localDate) {
      const r = getPostStmt.get(scheduleId, localDate);
      return r ? toPost(r) : undefined;
    },
    async listPosts(scheduleId) {
      return stmt<PostRow>('SELECT * FROM schedule_posts WHERE schedule_id = ? ORDER BY local_date')
        .all(scheduleId)
        .map(toPost);
    },
    async staleClaims(staleBefore) {
      return stmt<PostRow>(
          `SELECT p.* FROM schedule_posts p JOIN schedules s ON s.id = p.schedule_id
           WHERE p.status = 'claimed' AND p.claimed_at < ? AND s.status <> 'deleted'
           ORDER BY p.fire_at`,
        )
        .all(iso(staleBefore))
        .map(toPost);
    },
    async postsSince(scheduleIds, since) {
      if (scheduleIds.length === 0) return [];
      const out: SchedulePost[] = [];
      // Chunked: SQLite caps bound parameters (32766 today, 999 on old builds).
      for (let i = 0; i < scheduleIds.length; i += 500) {
        const chunk = scheduleIds.slice(i, i + 500);
        out.push(
          ...stmt<PostRow>(
              `SELECT * FROM schedule_posts WHERE fire_at > ? AND schedule_id IN (${chunk.map(() => '?').join(', ')})`,
            )
            .all(iso(since), ...chunk)
            .map(toPost),
        );
      }
      return out;
    },

    async dueReveals(now, staleBefore) {
      return stmt<PostRow>(
          `SELECT p.* FROM schedule_posts p JOIN schedules s ON s.id = p.schedule_id
           WHERE p.status = 'sent' AND s.status = 'active' AND p.reveal_at <= ?
             AND (p.reveal_status IS NULL OR (p.reveal_status = 'claimed' AND p.reveal_claimed_at < ?))
           ORDER BY p.reveal_at`,
        )
        .all(iso(now), iso(staleBefore))
        .map(toPost);
    },
    async claimReveal(scheduleId, localDate, processId, now, staleBefore) {
      return claimRevealStmt.run(processId, iso(now), iso(now), scheduleId, localDate, iso(staleBefore)).changes === 1;
    },
    async markRevealed(scheduleId, localDate, processId, status, messageId, error, now) {
      const t = iso(now);
      return (
        markRevealStmt.run(status, messageId, status === 'sent' ? t : null, error ? clip(error) : null, t, scheduleId, localDate, processId)
          .changes === 1
      );
    },

    async askedInConversation(conversationId) {
      const rows = stmt<{ question_id: string; n: number }>(
          `SELECT question_id, COUNT(*) AS n FROM schedule_posts
           WHERE conversation_id = ? AND question_id IS NOT NULL AND status = 'sent'
           GROUP BY question_id`,
        )
        .all(conversationId);
      return new Map(rows.map((r) => [r.question_id, r.n]));
    },
    async seenByMembers(conversationId) {
      if (!hasTable('attempts')) return new Map();
      const rows = stmt<{ question_id: string; n: number }>(
          `SELECT question_id, COUNT(DISTINCT person_id) AS n FROM attempts
           WHERE person_id IN (SELECT DISTINCT person_id FROM attempts WHERE conversation_id = ?)
           GROUP BY question_id`,
        )
        .all(conversationId);
      return new Map(rows.map((r) => [r.question_id, r.n]));
    },
    async dailyAnswerers(conversationIds, questionId, since, until): Promise<DailyAnswerer[]> {
      if (conversationIds.length === 0 || !hasTable('attempts') || !hasTable('people')) return [];
      const hasStreaks = hasTable('streaks');
      const rows = stmt<{ display_name: string; streak: number | null }>(
          `SELECT p.display_name AS display_name, ${hasStreaks ? 's.current' : 'NULL'} AS streak
           FROM attempts a JOIN people p ON p.id = a.person_id
           ${hasStreaks ? 'LEFT JOIN streaks s ON s.person_id = a.person_id' : ''}
           WHERE a.source = 'daily' AND a.question_id = ? AND a.gave_up = 0 AND a.answered_at IS NOT NULL
             AND a.answered_at >= ? AND a.answered_at <= ?
             AND a.conversation_id IN (${conversationIds.map(() => '?').join(', ')})
           GROUP BY a.person_id, p.display_name${hasStreaks ? ', s.current' : ''}
           ORDER BY MIN(a.answered_at), p.display_name`,
        )
        .all(questionId, iso(since), iso(until), ...conversationIds);
      return rows.map((r) => ({ displayName: r.display_name, streak: r.streak ?? 0 }));
    },
  };
}
