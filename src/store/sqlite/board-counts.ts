import type { Statement } from 'better-sqlite3';
import type { Db } from '../db.ts';
import type { BoardQuery, BoardVisibility, LeaderboardRow } from '../practice-types.ts';
import {
  BACKFILL_WINDOW_MS,
  PERIOD_COLUMNS,
  SMALL_BOARD,
  answerScopes,
  combineCounts,
  boardScopeKey,
  countsFromRow,
  listedFrom,
  periodKeyCache,
  toBoardRow,
  type BoardRowSql,
  type CountRow,
  type PeriodCounts,
} from '../board-rules.ts';

/**
 * The leaderboard's counters on SQLite (table `board_counts`, migration 11): one row per
 * board scope and person, kept in the transaction of every write that changes
 * what a board counts, and the bounded reads the boards are built from. The rules
 * (scopes, period keys, adding counts, listing) are in src/store/board-rules.ts.
 */

export function createBoardCounts(db: Db, defaultTimezone: string, smallBoard = SMALL_BOARD) {
  const periodKeys = periodKeyCache();

  const st = {
    workspaceZone: db.prepare('SELECT timezone FROM workspaces WHERE id = ?'),
    flags: db.prepare('SELECT boards_hidden, global_board FROM people WHERE id = ?'),
    row: db.prepare(
      `SELECT answers, first_answer_at, week_key, week_answers, week_first_at, month_key, month_answers, month_first_at
         FROM board_counts WHERE scope_key = ? AND person_id = ?`,
    ),
    rowsOf: db.prepare(
      `SELECT scope_key, answers, first_answer_at, week_key, week_answers, week_first_at, month_key, month_answers, month_first_at
         FROM board_counts WHERE person_id = ?`,
    ),
    upsert: db.prepare(
      `INSERT INTO board_counts (scope_key, person_id, answers, first_answer_at, week_key, week_answers, week_first_at,
                                 month_key, month_answers, month_first_at, listed)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (scope_key, person_id) DO UPDATE SET answers = excluded.answers, first_answer_at = excluded.first_answer_at,
         week_key = excluded.week_key, week_answers = excluded.week_answers, week_first_at = excluded.week_first_at,
         month_key = excluded.month_key, month_answers = excluded.month_answers, month_first_at = excluded.month_first_at,
         listed = excluded.listed`,
    ),
    setListed: db.prepare(`UPDATE board_counts SET listed = CASE WHEN scope_key = 'global' THEN ? ELSE ? END WHERE person_id = ?`),
    deleteOf: db.prepare('DELETE FROM board_counts WHERE person_id = ?'),
  };

  const zoneOf = (workspaceId: string) =>
    (st.workspaceZone.get(workspaceId) as { timezone: string | null } | undefined)?.timezone ?? defaultTimezone;

  const listedFor = (personId: string) =>
    listedFrom(st.flags.get(personId) as { boards_hidden: number; global_board: number } | undefined);

  const write = (scopeKey: string, personId: string, c: PeriodCounts, listed: number) =>
    st.upsert.run(scopeKey, personId, c.answers, c.firstAt, c.weekKey, c.weekAnswers, c.weekFirstAt, c.monthKey, c.monthAnswers, c.monthFirstAt, listed);

  /** The three scopes an answer counts in, each with the counts of that one answer. */
  const oneAnswer = (conversationId: string, workspaceId: string, answeredAt: string) =>
    answerScopes(periodKeys, conversationId, workspaceId, zoneOf(workspaceId), answeredAt);

  /** Counts one answer; call inside the transaction that records it. */
  function countAnswer(personId: string, conversationId: string, workspaceId: string, answeredAt: string): void {
    const listed = listedFor(personId);
    for (const { scopeKey, counts } of oneAnswer(conversationId, workspaceId, answeredAt)) {
      const before = st.row.get(scopeKey, personId) as CountRow | undefined;
      write(scopeKey, personId, before ? combineCounts(countsFromRow(before), counts) : counts, scopeKey === 'global' ? listed.global : listed.scoped);
    }
  }

  /**
   * Moves `from`'s counts onto `into` (a /link merge), inside the merge's transaction and after
   * the people's flags were merged. Counts add up, so this equals recounting the merged attempts.
   */
  function mergeInto(from: string, into: string): void {
    const listed = listedFor(into);
    for (const r of st.rowsOf.all(from) as (CountRow & { scope_key: string })[]) {
      const mine = st.row.get(r.scope_key, into) as CountRow | undefined;
      write(r.scope_key, into, mine ? combineCounts(countsFromRow(mine), countsFromRow(r)) : countsFromRow(r), r.scope_key === 'global' ? listed.global : listed.scoped);
    }
    st.deleteOf.run(from);
    st.setListed.run(listed.global, listed.scoped, into);
  }

  /** Stores the flags given and re-lists every row of the person in one transaction. */
  const setVisibility = db.transaction((personId: string, v: BoardVisibility) => {
    if (v.boards !== undefined) db.prepare('UPDATE people SET boards_hidden = ? WHERE id = ?').run(v.boards ? 0 : 1, personId);
    if (v.globalBoard !== undefined) db.prepare('UPDATE people SET global_board = ? WHERE id = ?').run(v.globalBoard ? 1 : 0, personId);
    const listed = listedFor(personId);
    st.setListed.run(listed.global, listed.scoped, personId);
  });

  /**
   * Fills the week and month columns after migration 11 (SQLite cannot turn an instant into a
   * date in an IANA zone). Only a row's latest week and month can ever be shown again, and no
   * current period starts more than 33 days before the latest answer stored, so older answers
   * are not read. One transaction; a second process waits for it and then finds nothing to do.
   */
  const backfillPeriods = db.transaction(() => {
    if (!db.prepare('SELECT 1 FROM board_backfill').get()) return;
    const latest = db.prepare('SELECT MAX(answered_at) AS at FROM attempts WHERE answered_at IS NOT NULL AND gave_up = 0').get() as {
      at: string | null;
    };
    if (latest.at !== null) {
      const since = new Date(Date.parse(latest.at) - BACKFILL_WINDOW_MS).toISOString();
      const update = db.prepare(
        `UPDATE board_counts SET week_key = ?, week_answers = ?, week_first_at = ?, month_key = ?, month_answers = ?, month_first_at = ?
          WHERE scope_key = ? AND person_id = ?`,
      );
      let person: string | undefined;
      let rows = new Map<string, PeriodCounts>();
      const flush = () => {
        for (const [scopeKey, c] of rows) update.run(c.weekKey, c.weekAnswers, c.weekFirstAt, c.monthKey, c.monthAnswers, c.monthFirstAt, scopeKey, person);
        rows = new Map();
      };
      // Read whole (better-sqlite3 cannot write while a read is open); arrays, not objects, for the memory.
      const answers = db
        .prepare(
          `SELECT person_id, conversation_id, workspace_id, answered_at FROM attempts
            WHERE answered_at >= ? AND gave_up = 0 ORDER BY person_id, answered_at`,
        )
        .raw()
        .all(since) as [string, string, string, string][];
      for (const [personId, conversationId, workspaceId, answeredAt] of answers) {
        if (personId !== person) {
          flush();
          person = personId;
        }
        for (const { scopeKey, counts } of oneAnswer(conversationId, workspaceId, answeredAt)) {
          const before = rows.get(scopeKey);
          rows.set(scopeKey, before ? combineCounts(before, counts) : counts);
        }
      }
      flush();
    }
    db.prepare('DELETE FROM board_backfill').run();
  });

  const columns = (period: BoardQuery['period']) => PERIOD_COLUMNS[period];
  // The zone and day start of the person's first account's workspace, as BotServices.dayOf needs them.
  const firstWorkspace = (column: string) =>
    `(SELECT w.${column} FROM accounts ac JOIN workspaces w ON w.id = ac.workspace_id
       WHERE ac.person_id = p.id ORDER BY ac.created_at, ac.id LIMIT 1)`;
  const personColumns = `SELECT p.id AS person_id, p.display_name, p.timezone, ${firstWorkspace('timezone')} AS workspace_timezone,
                                p.day_start_hour, ${firstWorkspace('day_start_hour')} AS workspace_day_start_hour,
                                t.answers, t.first_answer_at, t.current, t.longest, t.last_day, t.freezes, t.listed`;
  const select = (period: BoardQuery['period']) => {
    const c = columns(period);
    return `${personColumns} FROM (SELECT bc.person_id, ${c.answers} AS answers, ${c.first} AS first_answer_at, bc.listed,
                                          s.current, s.longest, s.last_day, s.freezes`;
  };
  const periodFilter = (period: BoardQuery['period']) => {
    const key = columns(period).key;
    return key ? ` AND ${key} = ?` : '';
  };
  const periodParams = (q: BoardQuery): string[] => (q.period === 'all' ? [] : [q.periodKey ?? '']);

  const statements = new Map<string, Statement<unknown[]>>();
  const prepared = (name: string, period: BoardQuery['period'], build: () => string) => {
    const k = `${name}:${period}`;
    let s = statements.get(k);
    if (!s) {
      s = db.prepare<unknown[]>(build());
      statements.set(k, s);
    }
    return s;
  };

  const toRow = toBoardRow;

  function byStreak(q: BoardQuery, aliveSince: string, limit: number): LeaderboardRow[] {
    const scopeKey = boardScopeKey(q);
    const p = q.period;
    const count = prepared('members', p, () => `SELECT COUNT(*) AS n FROM (SELECT 1 FROM board_counts bc WHERE bc.scope_key = ?${periodFilter(p)} AND bc.listed = 1 LIMIT ${smallBoard}) t`);
    const members = (count.get(scopeKey, ...periodParams(q)) as { n: number }).n;
    const c = columns(p);
    // Sort only the narrow candidate rows; names and zones are joined for the `limit` kept, not for every member.
    const narrow = `bc.person_id, ${c.answers} AS answers, ${c.first} AS first_answer_at, s.current, s.longest, s.last_day, s.freezes, bc.listed`;
    const order = `ORDER BY s.current DESC, ${c.answers} DESC, ${c.first}, bc.person_id LIMIT ?`;
    const outer = (inner: string) =>
      `${personColumns} FROM (${inner}) t JOIN people p ON p.id = t.person_id
        ORDER BY t.current DESC, t.answers DESC, t.first_answer_at, t.person_id`;
    if (members < smallBoard) {
      const s = prepared('streak-small', p, () =>
        outer(`SELECT ${narrow} FROM board_counts bc JOIN streaks s ON s.person_id = bc.person_id
                WHERE bc.scope_key = ?${periodFilter(p)} AND bc.listed = 1 AND s.current > 0 AND s.last_day >= ? ${order}`),
      );
      return (s.all(scopeKey, ...periodParams(q), aliveSince, limit) as BoardRowSql[]).map(toRow);
    }
    // CROSS JOIN keeps streaks outermost in SQLite: walk streaks_board from the longest down, probe the member row.
    const s = prepared('streak-walk', p, () =>
      outer(`SELECT ${narrow} FROM streaks s CROSS JOIN board_counts bc
              WHERE s.current > 0 AND s.last_day >= ? AND bc.scope_key = ? AND bc.person_id = s.person_id${periodFilter(p)}
                AND bc.listed = 1 ${order}`),
    );
    return (s.all(aliveSince, scopeKey, ...periodParams(q), limit) as BoardRowSql[]).map(toRow);
  }

  function byAnswers(q: BoardQuery, limit: number): LeaderboardRow[] {
    const p = q.period;
    const c = columns(p);
    const s = prepared('answers', p, () =>
      `${select(p)} FROM board_counts bc LEFT JOIN streaks s ON s.person_id = bc.person_id
          WHERE bc.scope_key = ?${periodFilter(p)} AND bc.listed = 1
          ORDER BY ${c.answers} DESC, ${c.first}, bc.person_id LIMIT ?) t
        JOIN people p ON p.id = t.person_id ORDER BY t.answers DESC, t.first_answer_at, t.person_id`,
    );
    return (s.all(boardScopeKey(q), ...periodParams(q), limit) as BoardRowSql[]).map(toRow);
  }

  function entry(q: BoardQuery, personId: string): LeaderboardRow | undefined {
    const p = q.period;
    const s = prepared('entry', p, () =>
      `${select(p)} FROM board_counts bc LEFT JOIN streaks s ON s.person_id = bc.person_id
          WHERE bc.scope_key = ? AND bc.person_id = ?${periodFilter(p)}) t
        JOIN people p ON p.id = t.person_id`,
    );
    const r = s.get(boardScopeKey(q), personId, ...periodParams(q)) as BoardRowSql | undefined;
    return r ? toRow(r) : undefined;
  }

  return { countAnswer, mergeInto, setVisibility, backfillPeriods, byStreak, byAnswers, entry };
}
