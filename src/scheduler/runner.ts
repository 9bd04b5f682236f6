import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import cron from 'node-cron';
import { ConversationUnavailableError, type ChatAdapter, type MessageRef, type Platform } from '../chat/port.ts';
import type { Message } from '../chat/message.ts';
import type { Clock } from '../core/clock.ts';
import type { Schedule, SchedulePost, ScheduleRepository } from '../core/schedule/types.ts';
import { createSendQueue, realSleep, type Send, type SendQueue, type Sleep } from './queue.ts';
import { decideDue, nextOccurrence, occurrencesBetween, zonedInstant, type Occurrence } from './times.ts';

/**
 * Runs persisted schedules. One node-cron job fires every minute and calls
 * tick(); tick() derives all due work from the database and the clock, so a
 * tick can be repeated, run late, or run by two processes at once.
 *
 * Exactly once per schedule per local day:
 * - A day is claimed by INSERTing its schedule_posts row before anything is
 *   sent; the primary key (schedule_id, local_date) lets one claim win.
 * - The outcome (sent/failed/skipped) is written only by the claim's owner.
 * - A claim left 'claimed' longer than the lease (its process died between
 *   claim and send, or mid-send) is taken over by exactly one process with a
 *   conditional UPDATE and sent, if still within the grace window.
 * - Every send of a day's post (retries, a takeover after a crash) carries the
 *   same idempotency key (schedule, day, question). Discord deduplicates on it
 *   (nonce + enforce_nonce), so a send whose response was lost, or whose
 *   process died before recording 'sent', is not posted twice there.
 * Residual: on Slack, which has no idempotency key, a process that dies after
 * Slack accepted the message but before it recorded 'sent' (a window of one
 * database write) leaves a claim the takeover posts again: at-least-once in
 * that crash window, exactly-once otherwise. We chose this over at-most-once
 * (never retaking a claim), which would silently lose the day whenever a
 * process dies before sending, the far likelier crash. docs/reliability.md.
 */

export interface SchedulerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface DailyComposed {
  message: Message;
  questionId: string;
}

export interface SchedulerOptions {
  store: ScheduleRepository;
  clock: Clock;
  adapters: Map<Platform, ChatAdapter>;
  /**
   * Picks and renders the day's question. Called only after the day is claimed
   * by this process, so it may record (e.g. start attempts) without duplicates.
   * undefined = nothing to post (e.g. the topic has no questions): the day is
   * recorded as skipped and the owner told.
   */
  composeDaily(schedule: Schedule, occurrence: Occurrence): Promise<DailyComposed | undefined>;
  /** The summary for a sent post; undefined = nothing to reveal (recorded as skipped). */
  composeReveal(schedule: Schedule, post: SchedulePost): Promise<Message | undefined>;
  /** Builds the private notice telling a schedule's owner something went wrong. */
  composeNotice?(schedule: Schedule, problem: string): Message;
  /** How late a missed post may still go out (default 2 h). */
  graceMs?: number;
  /** How long a claim may sit unconfirmed before another process may take it over (default 2 min). */
  leaseMs?: number;
  /** How far back to look for days without a row (default 3 days). */
  lookbackMs?: number;
  /** Send attempts per post before recording it failed (default 3). */
  maxAttempts?: number;
  /** First backoff between attempts; doubles each time (default 5 s). */
  backoffMs?: number;
  logger?: SchedulerLogger;
  /** Unique per running process; recorded on claims. */
  processId?: string;
  sleep?: Sleep;
  queue?: SendQueue;
  /**
   * Other work due by the clock, run on every tick after the schedules (e.g.
   * ending mock interviews whose time is up). Each must be safe to run twice
   * and from two processes at once; a failing one is logged, never fatal.
   */
  minuteJobs?: readonly { name: string; run(now: Date): Promise<void> }[];
  /**
   * Told when prepbot itself lost a channel's daily question for a local date:
   * the send failed after every retry, picking the question failed, or the bot
   * was down past the catch-up window. Not for a channel that is gone or a topic
   * without questions (those are settings to fix). The app excuses that date
   * for the workspace's people, so nobody's streak breaks for prepbot's failure.
   * A failure here is logged, never fatal.
   */
  dayLost?(schedule: Schedule, localDate: string, why: string): Promise<void>;
}

export interface TickReport {
  posted: number;
  skipped: number;
  failed: number;
  paused: number;
  revealed: number;
  /** Days another process (or an earlier tick) already had. */
  alreadyClaimed: number;
}

export interface Scheduler {
  readonly processId: string;
  /** Does all work due at clock.now(). Concurrent calls share one run. */
  tick(): Promise<TickReport>;
  /** Runs a tick now (catch-up after a restart) and then every minute. */
  start(): void;
  /** Stops the timer and waits for a running tick. */
  stop(): Promise<void>;
}

class LostClaimError extends Error {
  constructor() {
    super('the claim was taken over by another process');
  }
}

const silentLogger: SchedulerLogger = { info() {}, warn() {}, error() {} };

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function defaultNotice(schedule: Schedule, problem: string): Message {
  return {
    body: {
      type: 'root',
      children: [
        {
          type: 'paragraph',
          children: [{ type: 'text', value: `Your daily question schedule (${schedule.id}) needs attention: ${problem}` }],
        },
      ],
    },
  };
}

/**
 * The idempotency key of one day's post. The question is part of it: if a takeover picks another
 * question than the dead process did, a platform must not hand back the old message (whose buttons
 * name the old question) as if it were this one.
 */
export function postKey(scheduleId: string, localDate: string, questionId: string): string {
  return `daily|${scheduleId}|${localDate}|${questionId}`;
}

/** When a post's summary is due: the reveal time that day, else the next post. */
export function revealInstant(schedule: Schedule, occurrence: Occurrence): Date {
  if (schedule.revealTime) {
    const at = zonedInstant(occurrence.localDate, schedule.revealTime, schedule.timezone);
    if (at.getTime() > occurrence.at.getTime()) return at;
  }
  const next = nextOccurrence(schedule, occurrence.at);
  return next ? next.at : new Date(occurrence.at.getTime() + 86_400_000);
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { store, clock, adapters } = options;
  const graceMs = options.graceMs ?? 2 * 3600_000;
  const leaseMs = options.leaseMs ?? 120_000;
  const lookbackMs = options.lookbackMs ?? 3 * 86_400_000;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const backoffMs = options.backoffMs ?? 5000;
  const log = options.logger ?? silentLogger;
  const processId = options.processId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const sleep = options.sleep ?? realSleep;
  const queue = options.queue ?? createSendQueue({ clock, sleep });
  const composeNotice = options.composeNotice ?? defaultNotice;

  let running: Promise<TickReport> | undefined;
  let task: ReturnType<typeof cron.createTask> | undefined;

  async function dayLost(schedule: Schedule, localDate: string, why: string): Promise<void> {
    if (!options.dayLost) return;
    try {
      await options.dayLost(schedule, localDate, why);
    } catch (err) {
      log.error({ scheduleId: schedule.id, localDate, err: errorText(err) }, 'could not record the lost day');
    }
  }

  async function notifyOwner(schedule: Schedule, problem: string): Promise<void> {
    const adapter = adapters.get(schedule.platform);
    if (!adapter?.postDirect) {
      log.warn({ scheduleId: schedule.id, owner: schedule.createdBy, problem }, 'schedule owner not notified: platform has no direct messages');
      return;
    }
    try {
      await queue.run(schedule.platform, (send) => send(() => adapter.postDirect!(schedule.createdBy, composeNotice(schedule, problem))));
    } catch (err) {
      log.warn({ scheduleId: schedule.id, owner: schedule.createdBy, err: errorText(err) }, 'could not notify schedule owner');
    }
  }

  async function pauseForUnavailable(schedule: Schedule, err: ConversationUnavailableError, report: TickReport): Promise<void> {
    const reason = `cannot post to this channel: ${err.reason}`;
    if (await store.pauseSchedule(schedule.id, reason, clock.now())) {
      report.paused++;
      log.warn({ scheduleId: schedule.id, conversationId: schedule.conversationId, reason }, 'schedule paused');
      await notifyOwner(
        schedule,
        `I paused it because ${reason}. Add me back (or fix my permissions) and run /schedule resume there.`,
      );
    }
  }

  /**
   * Posts with retries. Returns the message, or undefined when the claim was lost
   * or the outcome (failed/skipped) has been recorded.
   */
  async function sendWithRetries(
    schedule: Schedule,
    post: { localDate: string },
    send: Send,
    message: Message,
    questionId: string,
    report: TickReport,
  ): Promise<MessageRef | 'lost' | 'unavailable' | 'failed'> {
    const adapter = adapters.get(schedule.platform)!;
    let lastError = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      // Renewing the lease before each attempt keeps a slow, retrying send from looking abandoned.
      if (!(await store.beginAttempt(schedule.id, post.localDate, processId, clock.now()))) return 'lost';
      try {
        return await send(async () => {
          // Renewed right before each platform call (429 retries included): a long Retry-After wait
          // must not let the lease lapse and another process post the same day.
          if (!(await store.renewClaim(schedule.id, post.localDate, processId, clock.now()))) throw new LostClaimError();
          return adapter.post(schedule.conversationId, message, { idempotencyKey: postKey(schedule.id, post.localDate, questionId) });
        });
      } catch (err) {
        if (err instanceof LostClaimError) return 'lost';
        if (err instanceof ConversationUnavailableError) {
          await store.markUnsent(schedule.id, post.localDate, processId, 'skipped', err.message, clock.now());
          await pauseForUnavailable(schedule, err, report);
          return 'unavailable';
        }
        lastError = errorText(err);
        log.warn({ scheduleId: schedule.id, localDate: post.localDate, attempt, err: lastError }, 'daily post failed');
        if (attempt < maxAttempts) await sleep(backoffMs * 2 ** (attempt - 1));
      }
    }
    await store.markUnsent(schedule.id, post.localDate, processId, 'failed', `after ${maxAttempts} attempts: ${lastError}`, clock.now());
    report.failed++;
    await dayLost(schedule, post.localDate, 'the daily question could not be posted');
    await notifyOwner(
      schedule,
      `the daily question for ${post.localDate} could not be posted after ${maxAttempts} attempts (${lastError}). It will try again at the next scheduled time.`,
    );
    return 'failed';
  }

  /** Sends a day this process has claimed and records the outcome. */
  async function deliver(schedule: Schedule, occurrence: Occurrence, send: Send, report: TickReport): Promise<void> {
    let composed: DailyComposed | undefined;
    try {
      composed = await options.composeDaily(schedule, occurrence);
    } catch (err) {
      const text = `could not pick a question: ${errorText(err)}`;
      await store.markUnsent(schedule.id, occurrence.localDate, processId, 'failed', text, clock.now());
      report.failed++;
      log.error({ scheduleId: schedule.id, err: errorText(err) }, 'composeDaily failed');
      await dayLost(schedule, occurrence.localDate, 'the daily question could not be posted');
      return;
    }
    if (!composed) {
      const topic = schedule.topic ? `topic "${schedule.topic}"` : 'the question bank';
      const problem = `${topic} has no questions to ask, so ${occurrence.localDate} was skipped. Import notes or change the topic with /schedule set.`;
      await store.markUnsent(schedule.id, occurrence.localDate, processId, 'skipped', problem, clock.now());
      report.skipped++;
      await notifyOwner(schedule, problem);
      return;
    }
    const result = await sendWithRetries(schedule, occurrence, send, composed.message, composed.questionId, report);
    if (typeof result === 'string') {
      if (result === 'lost') log.warn({ scheduleId: schedule.id, localDate: occurrence.localDate }, 'claim taken over by another process');
      return;
    }
    // Record 'sent' first: the shorter the gap after the platform accepted the message, the smaller the duplicate window.
    const recorded = await store.markSent(schedule.id, occurrence.localDate, processId, {
      messageId: result.messageId,
      threadId: null,
      questionId: composed.questionId,
      revealAt: revealInstant(schedule, occurrence),
      now: clock.now(),
    });
    if (!recorded) log.error({ scheduleId: schedule.id, localDate: occurrence.localDate }, 'posted, but the claim was no longer ours');
    report.posted++;
    const adapter = adapters.get(schedule.platform)!;
    if (adapter.startThread) {
      try {
        const threadId = await send(() => adapter.startThread!(result, `Daily question · ${occurrence.localDate}`));
        await store.setPostThread(schedule.id, occurrence.localDate, threadId);
      } catch (err) {
        // The question is out; a missing discussion thread is not worth failing the day.
        log.warn({ scheduleId: schedule.id, err: errorText(err) }, 'could not start a thread for the daily question');
      }
    }
  }

  async function reveal(post: SchedulePost, report: TickReport, now: Date): Promise<void> {
    const schedule = await store.getSchedule(post.scheduleId);
    const adapter = schedule && adapters.get(schedule.platform);
    if (!schedule || !adapter) return;
    await queue.run(schedule.platform, async (send) => {
      const staleBefore = new Date(clock.now().getTime() - leaseMs);
      if (!(await store.claimReveal(post.scheduleId, post.localDate, processId, clock.now(), staleBefore))) return;
      const mark = (status: 'sent' | 'failed' | 'skipped', messageId: string | null, error: string | null) =>
        store.markRevealed(post.scheduleId, post.localDate, processId, status, messageId, error, clock.now());
      if (post.revealAt && now.getTime() - new Date(post.revealAt).getTime() > graceMs) {
        await mark('skipped', null, 'summary skipped: the bot was not running at reveal time');
        return;
      }
      let message: Message | undefined;
      try {
        message = await options.composeReveal(schedule, post);
      } catch (err) {
        await mark('failed', null, `could not build the summary: ${errorText(err)}`);
        return;
      }
      if (!message) {
        await mark('skipped', null, null);
        return;
      }
      let lastError = '';
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        try {
          const ref = await send(() => adapter.post(schedule.conversationId, message, { idempotencyKey: `reveal|${post.scheduleId}|${post.localDate}` }));
          await mark('sent', ref.messageId, null);
          report.revealed++;
          return;
        } catch (err) {
          if (err instanceof ConversationUnavailableError) {
            await mark('skipped', null, err.message);
            await pauseForUnavailable(schedule, err, report);
            return;
          }
          lastError = errorText(err);
          if (attempt < maxAttempts) await sleep(backoffMs * 2 ** (attempt - 1));
        }
      }
      await mark('failed', null, `summary failed after ${maxAttempts} attempts: ${lastError}`);
    });
  }

  async function runTick(): Promise<TickReport> {
    const report: TickReport = { posted: 0, skipped: 0, failed: 0, paused: 0, revealed: 0, alreadyClaimed: 0 };
    const now = clock.now();
    const staleBefore = new Date(now.getTime() - leaseMs);
    const served = (platform: Platform) => adapters.has(platform);

    // Summaries first, so "yesterday's answer" lands before today's question when both are due.
    const reveals = (await store.dueReveals(now, staleBefore)).filter((p) => served(p.conversationId.split(':')[0] as Platform));
    await Promise.all(reveals.map((p) => reveal(p, report, now)));

    const work: Promise<void>[] = [];

    // Claims whose process vanished between claim and recorded outcome.
    for (const post of await store.staleClaims(staleBefore)) {
      const schedule = await store.getSchedule(post.scheduleId);
      if (!schedule || !served(schedule.platform)) continue;
      const occurrence: Occurrence = { localDate: post.localDate, at: new Date(post.fireAt) };
      work.push(
        queue.run(schedule.platform, async (send) => {
          if (!(await store.takeOverStaleClaim(post.scheduleId, post.localDate, processId, clock.now(), staleBefore))) return;
          const decision = schedule.status !== 'active' ? 'paused' : decideDue(occurrence.at, clock.now(), graceMs);
          if (decision !== 'post') {
            const why = decision === 'paused' ? 'schedule paused' : 'past the catch-up window';
            await store.markUnsent(schedule.id, post.localDate, processId, 'skipped', `claimed by ${post.claimedBy} but never confirmed sent; ${why}`, clock.now());
            report.skipped++;
            if (decision !== 'paused') await dayLost(schedule, post.localDate, 'prepbot was down at the daily question');
            return;
          }
          log.warn({ scheduleId: schedule.id, localDate: post.localDate, previousOwner: post.claimedBy }, 'retrying an abandoned claim');
          await deliver(schedule, occurrence, send, report);
        }),
      );
    }

    const schedules = (await store.listSchedules({ status: ['active'] })).filter((s) => served(s.platform));
    const lookFrom = new Date(now.getTime() - lookbackMs);
    const existing = new Set(
      (await store.postsSince(schedules.map((s) => s.id), new Date(lookFrom.getTime() - 86_400_000))).map(
        (p) => `${p.scheduleId}|${p.localDate}`,
      ),
    );

    for (const schedule of schedules) {
      const from = new Date(Math.max(lookFrom.getTime(), new Date(schedule.effectiveFrom).getTime() - 1));
      const missing = occurrencesBetween(schedule, from, now).filter((o) => !existing.has(`${schedule.id}|${o.localDate}`));
      missing.forEach((occurrence, i) => {
        const latest = i === missing.length - 1;
        const decision = decideDue(occurrence.at, now, graceMs);
        if (decision === 'post' && latest) {
          work.push(
            queue.run(schedule.platform, async (send) => {
              const claimed = await store.claimPost({
                scheduleId: schedule.id,
                localDate: occurrence.localDate,
                conversationId: schedule.conversationId,
                fireAt: occurrence.at,
                processId,
                now: clock.now(),
              });
              if (!claimed) {
                report.alreadyClaimed++;
                return;
              }
              await deliver(schedule, occurrence, send, report);
            }),
          );
          return;
        }
        const reason =
          decision === 'post'
            ? `not posted: a later day (${missing[missing.length - 1]!.localDate}) was due at the same time`
            : `missed: the bot was not running at ${schedule.localTime} ${schedule.timezone}; it came back ${Math.round((now.getTime() - occurrence.at.getTime()) / 60_000)} min later, past the ${Math.round(graceMs / 60_000)} min catch-up window`;
        work.push(
          store
            .recordSkip({
              scheduleId: schedule.id,
              localDate: occurrence.localDate,
              conversationId: schedule.conversationId,
              fireAt: occurrence.at,
              reason,
              now,
            })
            .then(async (recorded) => {
              if (recorded) {
                report.skipped++;
                log.info({ scheduleId: schedule.id, localDate: occurrence.localDate, reason }, 'daily question skipped');
                await dayLost(schedule, occurrence.localDate, 'prepbot was down at the daily question');
              }
            }),
        );
      });
    }

    const results = await Promise.allSettled(work);
    for (const r of results) {
      if (r.status === 'rejected') log.error({ err: errorText(r.reason) }, 'scheduler work failed');
    }
    for (const job of options.minuteJobs ?? []) {
      try {
        await job.run(now);
      } catch (err) {
        log.error({ err: errorText(err), job: job.name }, 'minute job failed');
      }
    }
    return report;
  }

  function tick(): Promise<TickReport> {
    // A cron double-fire (or a slow tick overlapping the next) joins the run in flight.
    if (!running) {
      running = runTick().finally(() => {
        running = undefined;
      });
    }
    return running;
  }

  return {
    processId,
    tick,
    start() {
      if (task) return;
      const run = () => {
        tick().catch((err) => log.error({ err: errorText(err) }, 'scheduler tick failed'));
      };
      // One job every minute in UTC; each schedule's own zone is applied by tick() from the database,
      // so edits need no re-registration and DST is handled per local date.
      task = cron.createTask('* * * * *', run, { name: `prepbot-scheduler-${processId}`, timezone: 'UTC', noOverlap: true });
      task.start();
      run();
    },
    async stop() {
      if (task) {
        await task.destroy();
        task = undefined;
      }
      if (running) await running.catch(() => undefined);
    },
  };
}
