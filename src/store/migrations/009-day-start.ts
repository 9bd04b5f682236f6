import type { Migration } from './index.ts';

/**
 * Day-start hour (0-23, Anki's "next day starts at 4 AM"): per person, with a
 * workspace default set by admins. NULL = not chosen (the workspace's, else 0).
 */
export const migration: Migration = {
  version: 9,
  name: 'day-start',
  sql: `
ALTER TABLE people ADD COLUMN day_start_hour INTEGER CHECK (day_start_hour BETWEEN 0 AND 23);
ALTER TABLE workspaces ADD COLUMN day_start_hour INTEGER CHECK (day_start_hour BETWEEN 0 AND 23);
`,
  postgres: `
ALTER TABLE people ADD COLUMN day_start_hour INTEGER CHECK (day_start_hour BETWEEN 0 AND 23);
ALTER TABLE workspaces ADD COLUMN day_start_hour INTEGER CHECK (day_start_hour BETWEEN 0 AND 23);
`,
};
