import type { Platform } from '../chat/port.ts';
import type { Clock } from '../core/clock.ts';

/**
 * Fan-out queue for scheduled posts: per platform, at most `concurrency` jobs at
 * once and at most `perSecond` platform calls per second (with a `burst`), and
 * a 429 pauses that platform's lane for its Retry-After before retrying.
 *
 * The SDKs (discord.js REST, Slack web-api) already honour 429s on their own;
 * this lane keeps a 1,000-channel fan-out from provoking them in the first place,
 * and covers adapters/fakes that surface a 429 to us instead.
 */

export interface RateLimit {
  /** Jobs in flight at once. */
  concurrency: number;
  /** Calls per second; undefined = no pacing (only concurrency and 429s). */
  perSecond?: number;
  /** Calls allowed back-to-back before pacing starts (default 1). */
  burst?: number;
}

/** Thrown by adapters (or fakes) on a platform 429. */
export class RateLimitedError extends Error {
  constructor(
    readonly retryAfterMs: number,
    message = `rate limited; retry after ${retryAfterMs} ms`,
  ) {
    super(message);
    this.name = 'RateLimitedError';
  }
}

/**
 * The wait a 429-like error asks for, in ms, or undefined if it is not one:
 * our RateLimitedError, Slack web-api's rate-limited error (`retryAfter` in
 * seconds), discord.js's RateLimitError (`retryAfter` and `timeToReset` in ms).
 */
export function retryAfterMsOf(err: unknown): number | undefined {
  if (err instanceof RateLimitedError) return err.retryAfterMs;
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; name?: unknown; retryAfter?: unknown; status?: unknown };
  if (e.code === 'slack_webapi_rate_limited_error' && typeof e.retryAfter === 'number') return e.retryAfter * 1000;
  if (e.name === 'RateLimitError' && typeof e.retryAfter === 'number') return e.retryAfter;
  if (typeof e.retryAfter === 'number' && e.status === 429) return e.retryAfter;
  return undefined;
}

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Passed to a job: wraps each platform call so it is paced and retried on 429. */
export type Send = <R>(call: () => Promise<R>) => Promise<R>;

export interface SendQueue {
  /** Runs `job` once a slot for the platform is free; `send` paces the job's platform calls. */
  run<T>(platform: Platform, job: (send: Send) => Promise<T>): Promise<T>;
}

export interface SendQueueOptions {
  limits?: Partial<Record<Platform, RateLimit>>;
  /** For platforms without an entry. */
  defaultLimit?: RateLimit;
  clock: Clock;
  sleep?: Sleep;
  /** 429s tolerated per call before giving up (the error then reaches the caller). */
  maxRateLimitRetries?: number;
  /** Cap on one Retry-After wait, so a bogus header cannot park the lane for hours. */
  maxRetryAfterMs?: number;
}

/**
 * Defaults close to the platforms' documented limits for posting: Discord allows
 * 50 requests/s per bot (per-channel buckets are separate, and each channel here
 * gets one post); Slack's chat.postMessage is about 1/s per channel with short
 * bursts workspace-wide, so we pace conservatively and let 429s steer the rest.
 */
export const DEFAULT_LIMITS: Partial<Record<Platform, RateLimit>> = {
  discord: { concurrency: 8, perSecond: 45, burst: 5 },
  slack: { concurrency: 4, perSecond: 20, burst: 5 },
  console: { concurrency: 1 },
  memory: { concurrency: 16 },
};

class Lane {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** GCRA "theoretical arrival time" of the next call, epoch ms. */
  private tat = 0;
  private pausedUntil = 0;
  /**
   * Without a configured rate, the spacing a 429 taught us (ms between calls):
   * waking every waiter at once after a Retry-After would only provoke the next
   * 429. Shrinks slowly on success so the lane keeps probing for more room.
   */
  private learnedIntervalMs = 0;

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: Clock,
    private readonly sleep: Sleep,
    private readonly maxRetries: number,
    private readonly maxRetryAfterMs: number,
  ) {}

  async run<T>(job: (send: Send) => Promise<T>): Promise<T> {
    if (this.active >= this.limit.concurrency) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await job((call) => this.send(call));
    } finally {
      const next = this.waiting.shift();
      // Hand the slot straight to the next job (active stays the same) so a newcomer cannot overtake.
      if (next) next();
      else this.active--;
    }
  }

  private async send<R>(call: () => Promise<R>): Promise<R> {
    for (let retries = 0; ; retries++) {
      await this.pace();
      try {
        const result = await call();
        if (this.learnedIntervalMs > 0) this.learnedIntervalMs *= 0.99;
        return result;
      } catch (err) {
        const wait = retryAfterMsOf(err);
        if (wait === undefined || retries >= this.maxRetries) throw err;
        const capped = Math.min(Math.max(wait, 0), this.maxRetryAfterMs);
        this.pausedUntil = Math.max(this.pausedUntil, this.clock.now().getTime() + capped);
        if (!this.limit.perSecond) this.learnedIntervalMs = Math.min(Math.max(this.learnedIntervalMs, capped), 1000);
      }
    }
  }

  /** Waits for the lane's pause to end and for this call's pacing slot (reserved up front, so waiters stay FIFO). */
  private async pace(): Promise<void> {
    for (;;) {
      let now = this.clock.now().getTime();
      if (this.pausedUntil > now) {
        await this.sleep(this.pausedUntil - now);
        continue;
      }
      const rate = this.limit.perSecond;
      if (!rate && this.learnedIntervalMs < 1) return;
      const interval = rate ? 1000 / rate : this.learnedIntervalMs;
      const tolerance = rate ? (Math.max(1, this.limit.burst ?? 1) - 1) * interval : 0;
      const tat = Math.max(this.tat, now);
      const allowedAt = tat - tolerance;
      this.tat = tat + interval;
      if (allowedAt > now) await this.sleep(allowedAt - now);
      now = this.clock.now().getTime();
      // A 429 may have paused the lane while we slept; then wait it out and take a fresh slot.
      if (this.pausedUntil <= now) return;
    }
  }
}

export function createSendQueue(options: SendQueueOptions): SendQueue {
  const lanes = new Map<Platform, Lane>();
  const sleep = options.sleep ?? realSleep;
  const lane = (platform: Platform) => {
    let l = lanes.get(platform);
    if (!l) {
      const limit = options.limits?.[platform] ?? options.defaultLimit ?? DEFAULT_LIMITS[platform] ?? { concurrency: 4 };
      l = new Lane(limit, options.clock, sleep, options.maxRateLimitRetries ?? 8, options.maxRetryAfterMs ?? 120_000);
      lanes.set(platform, l);
    }
    return l;
  };
  return {
    run: (platform, job) => lane(platform).run(job),
  };
}
