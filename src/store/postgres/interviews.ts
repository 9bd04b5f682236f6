import {
  attemptKey,
  INTERVIEW_INSERT_COLUMNS,
  interviewInsertValues,
  ITEMS_ORDER,
  peerPatchValues,
  SELECT_INTERVIEW,
  SELECT_ITEMS,
  toInterview,
  toItem,
  type InterviewRow,
  type ItemRow,
} from '../interview-rows.ts';
import type { InterviewKind, InterviewRecord, InterviewRepository, InterviewSession, ItemKey } from '../interview-types.ts';
import { lockPeople } from './locks.ts';
import type { SqlClient, SqlQueryable } from './sql.ts';
import { withNulReplaced } from './nul.ts';
import { withPostgresUnavailableErrors } from './unavailable.ts';

/**
 * Interviews on PostgreSQL: the same behaviour as src/store/sqlite/interviews.ts,
 * in PostgreSQL's dialect.
 *
 * SQLite runs create and showItem as IMMEDIATE transactions, so two processes
 * cannot both see "none open" or "not shown yet". Here each read-decide-write step
 * (create, showItem, skipItem) is one transaction that first takes the advisory
 * lock of the people in the session (src/store/postgres/locks.ts), the lock answers
 * and links take too: two creates for one person serialise, the second sees the
 * first's session; a skip waits for an answer to the same item to commit. The
 * other writes are single conditional statements (`… WHERE ended_at IS NULL`), where
 * the row lock and the re-checked WHERE let only the first win.
 */

const ITEM_WHERE = 'interview_id = $1 AND number = $2 AND follow_up = $3';
const itemParams = (key: ItemKey) => [key.interviewId, key.number, key.followUp ? 1 : 0];

async function interviewRow(db: SqlQueryable, id: string): Promise<InterviewRow | undefined> {
  return (await db.query<InterviewRow>(`${SELECT_INTERVIEW} WHERE i.id = $1`, [id])).rows[0];
}

async function itemsOf(db: SqlQueryable, id: string) {
  return (await db.query<ItemRow>(`${SELECT_ITEMS} WHERE it.interview_id = $1 ${ITEMS_ORDER}`, [id])).rows.map(toItem);
}

async function load(db: SqlQueryable, id: string): Promise<InterviewSession | undefined> {
  const row = await interviewRow(db, id);
  return row ? { interview: toInterview(row), items: await itemsOf(db, id) } : undefined;
}

async function openFor(db: SqlQueryable, personId: string): Promise<InterviewRecord | undefined> {
  const row =
    (await db.query<InterviewRow>(`${SELECT_INTERVIEW} WHERE i.candidate_id = $1 AND i.ended_at IS NULL`, [personId])).rows[0] ??
    (await db.query<InterviewRow>(`${SELECT_INTERVIEW} WHERE i.interviewer_id = $1 AND i.ended_at IS NULL`, [personId])).rows[0];
  return row ? toInterview(row) : undefined;
}

/**
 * Locks the session's candidate and interviewer (and `also`). A link merging two
 * people can move the session to another person between the read and the lock, so
 * it reads again under the lock and locks whoever it belongs to now (that second
 * batch can break the fixed lock order; PostgreSQL then reports a deadlock, which
 * reaches the person as "try again").
 */
async function lockSession(tx: SqlQueryable, interviewId: string, also: string[] = []): Promise<void> {
  const locked = new Set<string>();
  for (;;) {
    const who = (
      await tx.query<{ candidate_id: string; interviewer_id: string | null }>('SELECT candidate_id, interviewer_id FROM interviews WHERE id = $1', [
        interviewId,
      ])
    ).rows[0];
    const ids = [...also, ...(who ? [who.candidate_id, ...(who.interviewer_id ? [who.interviewer_id] : [])] : [])].filter((id) => !locked.has(id));
    if (ids.length === 0) return;
    await lockPeople(tx, ids);
    for (const id of ids) locked.add(id);
  }
}

/** The interviews over `db`, which must be migrated (migratePostgres, or openPostgres which does it). */
export function createPostgresInterviewRepository(client: SqlClient): InterviewRepository {
  const db = withNulReplaced(client);
  const changed = async (text: string, params: unknown[]) => (await db.query(text, params)).rowCount > 0;

  const store: InterviewRepository = {
    async create(input) {
      return db.transaction(async (tx) => {
        // Two processes starting a session for one person would both see "none open".
        await lockPeople(tx, input.interviewerId ? [input.candidateId, input.interviewerId] : [input.candidateId]);
        const asCandidate = await openFor(tx, input.candidateId);
        if (asCandidate) return { ok: false, reason: 'open', who: 'candidate', open: asCandidate };
        if (input.interviewerId) {
          const asInterviewer = await openFor(tx, input.interviewerId);
          if (asInterviewer) return { ok: false, reason: 'open', who: 'interviewer', open: asInterviewer };
        }
        const values = interviewInsertValues(input);
        await tx.query(`INSERT INTO interviews (${INTERVIEW_INSERT_COLUMNS}) VALUES (${values.map((_, k) => `$${k + 1}`).join(', ')})`, values);
        for (const [k, questionId] of input.questionIds.entries()) {
          await tx.query('INSERT INTO interview_items (interview_id, number, follow_up, question_id) VALUES ($1, $2, 0, $3) ON CONFLICT DO NOTHING', [
            input.id,
            k + 1,
            questionId,
          ]);
        }
        return { ok: true, session: (await load(tx, input.id))! };
      });
    },
    async get(interviewId) {
      return load(db, interviewId);
    },
    async openFor(personId) {
      return openFor(db, personId);
    },
    async showItem(key, input) {
      return db.transaction(async (tx) => {
        // Two presses in two processes would both see the item unshown and start two attempts.
        await lockSession(tx, key.interviewId, [input.personId]);
        const item = (
          await tx.query<{ question_id: string }>(
            `SELECT question_id FROM interview_items WHERE ${ITEM_WHERE} AND attempt_id IS NULL AND skipped_at IS NULL`,
            itemParams(key),
          )
        ).rows[0];
        if (!item) return undefined;
        const inserted = (
          await tx.query<{ id: number }>(
            `INSERT INTO attempts (person_id, question_id, conversation_id, workspace_id, source, asked_at)
             VALUES ($1, $2, $3, $4, 'interview', $5) RETURNING id`,
            [input.personId, item.question_id, input.conversationId, input.workspaceKey, input.now.toISOString()],
          )
        ).rows[0]!;
        await tx.query(`UPDATE interview_items SET attempt_id = $4 WHERE ${ITEM_WHERE}`, [...itemParams(key), inserted.id]);
        const items = await itemsOf(tx, key.interviewId);
        return items.find((i) => i.number === key.number && i.followUp === key.followUp)!.attempt!;
      });
    },
    async skipItem(key, now) {
      return db.transaction(async (tx) => {
        // An answer to this item in another process commits first or waits: never "answered and skipped".
        await lockSession(tx, key.interviewId);
        const { rowCount } = await tx.query(
          `UPDATE interview_items SET skipped_at = $4
            WHERE ${ITEM_WHERE} AND skipped_at IS NULL
              AND (attempt_id IS NULL OR NOT EXISTS (SELECT 1 FROM attempts a WHERE a.id = attempt_id AND a.answered_at IS NOT NULL))`,
          [...itemParams(key), now.toISOString()],
        );
        return rowCount > 0;
      });
    },
    async addFollowUp(interviewId, number, questionId) {
      // The primary key (interview, number, follow_up) keeps one follow-up per question.
      return changed('INSERT INTO interview_items (interview_id, number, follow_up, question_id) VALUES ($1, $2, 1, $3) ON CONFLICT DO NOTHING', [
        interviewId,
        number,
        questionId,
      ]);
    },
    async updatePeerItem(key, patch) {
      await db.query(
        `UPDATE interview_items SET ticked_json = COALESCE($4, ticked_json), score = COALESCE($5, score), note = COALESCE($6, note)
          WHERE ${ITEM_WHERE}`,
        [...itemParams(key), ...peerPatchValues(patch)],
      );
    },
    async setRoom(interviewId, roomId) {
      await db.query('UPDATE interviews SET room_id = $1 WHERE id = $2', [roomId, interviewId]);
    },
    async end(interviewId, reason, now) {
      return changed('UPDATE interviews SET ended_at = $1, end_reason = $2 WHERE id = $3 AND ended_at IS NULL', [now.toISOString(), reason, interviewId]);
    },
    async setClarity(interviewId, clarity) {
      await db.query('UPDATE interviews SET clarity = $1 WHERE id = $2', [clarity, interviewId]);
    },
    async markShared(interviewId, now) {
      return changed('UPDATE interviews SET shared_at = $1 WHERE id = $2 AND shared_at IS NULL', [now.toISOString(), interviewId]);
    },
    async expired(now, limit) {
      const { rows } = await db.query<InterviewRow>(
        `${SELECT_INTERVIEW} WHERE i.ended_at IS NULL AND i.deadline_at <= $1 ORDER BY i.deadline_at COLLATE "C" LIMIT $2`,
        [now.toISOString(), limit],
      );
      return rows.map(toInterview);
    },
    async itemOfAttempt(attemptId) {
      const id = attemptKey(attemptId);
      // Also beyond int4: a stored attempt id is an INTEGER, so no row can match a larger one.
      if (id === undefined || id > 2_147_483_647) return undefined;
      const row = (
        await db.query<{ interview_id: string; number: number; follow_up: number; kind: InterviewKind }>(
          `SELECT it.interview_id, it.number, it.follow_up, i.kind FROM interview_items it
             JOIN interviews i ON i.id = it.interview_id WHERE it.attempt_id = $1`,
          [id],
        )
      ).rows[0];
      return row ? { interviewId: row.interview_id, number: row.number, followUp: row.follow_up === 1, kind: row.kind } : undefined;
    },
    async history(personId, limit) {
      const { rows } = await db.query<InterviewRow>(
        `${SELECT_INTERVIEW} WHERE (i.candidate_id = $1 OR i.interviewer_id = $1) AND i.ended_at IS NOT NULL
          ORDER BY i.started_at COLLATE "C" DESC, i.id COLLATE "C" DESC LIMIT $2`,
        [personId, limit],
      );
      const out = [];
      for (const r of rows) out.push({ interview: toInterview(r), items: await itemsOf(db, r.id) });
      return out;
    },
  };
  // A lost connection, a full disk or a deadlock reaches the person as "could not save, try again".
  return withPostgresUnavailableErrors(store);
}
