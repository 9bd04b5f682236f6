import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isPostgresUrl, POSTGRES_URL_HINT } from '../config.ts';
import { scrubDatabaseUrl } from '../store/database-url.ts';
import { openStores, StoreOpenError, type Stores } from '../store/open-stores.ts';
import { isValidTimeZone } from '../time/local-time.ts';

/** Everything a CLI command touches outside itself, so tests run the real program against temp dirs. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  now(): Date;
  /** Set by commands; `runCli` returns it. */
  exitCode: number;
}

/** Bad input from the person at the keyboard: printed as one line, never with a stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export interface GlobalOptions {
  db?: string;
  topics?: string;
  root?: string;
}

/** Where the database is: a SQLite file, or PostgreSQL when `databaseUrl` is set. */
export interface Locations {
  /** The SQLite path, or the PostgreSQL URL with its password as ***: for messages. */
  db: string;
  /** DATABASE_URL, when it applies (no --db flag); holds the password, never print it. */
  databaseUrl?: string;
  topics: string;
  notes: string;
}

/**
 * Where things live: flag, else environment (same variables as the bot), else the repository
 * defaults. The database: `--db PATH` (SQLite) > DATABASE_URL (PostgreSQL) > PREPBOT_DB > data/prepbot.db,
 * so a one-off command against a local file works on a machine whose environment points at the server.
 */
export function locations(command: Command, io: CliIo): Locations {
  const opts = command.optsWithGlobals<GlobalOptions>();
  const pick = (flag: string | undefined, env: string | undefined, fallback: string) =>
    flag?.trim() || env?.trim() || fallback;
  const notes = pick(opts.root, io.env.PREPBOT_NOTES, 'notes');
  // Notes kept elsewhere usually carry their own taxonomy beside them; else the repository's applies.
  const besideNotes = join(notes, 'topics.yml');
  const defaultTopics = existsSync(resolve(io.cwd, besideNotes)) ? besideNotes : 'notes/topics.yml';
  const topics = pick(opts.topics, io.env.PREPBOT_TOPICS, defaultTopics);
  const databaseUrl = opts.db?.trim() ? undefined : io.env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined) return { db: scrubDatabaseUrl(databaseUrl), databaseUrl, topics, notes };
  return { db: pick(opts.db, io.env.PREPBOT_DB, 'data/prepbot.db'), topics, notes };
}

/** A CLI command's stores; `close()` ends the SQLite file or the PostgreSQL pool. */
export interface CliStores {
  stores: Stores;
  bank: Stores['bank'];
  db: { close(): Promise<void> };
}

/** Opens every repository where `where` says, turning the drivers' terse failures into what to do next. */
export async function openCliStores(where: Pick<Locations, 'db' | 'databaseUrl'>, io: CliIo): Promise<CliStores> {
  let stores: Stores;
  if (where.databaseUrl !== undefined) {
    if (!isPostgresUrl(where.databaseUrl)) throw new UserError(`DATABASE_URL ${POSTGRES_URL_HINT}, or pass --db PATH for a SQLite file`);
  }
  // The bot's zone for workspaces without one: opening a store may fill the boards' week and month columns.
  const zone = io.env.PREPBOT_TIMEZONE?.trim();
  try {
    stores = await openStores({
      dbPath: where.db === ':memory:' ? where.db : resolve(io.cwd, where.db),
      // Two connections: a command runs one store method at a time, and the bot's processes need the rest.
      database: where.databaseUrl === undefined ? undefined : { url: where.databaseUrl, poolMax: 2 },
      defaultTimezone: zone && isValidTimeZone(zone) ? zone : 'UTC',
    });
  } catch (err) {
    if (err instanceof StoreOpenError) {
      throw new UserError(
        where.databaseUrl === undefined
          ? `cannot open the database ${where.db}: ${err.reason}; check the path, its folder's permissions, or pass --db PATH`
          : err.message,
      );
    }
    throw err;
  }
  return { stores, bank: stores.bank, db: { close: () => stores.close() } };
}

export function json(io: CliIo, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}
