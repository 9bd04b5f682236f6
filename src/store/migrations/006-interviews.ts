import type { Migration } from './index.ts';

/**
 * Mock interviews: a session (solo, or peer with an interviewer) and its items,
 * one per question asked or planned, follow-ups included. An item points at the
 * practice attempt it became, so whether it was answered, given up or rated,
 * its coverage and its timing live in one place (attempts) and cannot disagree.
 *
 * Attempts gain the source 'interview'. SQLite cannot widen a CHECK constraint
 * in place, so the table is rebuilt (nothing references attempts).
 */
export const migration: Migration = {
  version: 6,
  name: 'interviews',
  sql: `
CREATE TABLE attempts_new (
  id INTEGER PRIMARY KEY,
  person_id TEXT NOT NULL REFERENCES people(id),
  question_id TEXT NOT NULL REFERENCES questions(id),
  conversation_id TEXT NOT NULL,
  workspace_id TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('ask', 'daily', 'interview')),
  asked_at TEXT NOT NULL,
  answered_at TEXT,
  answer_text TEXT,
  coverage REAL,
  coverage_json TEXT,
  gave_up INTEGER NOT NULL DEFAULT 0,
  rating TEXT CHECK (rating IN ('again', 'hard', 'good', 'easy')),
  rated_at TEXT
);
INSERT INTO attempts_new SELECT id, person_id, question_id, conversation_id, workspace_id, source, asked_at,
  answered_at, answer_text, coverage, coverage_json, gave_up, rating, rated_at FROM attempts;
DROP TABLE attempts;
ALTER TABLE attempts_new RENAME TO attempts;
CREATE INDEX attempts_person ON attempts(person_id, asked_at);
CREATE INDEX attempts_answered ON attempts(answered_at);
CREATE INDEX attempts_conversation ON attempts(conversation_id, answered_at);
CREATE INDEX attempts_workspace ON attempts(workspace_id, answered_at);

CREATE TABLE interviews (
  -- Short random id: it travels in button values.
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('solo', 'peer')),
  -- Who answers: the person practising alone, or the peer interview's candidate.
  candidate_id TEXT NOT NULL REFERENCES people(id),
  candidate_account TEXT NOT NULL,
  -- Peer interviews only.
  interviewer_id TEXT REFERENCES people(id),
  interviewer_account TEXT,
  conversation_id TEXT NOT NULL,
  -- Peer interviews: where the candidate sees the questions (a thread, else the channel).
  room_id TEXT,
  workspace_id TEXT NOT NULL,
  topic TEXT,
  question_count INTEGER NOT NULL,
  minutes INTEGER,
  include_unanswered INTEGER NOT NULL DEFAULT 0,
  started_at TEXT NOT NULL,
  deadline_at TEXT,
  ended_at TEXT,
  end_reason TEXT CHECK (end_reason IN ('completed', 'time', 'stopped', 'abandoned')),
  -- The candidate's optional 1-4 rating of how clearly the interviewer asked.
  clarity INTEGER CHECK (clarity BETWEEN 1 AND 4),
  shared_at TEXT
);
CREATE INDEX interviews_candidate ON interviews(candidate_id, started_at);
CREATE INDEX interviews_interviewer ON interviews(interviewer_id, started_at);
-- One open session per person as candidate; the store also checks the interviewer side.
CREATE UNIQUE INDEX interviews_open_candidate ON interviews(candidate_id) WHERE ended_at IS NULL;
-- The minute sweep that ends sessions whose time is up.
CREATE INDEX interviews_open_deadline ON interviews(deadline_at) WHERE ended_at IS NULL;

CREATE TABLE interview_items (
  interview_id TEXT NOT NULL REFERENCES interviews(id),
  -- 1..question_count; a follow-up shares its question's number.
  number INTEGER NOT NULL,
  follow_up INTEGER NOT NULL DEFAULT 0 CHECK (follow_up IN (0, 1)),
  question_id TEXT NOT NULL REFERENCES questions(id),
  -- Set when the item is shown: the attempt holds answer, coverage, rating and times.
  attempt_id INTEGER REFERENCES attempts(id),
  skipped_at TEXT,
  -- Peer interviews: key points the interviewer ticked (JSON array of indexes), 1-4 score, private note.
  ticked_json TEXT,
  score INTEGER CHECK (score BETWEEN 1 AND 4),
  note TEXT,
  PRIMARY KEY (interview_id, number, follow_up)
);
`,
  postgres: `
-- PostgreSQL widens a CHECK in place (migration 2 named it); no rebuild, the indexes stay.
ALTER TABLE attempts DROP CONSTRAINT attempts_source_check;
ALTER TABLE attempts ADD CONSTRAINT attempts_source_check CHECK (source IN ('ask', 'daily', 'interview'));

CREATE TABLE interviews (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('solo', 'peer')),
  candidate_id TEXT NOT NULL REFERENCES people(id),
  candidate_account TEXT NOT NULL,
  interviewer_id TEXT REFERENCES people(id),
  interviewer_account TEXT,
  conversation_id TEXT NOT NULL,
  room_id TEXT,
  workspace_id TEXT NOT NULL,
  topic TEXT,
  question_count INTEGER NOT NULL,
  minutes INTEGER,
  include_unanswered INTEGER NOT NULL DEFAULT 0,
  started_at TEXT NOT NULL,
  deadline_at TEXT,
  ended_at TEXT,
  end_reason TEXT CHECK (end_reason IN ('completed', 'time', 'stopped', 'abandoned')),
  clarity INTEGER CHECK (clarity BETWEEN 1 AND 4),
  shared_at TEXT
);
CREATE INDEX interviews_candidate ON interviews(candidate_id, started_at);
CREATE INDEX interviews_interviewer ON interviews(interviewer_id, started_at);
CREATE UNIQUE INDEX interviews_open_candidate ON interviews(candidate_id) WHERE ended_at IS NULL;
CREATE INDEX interviews_open_deadline ON interviews(deadline_at) WHERE ended_at IS NULL;

CREATE TABLE interview_items (
  interview_id TEXT NOT NULL REFERENCES interviews(id),
  number INTEGER NOT NULL,
  follow_up INTEGER NOT NULL DEFAULT 0 CHECK (follow_up IN (0, 1)),
  question_id TEXT NOT NULL REFERENCES questions(id),
  attempt_id INTEGER REFERENCES attempts(id),
  skipped_at TEXT,
  ticked_json TEXT,
  score INTEGER CHECK (score BETWEEN 1 AND 4),
  note TEXT,
  PRIMARY KEY (interview_id, number, follow_up)
);
`,
};
