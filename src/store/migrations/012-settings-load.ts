import type { Migration } from './index.ts';

/**
 * Practice settings and the daily review load (issue 14).
 *
 * Settings are one JSON object per person and per workspace (the workspace's
 * defaults), read back through a zod schema: a new setting needs no migration,
 * and a corrupt value falls back to the default instead of failing /ask.
 *
 * `attempts.queue` records which /ask queue served a question: 'review' (a due
 * review), 'new' (no review schedule yet) or 'extra' (extra practice, whose
 * rating leaves the schedule alone). NULL: not from the daily queue (topic
 * practice, daily posts, interviews, every attempt before this migration).
 * The daily caps count ratings of 'review' and 'new' attempts per practice day.
 */
/** Portable: PostgreSQL takes the same text. */
const SETTINGS_LOAD = `
CREATE TABLE person_settings (
  person_id TEXT PRIMARY KEY REFERENCES people(id),
  settings TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE workspace_settings (
  workspace_id TEXT PRIMARY KEY REFERENCES workspaces(id),
  settings TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

ALTER TABLE attempts ADD COLUMN queue TEXT CHECK (queue IN ('review', 'new', 'extra'));
CREATE INDEX attempts_person_rated ON attempts(person_id, rated_at);
`;

export const migration: Migration = {
  version: 12,
  name: 'settings-load',
  sql: SETTINGS_LOAD,
  postgres: SETTINGS_LOAD,
};
