import type { CommandSpec } from '../../chat/commands.ts';

/** What the adapter logs through; pino's Logger satisfies it. */
export interface DiscordLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface DiscordAdapterConfig {
  /** Bot token from the Developer Portal (Bot → Reset Token). */
  token: string;
  applicationId: string;
  /** Guild used for development-time command registration; informative for the adapter itself. */
  devGuildId?: string;
  /** The declared commands; used to type inbound options (subcommands). */
  commands: readonly CommandSpec[];
  /**
   * REST base WITHOUT the version (discord.js appends /v10), e.g. the test fake's
   * `http://127.0.0.1:PORT/api`. Defaults to Discord's. The gateway URL comes from
   * `GET /gateway/bot` on this base.
   */
  restApi?: string;
  logger?: DiscordLogger;
  /**
   * The gateway shards this process holds; unset is discord.js's default (shard 0 of 1).
   * `auto` asks Discord for the count (GET /gateway/bot) and holds every shard.
   */
  sharding?: { shards: 'auto' } | { shards: number[]; shardCount: number };
  /**
   * If the handler has not answered an interaction after this long, acknowledge it
   * (defer) so Discord's 3-second deadline is met. Default 2000 ms.
   */
  deferAfterMs?: number;
}

/** Discord's limits the adapter renders within. */
export const DISCORD_LIMITS = {
  messageChars: 2000,
  attachmentDescription: 1024,
  customId: 100,
  buttonLabel: 80,
  buttonsPerRow: 5,
  rows: 5,
  modalTitle: 45,
  inputLabel: 45,
  labelDescription: 100,
  placeholder: 100,
  textInputMax: 4000,
  textDisplay: 4000,
  choices: 25,
  choiceName: 100,
} as const;
