import type { Db } from '../db.ts';
import { withUnavailableErrors } from './unavailable.ts';
import type {
  CreateInterviewInput,
  CreateInterviewResult,
  InterviewEndReason,
  InterviewHistoryRow,
  InterviewItem,
  InterviewKind,
  InterviewRecord,
  InterviewRepository,
  InterviewSession,
  ItemKey,
} from '../interview-types.ts';
import type { AttemptRecord, AttemptSource, StartAttemptInput } from '../practice-types.ts';

interface InterviewRow {
  id: string;
  kind: InterviewKind;
  candidate_id: string;
  candidate_account: string;
  candidate_name: string;
  interviewer_id: string | null;
  interviewer_account: string | null;
  interviewer_name: string | null;
  conversation_id: string;
  room_id: string | null;
  workspace_id: string;
  topic: string | null;
  question_count: number;
  minutes: number | null;
  include_unanswered: number;
  started_at: string;
  deadline_at: string | null;
  ended_at: string | null;
  end_reason: InterviewEndReason | null;
  clarity: number | null;
  shared_at: string | null;
}

interface ItemRow {
  interview_id: string;
  number: number;
  follow_up: number;
  question_id: string;
  attempt_id: number | null;
  skipped_at: string | null;
  ticked_json: string | null;
  score: number | null;
  note: string | null;
  // The joined attempt (a_ prefix), all null when not shown yet.
  a_person_id: string | null;
  a_conversation_id: string | null;
  a_workspace_id: string | null;
  a_source: AttemptSource | null;
  a_asked_at: string | null;
  a_answered_at: string | null;
  a_answer_text: string | null;
  a_coverage: number | null;
  a_coverage_json: string | null;
  a_gave_up: number | null;
  a_rating: string | null;
  a_rated_at: string | null;
}

const SELECT_INTERVIEW = `
  SELECT i.*, pc.display_name AS candidate_name, pi.display_name AS interviewer_name
    FROM interviews i JOIN people pc ON pc.id = i.candidate_id LEFT JOIN people pi ON pi.id = i.interviewer_id`;

const SELECT_ITEMS = `
  SELECT it.*, a.person_id AS a_person_id, a.conversation_id AS a_conversation_id, a.workspace_id AS a_workspace_id,
         a.source AS a_source, a.asked_at AS a_asked_at, a.answered_at AS a_answered_at, a.answer_text AS a_answer_text,
         a.coverage AS a_coverage, a.coverage_json AS a_coverage_json, a.gave_up AS a_gave_up, a.rating AS a_rating,
         a.rated_at AS a_rated_at
    FROM interview_items it LEFT JOIN attempts a ON a.id = it.attempt_id
   WHERE it.interview_id = ?
   ORDER BY it.number, it.follow_up`;

function toInterview(r: InterviewRow): InterviewRecord {
  return {
    id: r.id,
    kind: r.kind,
    candidateId: r.candidate_id,
    candidateAccount: r.candidate_account,
    candidateName: r.candidate_name,
    interviewerId: r.interviewer_id,
    interviewerAccount: r.interviewer_account,
    interviewerName: r.interviewer_name,
    conversationId: r.conversation_id,
    roomId: r.room_id,
    workspaceKey: r.workspace_id,
    topic: r.topic,
    questionCount: r.question_count,
    minutes: r.minutes,
    includeUnanswered: r.include_unanswered === 1,
    startedAt: r.started_at,
    deadlineAt: r.deadline_at,
    endedAt: r.ended_at,
    endReason: r.end_reason,
    clarity: r.clarity,
    sharedAt: r.shared_at,
  };
}

function parseTicked(json: string | null): number[] | null {
  if (json === null) return null;
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((n): n is number => Number.isInteger(n) && n >= 0) : null;
  } catch {
    return null; // a corrupt row shows as "not ticked" rather than failing the interview
  }
}

function toItem(r: ItemRow): InterviewItem {
  const attempt: AttemptRecord | null =
    r.attempt_id === null
      ? null
      : {
          id: String(r.attempt_id),
          personId: r.a_person_id!,
          questionId: r.question_id,
          conversationId: r.a_conversation_id!,
          workspaceKey: r.a_workspace_id!,
          source: r.a_source!,
          askedAt: r.a_asked_at!,
          answeredAt: r.a_answered_at,
          answerText: r.a_answer_text,
          coverage: r.a_coverage,
          coverageJson: r.a_coverage_json,
          gaveUp: r.a_gave_up === 1,
          rating: r.a_rating,
          ratedAt: r.a_rated_at,
        };
  return {
    number: r.number,
    followUp: r.follow_up === 1,
    questionId: r.question_id,
    attempt,
    skippedAt: r.skipped_at,
    ticked: parseTicked(r.ticked_json),
    score: r.score,
    note: r.note,
  };
}

export function createSqliteInterviewRepository(db: Db): InterviewRepository {
  const q = {
    interview: db.prepare(`${SELECT_INTERVIEW} WHERE i.id = ?`),
    items: db.prepare(SELECT_ITEMS),
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
    const at = input.now.toISOString();
    const deadline = input.minutes === null ? null : new Date(input.now.getTime() + input.minutes * 60_000).toISOString();
    db.prepare(
      `INSERT INTO interviews (id, kind, candidate_id, candidate_account, interviewer_id, interviewer_account, conversation_id,
                               workspace_id, topic, question_count, minutes, include_unanswered, started_at, deadline_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      input.id,
      input.kind,
      input.candidateId,
      input.candidateAccount,
      input.interviewerId ?? null,
      input.interviewerAccount ?? null,
      input.conversationId,
      input.workspaceKey,
      input.topic,
      input.questionIds.length,
      input.minutes,
      input.includeUnanswered ? 1 : 0,
      at,
      deadline,
    );
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
        patch.ticked === undefined ? null : JSON.stringify(patch.ticked),
        patch.score ?? null,
        patch.note ?? null,
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
      if (!/^[1-9]\d{0,15}$/.test(attemptId)) return undefined;
      const row = db
        .prepare(
          `SELECT it.interview_id, it.number, it.follow_up, i.kind FROM interview_items it
             JOIN interviews i ON i.id = it.interview_id WHERE it.attempt_id = ?`,
        )
        .get(Number(attemptId)) as { interview_id: string; number: number; follow_up: number; kind: InterviewKind } | undefined;
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
