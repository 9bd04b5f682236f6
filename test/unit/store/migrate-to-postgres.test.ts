/**
 * `prepbot migrate`'s copy: a team's SQLite history (written through the real bot
 * and stores) into PostgreSQL (PGlite under `npm test`, the throw-away server under
 * `npm run test:postgres`).
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/store/db.ts';
import { batchRowsFor, copySqliteToPostgres, MAX_PARAMETERS, MigrationRefused } from '../../../src/store/to-postgres/copy.ts';
import type { SqlClient } from '../../../src/store/postgres/sql.ts';
import { POSTGRES_HOOK_TIMEOUT, startTestPostgres, type TestPostgres } from '../../stores/postgres.ts';
import { buildTeamHistory, NUL_ANSWER } from './migrate-history.ts';

let pg: TestPostgres;
let history: Buffer;

beforeAll(async () => {
  pg = await startTestPostgres();
  const h = await buildTeamHistory();
  history = h.db.serialize();
  h.db.close();
}, POSTGRES_HOOK_TIMEOUT);

afterAll(async () => {
  await pg?.close();
}, POSTGRES_HOOK_TIMEOUT);

/** A private copy of the history, so a test may change it. */
function source(): Db {
  const db = new Database(history);
  db.pragma('foreign_keys = ON');
  return db;
}

/** Every table SQLite's catalogue lists, except its FTS5 index (virtual table and shadow tables) and schema_migrations. */
function catalogueTables(db: Db): string[] {
  const rows = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string; sql: string }[];
  return rows.map((r) => r.name).filter((n) => !n.startsWith('questions_fts') && n !== 'schema_migrations').sort();
}

const count = async (db: SqlClient, table: string) => (await db.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM "${table}"`)).rows[0]!.n;

describe.each([{ name: 'postgres' }])('migrate SQLite → $name', () => {
  it('copies every table SQLite lists with the same row counts, and the team history is really there', { timeout: 120_000 }, async () => {
    const src = source();
    const target = await pg.fresh();
    const report = await copySqliteToPostgres(src, target);

    expect(report.outcome).toBe('copied');
    expect(report.replaced).toBe(false);
    expect(report.tables.map((t) => t.name).sort()).toEqual(catalogueTables(src));
    for (const name of catalogueTables(src)) {
      const expected = (src.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get() as { n: number }).n;
      expect({ name, rows: await count(target, name) }).toEqual({ name, rows: expected });
    }
    // The history touched every part of the schema the bot writes (so counts of 0 = 0 prove little).
    for (const name of ['people', 'accounts', 'link_codes', 'link_failures', 'attempts', 'reviews', 'activity_days', 'streaks',
      'processed_deliveries', 'schedules', 'schedule_posts', 'interviews', 'interview_items', 'breaks', 'excused_days',
      'bot_uptime', 'board_counts', 'person_settings', 'questions', 'topics', 'question_topics', 'import_runs']) {
      expect({ name, empty: (await count(target, name)) === 0 }).toEqual({ name, empty: false });
    }
    expect(report.skipped.map((s) => s.name)).toContain('questions_fts');

    // Row by row, attempts are equal, except that the NUL alice typed became U+FFFD.
    const sqliteAttempts = (src.prepare('SELECT * FROM attempts ORDER BY id').all() as Record<string, unknown>[]).map((r) => ({
      ...r,
      answer_text: typeof r.answer_text === 'string' ? r.answer_text.replaceAll('\u0000', '\uFFFD') : r.answer_text,
    }));
    const pgAttempts = (await target.query('SELECT * FROM attempts ORDER BY id')).rows;
    expect(pgAttempts).toEqual(sqliteAttempts);
    expect(pgAttempts.map((r) => r.answer_text)).toContain(NUL_ANSWER.replace('\u0000', '\uFFFD'));
    expect(report.nulsReplaced).toBe(1);
    expect(report.tables.find((t) => t.name === 'attempts')?.nulsReplaced).toBe(1);

    // PostgreSQL's search column was computed from the copied questions.
    const found = (await target.query<{ prompt: string }>("SELECT prompt FROM questions WHERE search @@ plainto_tsquery('english', 'mutex')")).rows;
    expect(found.map((r) => r.prompt)).toContain('What is a mutex?');

    // The identity sequences moved past the copied ids: the next insert gets a fresh id instead of a duplicate key.
    const maxId = (src.prepare('SELECT MAX(id) AS n FROM attempts').get() as { n: number }).n;
    const { rows } = await target.query<{ id: number }>(
      `INSERT INTO attempts (person_id, question_id, conversation_id, workspace_id, source, asked_at)
       SELECT person_id, question_id, conversation_id, workspace_id, source, asked_at FROM attempts LIMIT 1 RETURNING id`,
    );
    expect(rows[0]!.id).toBe(maxId + 1);
    src.close();
  });

  it('a second run on the same data says so and changes nothing; other data is refused; --force replaces it', { timeout: 120_000 }, async () => {
    const src = source();
    const target = await pg.fresh();
    await copySqliteToPostgres(src, target);

    // Read back in pages of 2 rows: the comparison walks every page of every table.
    const again = await copySqliteToPostgres(src, target, { readPage: 2 });
    expect(again.outcome).toBe('unchanged');
    expect(again.sequences).toEqual([]);

    // One changed value anywhere makes it other data.
    src.prepare("UPDATE people SET display_name = 'alice (renamed)' WHERE display_name = 'alice'").run();
    const refused = copySqliteToPostgres(src, target);
    await expect(refused).rejects.toBeInstanceOf(MigrationRefused);
    await expect(refused).rejects.toThrow(/already holds other prepbot data.*--force/);
    expect((await target.query("SELECT COUNT(*)::int AS n FROM people WHERE display_name = 'alice (renamed)'")).rows[0]).toEqual({ n: 0 });

    // A row the target has and the source lacks is other data too; --force replaces everything.
    await target.query("INSERT INTO topics (id, name) VALUES ('extra', 'Extra')");
    const forced = await copySqliteToPostgres(src, target, { force: true });
    expect(forced).toMatchObject({ outcome: 'copied', replaced: true });
    expect((await target.query("SELECT COUNT(*)::int AS n FROM people WHERE display_name = 'alice (renamed)'")).rows[0]).toEqual({ n: 1 });
    expect((await target.query("SELECT COUNT(*)::int AS n FROM topics WHERE id = 'extra'")).rows[0]).toEqual({ n: 0 });
    expect((await copySqliteToPostgres(src, target)).outcome).toBe('unchanged');
    src.close();
  });

  it('small batches cross batch boundaries and copy the same rows, a follow-up after the question it follows', { timeout: 120_000 }, async () => {
    const src = source();
    // The first question (lowest rowid, read first) becomes a follow-up of the last one: with one row per
    // INSERT, PostgreSQL's foreign key check fails unless the parent is copied first.
    const ids = src.prepare('SELECT id FROM questions ORDER BY rowid').pluck().all() as string[];
    src.prepare('UPDATE questions SET parent_id = ? WHERE id = ?').run(ids[ids.length - 1], ids[0]);
    const target = await pg.fresh();
    const one = await copySqliteToPostgres(src, target, { batchRows: 1 });
    expect(one.tables.find((t) => t.name === 'questions')?.rows).toBe(ids.length);
    expect((await target.query('SELECT parent_id FROM questions WHERE id = $1', [ids[0]])).rows[0]).toEqual({ parent_id: ids[ids.length - 1] });

    await pg.fresh();
    const report = await copySqliteToPostgres(src, target, { batchRows: 3 });
    const attempts = (src.prepare('SELECT COUNT(*) AS n FROM attempts').get() as { n: number }).n;
    expect(attempts).toBeGreaterThan(3);
    expect(report.tables.find((t) => t.name === 'attempts')?.rows).toBe(attempts);
    expect(await count(target, 'attempts')).toBe(attempts);
    src.close();
  });

  it('a table only the SQLite file has stops the copy with its name instead of being skipped', { timeout: 120_000 }, async () => {
    const src = source();
    src.exec("CREATE TABLE future_feature (id TEXT PRIMARY KEY); INSERT INTO future_feature VALUES ('x')");
    const target = await pg.fresh();
    await expect(copySqliteToPostgres(src, target)).rejects.toThrow(/table future_feature is in the SQLite file but not in PostgreSQL/);
    expect(await count(target, 'people')).toBe(0);
    src.close();
  });

  it('a source at another migration version is refused before anything is written', { timeout: 120_000 }, async () => {
    const src = source();
    src.exec('DELETE FROM schema_migrations WHERE version = 12');
    const target = await pg.fresh();
    await expect(copySqliteToPostgres(src, target)).rejects.toThrow(/SQLite file has migrations \[[\d,]+\] and PostgreSQL \[[\d,]+\]; run the same prepbot version/);
    expect(await count(target, 'people')).toBe(0);
    src.close();
  });
});

describe('batch size', () => {
  it('never binds more than PostgreSQL’s 65535 parameters in one INSERT', () => {
    for (const columns of [1, 4, 21, 100, 3000]) {
      const rows = batchRowsFor(columns, 100_000);
      expect(rows * columns).toBeLessThanOrEqual(MAX_PARAMETERS);
      expect(rows).toBeGreaterThanOrEqual(1);
    }
    expect(batchRowsFor(100, 100_000)).toBe(655);
  });
});
