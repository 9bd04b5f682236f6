import type { Migration } from './index.ts';

/**
 * Covering indexes for the read paths measured by `npm run bench:leaderboard`
 * (see docs/benchmarks.md for the query plans before and after).
 *
 * The leaderboard counts answered, not-given-up attempts per person in a
 * channel, a workspace or everywhere, since an instant. Each index below holds
 * exactly the columns that query reads (scope key, answered_at, person_id) and
 * only the rows it counts (partial index), so the count is an index range scan
 * that never touches the table's wide rows (answer text, coverage JSON).
 * accounts (person_id, created_at, id) serves "the workspace of a person's first
 * account" without a sort per person. stats reads (person_id, question_id).
 *
 * Version 7: 5 and 6 are reserved for work in progress elsewhere. Portable SQL
 * (PostgreSQL has partial indexes with the same syntax).
 */
export const migration: Migration = {
  version: 7,
  name: 'read-indexes',
  sql: `
CREATE INDEX attempts_board_conversation ON attempts (conversation_id, answered_at, person_id)
  WHERE answered_at IS NOT NULL AND gave_up = 0;
CREATE INDEX attempts_board_workspace ON attempts (workspace_id, answered_at, person_id)
  WHERE answered_at IS NOT NULL AND gave_up = 0;
CREATE INDEX attempts_board_global ON attempts (answered_at, person_id)
  WHERE answered_at IS NOT NULL AND gave_up = 0;
CREATE INDEX attempts_person_question ON attempts (person_id, question_id, answered_at, gave_up, coverage);
CREATE INDEX accounts_person_first ON accounts (person_id, created_at, id);
`,
};
