import type { PersonExport, PersonForgetReport } from './practice-types.ts';

/**
 * THE list of tables holding a person's data, for `/forget me`, `prepbot forget` and `prepbot export`.
 * Every table with a row per person (or per account of a person) belongs here; a test fails when a
 * migration adds a `person_id` column to a table that is missing. Order: children before parents
 * (the deletion follows it, foreign keys are on). Shared by the SQLite and
 * PostgreSQL stores (portable SQL), so both forget and export the same rows.
 *
 * `where` selects the person's rows, with the person id bound to every `?`. An entry with `set`
 * is shared with another person (a peer interview the person conducted belongs to its candidate
 * too): forgetting clears the person's part of those rows instead of deleting them.
 */
export const PERSON_TABLES: readonly { table: string; label: string; where: string; set?: string }[] = [
  {
    table: 'interview_items',
    label: 'mock interview questions',
    where: 'interview_id IN (SELECT id FROM interviews WHERE candidate_id = ?)',
  },
  {
    table: 'interview_items',
    label: 'private notes on interviews you conducted',
    where: 'note IS NOT NULL AND interview_id IN (SELECT id FROM interviews WHERE interviewer_id = ?)',
    set: 'note = NULL',
  },
  { table: 'interviews', label: 'mock interviews', where: 'candidate_id = ?' },
  {
    table: 'interviews',
    label: 'interviews you conducted (kept for the candidate, without you)',
    where: 'interviewer_id = ?',
    set: 'interviewer_id = NULL, interviewer_account = NULL',
  },
  { table: 'board_counts', label: 'leaderboard counts', where: 'person_id = ?' },
  { table: 'attempts', label: 'answers and questions asked', where: 'person_id = ?' },
  { table: 'reviews', label: 'review schedules', where: 'person_id = ?' },
  { table: 'activity_days', label: 'streak days', where: 'person_id = ?' },
  { table: 'breaks', label: 'breaks', where: 'person_id = ?' },
  {
    table: 'streak_repairs',
    label: 'streak repairs you made as an admin (kept for the person, without you)',
    where: 'repaired_by IN (SELECT id FROM accounts WHERE person_id = ?)',
    set: 'repaired_by = NULL, repaired_by_name = NULL',
  },
  { table: 'streak_repairs', label: 'streak repairs (with who made them and why)', where: 'person_id = ?' },
  { table: 'streaks', label: 'streak record', where: 'person_id = ?' },
  { table: 'link_codes', label: 'link codes', where: 'person_id = ?' },
  { table: 'person_settings', label: 'practice settings', where: 'person_id = ?' },
  { table: 'link_failures', label: 'failed link attempts', where: 'account_id IN (SELECT id FROM accounts WHERE person_id = ?)' },
  { table: 'accounts', label: 'linked platform accounts', where: 'person_id = ?' },
  { table: 'people', label: 'person record', where: 'id = ?' },
];

/** Report keys: the table, with `:cleared` for the rows only cleared of the person's part. */
export const personTableKey = (t: (typeof PERSON_TABLES)[number]): string => (t.set ? `${t.table}:cleared` : t.table);

const personTableLabels = (): Record<string, string> => Object.fromEntries(PERSON_TABLES.map((t) => [personTableKey(t), t.label]));

/** The person id once per `?` of `where` (both stores number them in their own way). */
export const personTableBinds = (where: string, personId: string) => Array.from({ length: where.split('?').length - 1 }, () => personId);

/** The export of a person from their tables' rows. */
export const personExport = (personId: string, tables: Record<string, unknown[]>): PersonExport => ({ personId, tables, labels: personTableLabels() });

/** The forget report from the rows changed per table. */
export const personForgetReport = (personId: string, deleted: Record<string, number>): PersonForgetReport => ({
  personId,
  deleted,
  labels: personTableLabels(),
});
