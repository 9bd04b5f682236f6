import {
  BACKFILL_WINDOW_MS,
  COUNT_COLUMNS,
  PERIOD_COLUMNS,
  answerScopes,
  boardScopeKey,
  combineCounts,
  countValues,
  countsFromRow,
  listedFrom,
  periodKeyCache,
  toBoardRow,
  type BoardRowSql,
  type CountRow,
  type PeriodCounts,
} from '../board-rules.ts';
import type { BoardQuery, BoardVisibility, LeaderboardRow } from '../practice-types.ts';
import { lockWorkspace } from './locks.ts';
import type { SqlClient, SqlQueryable } from './sql.ts';

/**
 * The leaderboard's counters on PostgreSQL: the same table, rules
 * (src/store/board-rules.ts) and reads as src/store/sqlite/board-counts.ts.
 * countAnswer and mergeInto run inside the caller's transaction, which already
 * holds the person's lock (every row here is one person's), so two processes
 * counting answers of one person add up instead of overwriting each other.
 *
 * One query per board: PostgreSQL's planner chooses between ranking a small
 * board's members and walking the streak index, where SQLite needs the store to
 * pick (`smallBoard`), so the option is not needed here. Text is ordered with
 * COLLATE "C", as SQLite compares bytes.
 */

/** Migration 11's backfill runs under this workspace-lock key, so two processes starting at once do it once. */
const BACKFILL_LOCK_KEY = 'prepbot:board-backfill';

/** Rows per INSERT: a /link merge can move many channels' rows, and a statement takes at most 65,535 parameters. */
const WRITE_BATCH = 1000;

type Listed = ReturnType<typeof listedFrom>;
type ScopeCounts = { scopeKey: string; counts: PeriodCounts };

export function createPostgresBoardCounts(db: SqlClient, defaultTimezone: string) {
  const periodKeys = periodKeyCache();

  const zoneOf = async (tx: SqlQueryable, workspaceId: string) =>
    (await tx.query<{ timezone: string | null }>('SELECT timezone FROM workspaces WHERE id = $1', [workspaceId])).rows[0]?.timezone ??
    defaultTimezone;

  const listedFor = async (tx: SqlQueryable, personId: string) =>
    listedFrom(
      (await tx.query<{ boards_hidden: number; global_board: number }>('SELECT boards_hidden, global_board FROM people WHERE id = $1', [personId]))
        .rows[0],
    );

  /** The person's rows of these scopes, by scope key: one round trip however many scopes. */
  const readRows = async (tx: SqlQueryable, personId: string, scopeKeys: readonly string[]) =>
    new Map(
      (
        await tx.query<CountRow & { scope_key: string }>(
          `SELECT scope_key, ${COUNT_COLUMNS} FROM board_counts WHERE person_id = $1 AND scope_key = ANY($2::text[])`,
          [personId, scopeKeys],
        )
      ).rows.map((r) => [r.scope_key, r] as const),
    );

  /** Stores the person's counts of several scopes, a statement per WRITE_BATCH rows (a round trip per row would dominate an answer). */
  const writeRows = async (tx: SqlQueryable, personId: string, rows: readonly ScopeCounts[], listed: Listed) => {
    const width = COUNT_COLUMNS.split(', ').length + 3; // scope_key, person_id, the counts, listed
    for (let from = 0; from < rows.length; from += WRITE_BATCH) {
      const batch = rows.slice(from, from + WRITE_BATCH);
      const values = batch.map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`);
      await tx.query(
        `INSERT INTO board_counts (scope_key, person_id, ${COUNT_COLUMNS}, listed) VALUES ${values.join(', ')}
         ON CONFLICT (scope_key, person_id) DO UPDATE SET answers = EXCLUDED.answers, first_answer_at = EXCLUDED.first_answer_at,
           week_key = EXCLUDED.week_key, week_answers = EXCLUDED.week_answers, week_first_at = EXCLUDED.week_first_at,
           month_key = EXCLUDED.month_key, month_answers = EXCLUDED.month_answers, month_first_at = EXCLUDED.month_first_at,
           listed = EXCLUDED.listed`,
        batch.flatMap(({ scopeKey, counts }) => [scopeKey, personId, ...countValues(counts), scopeKey === 'global' ? listed.global : listed.scoped]),
      );
    }
  };

  const setListed = (tx: SqlQueryable, personId: string, listed: Listed) =>
    tx.query(`UPDATE board_counts SET listed = CASE WHEN scope_key = 'global' THEN CAST($1 AS INTEGER) ELSE CAST($2 AS INTEGER) END WHERE person_id = $3`, [
      listed.global,
      listed.scoped,
      personId,
    ]);

  /** Counts one answer; call inside the transaction that records it, holding the person's lock. */
  async function countAnswer(tx: SqlQueryable, personId: string, conversationId: string, workspaceId: string, answeredAt: string) {
    // The person's board flags and the workspace's zone in one round trip.
    const found = (
      await tx.query<{ boards_hidden: number | null; global_board: number | null; timezone: string | null }>(
        `SELECT p.boards_hidden, p.global_board, w.timezone FROM (SELECT 1) AS one
           LEFT JOIN people p ON p.id = $1 LEFT JOIN workspaces w ON w.id = $2`,
        [personId, workspaceId],
      )
    ).rows[0];
    const listed = listedFrom(
      found?.boards_hidden == null ? undefined : { boards_hidden: found.boards_hidden, global_board: found.global_board ?? 0 },
    );
    const scopes = answerScopes(periodKeys, conversationId, workspaceId, found?.timezone ?? defaultTimezone, answeredAt);
    const before = await readRows(tx, personId, scopes.map((x) => x.scopeKey));
    await writeRows(
      tx,
      personId,
      scopes.map(({ scopeKey, counts }) => {
        const row = before.get(scopeKey);
        return { scopeKey, counts: row ? combineCounts(countsFromRow(row), counts) : counts };
      }),
      listed,
    );
  }

  /** Moves `from`'s counts onto `into` (a /link merge), inside the merge's transaction, after the people's flags were merged. */
  async function mergeInto(tx: SqlQueryable, from: string, into: string) {
    const listed = await listedFor(tx, into);
    const rows = (await tx.query<CountRow & { scope_key: string }>(`SELECT scope_key, ${COUNT_COLUMNS} FROM board_counts WHERE person_id = $1`, [from]))
      .rows;
    const mine = await readRows(tx, into, rows.map((r) => r.scope_key));
    await writeRows(
      tx,
      into,
      rows.map((r) => {
        const theirs = countsFromRow(r);
        const own = mine.get(r.scope_key);
        return { scopeKey: r.scope_key, counts: own ? combineCounts(countsFromRow(own), theirs) : theirs };
      }),
      listed,
    );
    await tx.query('DELETE FROM board_counts WHERE person_id = $1', [from]);
    await setListed(tx, into, listed);
  }

  /** Stores the flags given and re-lists every row of the person; inside the caller's transaction. */
  async function setVisibility(tx: SqlQueryable, personId: string, v: BoardVisibility) {
    if (v.boards !== undefined) await tx.query('UPDATE people SET boards_hidden = $1 WHERE id = $2', [v.boards ? 0 : 1, personId]);
    if (v.globalBoard !== undefined) await tx.query('UPDATE people SET global_board = $1 WHERE id = $2', [v.globalBoard ? 1 : 0, personId]);
    await setListed(tx, personId, await listedFor(tx, personId));
  }

  /**
   * Fills the week and month columns after migration 11, as the SQLite store does (the
   * migration's text is the same on both). One transaction under a lock: a second
   * process waits, then finds `board_backfill` empty. Person locks are not taken: it
   * only rewrites week and month columns from the attempts, and runs before this
   * store counts anything.
   */
  async function backfillPeriods() {
    await db.transaction(async (tx) => {
      await lockWorkspace(tx, BACKFILL_LOCK_KEY);
      if ((await tx.query('SELECT 1 FROM board_backfill LIMIT 1')).rows.length === 0) return;
      const latest = (
        await tx.query<{ at: string | null }>('SELECT MAX(answered_at) AS at FROM attempts WHERE answered_at IS NOT NULL AND gave_up = 0')
      ).rows[0]?.at;
      if (latest) {
        const since = new Date(Date.parse(latest) - BACKFILL_WINDOW_MS).toISOString();
        const answers = (
          await tx.query<{ person_id: string; conversation_id: string; workspace_id: string; answered_at: string }>(
            `SELECT person_id, conversation_id, workspace_id, answered_at FROM attempts
              WHERE answered_at >= $1 AND gave_up = 0 ORDER BY person_id COLLATE "C", answered_at COLLATE "C"`,
            [since],
          )
        ).rows;
        const zones = new Map<string, string>();
        const totals = new Map<string, PeriodCounts>();
        for (const a of answers) {
          let zone = zones.get(a.workspace_id);
          if (zone === undefined) {
            zone = await zoneOf(tx, a.workspace_id);
            zones.set(a.workspace_id, zone);
          }
          for (const { scopeKey, counts } of answerScopes(periodKeys, a.conversation_id, a.workspace_id, zone, a.answered_at)) {
            const key = `${a.person_id}\u0000${scopeKey}`;
            const before = totals.get(key);
            totals.set(key, before ? combineCounts(before, counts) : counts);
          }
        }
        for (const [key, c] of totals) {
          const [personId, scopeKey] = key.split('\u0000') as [string, string];
          await tx.query(
            `UPDATE board_counts SET week_key = $1, week_answers = $2, week_first_at = $3, month_key = $4, month_answers = $5, month_first_at = $6
              WHERE scope_key = $7 AND person_id = $8`,
            [c.weekKey, c.weekAnswers, c.weekFirstAt, c.monthKey, c.monthAnswers, c.monthFirstAt, scopeKey, personId],
          );
        }
      }
      await tx.query('DELETE FROM board_backfill');
    });
  }

  const columns = (period: BoardQuery['period']) => PERIOD_COLUMNS[period];
  // The zone and day start of the person's first account's workspace, as BotServices.dayOf needs them.
  const firstWorkspace = (column: string) =>
    `(SELECT w.${column} FROM accounts ac JOIN workspaces w ON w.id = ac.workspace_id
       WHERE ac.person_id = p.id ORDER BY ac.created_at COLLATE "C", ac.id COLLATE "C" LIMIT 1)`;
  const personColumns = `SELECT p.id AS person_id, p.display_name, p.timezone, ${firstWorkspace('timezone')} AS workspace_timezone,
                                p.day_start_hour, ${firstWorkspace('day_start_hour')} AS workspace_day_start_hour,
                                t.answers, t.first_answer_at, t.current, t.longest, t.last_day, t.freezes, t.listed`;
  /** The period's key, if it has one, as parameter `$n`. */
  const periodFilter = (period: BoardQuery['period'], n: number) => {
    const key = columns(period).key;
    return key ? ` AND ${key} = $${n}` : '';
  };
  const periodParams = (q: BoardQuery): string[] => (q.period === 'all' ? [] : [q.periodKey ?? '']);
  const narrow = (p: BoardQuery['period']) => {
    const c = columns(p);
    return `bc.person_id, ${c.answers} AS answers, ${c.first} AS first_answer_at, s.current, s.longest, s.last_day, s.freezes, bc.listed`;
  };
  const outer = (inner: string, first = '') =>
    `${personColumns} FROM (${inner}) t JOIN people p ON p.id = t.person_id ORDER BY ${first}t.answers DESC,
       t.first_answer_at COLLATE "C", t.person_id COLLATE "C"`;

  async function byStreak(q: BoardQuery, aliveSince: string, limit: number): Promise<LeaderboardRow[]> {
    const p = q.period;
    const c = columns(p);
    const params = [boardScopeKey(q), ...periodParams(q)];
    const sql = outer(
      `SELECT ${narrow(p)} FROM board_counts bc JOIN streaks s ON s.person_id = bc.person_id
        WHERE bc.scope_key = $1${periodFilter(p, 2)} AND bc.listed = 1 AND s.current > 0 AND s.last_day >= $${params.length + 1}
        ORDER BY s.current DESC, ${c.answers} DESC, ${c.first} COLLATE "C", bc.person_id COLLATE "C" LIMIT $${params.length + 2}`,
      't.current DESC, ',
    );
    return (await db.query<BoardRowSql>(sql, [...params, aliveSince, limit])).rows.map(toBoardRow);
  }

  async function byAnswers(q: BoardQuery, limit: number): Promise<LeaderboardRow[]> {
    const p = q.period;
    const c = columns(p);
    const params = [boardScopeKey(q), ...periodParams(q)];
    const sql = outer(
      `SELECT ${narrow(p)} FROM board_counts bc LEFT JOIN streaks s ON s.person_id = bc.person_id
        WHERE bc.scope_key = $1${periodFilter(p, 2)} AND bc.listed = 1
        ORDER BY ${c.answers} DESC, ${c.first} COLLATE "C", bc.person_id COLLATE "C" LIMIT $${params.length + 1}`,
    );
    return (await db.query<BoardRowSql>(sql, [...params, limit])).rows.map(toBoardRow);
  }

  async function entry(q: BoardQuery, personId: string): Promise<LeaderboardRow | undefined> {
    const p = q.period;
    const sql = outer(
      `SELECT ${narrow(p)} FROM board_counts bc LEFT JOIN streaks s ON s.person_id = bc.person_id
        WHERE bc.scope_key = $1 AND bc.person_id = $2${periodFilter(p, 3)}`,
    );
    const r = (await db.query<BoardRowSql>(sql, [boardScopeKey(q), personId, ...periodParams(q)])).rows[0];
    return r ? toBoardRow(r) : undefined;
  }

  return { countAnswer, mergeInto, setVisibility, backfillPeriods, byStreak, byAnswers, entry };
}
