/**
 * The interview repository: mock-interview sessions and their items. Like the
 * practice repository, every method returns a Promise and anything that must
 * be atomic (one open session per person) runs inside the store. Answers,
 * coverage, ratings and times live on the practice attempt an item points at,
 * so the store joins them in instead of keeping a second copy.
 */
import type { AttemptRecord, StartAttemptInput } from './practice-types.ts';

export type InterviewKind = 'solo' | 'peer';
export type InterviewEndReason = 'completed' | 'time' | 'stopped' | 'abandoned';

export interface InterviewRecord {
  id: string;
  kind: InterviewKind;
  candidateId: string;
  /** The candidate's account that started or was invited: `{platform}:{workspace}:{user}`. */
  candidateAccount: string;
  candidateName: string;
  interviewerId: string | null;
  interviewerAccount: string | null;
  interviewerName: string | null;
  conversationId: string;
  /** Peer interviews: where the candidate sees the questions (a thread, else the channel). */
  roomId: string | null;
  workspaceKey: string;
  topic: string | null;
  questionCount: number;
  minutes: number | null;
  includeUnanswered: boolean;
  startedAt: string;
  deadlineAt: string | null;
  endedAt: string | null;
  endReason: InterviewEndReason | null;
  clarity: number | null;
  sharedAt: string | null;
}

export interface InterviewItem {
  number: number;
  followUp: boolean;
  questionId: string;
  /** Null until the item is shown. */
  attempt: AttemptRecord | null;
  skippedAt: string | null;
  /** Peer interviews: indexes of the key points the interviewer ticked; null = not touched. */
  ticked: number[] | null;
  score: number | null;
  note: string | null;
}

export interface InterviewSession {
  interview: InterviewRecord;
  /** In the order they are asked: by number, a follow-up after its question. */
  items: InterviewItem[];
}

export interface CreateInterviewInput {
  id: string;
  kind: InterviewKind;
  candidateId: string;
  candidateAccount: string;
  interviewerId?: string;
  interviewerAccount?: string;
  conversationId: string;
  workspaceKey: string;
  topic: string | null;
  minutes: number | null;
  includeUnanswered: boolean;
  /** The planned questions, in order; numbered from 1. */
  questionIds: string[];
  now: Date;
}

export type CreateInterviewResult =
  | { ok: true; session: InterviewSession }
  /** `who` has a session open already (candidate or interviewer side). */
  | { ok: false; reason: 'open'; who: 'candidate' | 'interviewer'; open: InterviewRecord };

export interface ItemKey {
  interviewId: string;
  number: number;
  followUp: boolean;
}

export interface InterviewHistoryRow {
  interview: InterviewRecord;
  items: InterviewItem[];
}

export interface InterviewRepository {
  create(input: CreateInterviewInput): Promise<CreateInterviewResult>;
  get(interviewId: string): Promise<InterviewSession | undefined>;
  /** The person's open session, as candidate or as interviewer. */
  openFor(personId: string): Promise<InterviewRecord | undefined>;
  /**
   * Shows an item: starts its practice attempt and links it, in one
   * transaction. Undefined when the item is unknown, skipped or already shown
   * (another press got there first), so each item has one attempt.
   */
  showItem(key: ItemKey, attempt: Omit<StartAttemptInput, 'questionId' | 'source'>): Promise<AttemptRecord | undefined>;
  /** False when the item is unknown, already answered or already skipped. */
  skipItem(key: ItemKey, now: Date): Promise<boolean>;
  /** Adds the follow-up of question `number` (at most one each); false if it exists. */
  addFollowUp(interviewId: string, number: number, questionId: string): Promise<boolean>;
  /** Peer interviews: the interviewer's ticks, score and note on an item. */
  updatePeerItem(key: ItemKey, patch: { ticked?: number[]; score?: number; note?: string }): Promise<void>;
  setRoom(interviewId: string, roomId: string): Promise<void>;
  /** Ends an open session; false when it had ended already (the first end wins). */
  end(interviewId: string, reason: InterviewEndReason, now: Date): Promise<boolean>;
  setClarity(interviewId: string, clarity: number): Promise<void>;
  markShared(interviewId: string, now: Date): Promise<boolean>;
  /** Open sessions whose deadline has passed, oldest deadline first. */
  expired(now: Date, limit: number): Promise<InterviewRecord[]>;
  /** The interview item an attempt was shown for (so `/answer` can reach it). */
  itemOfAttempt(attemptId: string): Promise<(ItemKey & { kind: InterviewKind }) | undefined>;
  /** Ended sessions the person took part in, newest first. */
  history(personId: string, limit: number): Promise<InterviewHistoryRow[]>;
}
