import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';

/**
 * Configuration comes only from the environment (and a `.env` file beside the
 * repo, which never overrides variables already set). Secrets are read here and
 * nowhere else, and never logged.
 */

const adapterName = z.enum(['console', 'discord', 'slack']);
export type AdapterName = z.infer<typeof adapterName>;

const isZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** What DATABASE_URL must look like, for messages (never the value itself: it carries the password). */
export const POSTGRES_URL_HINT =
  'must be a PostgreSQL connection URL, postgres://USER:PASSWORD@HOST:5432/DATABASE (or postgresql://…); unset it to use SQLite (PREPBOT_DB)';

/** postgres:// or postgresql:// with a host: what `pg` accepts as a connection string. */
export function isPostgresUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
}

const optional = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** `a, b,,c` → ['a', 'b', 'c']; unset → []. */
const commaList = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

const envSchema = z.object({
  PREPBOT_DB: z.string().trim().min(1).default('data/prepbot.db'),
  /** postgres://… : PostgreSQL instead of SQLite, for every repository. */
  DATABASE_URL: optional.pipe(
    z
      .string()
      // Never echo the value in the message: it carries the password.
      .refine(isPostgresUrl, { message: POSTGRES_URL_HINT })
      .optional(),
  ),
  /** Connections each process keeps to PostgreSQL; several processes share the server's max_connections. */
  DATABASE_POOL_MAX: z.coerce
    .number({ message: 'must be a whole number of connections, e.g. 10' })
    .int({ message: 'must be a whole number of connections, e.g. 10' })
    .min(1, { message: 'must be at least 1 connection' })
    .max(1000, { message: 'must be at most 1000 connections; the server allows max_connections across all processes' })
    .default(10),
  PREPBOT_NOTES: z.string().trim().min(1).default('notes'),
  PREPBOT_TOPICS: z.string().trim().min(1).default('notes/topics.yml'),
  PREPBOT_ADAPTERS: z
    .string()
    .default('console')
    .transform((v, ctx) => {
      const names = v
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean);
      const out: AdapterName[] = [];
      for (const name of names) {
        const parsed = adapterName.safeParse(name);
        if (!parsed.success) {
          ctx.addIssue({ code: 'custom', message: `unknown adapter "${name}"; use a comma list of console, discord, slack` });
          return z.NEVER;
        }
        if (!out.includes(parsed.data)) out.push(parsed.data);
      }
      if (out.length === 0) {
        ctx.addIssue({ code: 'custom', message: 'name at least one adapter, e.g. PREPBOT_ADAPTERS=console' });
        return z.NEVER;
      }
      return out;
    }),
  PREPBOT_TIMEZONE: z
    .string()
    .trim()
    .default('UTC')
    .refine(isZone, { message: 'not an IANA time zone; use e.g. Europe/Berlin or Asia/Kolkata' }),
  PREPBOT_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Start the clock at this instant instead of now (simulations and scripted demos). */
  PREPBOT_NOW: optional.pipe(
    z
      .string()
      .refine((v) => !Number.isNaN(Date.parse(v)), { message: 'not a date; use ISO 8601, e.g. 2026-11-26T09:00:00Z' })
      .optional(),
  ),
  /** Account ids allowed to run admin commands anywhere, comma separated (e.g. slack:T1:U1,discord:user:42). */
  PREPBOT_ADMINS: commaList,
  PREPBOT_CATCHUP_GRACE_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(120),

  DISCORD_TOKEN: optional,
  DISCORD_APPLICATION_ID: optional.pipe(
    z
      .string()
      .regex(/^\d{15,22}$/, { message: 'must be the numeric Application ID from the Discord developer portal' })
      .optional(),
  ),
  DISCORD_DEV_GUILD_ID: optional.pipe(
    z.string().regex(/^\d{15,22}$/, { message: 'must be a numeric server (guild) id' }).optional(),
  ),
  /** Test seam: the in-repo Discord fake. Never needed in production. */
  DISCORD_API_BASE: optional,
  /** `auto` (Discord's recommended count) or N: this one process holds every shard. docs/sharding.md */
  DISCORD_SHARDS: optional.pipe(
    z
      .string()
      .regex(/^(auto|[1-9]\d{0,4})$/i, { message: 'use auto or a whole number of shards ≥ 1, e.g. DISCORD_SHARDS=2' })
      .transform((v): 'auto' | number => (v.toLowerCase() === 'auto' ? 'auto' : Number(v)))
      .optional(),
  ),
  /** Several processes: the shards this one holds, e.g. `0,1`, out of DISCORD_SHARD_COUNT. */
  DISCORD_SHARD_IDS: optional.pipe(
    z
      .string()
      .transform((v, ctx) => {
        const ids = v.split(',').map((s) => s.trim());
        if (ids.some((id) => !/^\d{1,5}$/.test(id))) {
          ctx.addIssue({ code: 'custom', message: 'a comma list of shard numbers counted from 0, e.g. DISCORD_SHARD_IDS=0,1' });
          return z.NEVER;
        }
        const nums = ids.map(Number);
        if (new Set(nums).size !== nums.length) {
          ctx.addIssue({ code: 'custom', message: 'names a shard twice; list each shard this process holds once' });
          return z.NEVER;
        }
        return nums.sort((a, b) => a - b);
      })
      .optional(),
  ),
  DISCORD_SHARD_COUNT: optional.pipe(
    z
      .string()
      .regex(/^\d{1,5}$/, { message: 'the total number of shards across all processes, a whole number ≥ 1' })
      .transform(Number)
      .refine((n) => n >= 1, { message: 'must be at least 1 (the total number of shards across all processes)' })
      .optional(),
  ),

  SLACK_BOT_TOKEN: optional.pipe(
    z.string().startsWith('xoxb-', { message: 'must be the Bot User OAuth Token, starting with xoxb-' }).optional(),
  ),
  SLACK_APP_TOKEN: optional.pipe(
    z.string().startsWith('xapp-', { message: 'must be an app-level token with connections:write, starting with xapp-' }).optional(),
  ),
  SLACK_SIGNING_SECRET: optional,
  SLACK_MODE: z.enum(['socket', 'http']).default('socket'),
  /** HTTP mode: 0 picks a free port, logged as `port=` when the adapter starts (one port per process behind a load balancer). */
  SLACK_PORT: z.coerce.number().int().min(0, { message: 'must be 0 (any free port) to 65535' }).max(65535).default(3000),
  /** HTTP mode: the address to bind; unset binds every interface, as before. */
  SLACK_HOST: optional,
  SLACK_PREFIX_COMMAND: z
    .string()
    .trim()
    .regex(/^[a-z0-9_-]{1,31}$/, { message: 'a lowercase slash-command name without the slash, e.g. prep' })
    .default('prep'),
  SLACK_ADMINS: commaList,
  /** Test seam: the in-repo Slack fake. Never needed in production. */
  SLACK_API_URL: optional,
}).superRefine((e, ctx) => {
  // Cross-variable sharding rules: each names the variable to change, since the values are not secret.
  const ids = e.DISCORD_SHARD_IDS;
  const count = e.DISCORD_SHARD_COUNT;
  if (e.DISCORD_SHARDS !== undefined && (ids !== undefined || count !== undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['DISCORD_SHARDS'],
      message: 'set either DISCORD_SHARDS (one process holds every shard) or DISCORD_SHARD_IDS with DISCORD_SHARD_COUNT (several processes), not both',
    });
    return;
  }
  if (ids !== undefined && count === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['DISCORD_SHARD_IDS'],
      message: `needs DISCORD_SHARD_COUNT, the total number of shards across all processes (e.g. DISCORD_SHARD_COUNT=${Math.max(...ids) + 1} or more)`,
    });
  }
  if (count !== undefined && ids === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['DISCORD_SHARD_COUNT'],
      message: `needs DISCORD_SHARD_IDS, the shards this process holds (e.g. DISCORD_SHARD_IDS=0 in one process and 1 in the next); for all shards in one process use DISCORD_SHARDS=${count} instead`,
    });
  }
  if (ids !== undefined && count !== undefined) {
    const outside = ids.filter((id) => id >= count);
    if (outside.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['DISCORD_SHARD_IDS'],
        message: `shard ${outside.join(', ')} is outside DISCORD_SHARD_COUNT=${count}; shards are numbered 0 to ${count - 1}`,
      });
    }
  }
});

export type Env = z.infer<typeof envSchema>;

export interface DiscordConfig {
  token: string;
  applicationId: string;
  devGuildId?: string;
  apiBase?: string;
  /**
   * Which gateway shards this process holds (discord.js `shards`/`shardCount`). Unset: one shard, as
   * discord.js defaults. `auto`: every shard of Discord's recommended count.
   */
  sharding?: DiscordSharding;
}

export type DiscordSharding = { shards: 'auto' } | { shards: number[]; shardCount: number };

export interface SlackConfig {
  botToken: string;
  mode: 'socket' | 'http';
  appToken?: string;
  signingSecret?: string;
  port: number;
  /** Address to bind in HTTP mode; undefined = every interface. */
  host?: string;
  prefixCommand: string;
  admins: string[];
  apiUrl?: string;
}

export interface DatabaseConfig {
  /** postgres://… ; the password is in it, so log `scrubDatabaseUrl(url)`, never this. */
  url: string;
  poolMax: number;
}

export interface Config {
  /** SQLite file, used when `database` is undefined. */
  dbPath: string;
  /** PostgreSQL (DATABASE_URL) instead of SQLite. */
  database?: DatabaseConfig;
  notesPath: string;
  topicsPath: string;
  adapters: AdapterName[];
  defaultTimezone: string;
  logLevel: Env['PREPBOT_LOG_LEVEL'];
  startAt?: Date;
  admins: string[];
  catchupGraceMs: number;
  discord?: DiscordConfig;
  slack?: SlackConfig;
  /** One line per selected platform that cannot run, saying what to set; the other adapters still start. */
  skipped: string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration problem${problems.length > 1 ? 's' : ''}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads `.env` (if present) into process.env without overriding what is already set. */
export function loadDotenvFile(path = '.env'): void {
  loadDotenv({ path, quiet: true });
}

function sharding(e: Env): DiscordSharding | undefined {
  if (e.DISCORD_SHARDS === 'auto') return { shards: 'auto' };
  if (typeof e.DISCORD_SHARDS === 'number') {
    return { shards: Array.from({ length: e.DISCORD_SHARDS }, (_, k) => k), shardCount: e.DISCORD_SHARDS };
  }
  if (e.DISCORD_SHARD_IDS && e.DISCORD_SHARD_COUNT) return { shards: e.DISCORD_SHARD_IDS, shardCount: e.DISCORD_SHARD_COUNT };
  return undefined;
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    // Name the variable, never echo its value: it may be a secret.
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  }
  const e = parsed.data;
  const skipped: string[] = [];

  let discord: DiscordConfig | undefined;
  if (e.PREPBOT_ADAPTERS.includes('discord')) {
    const missing = [!e.DISCORD_TOKEN && 'DISCORD_TOKEN', !e.DISCORD_APPLICATION_ID && 'DISCORD_APPLICATION_ID'].filter(
      Boolean,
    );
    if (missing.length > 0) {
      skipped.push(`discord: not configured, skipping (set ${missing.join(' and ')}; see README "Discord")`);
    } else {
      const shards = sharding(e);
      discord = {
        token: e.DISCORD_TOKEN!,
        applicationId: e.DISCORD_APPLICATION_ID!,
        devGuildId: e.DISCORD_DEV_GUILD_ID,
        apiBase: e.DISCORD_API_BASE,
        ...(shards ? { sharding: shards } : {}),
      };
    }
  }

  let slack: SlackConfig | undefined;
  if (e.PREPBOT_ADAPTERS.includes('slack')) {
    const missing: string[] = [];
    if (!e.SLACK_BOT_TOKEN) missing.push('SLACK_BOT_TOKEN');
    if (e.SLACK_MODE === 'socket' && !e.SLACK_APP_TOKEN) missing.push('SLACK_APP_TOKEN (or SLACK_MODE=http)');
    if (e.SLACK_MODE === 'http' && !e.SLACK_SIGNING_SECRET) missing.push('SLACK_SIGNING_SECRET');
    if (missing.length > 0) {
      skipped.push(`slack: not configured, skipping (set ${missing.join(' and ')}; see README "Slack")`);
    } else {
      slack = {
        botToken: e.SLACK_BOT_TOKEN!,
        mode: e.SLACK_MODE,
        appToken: e.SLACK_APP_TOKEN,
        signingSecret: e.SLACK_SIGNING_SECRET,
        port: e.SLACK_PORT,
        host: e.SLACK_HOST,
        prefixCommand: e.SLACK_PREFIX_COMMAND,
        admins: e.SLACK_ADMINS,
        apiUrl: e.SLACK_API_URL,
      };
    }
  }

  return {
    dbPath: e.PREPBOT_DB,
    database: e.DATABASE_URL === undefined ? undefined : { url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX },
    notesPath: e.PREPBOT_NOTES,
    topicsPath: e.PREPBOT_TOPICS,
    adapters: e.PREPBOT_ADAPTERS,
    defaultTimezone: e.PREPBOT_TIMEZONE,
    logLevel: e.PREPBOT_LOG_LEVEL,
    startAt: e.PREPBOT_NOW ? new Date(e.PREPBOT_NOW) : undefined,
    admins: e.PREPBOT_ADMINS,
    catchupGraceMs: e.PREPBOT_CATCHUP_GRACE_MINUTES * 60_000,
    discord,
    slack,
    skipped,
  };
}
