/** Start the fake, register commands, start the real adapter (real discord.js inside) against it. */
import type { CommandSpec } from '../../../src/chat/commands.ts';
import type { EventHandler } from '../../../src/chat/port.ts';
import { createDiscordAdapter, registerDiscordCommands, type DiscordAdapter, type DiscordLogger } from '../../../src/adapters/discord/index.ts';
import { startFakeDiscord, type FakeDiscord, type FakeMessage, type FakeUser } from '../../fakes/discord/index.ts';

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string | undefined;
  obj: object;
}

export function memoryLogger(): DiscordLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: LogEntry['level']) => (obj: object, msg?: string) => void entries.push({ level, msg, obj });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export interface Harness {
  fake: FakeDiscord;
  adapter: DiscordAdapter;
  logger: ReturnType<typeof memoryLogger>;
  /** Runs a slash command as `user` and returns the bot's reply once the adapter is idle. */
  reply(name: string, options: Record<string, string | number | boolean>, user: FakeUser): Promise<FakeMessage>;
  close(): Promise<void>;
}

export async function startHarness(
  commands: readonly CommandSpec[],
  handler: EventHandler,
  opts: { deferAfterMs?: number; global?: boolean } = {},
): Promise<Harness> {
  const fake = await startFakeDiscord();
  const logger = memoryLogger();
  const reg = { token: fake.token, applicationId: fake.applicationId, commands, restApi: fake.restUrl };
  // Guild commands for development; global ones are what DMs see.
  await registerDiscordCommands(opts.global ? reg : { ...reg, guildId: fake.guild.id });
  const adapter = createDiscordAdapter({
    token: fake.token,
    applicationId: fake.applicationId,
    devGuildId: fake.guild.id,
    commands,
    restApi: fake.restUrl,
    logger,
    ...(opts.deferAfterMs !== undefined ? { deferAfterMs: opts.deferAfterMs } : {}),
  });
  try {
    await adapter.start(handler);
  } catch (e) {
    await fake.close();
    throw e;
  }
  return {
    fake,
    adapter,
    logger,
    async reply(name, options, user) {
      const i = await fake.slash(name, options, { user });
      await fake.waitForResponse(i.id);
      await adapter.idle();
      return fake.messages.find((m) => m.interactionId === i.id && !m.loading)!;
    },
    async close() {
      await adapter.stop();
      await fake.close();
    },
  };
}
