import type { Db } from '../db.ts';
import { withUnavailableErrors } from './unavailable.ts';
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
import type {
  CreateInterviewInput,
  CreateInterviewResult,
  InterviewHistoryRow,
  InterviewKind,
  InterviewRecord,
  InterviewRepository,
  InterviewSession,
  ItemKey,
} from '../interview-types.ts';
import type { AttemptRecord, StartAttemptInput } from '../practice-types.ts';

export function createSqliteInterviewRepository(db: Db): InterviewRepository {
  const q = {
    interview: db.prepare(`${SELECT_INTERVIEW} WHERE i.id = ?`),
    items: db.prepare(`${SELECT_ITEMS} WHERE it.interview_id = ? ${ITEMS_ORDER}`),
    openAsCandidate: db.prepare(`${SELECT_INTERVIEW} WHERE i.candidate_id = ? AND i.ended_at IS NULL`),
    openAsInterviewer: db.prepare(`${SELECT_INTERVIEW} WHERE i.interviewer_id = ? AND i.ended_at IS NULL`),
    insertItem: db.prepare(
      'INSERT INTO interview_items (interview_id, number, follow_up, question_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    ),
  };

  const load = (id: string): InterviewSession | undefined => {
    const row = q.interview.get(id) as InterviewRow | undefined;
    if (!row) return undefined;
    return { interview: toInterview(row), items: (q.items.all(id) as ItemRow[]).map(toItem) };
  };

  const openFor = (personId: string): InterviewRecord | undefined => {
    const row = (q.openAsCandidate.get(personId) ?? q.openAsInterviewer.get(personId)) as InterviewRow | undefined;
    return row ? toInterview(row) : undefined;
  };

  const create = db.transaction((input: CreateInterviewInput): CreateInterviewResult => {
    const asCandidate = openFor(input.candidateId);
    if (asCandidate) return { ok: false, reason: 'open', who: 'candidate', open: asCandidate };
    if (input.interviewerId) {
      const asInterviewer = openFor(input.interviewerId);
      if (asInterviewer) return { ok: false, reason: 'open', who: 'interviewer', open: asInterviewer };
    }
    const values = interviewInsertValues(input);
    db.prepare(`INSERT INTO interviews (${INTERVIEW_INSERT_COLUMNS}) VALUES (${values.map(() => '?').join(', ')})`).run(...values);
    input.questionIds.forEach((questionId, k) => q.insertItem.run(input.id, k + 1, 0, questionId));
    return { ok: true, session: load(input.id)! };
  });

  const showItem = db.transaction((key: ItemKey, input: Omit<StartAttemptInput, 'questionId' | 'source'>): AttemptRecord | undefined => {
    const item = db
      .prepare('SELECT question_id FROM interview_items WHERE interview_id = ? AND number = ? AND follow_up = ? AND attempt_id IS NULL AND skipped_at IS NULL')
      .get(key.interviewId, key.number, key.followUp ? 1 : 0) as { question_id: string } | undefined;
    if (!item) return undefined;
    const inserted = db
      .prepare(
        `INSERT INTO attempts (person_id, question_id, conversation_id, workspace_id, source, asked_at)
         VALUES (?, ?, ?, ?, 'interview', ?)`,
      )
      .run(input.personId, item.question_id, input.conversationId, input.workspaceKey, input.now.toISOString());
    db.prepare('UPDATE interview_items SET attempt_id = ? WHERE interview_id = ? AND number = ? AND follow_up = ?').run(
      inserted.lastInsertRowid,
      key.interviewId,
      key.number,
      key.followUp ? 1 : 0,
    );
    const session = load(key.interviewId)!;
    return session.items.find((i) => i.number === key.number && i.followUp === key.followUp)!.attempt!;
  });

  const skipItem = db.transaction((key: ItemKey, now: Date): boolean => {
    const info = db
      .prepare(
        `UPDATE interview_items SET skipped_at = ?
          WHERE interview_id = ? AND number = ? AND follow_up = ? AND skipped_at IS NULL
            AND (attempt_id IS NULL OR NOT EXISTS (SELECT 1 FROM attempts a WHERE a.id = attempt_id AND a.answered_at IS NOT NULL))`,
      )
      .run(now.toISOString(), key.interviewId, key.number, key.followUp ? 1 : 0);
    return info.changes > 0;
  });

  // A locked, read-only or full database reaches the person as "could not save, try again".
  return withUnavailableErrors<InterviewRepository>({
    async create(input) {
      // IMMEDIATE: two processes starting a session for one person cannot both see "none open".
      return create.immediate(input);
    },
    async get(interviewId) {
      return load(interviewId);
    },
    async openFor(personId) {
      return openFor(personId);
    },
    async showItem(key, attempt) {
      // IMMEDIATE: two processes showing the same item cannot both see it unshown.
      return showItem.immediate(key, attempt);
    },
    async skipItem(key, now) {
      return skipItem(key, now);
    },
    async addFollowUp(interviewId, number, questionId) {
      return q.insertItem.run(interviewId, number, 1, questionId).changes > 0;
    },
    async updatePeerItem(key, patch) {
      db.prepare(
        `UPDATE interview_items SET ticked_json = COALESCE(?, ticked_json), score = COALESCE(?, score), note = COALESCE(?, note)
          WHERE interview_id = ? AND number = ? AND follow_up = ?`,
      ).run(
        ...peerPatchValues(patch),
        key.interviewId,
        key.number,
        key.followUp ? 1 : 0,
      );
    },
    async setRoom(interviewId, roomId) {
      db.prepare('UPDATE interviews SET room_id = ? WHERE id = ?').run(roomId, interviewId);
    },
    async end(interviewId, reason, now) {
      return (
        db
          .prepare('UPDATE interviews SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL')
          .run(now.toISOString(), reason, interviewId).changes > 0
      );
    },
    async setClarity(interviewId, clarity) {
      db.prepare('UPDATE interviews SET clarity = ? WHERE id = ?').run(clarity, interviewId);
    },
    async markShared(interviewId, now) {
      return (
        db.prepare('UPDATE interviews SET shared_at = ? WHERE id = ? AND shared_at IS NULL').run(now.toISOString(), interviewId)
          .changes > 0
      );
    },
    async expired(now, limit) {
      const rows = db
        .prepare(`${SELECT_INTERVIEW} WHERE i.ended_at IS NULL AND i.deadline_at <= ? ORDER BY i.deadline_at LIMIT ?`)
        .all(now.toISOString(), limit) as InterviewRow[];
      return rows.map(toInterview);
    },
    async itemOfAttempt(attemptId) {
      const id = attemptKey(attemptId);
      if (id === undefined) return undefined;
      const row = db
        .prepare(
          `SELECT it.interview_id, it.number, it.follow_up, i.kind FROM interview_items it
             JOIN interviews i ON i.id = it.interview_id WHERE it.attempt_id = ?`,
        )
              .get(id) as { interview_id: string; number: number; follow_up: number; kind: InterviewKind } | undefined;
      return row ? { interviewId: row.interview_id, number: row.number, followUp: row.follow_up === 1, kind: row.kind } : undefined;
    },
    async history(personId, limit): Promise<InterviewHistoryRow[]> {
      const rows = db
        .prepare(
          `${SELECT_INTERVIEW} WHERE (i.candidate_id = ? OR i.interviewer_id = ?) AND i.ended_at IS NOT NULL
            ORDER BY i.started_at DESC, i.id DESC LIMIT ?`,
        )
        .all(personId, personId, limit) as InterviewRow[];
      return rows.map((r) => ({ interview: toInterview(r), items: (q.items.all(r.id) as ItemRow[]).map(toItem) }));
    },
  });
}
