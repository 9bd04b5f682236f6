import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { ChatAdapter, Platform } from './chat/port.ts';
import type { Config } from './config.ts';
import type { Clock } from './core/clock.ts';
import type { Logger } from './logger.ts';
import { createBot, type Bot } from './core/bot.ts';
import { createDailyComposer } from './core/schedule/daily.ts';
import { createScheduleCommands } from './core/schedule/commands.ts';
import { createInterviews } from './core/interview/index.ts';
import { forgetModule } from './core/privacy/forget.ts';
import { finishExpiredBreaks } from './core/breaks.ts';
import { importNotes } from './bank/import.ts';
import { loadTopicCatalog, type TopicCatalog } from './bank/topics.ts';
import { createScheduler, type Scheduler } from './scheduler/runner.ts';
import type { Db } from './store/db.ts';
import { openStores, type OpenStoresOptions, type Stores } from './store/open-stores.ts';
import type { BankImportRepository, BankRepository } from './store/types.ts';
import type { EventHandler } from './chat/port.ts';
import { say } from './core/messages.ts';
import { createInflightGate, realWait, type Wait } from './inflight.ts';

/**
 * The composition root: one database, one bot, one scheduler, any number of
 * adapters. Everything platform-specific is created by the caller (main.ts)
 * through `makeAdapters`, so tests can assemble the same app around fakes.
 */
export interface App {
  /** Every repository, on SQLite or PostgreSQL. */
  stores: Stores;
  /** The SQLite handle; throws when the app runs on PostgreSQL (use `stores`). */
  readonly db: Db;
  bot: Bot;
  catalog: TopicCatalog;
  scheduler: Scheduler;
  adapters: ChatAdapter[];
  start(): Promise<void>;
  /**
   * Stops taking new interactions (they get a polite "restarting" reply), stops the scheduler, waits
   * up to `graceMs` (default 10 s) for interactions already being handled, then disconnects the
   * adapters and closes the database. Safe to call twice.
   */
  stop(opts?: { graceMs?: number }): Promise<StopReport>;
  /** Interactions being handled right now. */
  readonly inFlight: number;
}

export interface StopReport {
  /** False when the grace period ended with interactions still running. */
  drained: boolean;
  /** Interactions still running when the adapters were stopped. */
  abandoned: number;
}

/**
 * A heartbeat older than this starts a new alive stretch (the machine slept, the
 * process hung): the gap between stretches is time prepbot was down.
 */
const HEARTBEAT_SILENCE_MS = 5 * 60_000;

/** How long a shutdown waits for interactions in flight. */
export const SHUTDOWN_GRACE_MS = 10_000;

/** After an unfinished drain, how long adapters get to disconnect before the database is closed anyway. */
const ADAPTER_STOP_MS = 2_000;

/** What someone who writes while the bot shuts down is told. */
const RESTARTING = say('prepbot is restarting and did not take that; nothing was saved. Please try again in a minute.');

export interface AppOptions {
  config: Config;
  clock: Clock;
  logger: Logger;
  makeAdapters(bot: Bot): ChatAdapter[] | Promise<ChatAdapter[]>;
  /** The shutdown's bounded wait; tests inject one they release by hand. */
  wait?: Wait;
  /** Test seam for openStores, e.g. a PGlite client instead of DATABASE_URL. */
  stores?: OpenStoresOptions;
}

/** First run: an empty bank is filled from the notes folder so `npm start` has questions. */
async function seedIfEmpty(
  config: Config,
  catalog: TopicCatalog,
  bank: BankRepository & BankImportRepository,
  clock: Clock,
  logger: Logger,
): Promise<void> {
  // Two processes starting at once may both find the bank empty and both import: the import is
  // idempotent and serialised (an advisory lock on PostgreSQL, the write lock on SQLite), so the
  // second adds nothing.
  if ((await bank.countQuestions({ includeRetired: true })) > 0) return;
  if (!existsSync(config.notesPath)) {
    logger.warn({ notes: config.notesPath }, 'the question bank is empty and the notes folder does not exist; set PREPBOT_NOTES');
    return;
  }
  const report = await importNotes({ paths: [config.notesPath], root: config.notesPath, catalog, repo: bank, now: clock.now() });
  const counts = { added: report.added.length, skipped: report.skipped.length, warnings: report.warnings.length };
  if (report.added.length === 0 && report.unchanged > 0 && (await bank.countQuestions({ includeRetired: true })) > 0) {
    // Another process starting at the same moment imported first; this import found nothing new.
    logger.info(counts, 'question bank was filled by another prepbot process starting at the same time');
  } else {
    logger.info(counts, `question bank was empty: imported ${report.added.length} questions from ${config.notesPath}`);
  }
  for (const problem of [...report.skipped, ...report.warnings]) {
    logger.warn({ at: `${problem.file}:${problem.line}` }, problem.message);
  }
}

export async function createApp(options: AppOptions): Promise<App> {
  const { config, clock, logger } = options;
  const catalog = loadTopicCatalog(config.topicsPath);
  const stores = await openStores(config, options.stores);
  logger.debug({ database: stores.label }, `database: ${stores.kind}`);
  try {
    await seedIfEmpty(config, catalog, stores.bank, clock, logger);
  } catch (err) {
    await stores.close();
    throw err;
  }

  const { bank, schedules } = stores;
  const composer = createDailyComposer({ bank, schedules, clock });
  // Filled once the adapters exist: peer interviews post to threads and DM on their own.
  const outbound = new Map<Platform, ChatAdapter>();
  const interviews = createInterviews({
    interviews: stores.interviews,
    followUps: (questionId) => bank.listFollowUps(questionId),
    outbound: (platform) => outbound.get(platform),
  });
  const bot = createBot({
    practice: stores.practice,
    bank,
    catalog,
    clock,
    logger,
    defaultTimezone: config.defaultTimezone,
    extraCommands: [...createScheduleCommands({ schedules, composer, admins: config.admins }), ...interviews.commands, forgetModule],
  });

  const adapters = await options.makeAdapters(bot);
  for (const adapter of adapters) outbound.set(adapter.platform, adapter);
  const byPlatform = new Map<Platform, ChatAdapter>(adapters.map((a) => [a.platform, a]));
  const processId = randomUUID();
  const scheduler = createScheduler({
    store: schedules,
    clock,
    adapters: byPlatform,
    composeDaily: (schedule, occurrence) => composer.composeDaily(schedule, occurrence),
    composeReveal: (schedule, post) => composer.composeReveal(schedule, post),
    graceMs: config.catchupGraceMs,
    logger,
    processId,
    minuteJobs: [
      { name: 'end timed-out interviews', run: (now) => interviews.expire(now, bot.services).then(() => undefined) },
      { name: 'finish breaks that ran out', run: (now) => finishExpiredBreaks(bot.services, now).then(() => undefined) },
      // The console alone is an on-demand session: it not running is no outage, so it records no heartbeat.
      ...(adapters.some((a) => a.platform !== 'console')
        ? [{ name: 'heartbeat', run: (now: Date) => bot.services.practice.recordAlive(processId, now, HEARTBEAT_SILENCE_MS) }]
        : []),
    ],
    dayLost: (schedule, localDate, why) =>
      bot.services.practice.excuseWorkspaceDay(`${schedule.platform}:${schedule.workspaceId}`, localDate, why, clock.now()).then(() => undefined),
  });

  const wait = options.wait ?? realWait;
  const gate = createInflightGate(wait);
  const refuse: EventHandler = async (event, respond) => {
    if (event.kind === 'autocomplete') await respond.suggest?.([]);
    else await respond.reply(RESTARTING, 'private');
  };
  const handle = gate.wrap(bot.handle, refuse);
  let started: ChatAdapter[] = [];
  let stopping: Promise<StopReport> | undefined;
  return {
    stores,
    get db(): Db {
      if (!stores.sqlite) throw new Error('app.db is the SQLite handle, and this app runs on PostgreSQL; use app.stores');
      return stores.sqlite;
    },
    bot,
    catalog,
    scheduler,
    adapters,
    async start() {
      for (const adapter of adapters) {
        try {
          await adapter.start(handle);
          started.push(adapter);
          // The console greets its person itself; a log line there would land in the middle of the prompt.
          const level = adapter.platform === 'console' ? 'debug' : 'info';
          // Slack HTTP mode with SLACK_PORT=0 binds a free port: the operator (and a load balancer's config) needs to know which.
          const port = (adapter as { httpPort?: () => number | undefined }).httpPort?.();
          logger[level](
            { platform: adapter.platform, ...(port === undefined ? {} : { port }) },
            `${adapter.platform} adapter started${port === undefined ? '' : ` on port ${port}`}`,
          );
        } catch (err) {
          // One platform failing to connect must not take the others down.
          logger.error({ platform: adapter.platform, err: err instanceof Error ? err.message : String(err) }, `${adapter.platform} adapter failed to start`);
        }
      }
      if (started.length === 0) throw new Error('no chat adapter could start; see the errors above');
      scheduler.start();
    },
    get inFlight() {
      return gate.inFlight;
    },
    stop(opts = {}) {
      stopping ??= (async () => {
        gate.close();
        await scheduler.stop();
        const { finished, pending } = await gate.drain(opts.graceMs ?? SHUTDOWN_GRACE_MS);
        if (!finished) logger.warn({ pending }, `shutdown: ${pending} interaction(s) still running after the grace period; stopping anyway`);
        // An adapter's stop may itself wait for its interactions (Discord's does); after the grace period
        // that wait is cut short too, so a hung handler cannot keep the process from closing the database.
        const stopped = Promise.allSettled(started.map((a) => a.stop()));
        await (finished ? stopped : Promise.race([stopped, wait(ADAPTER_STOP_MS)]));
        started = [];
        // Ends the PostgreSQL pool too, so the server sees the connections close instead of timing them out.
        await stores.close();
        return { drained: finished, abandoned: pending };
      })();
      return stopping;
    },
  };
}
