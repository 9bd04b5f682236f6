import type { Migration } from './index.ts';

/**
 * Daily-question schedules and one row per (schedule, local date) post.
 *
 * Exactly-once rests on the primary key of schedule_posts: a process inserts
 * the row (status 'claimed') BEFORE it posts, so a restart, a second process on
 * the same database or a double-fired timer finds the row and does nothing. A
 * claim whose process died before recording the outcome is taken over by one
 * process with a conditional UPDATE once its lease (claimed_at) is old.
 *
 * schedules.status 'deleted' is a soft delete: post history keeps the questions a
 * channel has already had, so a re-created schedule does not repeat them.
 * question_id has no foreign key: questions are never deleted (retired instead),
 * and this table must not depend on the bank migration's table layout.
 * Portable SQL only (the partial unique index exists in PostgreSQL too).
 */
export const migration: Migration = {
  version: 3,
  name: 'schedules',
  sql: `
CREATE TABLE schedules (
  id              TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL,
  platform        TEXT NOT NULL,
  workspace_id    TEXT NOT NULL,
  local_time      TEXT NOT NULL,
  timezone        TEXT NOT NULL,
  weekdays        TEXT NOT NULL,
  topic           TEXT,
  reveal_time     TEXT,
  status          TEXT NOT NULL CHECK (status IN ('active', 'paused', 'deleted')),
  paused_reason   TEXT,
  created_by      TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  -- Occurrences before this instant are neither posted nor recorded as skipped:
  -- a schedule set (or resumed) at 09:45 does not "catch up" today's 09:30.
  effective_from  TEXT NOT NULL
);
CREATE UNIQUE INDEX schedules_one_per_conversation ON schedules (conversation_id) WHERE status <> 'deleted';
CREATE INDEX schedules_workspace ON schedules (platform, workspace_id);

CREATE TABLE schedule_posts (
  schedule_id       TEXT NOT NULL REFERENCES schedules (id),
  local_date        TEXT NOT NULL,
  conversation_id   TEXT NOT NULL,
  fire_at           TEXT NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed', 'skipped')),
  claimed_at        TEXT,
  claimed_by        TEXT,
  attempts          INTEGER NOT NULL DEFAULT 0,
  message_id        TEXT,
  thread_id         TEXT,
  question_id       TEXT,
  error             TEXT,
  sent_at           TEXT,
  reveal_at         TEXT,
  reveal_status     TEXT CHECK (reveal_status IN ('claimed', 'sent', 'failed', 'skipped')),
  reveal_claimed_at TEXT,
  reveal_claimed_by TEXT,
  reveal_message_id TEXT,
  revealed_at       TEXT,
  updated_at        TEXT NOT NULL,
  PRIMARY KEY (schedule_id, local_date)
);
CREATE INDEX schedule_posts_conversation ON schedule_posts (conversation_id, question_id);
CREATE INDEX schedule_posts_claims ON schedule_posts (status, claimed_at);
CREATE INDEX schedule_posts_reveals ON schedule_posts (status, reveal_status, reveal_at);
`,
  postgres: `
CREATE TABLE schedules (
  id              TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL,
  platform        TEXT NOT NULL,
  workspace_id    TEXT NOT NULL,
  local_time      TEXT NOT NULL,
  timezone        TEXT NOT NULL,
  weekdays        TEXT NOT NULL,
  topic           TEXT,
  reveal_time     TEXT,
  status          TEXT NOT NULL CHECK (status IN ('active', 'paused', 'deleted')),
  paused_reason   TEXT,
  created_by      TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  -- Occurrences before this instant are neither posted nor recorded as skipped:
  -- a schedule set (or resumed) at 09:45 does not "catch up" today's 09:30.
  effective_from  TEXT NOT NULL
);
CREATE UNIQUE INDEX schedules_one_per_conversation ON schedules (conversation_id) WHERE status <> 'deleted';
CREATE INDEX schedules_workspace ON schedules (platform, workspace_id);

CREATE TABLE schedule_posts (
  schedule_id       TEXT NOT NULL REFERENCES schedules (id),
  local_date        TEXT NOT NULL,
  conversation_id   TEXT NOT NULL,
  fire_at           TEXT NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed', 'skipped')),
  claimed_at        TEXT,
  claimed_by        TEXT,
  attempts          INTEGER NOT NULL DEFAULT 0,
  message_id        TEXT,
  thread_id         TEXT,
  question_id       TEXT,
  error             TEXT,
  sent_at           TEXT,
  reveal_at         TEXT,
  reveal_status     TEXT CHECK (reveal_status IN ('claimed', 'sent', 'failed', 'skipped')),
  reveal_claimed_at TEXT,
  reveal_claimed_by TEXT,
  reveal_message_id TEXT,
  revealed_at       TEXT,
  updated_at        TEXT NOT NULL,
  PRIMARY KEY (schedule_id, local_date)
);
CREATE INDEX schedule_posts_conversation ON schedule_posts (conversation_id, question_id);
CREATE INDEX schedule_posts_claims ON schedule_posts (status, claimed_at);
CREATE INDEX schedule_posts_reveals ON schedule_posts (status, reveal_status, reveal_at);
`,
};
