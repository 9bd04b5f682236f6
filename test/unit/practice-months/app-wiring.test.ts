import { describe, expect, it } from 'vitest';
import type { ChatAdapter, InboundEvent, Platform, Responder } from '../../../src/chat/port.ts';
import { createApp } from '../../../src/app.ts';
import { parseConfig } from '../../../src/config.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { createLogger } from '../../../src/logger.ts';

/** The app as shipped, around a do-nothing adapter of the given platform; ticks by hand. */
async function appWith(platform: Platform) {
  const clock = new ManualClock('2026-12-01T09:00:00Z');
  const adapter = {
    platform,
    async start() {},
    async stop() {},
    async post(conversationId: string) {
      return { conversationId, messageId: '1' };
    },
  } as unknown as ChatAdapter;
  const app = await createApp({ config: parseConfig({ PREPBOT_DB: ':memory:' }), clock, logger: createLogger('silent'), makeAdapters: () => [adapter] });
  return { app, clock };
}

const said: string[] = [];
const responder = { reply: async (m: unknown) => void said.push(JSON.stringify(m)) } as unknown as Responder;
const command = (platform: string, name: string, options: Record<string, string>) =>
  ({
    kind: 'command',
    command: name,
    options,
    ctx: { platform, workspaceId: 'w', conversationId: `${platform}:w:c`, isDirect: false, actor: { platform, id: `${platform}:w:alice`, displayName: 'alice' }, actorIsAdmin: false },
  }) as unknown as InboundEvent;

describe('the app’s minute jobs for breaks and the heartbeat', () => {
  it('a chat platform records a heartbeat each tick, and a break that ran out is finished by the tick', async () => {
    const { app, clock } = await appWith('memory');
    await app.scheduler.tick();
    clock.advance(60_000);
    await app.scheduler.tick();
    expect(app.db.prepare('SELECT started_at, last_seen_at FROM bot_uptime').all()).toEqual([
      { started_at: '2026-12-01T09:00:00.000Z', last_seen_at: '2026-12-01T09:01:00.000Z' },
    ]);
    await app.bot.handle(command('memory', 'break', { length: '2d' }), responder);
    expect(said.join('')).toMatch(/Enjoy your break/);
    clock.set('2026-12-03T00:00:30Z'); // the day after its last day has begun (UTC)
    await app.scheduler.tick();
    expect(app.db.prepare('SELECT end_reason, days_taken FROM breaks').get()).toEqual({ end_reason: 'ran-out', days_taken: 2 });
    await app.stop();
  });

  it('the console alone records no heartbeat: not running it is no outage', async () => {
    const { app } = await appWith('console');
    await app.scheduler.tick();
    expect(app.db.prepare('SELECT COUNT(*) AS n FROM bot_uptime').get()).toEqual({ n: 0 });
    await app.stop();
  });
});
