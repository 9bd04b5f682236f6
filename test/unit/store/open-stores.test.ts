import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importNotes } from '../../../src/bank/import.ts';
import { loadTopicCatalog } from '../../../src/bank/topics.ts';
import { StoreUnavailableError } from '../../../src/store/errors.ts';
import { openStores, StoreOpenError, unavailableAsStoreError, type Stores } from '../../../src/store/open-stores.ts';
import type { SqlClient } from '../../../src/store/postgres/sql.ts';
import { POSTGRES_HOOK_TIMEOUT, startTestPostgres, type TestPostgres } from '../../stores/postgres.ts';

const ROOT = join(import.meta.dirname, '../../..');
const catalog = loadTopicCatalog(join(ROOT, 'notes/topics.yml'));
const NOW = new Date('2026-11-26T09:00:00Z');

async function seed(stores: Stores): Promise<number> {
  const notes = join(ROOT, 'notes');
  const report = await importNotes({ paths: [notes], root: notes, catalog, repo: stores.bank, now: NOW });
  return report.added.length;
}

/** Every repository answers on the opened database (a read each; the suites test them in depth). */
async function touchEvery(stores: Stores): Promise<void> {
  expect(await stores.schedules.listSchedules({})).toEqual([]);
  expect(await stores.bank.listTopics()).toBeInstanceOf(Array);
}

describe('openStores on SQLite (PREPBOT_DB)', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const scratch = () => {
    const dir = mkdtempSync(join(tmpdir(), 'prepbot-open-stores-'));
    dirs.push(dir);
    return dir;
  };

  it('opens every repository on one file, and what one opening wrote the next one reads', async () => {
    const dbPath = join(scratch(), 'data', 'prepbot.db');
    const first = await openStores({ dbPath, defaultTimezone: 'UTC' });
    expect(first.kind).toBe('sqlite');
    expect(first.label).toBe(dbPath);
    expect(first.sqlite?.open).toBe(true);
    await touchEvery(first);
    expect(await first.practice.findAccount('slack:T1:U1')).toBeUndefined();
    const added = await seed(first);
    expect(added).toBeGreaterThan(0);
    await first.close();
    await first.close(); // twice is harmless (shutdown paths may overlap)
    expect(first.sqlite?.open).toBe(false);

    const second = await openStores({ dbPath, defaultTimezone: 'UTC' });
    expect(await second.bank.countQuestions({ includeRetired: true })).toBe(added);
    // Seeding again (a second process that also found the bank empty) adds nothing.
    expect(await seed(second)).toBe(0);
    expect(await second.bank.countQuestions({ includeRetired: true })).toBe(added);
    await second.close();
  });

  it('a file that is not a database is a StoreOpenError saying what to check', async () => {
    const dir = scratch();
    const dbPath = join(dir, 'not-a-db');
    writeFileSync(dbPath, 'plain text, not SQLite '.repeat(100));
    const err = await openStores({ dbPath, defaultTimezone: 'UTC' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreOpenError);
    expect((err as Error).message).toMatch(/cannot open the database .*not-a-db: .*check the path/);
  });
});

describe('openStores on PostgreSQL (DATABASE_URL)', () => {
  let pg: TestPostgres;
  beforeAll(async () => {
    pg = await startTestPostgres();
  }, POSTGRES_HOOK_TIMEOUT);
  afterAll(async () => {
    await pg?.close();
  }, POSTGRES_HOOK_TIMEOUT);

  it('PostgreSQL: opens every repository on the client, labels it without the password, and seeding twice adds nothing', async () => {
    const client = await pg.fresh();
    // close() must not end the shared test client: hand openStores a wrapper whose close is a no-op.
    const borrowed: SqlClient = { ...client, close: async () => {} };
    const stores = await openStores(
      { dbPath: 'unused.db', defaultTimezone: 'UTC', database: { url: 'postgres://prepbot:hunter2-secret@db.internal/prepbot', poolMax: 2 } },
      { postgresClient: borrowed },
    );
    expect(stores.kind).toBe('postgres');
    expect(stores.sqlite).toBeUndefined();
    expect(stores.label).toBe('postgres://prepbot:***@db.internal/prepbot');
    await touchEvery(stores);
    const added = await seed(stores);
    expect(added).toBeGreaterThan(0);
    expect(await seed(stores)).toBe(0);
    expect(await stores.bank.countQuestions({ includeRetired: true })).toBe(added);
    await stores.close();
  }, 120_000);

  it('PostgreSQL: an unreachable server is a StoreOpenError naming it without the password', async () => {
    // Port 9 on loopback: nothing listens, the connection is refused at once.
    const err = await openStores({
      dbPath: 'unused.db',
      defaultTimezone: 'UTC',
      database: { url: 'postgres://prepbot:hunter2-secret@127.0.0.1:9/prepbot', poolMax: 1 },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreOpenError);
    const message = (err as Error).message;
    expect(message).toContain('cannot open the PostgreSQL database postgres://prepbot:***@127.0.0.1:9/prepbot');
    expect(message).toMatch(/check that the server is running/);
    expect(message).not.toContain('hunter2-secret');
  });
});

describe('unavailableAsStoreError (PostgreSQL seam)', () => {
  /** A driver that fails every call with `err`, as pg does when the server goes away. */
  const failing = (err: unknown): SqlClient => ({
    driver: 'pg',
    query: () => Promise.reject(err),
    exec: () => Promise.reject(err),
    transaction: () => Promise.reject(err),
    close: async () => {},
  });
  const pgError = (code: string) => Object.assign(new Error(`server said ${code}`), { code });

  it.each([
    ['admin shutdown', pgError('57P01'), 'io'],
    ['connection refused', pgError('ECONNREFUSED'), 'io'],
    ['pool lost the connection', new Error('Connection terminated unexpectedly'), 'io'],
    ['deadlock', pgError('40P01'), 'busy'],
    ['disk full', pgError('53100'), 'full'],
    ['standby', pgError('25006'), 'read-only'],
  ])('%s becomes StoreUnavailableError (%s) on query, exec and transaction', async (_what, err, reason) => {
    const db = unavailableAsStoreError(failing(err));
    for (const call of [() => db.query('SELECT 1'), () => db.exec('SELECT 1'), () => db.transaction(async () => 1)]) {
      const thrown = await call().catch((e: unknown) => e);
      expect(thrown).toBeInstanceOf(StoreUnavailableError);
      expect((thrown as StoreUnavailableError).reason).toBe(reason);
    }
  });

  it('a constraint violation is a bug or bad data, not unavailability, and passes through unchanged', async () => {
    const err = pgError('23505');
    const thrown = await unavailableAsStoreError(failing(err))
      .query('INSERT')
      .catch((e: unknown) => e);
    expect(thrown).toBe(err);
  });
});
