import { createSlackAdapter, type SlackAdapter } from '../../../src/adapters/slack/index.ts';
import type { SlackAdapterConfig } from '../../../src/adapters/slack/types.ts';
import type { EventHandler } from '../../../src/chat/port.ts';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack/index.ts';

/** A logger that keeps warnings and errors so a test can assert the adapter had none. */
export function recordingLogger() {
  const lines: { level: string; msg: string }[] = [];
  const at = (level: string) => (obj: unknown, msg?: string) => {
    lines.push({ level, msg: `${msg ?? ''} ${typeof obj === 'string' ? obj : JSON.stringify(obj)}` });
  };
  return { lines, debug: () => {}, info: () => {}, warn: at('warn'), error: at('error') };
}

export interface SlackRig {
  fake: FakeSlack;
  adapter: SlackAdapter;
  logger: ReturnType<typeof recordingLogger>;
  stop(): Promise<void>;
}

/** The real Bolt app (through the adapter) against a fresh fake, in Socket Mode or HTTP mode. */
export async function startRig(
  mode: 'socket' | 'http',
  handler: EventHandler,
  extra: Partial<SlackAdapterConfig> & Pick<SlackAdapterConfig, 'commands'>,
): Promise<SlackRig> {
  const fake = await startFakeSlack();
  const logger = recordingLogger();
  const adapter = createSlackAdapter({
    botToken: fake.botToken,
    appToken: mode === 'socket' ? fake.appToken : undefined,
    signingSecret: mode === 'http' ? fake.signingSecret : undefined,
    mode,
    port: 0,
    host: '127.0.0.1',
    apiUrl: fake.apiUrl,
    logger,
    // No shortened clientPingTimeout here: the SDK drops the socket when a pong is later than that, so on a
    // loaded machine an event-loop stall longer than it loses an envelope sent into the closing socket and
    // the test hangs. Only tests about reconnecting pass one (it is also the reconnect delay).
    ...extra,
  });
  try {
    await adapter.start(handler);
  } catch (e) {
    await fake.close();
    throw e;
  }
  if (mode === 'http') fake.transport = { kind: 'http', url: `http://127.0.0.1:${adapter.httpPort()}/slack/events` };
  return {
    fake,
    adapter,
    logger,
    async stop() {
      await adapter.stop();
      await fake.close();
    },
  };
}
