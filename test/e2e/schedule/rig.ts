/**
 * The real app (createApp + adaptersFromConfig, seed notes imported into an
 * empty database file) against the in-repo platform fakes. The scheduler's
 * node-cron job is stopped right after start: tests move a ManualClock and
 * call app.scheduler.tick() themselves, so nothing depends on wall time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adaptersFromConfig } from '../../../src/adapters/from-config.ts';
import { createApp, type App } from '../../../src/app.ts';
import { parseConfig } from '../../../src/config.ts';
import type { ManualClock } from '../../../src/core/clock.ts';
import { createLogger } from '../../../src/logger.ts';

export function tempDbPath(): { path: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'prepbot-schedule-e2e-'));
  return { path: join(dir, 'prepbot.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** One bot process: its own adapters and scheduler over the shared database file. */
export async function startProcess(env: Record<string, string>, clock: ManualClock): Promise<App> {
  const config = parseConfig(env);
  if (config.skipped.length > 0) throw new Error(`adapters skipped: ${JSON.stringify(config.skipped)}`);
  const logger = createLogger('silent');
  const app = await createApp({ config, clock, logger, makeAdapters: (bot) => adaptersFromConfig(config, bot, { clock, logger }) });
  try {
    await app.start();
    // start() ran its catch-up tick; stop the per-minute cron so only explicit ticks run.
    await app.scheduler.stop();
  } catch (err) {
    await app.stop();
    throw err;
  }
  return app;
}
