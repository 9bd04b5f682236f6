import type { Migration } from './index.ts';

/**
 * Boards at scale and their privacy (issues 12 and 14).
 *
 * `board_counts` keeps, per board scope and person, the answers counted for the
 * leaderboard: all time, the person's latest calendar week and latest calendar
 * month in that scope (each with its key and first answer). The store updates the
 * row in the same transaction as the answer (and on /link merges; /forget deletes
 * it), so a board reads the top of an index instead of counting attempts.
 * Scopes: `channel:<conversation id>`, `workspace:<workspace key>`, `global`.
 * Week and month keys (`week:2026-06-29` naming the Monday, `month:2026-06`) are
 * the calendar of the workspace's zone for channel and workspace scopes and of
 * UTC for the global scope; a row whose key is not the current one simply is not
 * on this week's (month's) board, and the next answer starts the new period.
 *
 * `listed` is the row's visibility, kept from the person's settings so the top-N
 * index walk never meets a hidden person: 0 when they hide from all boards, and
 * for the global scope 0 unless they opted in to the global board.
 *
 * `streaks_board` lets the store walk streaks from the longest down, skipping
 * lapsed ones inside the index, for the boards with many members;
 * `streaks_person_board` gives a small board's members their streaks without
 * reading the table (half the page reads: measured 2.5 → 1.3 ms for a
 * workspace week on the benchmark database).
 *
 * Backfill: all-time counts here, in portable SQL (exact). The week and month
 * columns need each answer's local date in its workspace's IANA zone, which
 * SQLite cannot compute; the store fills them at its next start while
 * `board_backfill` has a row (src/store/sqlite/board-counts.ts).
 */
export const BOARD_ALL_TIME_BACKFILL = `
INSERT INTO board_counts (scope_key, person_id, answers, first_answer_at, listed)
SELECT 'channel:' || a.conversation_id, a.person_id, COUNT(*), MIN(a.answered_at), 1 - MAX(p.boards_hidden)
  FROM attempts a JOIN people p ON p.id = a.person_id
 WHERE a.answered_at IS NOT NULL AND a.gave_up = 0
 GROUP BY a.conversation_id, a.person_id;
INSERT INTO board_counts (scope_key, person_id, answers, first_answer_at, listed)
SELECT 'workspace:' || a.workspace_id, a.person_id, COUNT(*), MIN(a.answered_at), 1 - MAX(p.boards_hidden)
  FROM attempts a JOIN people p ON p.id = a.person_id
 WHERE a.answered_at IS NOT NULL AND a.gave_up = 0
 GROUP BY a.workspace_id, a.person_id;
INSERT INTO board_counts (scope_key, person_id, answers, first_answer_at, listed)
SELECT 'global', a.person_id, COUNT(*), MIN(a.answered_at), MAX(p.global_board) * (1 - MAX(p.boards_hidden))
  FROM attempts a JOIN people p ON p.id = a.person_id
 WHERE a.answered_at IS NOT NULL AND a.gave_up = 0
 GROUP BY a.person_id;
INSERT INTO board_backfill (pending_since) VALUES ('migration 11');
`;

/** Portable: PostgreSQL takes the same text (COUNT into INTEGER, `||`, CHECK, DESC index columns). */
const BOARDS = `
-- Hidden from every board (the streak is kept); opted in to the global board (off until chosen).
ALTER TABLE people ADD COLUMN boards_hidden INTEGER NOT NULL DEFAULT 0 CHECK (boards_hidden IN (0, 1));
ALTER TABLE people ADD COLUMN global_board INTEGER NOT NULL DEFAULT 0 CHECK (global_board IN (0, 1));

CREATE TABLE board_counts (
  scope_key TEXT NOT NULL,
  person_id TEXT NOT NULL REFERENCES people(id),
  answers INTEGER NOT NULL,
  first_answer_at TEXT NOT NULL,
  week_key TEXT,
  week_answers INTEGER NOT NULL DEFAULT 0,
  week_first_at TEXT,
  month_key TEXT,
  month_answers INTEGER NOT NULL DEFAULT 0,
  month_first_at TEXT,
  listed INTEGER NOT NULL CHECK (listed IN (0, 1)),
  PRIMARY KEY (scope_key, person_id)
);
-- One index per period, in board order (answers, then first answer, then id), listed rows together.
CREATE INDEX board_counts_all ON board_counts (scope_key, listed, answers DESC, first_answer_at, person_id);
CREATE INDEX board_counts_week ON board_counts (scope_key, week_key, listed, week_answers DESC, week_first_at, person_id);
CREATE INDEX board_counts_month ON board_counts (scope_key, month_key, listed, month_answers DESC, month_first_at, person_id);
CREATE INDEX board_counts_person ON board_counts (person_id);
-- last_day after person_id on purpose: as the second column SQLite would skip-scan it (for each current value,
-- seek last_day), which loses the current-descending order and with it the early stop: 80 ms instead of 1 ms.
CREATE INDEX streaks_board ON streaks (current, person_id, last_day, freezes, longest);
-- The small boards' probe from a member to their streak, from the index alone.
CREATE INDEX streaks_person_board ON streaks (person_id, current, last_day, freezes, longest);

-- A row while the week and month columns still wait for the store's backfill.
CREATE TABLE board_backfill (pending_since TEXT NOT NULL);
${BOARD_ALL_TIME_BACKFILL}`;

export const migration: Migration = {
  version: 11,
  name: 'boards',
  sql: BOARDS,
  postgres: BOARDS,
};
