/**
 * The practice repository: people, accounts, answers, reviews, streaks, link
 * codes. Every method returns a Promise (a PostgreSQL store comes later); each
 * one that must be atomic runs its whole transaction inside the store. Rules
 * that decide values (streak arithmetic, FSRS) are passed in as pure
 * functions so the store holds no business logic and no clock.
 */
import type { StreakCareRepository } from './streak-care-types.ts';

import type { PracticeSettings, SettingsChange } from './settings-types.ts';

export interface AccountInput {
  /** `{platform}:{workspace}:{user}`. */
  accountId: string;
  platform: string;
  displayName: string;
  /** `{platform}:{workspace}`. */
  workspaceKey: string;
}

export interface PersonRef {
  personId: string;
  accountId: string;
  /** The account's current display name (refreshed on every event). */
  displayName: string;
  /** Set with /timezone; null = use the workspace's. */
  timezone: string | null;
  /** The account's workspace zone; null = the bot's default. */
  workspaceTimezone: string | null;
  /** Set with /daystart (0-23); null = the workspace's. */
  dayStartHour: number | null;
  /** The workspace's default day start (admins, /daystart scope:workspace); null = 0. */
  workspaceDayStartHour: number | null;
  /** Hidden from every leaderboard (the streak is kept); off by default. */
  boardsHidden: boolean;
  /** Opted in to the global board (across workspaces); off by default. */
  globalBoard: boolean;
}

export interface StreakRecord {
  current: number;
  longest: number;
  lastDay: string | null;
  freezes: number;
}

export type AttemptSource = 'ask' | 'daily' | 'interview';

/**
 * Which /ask queue served an attempt: a due review, a new question (no review
 * schedule yet), or extra practice (its rating leaves the schedule alone).
 * Absent: not from the daily queue (topic practice, daily posts, interviews).
 */
export type AttemptQueue = 'review' | 'new' | 'extra';

export interface AttemptRecord {
  id: string;
  personId: string;
  questionId: string;
  conversationId: string;
  workspaceKey: string;
  source: AttemptSource;
  askedAt: string;
  answeredAt: string | null;
  answerText: string | null;
  coverage: number | null;
  coverageJson: string | null;
  gaveUp: boolean;
  rating: string | null;
  ratedAt: string | null;
  /** Set when /ask's daily queue served it. */
  queue?: AttemptQueue;
}

export interface StartAttemptInput {
  personId: string;
  questionId: string;
  conversationId: string;
  workspaceKey: string;
  source: AttemptSource;
  now: Date;
  queue?: AttemptQueue;
}

export interface RecordAnswerInput {
  attemptId: string;
  personId: string;
  /** Stored exactly as typed. */
  text: string;
  coverage: number;
  coverageJson: string;
  now: Date;
  /** The person's local date at `now`: the streak day this answer counts for. */
  localDate: string;
  /** Pure streak step (core/streaks applyActivity). */
  applyActivity: (state: StreakRecord, localDate: string) => StreakRecord;
}

/** Why an attempt could not be changed. `closed` = already answered / given up / rated. */
export type AttemptRefusal = 'not-found' | 'not-yours' | 'closed';

export type RecordAnswerResult =
  | { ok: true; attempt: AttemptRecord; streak: StreakRecord; newDay: boolean }
  | { ok: false; reason: AttemptRefusal; attempt?: AttemptRecord };

export interface RateInput {
  attemptId: string;
  personId: string;
  rating: string;
  now: Date;
  /**
   * Pure FSRS step: stored card JSON (undefined if never reviewed) and the attempt being
   * rated → new card and its due instant; null keeps the card as it is (extra practice).
   */
  schedule: (previousCard: unknown, attempt: AttemptRecord) => { card: unknown; due: Date } | null;
}

export type RateResult =
  /** `due`: the question's next review after this rating; null when it has none (kept unscheduled). */
  | { ok: true; attempt: AttemptRecord; due: Date | null }
  | { ok: false; reason: AttemptRefusal | 'not-revealed'; attempt?: AttemptRecord };

export type GiveUpResult = { ok: true; attempt: AttemptRecord } | { ok: false; reason: AttemptRefusal; attempt?: AttemptRecord };

export interface DueReview {
  questionId: string;
  dueAt: string;
}

export interface ScheduledReview extends DueReview {
  /** When it was last rated: with dueAt, the interval FSRS chose. */
  reviewedAt: string;
}

/** What a person did in one practice day (see PracticeRepository.dayLoad). */
export interface DayLoad {
  /** Ratings given to attempts each /ask queue served. */
  rated: Record<AttemptQueue, number>;
  /** Questions answered or given up, from any source. */
  answeredQuestionIds: string[];
}

/**
 * How many failed redemptions (unknown, expired or used codes) are allowed in a
 * sliding window before further attempts are refused without looking at the code.
 */
export interface LinkAttemptLimit {
  windowMs: number;
  perAccount: number;
  perWorkspace: number;
}

export type LinkRedeemResult =
  | { ok: true; personId: string; mergedFrom: string | null }
  | { ok: false; reason: 'unknown' | 'expired' | 'used' | 'own-code' }
  /** `scope` says whose failures hit the limit; `retryAt` is when the next attempt is accepted. */
  | { ok: false; reason: 'too-many-attempts'; scope: 'account' | 'workspace'; retryAt: Date };

export type BoardScope = 'channel' | 'workspace' | 'global';
export type BoardPeriod = 'week' | 'month' | 'all';

/**
 * One board: a scope and a calendar period. Week and month are the calendar of
 * the workspace's zone for channel and workspace boards and of UTC for the
 * global board; the core names the current one by its key.
 */
export interface BoardQuery {
  scope: BoardScope;
  /** Channel boards. */
  conversationId?: string;
  /** Workspace boards. */
  workspaceKey?: string;
  period: BoardPeriod;
  /** Week and month: the current period's key, `week:YYYY-MM-DD` (its Monday) or `month:YYYY-MM` (calendarPeriodOf). */
  periodKey?: string;
}

export interface LeaderboardRow {
  personId: string;
  displayName: string;
  timezone: string | null;
  workspaceTimezone: string | null;
  dayStartHour: number | null;
  workspaceDayStartHour: number | null;
  /** Answers in the board's scope and period. */
  answers: number;
  firstAnswerAt: string;
  streak: StreakRecord;
  /** Shown on this board (not hidden; on the global board, opted in). */
  listed: boolean;
}

export interface BoardVisibility {
  /** true = shown on boards (the default); false = hidden from every board. */
  boards?: boolean;
  /** true = opted in to the global board; false = not on it (the default). */
  globalBoard?: boolean;
}

export interface QuestionStatRow {
  questionId: string;
  answers: number;
  /** Mean coverage 0..1 over the answers (give-ups excluded). */
  avgCoverage: number | null;
  gaveUp: number;
}

/** One answer (not a give-up), for charts of practice over time. */
export interface AnswerPoint {
  questionId: string;
  /** UTC ISO instant. */
  answeredAt: string;
  /** Key-point coverage 0..1 (null when it was not graded). */
  coverage: number | null;
}

/** Everything stored about one person, table by table (see PERSON_TABLES in the SQLite store). */
export interface PersonExport {
  personId: string;
  tables: Record<string, unknown[]>;
  /** What each table holds, in words. */
  labels: Record<string, string>;
}

export interface PersonForgetReport {
  personId: string;
  /** Rows deleted per table. */
  deleted: Record<string, number>;
  /** What each table holds, in words, for telling the person what was deleted. */
  labels: Record<string, string>;
}

/** Breaks, excused days and repairs are declared in streak-care-types.ts. */
export interface PracticeRepository extends StreakCareRepository {
  /** Finds or creates the account (and its person and workspace); refreshes the display name. */
  ensureAccount(input: AccountInput, now: Date): Promise<PersonRef>;
  /** The account if it has ever used the bot. */
  findAccount(accountId: string): Promise<PersonRef | undefined>;
  setTimezone(personId: string, zone: string | null): Promise<void>;
  setWorkspaceTimezone(workspaceKey: string, zone: string | null): Promise<void>;
  /** The person's day-start hour, 0-23; null = the workspace's. */
  setDayStart(personId: string, hour: number | null): Promise<void>;
  setWorkspaceDayStart(workspaceKey: string, hour: number | null): Promise<void>;

  createLinkCode(personId: string, code: string, now: Date, expiresAt: Date): Promise<void>;
  /**
   * Joins the redeeming account's person into the code's person: every account,
   * answer, review and active day moves over, the streak is replayed from the
   * union of active days, the redeemer's empty person is deleted. One transaction,
   * which also checks `limit` first and records a failure (or clears the
   * account's failures on success), so concurrent guesses cannot pass the limit.
   */
  redeemLinkCode(
    code: string,
    accountId: string,
    now: Date,
    replayStreak: (days: string[]) => StreakRecord,
    limit: LinkAttemptLimit,
  ): Promise<LinkRedeemResult>;
  /** Gives the account a fresh person; history stays with the old one. False if it is the person's only account. */
  unlinkAccount(accountId: string, displayName: string, now: Date): Promise<boolean>;
  accountsOf(personId: string): Promise<{ accountId: string; platform: string; displayName: string }[]>;

  startAttempt(input: StartAttemptInput): Promise<AttemptRecord>;
  getAttempt(attemptId: string): Promise<AttemptRecord | undefined>;
  /** The person's most recent attempt on a question in a conversation, open or not. */
  latestAttempt(personId: string, questionId: string, conversationId: string): Promise<AttemptRecord | undefined>;
  /** The person's most recent attempt still waiting for an answer, in this conversation if given. */
  openAttempt(personId: string, conversationId?: string): Promise<AttemptRecord | undefined>;
  /** Answer + streak in one transaction; refuses an attempt already answered or given up. */
  recordAnswer(input: RecordAnswerInput): Promise<RecordAnswerResult>;
  giveUp(attemptId: string, personId: string, now: Date): Promise<GiveUpResult>;
  /**
   * Counts a practice day without an answer of the person's own (a peer
   * interviewer's day); the same streak step as recordAnswer, once per local date.
   */
  recordActivity(input: { personId: string; now: Date; localDate: string; applyActivity: RecordAnswerInput['applyActivity'] }): Promise<{
    streak: StreakRecord;
    newDay: boolean;
  }>;
  /** Rating + review card in one transaction; each attempt is rated once. */
  rate(input: RateInput): Promise<RateResult>;

  /** Reviews due at `now` (inclusive), soonest due first. */
  dueReviews(personId: string, now: Date, limit?: number): Promise<DueReview[]>;
  /** Every review schedule of the person, due or not, soonest due first, with when each was last rated. */
  reviewSchedule(personId: string): Promise<ScheduledReview[]>;
  /** Questions the person has been asked or has a review for. */
  seenQuestionIds(personId: string): Promise<string[]>;
  lastQuestionId(personId: string): Promise<string | undefined>;
  getStreak(personId: string): Promise<StreakRecord>;
  /**
   * A board's listed members whose streak may still be shown today (current > 0
   * and last_day >= `aliveSince`), ordered by stored current streak, then answers,
   * first answer, person id; at most `limit`. The core decides which are alive.
   */
  leaderboardByStreak(query: BoardQuery, opts: { aliveSince: string; limit: number }): Promise<LeaderboardRow[]>;
  /** A board's listed members by answers, then first answer, then person id; at most `limit`. */
  leaderboardByAnswers(query: BoardQuery, limit: number): Promise<LeaderboardRow[]>;
  /** One person's row on a board, listed or not; undefined when they have no answers there in the period. */
  boardEntry(query: BoardQuery, personId: string): Promise<LeaderboardRow | undefined>;
  /** Board privacy (/settings boards:off global-board:on): only the flags given change; applies to every board at once. */
  setBoardVisibility(personId: string, v: BoardVisibility): Promise<void>;
  questionStats(personId: string): Promise<QuestionStatRow[]>;
  /** The person's answers (give-ups left out) at or after `since`, oldest first. */
  answersSince(personId: string, since: Date): Promise<AnswerPoint[]>;

  /** A person's own practice settings and the defaults of the workspace given (`{platform}:{workspace}`). */
  practiceSettings(personId: string, workspaceKey: string): Promise<{ own: PracticeSettings; workspace: PracticeSettings }>;
  /** Sets (numbers) or clears (null) the given keys of a person's settings, in one transaction; returns the result. */
  changeSettings(personId: string, change: SettingsChange, now: Date): Promise<PracticeSettings>;
  /** The same for a workspace's defaults. */
  changeWorkspaceSettings(workspaceKey: string, change: SettingsChange, now: Date): Promise<PracticeSettings>;
  /** What the person did in [from, to): ratings per /ask queue (by rated_at) and questions answered (by answered_at). */
  dayLoad(personId: string, from: Date, to: Date): Promise<DayLoad>;

  /** Everything stored about the person (for `prepbot export`). */
  exportPerson(personId: string): Promise<PersonExport>;
  /** Deletes everything stored about the person, in one transaction (for `/forget me`, `prepbot forget`). */
  forgetPerson(personId: string): Promise<PersonForgetReport>;

  /** Records a platform delivery id; false when it was seen before (a replay or retry). */
  markDelivery(deliveryId: string, now: Date): Promise<boolean>;
  /** Forgets delivery ids older than `before` (platforms retry within minutes). */
  pruneDeliveries(before: Date): Promise<number>;
}

export interface PracticeStoreOptions {
  /**
   * The zone of workspaces that chose none (the bot's PREPBOT_TIMEZONE): their
   * boards' weeks and months follow it. Default UTC.
   */
  defaultTimezone?: string;
  /** Boards with fewer listed members are ranked from their members, larger ones by walking streaks (tests force each). */
  smallBoard?: number;
}
