import type { Db } from '../db.ts';
import type { PersonExport, PersonForgetReport } from '../practice-types.ts';

/**
 * THE list of tables holding a person's data, for `/forget me`, `prepbot forget` and `prepbot export`.
 * Every table with a row per person (or per account of a person) belongs here; a test fails when a
 * migration adds a `person_id` column to a table that is missing. Order: children before parents
 * (the deletion follows it, foreign keys are on).
 *
 * `where` selects the person's rows, with the person id bound to every `?`.
 * Add interview_sessions / interview_items (migration 6) here, before `people`.
 */
export const PERSON_TABLES = [
  { table: 'attempts', label: 'answers and questions asked', where: 'person_id = ?' },
  { table: 'reviews', label: 'review schedules', where: 'person_id = ?' },
  { table: 'activity_days', label: 'streak days', where: 'person_id = ?' },
  { table: 'streaks', label: 'streak record', where: 'person_id = ?' },
  { table: 'link_codes', label: 'link codes', where: 'person_id = ?' },
  { table: 'link_failures', label: 'failed link attempts', where: 'account_id IN (SELECT id FROM accounts WHERE person_id = ?)' },
  { table: 'accounts', label: 'linked platform accounts', where: 'person_id = ?' },
  { table: 'people', label: 'person record', where: 'id = ?' },
] as const;

export type PersonTable = (typeof PERSON_TABLES)[number]['table'];

const labels = (): Record<string, string> => Object.fromEntries(PERSON_TABLES.map((t) => [t.table, t.label]));

const binds = (where: string, personId: string) => Array.from({ length: where.split('?').length - 1 }, () => personId);

/** Every row of the person's, table by table (SELECT *: whatever columns the migrations gave them). */
export function exportPerson(db: Db, personId: string): PersonExport {
  const read = db.transaction(() => {
    const tables: Record<string, unknown[]> = {};
    for (const t of PERSON_TABLES) tables[t.table] = db.prepare(`SELECT * FROM ${t.table} WHERE ${t.where}`).all(...binds(t.where, personId));
    return tables;
  });
  return { personId, tables: read(), labels: labels() };
}

/** Deletes the person's rows from every table in PERSON_TABLES, in one transaction; counts per table. */
export function forgetPerson(db: Db, personId: string): PersonForgetReport {
  const run = db.transaction(() => {
    const deleted: Record<string, number> = {};
    for (const t of PERSON_TABLES) deleted[t.table] = db.prepare(`DELETE FROM ${t.table} WHERE ${t.where}`).run(...binds(t.where, personId)).changes;
    return deleted;
  });
  // IMMEDIATE: take the write lock first, so a concurrent answer cannot slip in between two deletes.
  const deleted = run.immediate();
  return { personId, deleted, labels: labels() };
}
