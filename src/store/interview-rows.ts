import type { CreateInterviewInput, InterviewEndReason, InterviewItem, InterviewKind, InterviewRecord } from './interview-types.ts';
import type { AttemptRecord, AttemptSource } from './practice-types.ts';

/**
 * Interviews and their items as both stores read them (migration 6 lays out the
 * same columns on SQLite and PostgreSQL), the SQL that is the same in both
 * dialects, and the small rules both apply, so the two interview stores cannot
 * drift apart. Only placeholders differ (`?` against `$n`).
 */

export interface InterviewRow {
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

export interface ItemRow {
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

export const SELECT_INTERVIEW = `
  SELECT i.*, pc.display_name AS candidate_name, pi.display_name AS interviewer_name
    FROM interviews i JOIN people pc ON pc.id = i.candidate_id LEFT JOIN people pi ON pi.id = i.interviewer_id`;

/** An interview's items with their attempts joined; the caller adds `WHERE it.interview_id = <placeholder>` and ITEMS_ORDER. */
export const SELECT_ITEMS = `
  SELECT it.*, a.person_id AS a_person_id, a.conversation_id AS a_conversation_id, a.workspace_id AS a_workspace_id,
         a.source AS a_source, a.asked_at AS a_asked_at, a.answered_at AS a_answered_at, a.answer_text AS a_answer_text,
         a.coverage AS a_coverage, a.coverage_json AS a_coverage_json, a.gave_up AS a_gave_up, a.rating AS a_rating,
         a.rated_at AS a_rated_at
    FROM interview_items it LEFT JOIN attempts a ON a.id = it.attempt_id`;

/** In the order they are asked: by number, a follow-up after its question. */
export const ITEMS_ORDER = 'ORDER BY it.number, it.follow_up';

export function toInterview(r: InterviewRow): InterviewRecord {
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

export function toItem(r: ItemRow): InterviewItem {
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

/** When a session with a time limit must end; null for an untimed one. */
function deadlineOf(now: Date, minutes: number | null): string | null {
  return minutes === null ? null : new Date(now.getTime() + minutes * 60_000).toISOString();
}

/** An attempt id as stored (an integer key), or undefined for text no row can have. */
export const attemptKey = (id: string) => (/^[1-9]\d{0,15}$/.test(id) ? Number(id) : undefined);

/** The stored form of a peer item's patch: null leaves a column as it is (COALESCE). */
export function peerPatchValues(patch: { ticked?: number[]; score?: number; note?: string }): [string | null, number | null, string | null] {
  return [patch.ticked === undefined ? null : JSON.stringify(patch.ticked), patch.score ?? null, patch.note ?? null];
}

/** The new session's row: `INSERT INTO interviews (${INTERVIEW_INSERT_COLUMNS})` with `interviewInsertValues(input)`. */
export const INTERVIEW_INSERT_COLUMNS =
  'id, kind, candidate_id, candidate_account, interviewer_id, interviewer_account, conversation_id, workspace_id, topic, question_count, minutes, include_unanswered, started_at, deadline_at';

export function interviewInsertValues(input: CreateInterviewInput): unknown[] {
  return [
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
    input.now.toISOString(),
    deadlineOf(input.now, input.minutes),
  ];
}
