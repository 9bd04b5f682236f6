import type { Migration } from './index.ts';

/**
 * Follow-up questions: a question asked after another one, about its answer
 * (a question sub-heading or nested question bullet in the notes). parent_id is
 * the question it follows up; NULL for a top-level question. Follow-ups are
 * never served on their own, and topic counts leave them out.
 *
 * questions.norm_key stays unique per file (migration 1): a follow-up's key is
 * its parent's id, U+001F, then its own normalised prompt, so it never clashes
 * with a top-level question of the same text in the same file.
 * Portable SQL: PostgreSQL can add the same column and index.
 */
export const migration: Migration = {
  version: 5,
  name: 'follow-ups',
  sql: `
ALTER TABLE questions ADD COLUMN parent_id TEXT REFERENCES questions (id);
CREATE INDEX questions_parent ON questions (parent_id, line);
`,
  postgres: `
ALTER TABLE questions ADD COLUMN parent_id TEXT REFERENCES questions (id);
CREATE INDEX questions_parent ON questions (parent_id, line);
`,
};
