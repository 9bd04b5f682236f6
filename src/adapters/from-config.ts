import { dirname, join } from 'node:path';
import type { ChatAdapter } from '../chat/port.ts';
import type { Config } from '../config.ts';
import type { Bot } from '../core/bot.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../logger.ts';
import { createConsoleAdapter, wantsColor } from './console/index.ts';
import { createDiscordAdapter } from './discord/index.ts';
import { createSlackAdapter } from './slack/index.ts';
import { homeView } from '../core/home.ts';

export interface ConsoleIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  person: string;
  onEnd?: () => void;
}

/** The adapters PREPBOT_ADAPTERS names and the configuration allows, in that order. */
export function adaptersFromConfig(config: Config, bot: Bot, deps: { clock: Clock; logger: Logger; console?: ConsoleIo }): ChatAdapter[] {
  const { clock, logger } = deps;
  const adapters: ChatAdapter[] = [];
  for (const name of config.adapters) {
    if (name === 'console' && deps.console) {
      const io = deps.console;
      adapters.push(
        createConsoleAdapter({
          input: io.input,
          output: io.output,
          person: io.person,
          color: wantsColor(io.output),
          commands: bot.commands,
          onEnd: io.onEnd,
          // Beside the database (git-ignored data/ by default); an in-memory database has no folder.
          ...(config.dbPath === ':memory:' ? {} : { imageDir: join(dirname(config.dbPath), 'images') }),
          onError: (err, event) => logger.error({ err, kind: event.kind }, 'console event failed'),
        }),
      );
    }
    if (name === 'discord' && config.discord) {
      adapters.push(
        createDiscordAdapter({
          token: config.discord.token,
          applicationId: config.discord.applicationId,
          devGuildId: config.discord.devGuildId,
          restApi: config.discord.apiBase,
          ...(config.discord.sharding ? { sharding: config.discord.sharding } : {}),
          commands: bot.commands,
          logger,
        }),
      );
    }
    if (name === 'slack' && config.slack) {
      adapters.push(
        createSlackAdapter({
          ...config.slack,
          commands: bot.commands,
          logger,
          clock,
          homeView: (actor, ctx) => homeView(bot.services, ctx),
        }),
      );
    }
  }
  return adapters;
}
