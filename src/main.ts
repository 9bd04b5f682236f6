import { parseArgs } from 'node:util';
import { adaptersFromConfig } from './adapters/from-config.ts';
import { createApp, SHUTDOWN_GRACE_MS } from './app.ts';
import { ConfigError, loadDotenvFile, parseConfig, type Config } from './config.ts';
import { offsetClock, systemClock } from './core/clock.ts';
import { TopicCatalogError } from './bank/topics.ts';
import { createLogger, scrubSecrets, secretsOf } from './logger.ts';
import { StoreOpenError } from './store/open-stores.ts';

const USAGE = `Usage: npm start -- [--person NAME] [--db PATH] [--now ISO-INSTANT]

Runs prepbot on the adapters named in PREPBOT_ADAPTERS (default: console).
  --person NAME   who you are on the console (default: $USER or "you")
  --db PATH       SQLite database (default: DATABASE_URL for PostgreSQL, else PREPBOT_DB or data/prepbot.db)
  --now INSTANT   start the clock at this instant, e.g. 2026-11-26T09:00:00Z
`;

function fail(message: string): never {
  process.stderr.write(`prepbot: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        person: { type: 'string' },
        db: { type: 'string' },
        now: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    fail(`${(err as Error).message}\n\n${USAGE}`);
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }

  loadDotenvFile();
  let config: Config;
  try {
    config = parseConfig({
      ...process.env,
      // --db names a SQLite file and wins over DATABASE_URL, as in the CLI.
      ...(args.db ? { PREPBOT_DB: args.db, DATABASE_URL: undefined } : {}),
      ...(args.now ? { PREPBOT_NOW: args.now } : {}),
    });
  } catch (err) {
    if (err instanceof ConfigError) fail(`${err.message}\nFix the variables above (environment or .env) and start again.`);
    throw err;
  }

  const logger = createLogger(config.logLevel, process.stderr, secretsOf(config));
  for (const line of config.skipped) logger.info(line);
  const clock = config.startAt ? offsetClock(config.startAt) : systemClock;
  const person = (args.person ?? process.env.USER ?? 'you').trim() || 'you';

  let onConsoleEnd: (() => void) | undefined;
  let app;
  try {
    app = await createApp({
      config,
      clock,
      logger,
      makeAdapters: (bot) =>
        adaptersFromConfig(config, bot, {
          clock,
          logger,
          console: { input: process.stdin, output: process.stdout, person, onEnd: () => onConsoleEnd?.() },
        }),
    });
  } catch (err) {
    if (err instanceof TopicCatalogError || err instanceof StoreOpenError) fail(err.message);
    throw err;
  }

  if (app.adapters.length === 0) {
    fail('no adapter is configured: set PREPBOT_ADAPTERS=console, or the tokens of the platforms you named (see README).');
  }

  let stopping = false;
  const shutdown = async (code: number, why: string) => {
    if (stopping) return;
    stopping = true;
    // Logged before waiting, so an operator (and the shutdown test) sees that the signal was taken.
    logger[why.startsWith('SIG') ? 'info' : 'debug']({ inFlight: app.inFlight }, `shutting down (${why}): no new interactions; finishing ${app.inFlight} in flight (up to ${SHUTDOWN_GRACE_MS / 1000} s)`);
    try {
      const report = await app.stop({ graceMs: SHUTDOWN_GRACE_MS });
      logger.info(report, 'stopped; database closed');
    } catch (err) {
      logger.error({ err: err instanceof Error ? err.message : String(err) }, 'error while stopping');
      code = 1;
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0, 'SIGINT'));
  process.on('SIGTERM', () => void shutdown(0, 'SIGTERM'));
  // The console alone ends with its input (Ctrl-D, or the end of a piped script);
  // alongside Discord or Slack it just stops reading and the bot keeps serving.
  onConsoleEnd = () => {
    if (app.adapters.every((a) => a.platform === 'console')) void shutdown(0, 'end of console input');
  };
  // A bug in one handler or SDK callback must not take the whole bot down.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection (ignored; please report)'));

  await app.start();
}

main().catch((err: unknown) => {
  // Outside the logger, so scrubbed here: a driver error may quote the database URL.
  process.stderr.write(`prepbot: ${scrubSecrets(err instanceof Error ? err.message : String(err))}\n`);
  process.exit(1);
});
