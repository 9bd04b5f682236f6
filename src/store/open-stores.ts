import type { ScheduleRepository } from '../core/schedule/types.ts';
import { openDatabase, type Db } from './db.ts';
import { scrubDatabaseUrl } from './database-url.ts';
import { StoreUnavailableError } from './errors.ts';
import type { InterviewRepository } from './interview-types.ts';
import type { PracticeRepository } from './practice-types.ts';
import { createPostgresBankStore } from './postgres/bank.ts';
import { createPostgresInterviewRepository } from './postgres/interviews.ts';
import { openPostgres } from './postgres/open.ts';
import { createPostgresPracticeRepository } from './postgres/practice.ts';
import { createPostgresScheduleStore } from './postgres/schedules.ts';
import type { SqlClient } from './postgres/sql.ts';
import { createPostgresStreakCare } from './postgres/streak-care.ts';
import { postgresUnavailableReason } from './postgres/unavailable.ts';
import { createSqliteBankRepository } from './sqlite/bank.ts';
import { createSqliteInterviewRepository } from './sqlite/interviews.ts';
import { createSqlitePracticeRepository } from './sqlite/practice.ts';
import { createSqliteScheduleRepository } from './sqlite/schedules.ts';
import { createSqliteStreakCare } from './sqlite/streak-care.ts';
import type { StreakCareRepository } from './streak-care-types.ts';
import type { BankImportRepository, BankRepository } from './types.ts';

/**
 * Every repository the bot and the CLI use, from one database: SQLite (PREPBOT_DB, the
 * embedded default) or PostgreSQL (DATABASE_URL). Callers see only the repository
 * interfaces; which database is behind them is decided here and nowhere else.
 */
export interface Stores {
  readonly kind: 'sqlite' | 'postgres';
  /** The SQLite path, or the PostgreSQL URL with its password replaced by ***: safe to log. */
  readonly label: string;
  readonly bank: BankRepository & BankImportRepository;
  readonly practice: PracticeRepository;
  /** Breaks, excused days, repairs, heartbeats. The practice repository includes these too, on both databases. */
  readonly streakCare: StreakCareRepository;
  readonly interviews: InterviewRepository;
  readonly schedules: ScheduleRepository;
  /** The SQLite handle (tests and SQLite-only tools); undefined on PostgreSQL. */
  readonly sqlite?: Db;
  /** Closes the SQLite file or ends the PostgreSQL pool. Safe to call twice. */
  close(): Promise<void>;
}

export interface StoresConfig {
  dbPath: string;
  database?: { url: string; poolMax: number };
  defaultTimezone: string;
}

export interface OpenStoresOptions {
  /**
   * Test seam: an already-connected PostgreSQL client (PGlite, or a test server) used instead of
   * connecting to `database.url`. It must be migrated; openStores closes it on close().
   */
  postgresClient?: SqlClient;
  /** Passed to the pool: a broken idle connection (the pool replaces it on next use). */
  onIdleError?: (err: Error) => void;
}

/** Raised when the database cannot be opened; the message says what to check and never holds a password. */
export class StoreOpenError extends Error {
  constructor(
    message: string,
    /** The driver's own reason, scrubbed, for callers that phrase their own message. */
    readonly reason: string,
  ) {
    super(message);
    this.name = 'StoreOpenError';
  }
}

export async function openStores(config: StoresConfig, options: OpenStoresOptions = {}): Promise<Stores> {
  if (config.database || options.postgresClient) return openPostgresStores(config, options);
  return openSqliteStores(config);
}

function openSqliteStores(config: StoresConfig): Stores {
  let db: Db;
  try {
    db = openDatabase(config.dbPath);
  } catch (err) {
    const reason = (err as Error).message;
    throw new StoreOpenError(
      `cannot open the database ${config.dbPath}: ${reason}; check the path and its folder's permissions (PREPBOT_DB)`,
      reason,
    );
  }
  let closed = false;
  return {
    kind: 'sqlite',
    label: config.dbPath,
    bank: createSqliteBankRepository(db),
    practice: createSqlitePracticeRepository(db, { defaultTimezone: config.defaultTimezone }),
    streakCare: createSqliteStreakCare(db),
    interviews: createSqliteInterviewRepository(db),
    schedules: createSqliteScheduleRepository(db),
    sqlite: db,
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}

async function openPostgresStores(config: StoresConfig, options: OpenStoresOptions): Promise<Stores> {
  const label = config.database ? scrubDatabaseUrl(config.database.url) : 'PostgreSQL (test client)';
  let client = options.postgresClient;
  if (!client) {
    const { url, poolMax } = config.database!;
    try {
      client = await openPostgres(url, { max: poolMax, onIdleError: options.onIdleError });
    } catch (err) {
      // pg's messages quote neither the URL nor the password, but a driver's might: scrub anyway.
      const reason = scrubDatabaseUrl((err as Error).message);
      throw new StoreOpenError(
        `cannot open the PostgreSQL database ${label}: ${reason}; check that the server is running and reachable, ` +
          'and the user, password and database name in DATABASE_URL (or unset DATABASE_URL to use SQLite)',
        reason,
      );
    }
  }
  const db = unavailableAsStoreError(client);
  let closed: Promise<void> | undefined;
  return {
    kind: 'postgres',
    label,
    bank: createPostgresBankStore(db),
    practice: createPostgresPracticeRepository(db, { defaultTimezone: config.defaultTimezone }),
    streakCare: createPostgresStreakCare(db),
    interviews: createPostgresInterviewRepository(db),
    schedules: createPostgresScheduleStore(db),
    close() {
      closed ??= client.close();
      return closed;
    },
  };
}

/**
 * The client with connection loss, a full disk, a standby, a deadlock turned into
 * StoreUnavailableError at the seam, so every store on it reports "not now" the way the
 * SQLite stores do, whether or not the store wraps itself too (wrapping twice keeps the
 * reason and code). Constraint violations and bugs pass through unchanged.
 */
export function unavailableAsStoreError(client: SqlClient): SqlClient {
  const mapped = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      if (err instanceof StoreUnavailableError) throw err;
      const unavailable = postgresUnavailableReason(err);
      if (unavailable) throw new StoreUnavailableError(unavailable.reason, unavailable.code);
      throw err;
    }
  };
  return {
    driver: client.driver,
    query: (text, params) => mapped(() => client.query(text, params)),
    exec: (text) => mapped(() => client.exec(text)),
    transaction: (work) => mapped(() => client.transaction(work)),
    close: () => client.close(),
  };
}
