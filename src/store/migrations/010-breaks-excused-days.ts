import type { Migration } from './index.ts';

/**
 * Practice over months (issue 14): breaks, excused days and streak repairs.
 *
 * - breaks: a person's announced pause. Local dates (`starts_on`, `until_day`,
 *   inclusive) in the zone they had when it began, plus the instant it runs out
 *   (`ends_at`, the start of the day after `until_day`) so the scheduler can
 *   finish it without knowing zones. `days_taken` and `shifted_days` are written
 *   once, when it ends: the local days it actually excused and how far the
 *   person's review due dates moved.
 * - streak_repairs: an admin's audited repair of one local date of a person.
 *   `repaired_by` (the admin's account) is cleared if that admin is forgotten.
 * - excused_days: local dates prepbot failed a whole workspace (its daily
 *   question could not be posted); no person column, it excuses everyone there.
 * - bot_uptime: the heartbeat. One row per stretch a process was running
 *   (extended every minute, a new row after a pause), so the gaps between rows
 *   are the times prepbot was down.
 */
export const migration: Migration = {
  version: 10,
  name: 'breaks-excused-days',
  sql: `
CREATE TABLE breaks (
  id           INTEGER PRIMARY KEY,
  person_id    TEXT NOT NULL REFERENCES people(id),
  starts_on    TEXT NOT NULL,
  until_day    TEXT NOT NULL,
  zone         TEXT NOT NULL,
  started_at   TEXT NOT NULL,
  ends_at      TEXT NOT NULL,
  ended_at     TEXT,
  end_reason   TEXT CHECK (end_reason IN ('ran-out', 'ended', 'answered')),
  days_taken   INTEGER,
  shifted_days INTEGER
);
CREATE INDEX breaks_person ON breaks (person_id, starts_on);
CREATE INDEX breaks_open ON breaks (ended_at, ends_at);

CREATE TABLE streak_repairs (
  id               INTEGER PRIMARY KEY,
  person_id        TEXT NOT NULL REFERENCES people(id),
  local_date       TEXT NOT NULL,
  reason           TEXT NOT NULL,
  repaired_by      TEXT,
  repaired_by_name TEXT,
  repaired_at      TEXT NOT NULL,
  UNIQUE (person_id, local_date)
);
CREATE INDEX streak_repairs_by ON streak_repairs (repaired_by);

CREATE TABLE excused_days (
  workspace_id TEXT NOT NULL,
  local_date   TEXT NOT NULL,
  reason       TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  PRIMARY KEY (workspace_id, local_date)
);

CREATE TABLE bot_uptime (
  id           INTEGER PRIMARY KEY,
  process_id   TEXT NOT NULL,
  started_at   TEXT NOT NULL,
  last_seen_at TEXT NOT NULL
);
CREATE INDEX bot_uptime_process ON bot_uptime (process_id, last_seen_at);
`,
};
