import type { StreakRecord } from './practice-types.ts';

/**
 * Breaks, excused days and streak repairs (issue 14): what keeps a streak
 * honest over months. Part of the PracticeRepository. Rules (how long a break
 * may be, which days a failure excuses, how a streak is replayed) stay in the
 * core and come in as values or pure functions; the store only keeps records
 * and runs each change in one transaction.
 */

export type BreakEndReason = 'ran-out' | 'ended' | 'answered';

export interface BreakRecord {
  id: string;
  personId: string;
  /** First local date of the break, `YYYY-MM-DD`. */
  startsOn: string;
  /** Last planned local date (inclusive). */
  untilDay: string;
  /** The zone the person's days were counted in when it began. */
  zone: string;
  startedAt: string;
  /** When it runs out: the start of the person's day after `untilDay`. */
  endsAt: string;
  endedAt: string | null;
  endReason: BreakEndReason | null;
  /** Local days it actually excused, from `startsOn`; set when it ends. */
  daysTaken: number | null;
  /** How many days the person's review due dates moved when it ended. */
  shiftedDays: number | null;
}

export interface StreakRepairRecord {
  personId: string;
  localDate: string;
  reason: string;
  /** The admin's account id; null once that admin's data was deleted (/forget me). */
  repairedBy: string | null;
  repairedByName: string | null;
  repairedAt: string;
}

/** Every stored reason a person's days may be excused, for the core to turn into an ExcusedDays map. */
export interface StreakExcuseRecords {
  breaks: BreakRecord[];
  repairs: StreakRepairRecord[];
  /** Dates prepbot failed a workspace the person has an account in (a daily question it could not post). */
  workspaceDays: { localDate: string; reason: string }[];
}

export interface StartBreakInput {
  personId: string;
  startsOn: string;
  untilDay: string;
  zone: string;
  endsAt: Date;
  now: Date;
  /** Breaks started on or after this local date count towards the limit. */
  countFrom: string;
  /** How many counted breaks may exist from `countFrom` on before a new one is refused. */
  maxCounted: number;
}

export type StartBreakResult =
  | { ok: true; brk: BreakRecord }
  | { ok: false; reason: 'on-break'; current: BreakRecord }
  /** `counted`: the breaks within the window, oldest first. */
  | { ok: false; reason: 'limit'; counted: BreakRecord[] };

export interface EndBreakInput {
  breakId: string;
  now: Date;
  reason: BreakEndReason;
  /** Local days the break actually excused (decided by the core). */
  daysTaken: number;
  /** Reviews due at or after the break began move this many days later. */
  shiftDays: number;
}

export interface RepairStreakInput {
  personId: string;
  localDate: string;
  reason: string;
  repairedBy: string;
  repairedByName: string;
  now: Date;
  /** Pure replay of the person's active days with the excused days (the repaired date included). */
  replay: (days: string[]) => StreakRecord;
}

export type RepairStreakResult =
  | { ok: true; streak: StreakRecord }
  | { ok: false; reason: 'already-repaired'; existing: StreakRepairRecord };

/** A stretch of time prepbot was running (the heartbeat's rows). */
export interface AliveInterval {
  from: string;
  until: string;
}

export interface StreakCareRepository {
  /** Refuses while a break is open, or when `maxCounted` breaks started since `countFrom`; else inserts. One transaction. */
  startBreak(input: StartBreakInput): Promise<StartBreakResult>;
  /** The person's open break (not ended yet; it may have run out and wait to be finished). */
  openBreak(personId: string): Promise<BreakRecord | undefined>;
  /**
   * Ends an open break and moves the person's reviews due at or after its start
   * by `shiftDays`, in one transaction. Undefined when it had already ended
   * (another process, an answer at the same moment): nothing moves twice.
   */
  endBreak(input: EndBreakInput): Promise<BreakRecord | undefined>;
  /** Open breaks whose `endsAt` ≤ now (to be finished by the minute job). */
  expiredBreaks(now: Date, limit?: number): Promise<BreakRecord[]>;
  /** Excuse records per person (every person asked for is in the map). */
  streakExcuses(personIds: readonly string[]): Promise<Map<string, StreakExcuseRecords>>;
  /** The person has an account in the workspace or has answered there (Discord accounts span guilds). */
  inWorkspace(personId: string, workspaceKey: string): Promise<boolean>;
  /** Local dates the person answered on, ascending. */
  activeDays(personId: string): Promise<string[]>;
  /** Records an audited repair and replays the streak, in one transaction. */
  repairStreak(input: RepairStreakInput): Promise<RepairStreakResult>;
  /** Rewrites the stored streak from the person's active days (after a link merged two people). */
  replayStreak(personId: string, now: Date, replay: (days: string[]) => StreakRecord): Promise<StreakRecord>;
  /** Marks a local date on which prepbot failed a workspace; false when it was already marked. */
  excuseWorkspaceDay(workspaceKey: string, localDate: string, reason: string, now: Date): Promise<boolean>;
  /**
   * Heartbeat: extends this process's current stretch to `now`, or starts a new
   * one when its last sign of life is older than `maxSilenceMs` (the machine slept).
   */
  recordAlive(processId: string, now: Date, maxSilenceMs: number): Promise<void>;
  /** Every stretch prepbot was running, oldest first (one row per restart or pause: few). */
  aliveIntervals(): Promise<AliveInterval[]>;
}
