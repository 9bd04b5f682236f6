import type { Migration } from './index.ts';

/**
 * Failed `/link CODE` redemptions, so guessing codes is rate limited per account
 * and per workspace across restarts. Rows older than the limit's window are
 * pruned on the next redemption; they carry no history worth keeping.
 * No foreign keys: an attempt must be recordable whatever happens to people.
 */
export const migration: Migration = {
  version: 4,
  name: 'link-attempts',
  sql: `
CREATE TABLE link_failures (
  id INTEGER PRIMARY KEY,
  account_id TEXT NOT NULL,
  workspace_id TEXT NOT NULL,
  failed_at TEXT NOT NULL
);
CREATE INDEX link_failures_account ON link_failures (account_id, failed_at);
CREATE INDEX link_failures_workspace ON link_failures (workspace_id, failed_at);
CREATE INDEX link_failures_at ON link_failures (failed_at);
`,
};
