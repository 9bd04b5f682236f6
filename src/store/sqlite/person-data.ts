import type { Db } from '../db.ts';
import type { PersonExport, PersonForgetReport } from '../practice-types.ts';
import { PERSON_TABLES, personExport, personForgetReport, personTableBinds, personTableKey } from '../person-tables.ts';

/** Every row of the person's, table by table (SELECT *: whatever columns the migrations gave them). */
export function exportPerson(db: Db, personId: string): PersonExport {
  const read = db.transaction(() => {
    const tables: Record<string, unknown[]> = {};
    for (const t of PERSON_TABLES) tables[personTableKey(t)] = db.prepare(`SELECT * FROM ${t.table} WHERE ${t.where}`).all(...personTableBinds(t.where, personId));
    return tables;
  });
  return personExport(personId, read());
}

/** Deletes the person's rows from every table in PERSON_TABLES, in one transaction; counts per table. */
export function forgetPerson(db: Db, personId: string): PersonForgetReport {
  const run = db.transaction(() => {
    const deleted: Record<string, number> = {};
    for (const t of PERSON_TABLES) {
      const sql = t.set ? `UPDATE ${t.table} SET ${t.set} WHERE ${t.where}` : `DELETE FROM ${t.table} WHERE ${t.where}`;
      deleted[personTableKey(t)] = db.prepare(sql).run(...personTableBinds(t.where, personId)).changes;
    }
    return deleted;
  });
  // IMMEDIATE: take the write lock first, so a concurrent answer cannot slip in between two deletes.
  const deleted = run.immediate();
  return personForgetReport(personId, deleted);
}
