/**
 * The streak-care and interview stores their suites run against, as `describe.each`
 * rows: SQLite and PostgreSQL (PGlite, or the server `npm run test:postgres` starts).
 * `careStores()` registers the hooks that start PostgreSQL once per file and close
 * every store a test opened.
 *
 * The practice store is ported to PostgreSQL on another branch, so the people,
 * accounts, attempts, reviews and activity days these suites need are seeded with
 * plain SQL (`seedPerson`, …), the same on both stores, and the questions through the
 * bank's real import.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { bodyHash } from '../../src/bank/ids.ts';
import { openDatabase, type Db } from '../../src/store/db.ts';
import type { InterviewRepository } from '../../src/store/interview-types.ts';
import { createPostgresBankStore } from '../../src/store/postgres/bank.ts';
import { createPostgresInterviewRepository } from '../../src/store/postgres/interviews.ts';
import type { SqlClient } from '../../src/store/postgres/sql.ts';
import { createPostgresStreakCare } from '../../src/store/postgres/streak-care.ts';
import { createSqliteBankRepository } from '../../src/store/sqlite/bank.ts';
import { createSqliteInterviewRepository } from '../../src/store/sqlite/interviews.ts';
import { createSqliteStreakCare } from '../../src/store/sqlite/streak-care.ts';
import type { StreakCareRepository } from '../../src/store/streak-care-types.ts';
import { postgresRaw, sqliteRaw, type BankStore, type RawSql } from './bank.ts';
import { POSTGRES_HOOK_TIMEOUT, startTestPostgres, type TestPostgres } from './postgres.ts';

export interface OpenCare {
  care: StreakCareRepository;
  interviews: InterviewRepository;
  bank: BankStore;
  sql: RawSql;
}

export interface CareStoreKind {
  /** 'sqlite' or 'postgres': suites name their describe blocks with it. */
  name: 'sqlite' | 'postgres';
  /** A fresh, empty, migrated store. */
  open(): Promise<OpenCare>;
  /**
   * Two stores on one fresh database, as two bot processes would open it: two
   * connections to one SQLite file, or two connection pools on a server. PGlite has
   * one connection, so there both share it (calls interleave between awaits, which
   * checks each method's conditions but not two sessions locking; the server leg does).
   */
  openTwo(): Promise<[OpenCare, OpenCare]>;
  twoLabel(): string;
}

export function careStores(): CareStoreKind[] {
  const sqlite: Db[] = [];
  const dirs: string[] = [];
  let postgres: TestPostgres | undefined;

  beforeAll(async () => {
    postgres = await startTestPostgres();
  }, POSTGRES_HOOK_TIMEOUT);
  afterEach(() => {
    for (const db of sqlite.splice(0)) if (db.open) db.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await postgres?.close();
  }, POSTGRES_HOOK_TIMEOUT);

  const sqliteOpen = (path: string): OpenCare => {
    const db = openDatabase(path);
    sqlite.push(db);
    return { care: createSqliteStreakCare(db), interviews: createSqliteInterviewRepository(db), bank: createSqliteBankRepository(db), sql: sqliteRaw(db) };
  };
  const postgresOpen = (db: SqlClient): OpenCare => ({
    care: createPostgresStreakCare(db),
    interviews: createPostgresInterviewRepository(db),
    bank: createPostgresBankStore(db),
    sql: postgresRaw(db),
  });
  const started = () => {
    if (!postgres) throw new Error('PostgreSQL did not start; see the beforeAll error above');
    return postgres;
  };

  return [
    {
      name: 'sqlite',
      async open() {
        return sqliteOpen(':memory:');
      },
      async openTwo() {
        const dir = mkdtempSync(join(tmpdir(), 'prepbot-care-'));
        dirs.push(dir);
        const file = join(dir, 'bot.db');
        return [sqliteOpen(file), sqliteOpen(file)];
      },
      twoLabel: () => 'two connections to one SQLite file',
    },
    {
      name: 'postgres',
      async open() {
        return postgresOpen(await started().fresh());
      },
      async openTwo() {
        const pg = started();
        const db = await pg.fresh();
        return [postgresOpen(db), postgresOpen(pg.another() ?? db)];
      },
      // Asked while tests are collected, before PostgreSQL starts: the same choice startTestPostgres makes.
      twoLabel: () => (process.env.PREPBOT_TEST_DATABASE_URL?.trim() ? 'two connection pools on one server' : 'two stores sharing one PGlite connection'),
    },
  ];
}

const SEEDED_AT = '2025-01-01T00:00:00.000Z';

/** A person with one account in `workspace` (`{platform}:{id}`); the account id is `{workspace}:{personId}`. */
export async function seedPerson(sql: RawSql, personId: string, name: string, workspace = 'slack:T1'): Promise<{ personId: string; accountId: string }> {
  const platform = workspace.split(':')[0]!;
  await sql.rows('INSERT INTO people (id, display_name, created_at) VALUES (?, ?, ?)', [personId, name, SEEDED_AT]);
  await sql.rows('INSERT INTO workspaces (id, platform, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [workspace, platform, SEEDED_AT]);
  const accountId = `${workspace}:${personId}`;
  await sql.rows('INSERT INTO accounts (id, platform, person_id, display_name, workspace_id, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
    accountId,
    platform,
    personId,
    name,
    workspace,
    SEEDED_AT,
  ]);
  return { personId, accountId };
}

/** Questions through the bank's real import; returns their ids in the given order. */
export async function seedQuestions(bank: BankStore, prompts: string[]): Promise<string[]> {
  const file = 'notes/test.md';
  const now = new Date(SEEDED_AT);
  await bank.applyImport({
    paths: [file],
    scope: { files: [file], folders: [] },
    keepFiles: [],
    questions: prompts.map((prompt, i) => ({
      file,
      line: i * 10 + 1,
      prompt,
      promptDetail: '',
      answer: `Answer to ${prompt}`,
      keyPoints: [],
      topics: [],
      emptyAnswer: false,
      normKey: prompt.toLowerCase(),
      bodyHash: bodyHash(`Answer to ${prompt}`, ''),
    })),
    topics: [],
    skipped: [],
    warnings: [],
    startedAt: now,
    now,
    dryRun: false,
  });
  const stored = await bank.listQuestions({ includeRetired: true });
  return prompts.map((p) => stored.find((s) => s.prompt === p)!.id);
}
