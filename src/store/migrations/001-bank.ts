import type { Migration } from './index.ts';

/**
 * The question bank: questions, topics, their links, import runs, and an FTS5
 * index over prompt + answer.
 *
 * Questions are never deleted (answers and review history from later migrations
 * reference questions.id); a question that left the notes gets retired_at.
 * Everything except the FTS table and its triggers is portable SQL, so a
 * PostgreSQL store can mirror it with its own full-text index.
 */
export const migration: Migration = {
  version: 1,
  name: 'bank',
  sql: `
CREATE TABLE questions (
  id            TEXT PRIMARY KEY,
  -- FTS5 external-content tables need an integer key; the implicit rowid may be
  -- renumbered by VACUUM, so the store assigns this one explicitly.
  seq           INTEGER NOT NULL UNIQUE,
  file          TEXT NOT NULL,
  line          INTEGER NOT NULL,
  prompt        TEXT NOT NULL,
  prompt_detail TEXT NOT NULL DEFAULT '',
  answer        TEXT NOT NULL DEFAULT '',
  key_points    TEXT NOT NULL DEFAULT '[]',
  norm_key      TEXT NOT NULL,
  body_hash     TEXT NOT NULL,
  empty_answer  INTEGER NOT NULL DEFAULT 0,
  retired_at    TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  UNIQUE (file, norm_key)
);
CREATE INDEX questions_file_body ON questions (file, body_hash);

CREATE TABLE topics (
  id   TEXT PRIMARY KEY,
  name TEXT NOT NULL
);

CREATE TABLE question_topics (
  question_id TEXT NOT NULL REFERENCES questions (id),
  topic_id    TEXT NOT NULL REFERENCES topics (id),
  position    INTEGER NOT NULL,
  PRIMARY KEY (question_id, topic_id)
);
CREATE INDEX question_topics_topic ON question_topics (topic_id);

CREATE TABLE import_runs (
  id          INTEGER PRIMARY KEY,
  started_at  TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  paths       TEXT NOT NULL,
  added       INTEGER NOT NULL,
  changed     INTEGER NOT NULL,
  removed     INTEGER NOT NULL,
  unchanged   INTEGER NOT NULL,
  empty       INTEGER NOT NULL,
  skipped     INTEGER NOT NULL,
  report      TEXT NOT NULL
);

CREATE VIRTUAL TABLE questions_fts USING fts5 (
  prompt, answer,
  content = 'questions', content_rowid = 'seq',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER questions_fts_insert AFTER INSERT ON questions BEGIN
  INSERT INTO questions_fts (rowid, prompt, answer) VALUES (new.seq, new.prompt, new.answer);
END;
CREATE TRIGGER questions_fts_update AFTER UPDATE OF prompt, answer ON questions BEGIN
  INSERT INTO questions_fts (questions_fts, rowid, prompt, answer) VALUES ('delete', old.seq, old.prompt, old.answer);
  INSERT INTO questions_fts (rowid, prompt, answer) VALUES (new.seq, new.prompt, new.answer);
END;
CREATE TRIGGER questions_fts_delete AFTER DELETE ON questions BEGIN
  INSERT INTO questions_fts (questions_fts, rowid, prompt, answer) VALUES ('delete', old.seq, old.prompt, old.answer);
END;
`,
};
