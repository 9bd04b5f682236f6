/**
 * `npm run bench:fanout`: the daily question to 1,000 channels at the same
 * minute, through the real scheduler (SQLite claims, the daily composer over
 * the seed notes, the send queue) into an in-process fake platform that
 * enforces a rate limit: a token bucket of BURST posts refilled at RATE per
 * second, answering 429 with Retry-After when empty, and LATENCY ms per call.
 *
 * Lower bound: no sender can beat (N − BURST) / RATE seconds (+ one call's
 * latency). Prints the total time and its ratio to that bound (goal ≤ 1.1×),
 * and how many 429s the queue provoked. Not a test: no assertions.
 *
 * Env: BENCH_CHANNELS (1000), BENCH_RATE (100/s), BENCH_BURST (50), BENCH_LATENCY_MS (25),
 * BENCH_CONCURRENCY (16), BENCH_QUEUE_RATE (the queue's own pacing, default = BENCH_RATE;
 * 0 = no pacing, steered by 429 Retry-After alone).
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { ManualClock, systemClock } from '../src/core/clock.ts';
import type { ChatAdapter, ConversationId, MessageRef, Platform } from '../src/chat/port.ts';
import type { Message } from '../src/chat/message.ts';
import { importNotes } from '../src/bank/import.ts';
import { loadTopicCatalog } from '../src/bank/topics.ts';
import { openDatabase } from '../src/store/db.ts';
import { createSqliteBankRepository } from '../src/store/sqlite/bank.ts';
import { createSqliteScheduleRepository } from '../src/store/sqlite/schedules.ts';
import { createDailyComposer } from '../src/core/schedule/daily.ts';
import { createScheduler } from '../src/scheduler/runner.ts';
import { resultLine } from './result.ts';
import { RateLimitedError, createSendQueue, realSleep } from '../src/scheduler/queue.ts';

const N = Number(process.env.BENCH_CHANNELS ?? 1000);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const BURST = Number(process.env.BENCH_BURST ?? 50);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 25);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const QUEUE_RATE = Number(process.env.BENCH_QUEUE_RATE ?? RATE);

/** A platform that accepts RATE posts per second with a BURST bucket, like Discord's and Slack's limits. */
class RateLimitedPlatform implements ChatAdapter {
  readonly platform: Platform = 'memory';
  posts = 0;
  rejected = 0;
  firstAt = 0;
  lastAt = 0;
  private tokens = BURST;
  private refilledAt = performance.now();
  private readonly perChannel = new Map<ConversationId, number>();

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async post(conversationId: ConversationId, _message: Message): Promise<MessageRef> {
    // The request travels to the platform, which decides on arrival.
    await realSleep(LATENCY_MS / 2);
    const now = performance.now();
    this.tokens = Math.min(BURST, this.tokens + ((now - this.refilledAt) / 1000) * RATE);
    this.refilledAt = now;
    if (this.tokens < 1) {
      this.rejected++;
      const retryAfterMs = Math.ceil(((1 - this.tokens) / RATE) * 1000);
      await realSleep(LATENCY_MS / 2);
      throw new RateLimitedError(retryAfterMs);
    }
    this.tokens -= 1;
    this.posts++;
    if (this.posts === 1) this.firstAt = now;
    this.lastAt = now;
    this.perChannel.set(conversationId, (this.perChannel.get(conversationId) ?? 0) + 1);
    await realSleep(LATENCY_MS / 2);
    return { conversationId, messageId: String(this.posts) };
  }

  duplicates(): number {
    return [...this.perChannel.values()].filter((n) => n > 1).length;
  }
}

async function main(): Promise<void> {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const db = openDatabase(':memory:');
  const bank = createSqliteBankRepository(db);
  const catalog = loadTopicCatalog(join(root, 'notes/topics.yml'));
  await importNotes({ paths: [join(root, 'notes')], root: join(root, 'notes'), catalog, repo: bank, now: new Date() });
  const questions = await bank.countQuestions({ servable: true });

  const schedules = createSqliteScheduleRepository(db);
  // Schedule time comes from a fixed clock (09:30 UTC on a Monday); pacing and 429 waits use real time.
  const clock = new ManualClock('2026-01-05T00:00:00Z');
  for (let i = 0; i < N; i++) {
    await schedules.upsertSchedule(
      {
        conversationId: `memory:bench:c${i}`,
        platform: 'memory',
        workspaceId: 'bench',
        localTime: '09:30',
        timezone: 'UTC',
        weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
        topic: null,
        revealTime: null,
        createdBy: 'memory:bench:lead',
      },
      clock.now(),
    );
  }
  clock.set('2026-01-05T09:30:00Z');

  const platform = new RateLimitedPlatform();
  const composer = createDailyComposer({ bank, schedules, clock });
  const scheduler = createScheduler({
    store: schedules,
    clock,
    adapters: new Map([['memory', platform]]),
    composeDaily: composer.composeDaily,
    composeReveal: composer.composeReveal,
    queue: createSendQueue({
      clock: systemClock,
      limits: { memory: { concurrency: CONCURRENCY, ...(QUEUE_RATE > 0 ? { perSecond: QUEUE_RATE, burst: BURST } : {}) } },
    }),
  });

  const started = performance.now();
  const report = await scheduler.tick();
  const totalMs = performance.now() - started;
  const boundMs = (Math.max(0, N - BURST) / RATE) * 1000 + LATENCY_MS;
  const sent = db.prepare("SELECT COUNT(*) AS n FROM schedule_posts WHERE status = 'sent'").get() as { n: number };

  console.log(`fan-out: ${N} channels, platform limit ${RATE}/s with burst ${BURST}, ${LATENCY_MS} ms per call, queue concurrency ${CONCURRENCY}, queue pacing ${QUEUE_RATE > 0 ? `${QUEUE_RATE}/s` : 'none (429s only)'}`);
  console.log(`bank: ${questions} servable questions from notes/`);
  console.log(`posted ${platform.posts} (recorded sent: ${sent.n}, tick report: ${JSON.stringify(report)}), duplicates ${platform.duplicates()}, 429s ${platform.rejected}`);
  console.log(`total ${(totalMs / 1000).toFixed(2)} s; rate-limit lower bound ${(boundMs / 1000).toFixed(2)} s; ratio ${(totalMs / boundMs).toFixed(3)}× (goal ≤ 1.1×)`);
  db.close();
  console.log(resultLine('fanout_ratio', totalMs / boundMs, 1.1));
  console.log(resultLine('fanout_duplicates', platform.duplicates(), 0, { digits: 0 }));
}

await main();
