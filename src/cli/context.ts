import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase, type Db } from '../store/db.ts';
import { postgresNotReady } from '../store/postgres/readiness.ts';
import { createSqliteBankRepository, type SqliteBankRepository } from '../store/sqlite/bank.ts';

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

/** Where things live: flag, else environment (same variables as the bot), else the repository defaults. */
export function locations(command: Command, io: CliIo): { db: string; topics: string; notes: string } {
  const opts = command.optsWithGlobals<GlobalOptions>();
  const pick = (flag: string | undefined, env: string | undefined, fallback: string) =>
    flag?.trim() || env?.trim() || fallback;
  const notes = pick(opts.root, io.env.PREPBOT_NOTES, 'notes');
  // Notes kept elsewhere usually carry their own taxonomy beside them; else the repository's applies.
  const besideNotes = join(notes, 'topics.yml');
  const defaultTopics = existsSync(resolve(io.cwd, besideNotes)) ? besideNotes : 'notes/topics.yml';
  return {
    db: pick(opts.db, io.env.PREPBOT_DB, 'data/prepbot.db'),
    topics: pick(opts.topics, io.env.PREPBOT_TOPICS, defaultTopics),
    notes,
  };
}

/** Opens the bank, turning SQLite's terse failures into what to do next. */
export function openBank(path: string, io: CliIo): { db: Db; bank: SqliteBankRepository } {
  // The bot would refuse it too: importing into a database the bot does not read would look like lost notes.
  const notReady = io.env.DATABASE_URL?.trim() ? postgresNotReady() : undefined;
  if (notReady) throw new UserError(notReady);
  const file = path === ':memory:' ? path : resolve(io.cwd, path);
  let db: Db;
  try {
    db = openDatabase(file);
  } catch (err) {
    const reason = (err as Error).message;
    throw new UserError(
      `cannot open the database ${path}: ${reason}; check the path, its folder's permissions, or pass --db PATH`,
    );
  }
  return { db, bank: createSqliteBankRepository(db) };
}

export function json(io: CliIo, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}
