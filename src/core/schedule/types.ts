import type { ConversationId, Platform } from '../../chat/port.ts';
import type { Weekday } from '../../scheduler/times.ts';

export type ScheduleStatus = 'active' | 'paused' | 'deleted';

export interface Schedule {
  id: string;
  conversationId: ConversationId;
  platform: Platform;
  workspaceId: string;
  /** 'HH:MM' local. */
  localTime: string;
  /** IANA zone. */
  timezone: string;
  weekdays: Weekday[];
  topic: string | null;
  /** 'HH:MM' local, same day, after localTime; null = reveal with the next post. */
  revealTime: string | null;
  status: ScheduleStatus;
  pausedReason: string | null;
  /** Account id of whoever set it (the owner told about failures). */
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Occurrences before this instant are neither posted nor recorded as missed. */
  effectiveFrom: string;
}

export type PostStatus = 'claimed' | 'sent' | 'failed' | 'skipped';
export type RevealStatus = 'claimed' | 'sent' | 'failed' | 'skipped';

export interface SchedulePost {
  scheduleId: string;
  localDate: string;
  conversationId: ConversationId;
  fireAt: string;
  status: PostStatus;
  claimedAt: string | null;
  claimedBy: string | null;
  attempts: number;
  messageId: string | null;
  threadId: string | null;
  questionId: string | null;
  error: string | null;
  sentAt: string | null;
  revealAt: string | null;
  revealStatus: RevealStatus | null;
  revealMessageId: string | null;
  revealedAt: string | null;
}

export interface ScheduleInput {
  conversationId: ConversationId;
  platform: Platform;
  workspaceId: string;
  localTime: string;
  timezone: string;
  weekdays: Weekday[];
  topic: string | null;
  revealTime: string | null;
  createdBy: string;
}

export interface ClaimInput {
  scheduleId: string;
  localDate: string;
  conversationId: ConversationId;
  fireAt: Date;
  processId: string;
  now: Date;
}

export interface SentInput {
  messageId: string;
  threadId: string | null;
  questionId: string;
  /** When the summary is due. */
  revealAt: Date;
  now: Date;
}

/** Someone who answered a daily question, for its summary. Never their answer. */
export interface DailyAnswerer {
  displayName: string;
  /** Their current streak after answering (0 when unknown). */
  streak: number;
}

/**
 * Schedules and their per-day posts. Every method that decides who posts is one
 * atomic statement or transaction inside the store (claims, takeovers, marks
 * conditional on still owning the claim), so two processes never both win.
 */
export interface ScheduleRepository {
  /** Creates the conversation's schedule, or replaces its settings (one live schedule per conversation). */
  upsertSchedule(input: ScheduleInput, now: Date): Promise<{ schedule: Schedule; created: boolean }>;
  getSchedule(id: string): Promise<Schedule | undefined>;
  /** The live (active or paused) schedule of a conversation. */
  scheduleFor(conversationId: ConversationId): Promise<Schedule | undefined>;
  listSchedules(filter: { platform?: Platform; workspaceId?: string; status?: ScheduleStatus[] }): Promise<Schedule[]>;
  /** Pauses with a reason; no-op (false) unless active. */
  pauseSchedule(id: string, reason: string, now: Date): Promise<boolean>;
  /** Resumes from `now` on (missed days while paused are not caught up); false unless paused. */
  resumeSchedule(id: string, now: Date): Promise<boolean>;
  /** Soft delete: keeps post history (questions already asked in the channel). */
  deleteSchedule(id: string, now: Date): Promise<boolean>;

  /** Inserts the day's row as 'claimed' by processId; false when any row for that day exists. */
  claimPost(input: ClaimInput): Promise<boolean>;
  /**
   * Takes over a 'claimed' row whose lease ran out (claimed_at < staleBefore),
   * e.g. its process died between claim and send. Exactly one caller wins.
   */
  takeOverStaleClaim(scheduleId: string, localDate: string, processId: string, now: Date, staleBefore: Date): Promise<boolean>;
  /** Extends our lease before each send attempt; false if the claim is no longer ours. */
  renewClaim(scheduleId: string, localDate: string, processId: string, now: Date): Promise<boolean>;
  /** Counts a send attempt (renewing the lease); false if the claim is no longer ours. */
  beginAttempt(scheduleId: string, localDate: string, processId: string, now: Date): Promise<boolean>;
  markSent(scheduleId: string, localDate: string, processId: string, sent: SentInput): Promise<boolean>;
  /** Records the discussion thread started under a sent post. */
  setPostThread(scheduleId: string, localDate: string, threadId: string): Promise<void>;
  /** Terminal outcome of our claim: 'failed' (send failed) or 'skipped' (nothing to post, channel gone, too late). */
  markUnsent(scheduleId: string, localDate: string, processId: string, status: 'failed' | 'skipped', error: string, now: Date): Promise<boolean>;
  /** Records a day that will not be posted (past the grace window); false if the day already has a row. */
  recordSkip(input: Omit<ClaimInput, 'processId'> & { reason: string }): Promise<boolean>;
  getPost(scheduleId: string, localDate: string): Promise<SchedulePost | undefined>;
  listPosts(scheduleId: string): Promise<SchedulePost[]>;
  /** 'claimed' rows of live schedules whose lease ran out. */
  staleClaims(staleBefore: Date): Promise<SchedulePost[]>;
  /** Posts of the given schedules with fire_at > since (to find days without a row). */
  postsSince(scheduleIds: string[], since: Date): Promise<SchedulePost[]>;

  /** Sent posts of active schedules whose summary is due (reveal_at ≤ now) and not done; stale reveal claims included. */
  dueReveals(now: Date, staleBefore: Date): Promise<SchedulePost[]>;
  claimReveal(scheduleId: string, localDate: string, processId: string, now: Date, staleBefore: Date): Promise<boolean>;
  markRevealed(scheduleId: string, localDate: string, processId: string, status: 'sent' | 'failed' | 'skipped', messageId: string | null, error: string | null, now: Date): Promise<boolean>;

  /** Question ids posted in a conversation with how many times each was posted. */
  askedInConversation(conversationId: ConversationId): Promise<Map<string, number>>;
  /**
   * For each question, how many of the conversation's members (people who have
   * answered anything there) have already been asked it anywhere. Empty when the
   * practice tables are absent.
   */
  seenByMembers(conversationId: ConversationId): Promise<Map<string, number>>;
  /** People who answered this daily question in these conversations between the two instants. */
  dailyAnswerers(conversationIds: ConversationId[], questionId: string, since: Date, until: Date): Promise<DailyAnswerer[]>;
}
