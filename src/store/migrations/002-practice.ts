import type { Migration } from './index.ts';

/**
 * Practice state: people and their platform accounts, answers, FSRS reviews,
 * streaks, one-time link codes, and processed deliveries (replay guard).
 * Times are UTC ISO instants; local dates (`YYYY-MM-DD`) only where a
 * person's calendar matters (activity days, streaks).
 */
export const migration: Migration = {
  version: 2,
  name: 'practice',
  sql: `
CREATE TABLE people (
  id TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  -- IANA zone chosen with /timezone; NULL = the workspace's zone.
  timezone TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE workspaces (
  -- '{platform}:{workspace}', e.g. 'slack:T1', 'discord:G1', 'console:local'.
  id TEXT PRIMARY KEY,
  platform TEXT NOT NULL,
  -- NULL = the bot's configured default zone.
  timezone TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE accounts (
  -- '{platform}:{workspace}:{user}' as the chat port names it.
  id TEXT PRIMARY KEY,
  platform TEXT NOT NULL,
  person_id TEXT NOT NULL REFERENCES people(id),
  display_name TEXT NOT NULL,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  created_at TEXT NOT NULL
);
CREATE INDEX accounts_person ON accounts(person_id);

CREATE TABLE link_codes (
  code TEXT PRIMARY KEY,
  person_id TEXT NOT NULL REFERENCES people(id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);
CREATE INDEX link_codes_person ON link_codes(person_id);

CREATE TABLE attempts (
  id INTEGER PRIMARY KEY,
  person_id TEXT NOT NULL REFERENCES people(id),
  question_id TEXT NOT NULL REFERENCES questions(id),
  conversation_id TEXT NOT NULL,
  workspace_id TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('ask', 'daily')),
  asked_at TEXT NOT NULL,
  -- When answered or given up: the moment the reference may be revealed.
  answered_at TEXT,
  -- Exactly as typed; renderers escape it.
  answer_text TEXT,
  coverage REAL,
  coverage_json TEXT,
  gave_up INTEGER NOT NULL DEFAULT 0,
  rating TEXT CHECK (rating IN ('again', 'hard', 'good', 'easy')),
  rated_at TEXT
);
CREATE INDEX attempts_person ON attempts(person_id, asked_at);
CREATE INDEX attempts_answered ON attempts(answered_at);
CREATE INDEX attempts_conversation ON attempts(conversation_id, answered_at);
CREATE INDEX attempts_workspace ON attempts(workspace_id, answered_at);

CREATE TABLE reviews (
  person_id TEXT NOT NULL REFERENCES people(id),
  question_id TEXT NOT NULL REFERENCES questions(id),
  -- ts-fsrs Card as JSON; validated when read.
  card TEXT NOT NULL,
  due_at TEXT NOT NULL,
  reviewed_at TEXT NOT NULL,
  PRIMARY KEY (person_id, question_id)
);
CREATE INDEX reviews_due ON reviews(person_id, due_at);

-- Every local day a person answered on: the streak can be replayed from it (after a merge).
CREATE TABLE activity_days (
  person_id TEXT NOT NULL REFERENCES people(id),
  local_date TEXT NOT NULL,
  PRIMARY KEY (person_id, local_date)
);

CREATE TABLE streaks (
  person_id TEXT PRIMARY KEY REFERENCES people(id),
  current INTEGER NOT NULL,
  longest INTEGER NOT NULL,
  last_day TEXT,
  freezes INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE processed_deliveries (
  id TEXT PRIMARY KEY,
  processed_at TEXT NOT NULL
);
CREATE INDEX processed_deliveries_at ON processed_deliveries(processed_at);
`,
};
