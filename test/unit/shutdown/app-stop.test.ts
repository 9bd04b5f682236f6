import { describe, expect, it } from 'vitest';
import type { ChatAdapter, EventHandler, InboundEvent, Responder } from '../../../src/chat/port.ts';
import { createApp } from '../../../src/app.ts';
import { parseConfig } from '../../../src/config.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { createLogger } from '../../../src/logger.ts';

/** An adapter that hands the test the handler the app gave it. */
function capturingAdapter() {
  let handler: EventHandler | undefined;
  let stops = 0;
  const adapter: ChatAdapter = {
    platform: 'memory',
    async start(h) {
      handler = h;
    },
    async stop() {
      stops++;
    },
    async post(conversationId) {
      return { conversationId, messageId: '1' };
    },
  } as ChatAdapter;
  return { adapter, handler: () => handler!, stops: () => stops };
}

const ctx = {
  platform: 'memory',
  workspaceId: 'w',
  conversationId: 'memory:w:c',
  isDirect: false,
  actor: { platform: 'memory', id: 'memory:w:alice', displayName: 'alice' },
  actorIsAdmin: false,
};
const ask = { kind: 'command', command: 'ask', options: {}, ctx } as unknown as InboundEvent;

function manualWait() {
  const pending: (() => void)[] = [];
  return { wait: (_ms: number) => new Promise<void>((r) => pending.push(r)), passAll: () => pending.splice(0).forEach((r) => r()) };
}

describe('app.stop', () => {
  it('bounds the wait for a hung interaction, refuses new ones meanwhile, and still closes the database', async () => {
    const a = capturingAdapter();
    const t = manualWait();
    const app = await createApp({
      config: parseConfig({ PREPBOT_DB: ':memory:' }),
      clock: new ManualClock('2026-03-02T09:00:00Z'),
      logger: createLogger('silent'),
      makeAdapters: () => [a.adapter],
      wait: t.wait,
    });
    await app.start();
    // A reply that never completes: the platform hangs.
    const hung: Responder = { reply: () => new Promise(() => {}) } as unknown as Responder;
    void a.handler()(ask, hung);
    await new Promise((r) => setImmediate(r));
    expect(app.inFlight).toBe(1);

    const stopping = app.stop();
    // New interactions during the shutdown get the restarting note.
    const said: string[] = [];
    const note: Responder = { reply: async (m: unknown) => void said.push(JSON.stringify(m)) } as unknown as Responder;
    await a.handler()(ask, note);
    expect(said.join('')).toMatch(/restarting/);
    expect(app.db.open).toBe(true);

    t.passAll(); // the 10-second bound passes
    expect(await stopping).toEqual({ drained: false, abandoned: 1 });
    expect(a.stops()).toBe(1);
    expect(app.db.open).toBe(false);
    // A second stop is the same stop.
    expect(await app.stop()).toEqual({ drained: false, abandoned: 1 });
  });
});
