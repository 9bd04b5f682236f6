import { PERSON_TABLES, personExport, personForgetReport, personTableKey } from '../person-tables.ts';
import type { PersonExport, PersonForgetReport } from '../practice-types.ts';
import { lockPeople } from './locks.ts';
import type { SqlClient } from './sql.ts';

/** PERSON_TABLES' `where` binds the person id at every `?`: on PostgreSQL all of them are `$1`. */
const where = (text: string) => text.replace(/\?/g, '$1');

/**
 * Every row of the person's, table by table, as src/store/sqlite/person-data.ts. Under the
 * person's lock, so an answer or a link cannot land between two tables' reads.
 */
export async function exportPerson(db: SqlClient, personId: string): Promise<PersonExport> {
  const tables = await db.transaction(async (tx) => {
    await lockPeople(tx, [personId]);
    const out: Record<string, unknown[]> = {};
    for (const t of PERSON_TABLES) out[personTableKey(t)] = (await tx.query(`SELECT * FROM ${t.table} WHERE ${where(t.where)}`, [personId])).rows;
    return out;
  });
  return personExport(personId, tables);
}

/** Deletes the person's rows from every table in PERSON_TABLES in one transaction, under the person's lock. */
export async function forgetPerson(db: SqlClient, personId: string): Promise<PersonForgetReport> {
  const deleted = await db.transaction(async (tx) => {
    await lockPeople(tx, [personId]);
    const out: Record<string, number> = {};
    for (const t of PERSON_TABLES) {
      const sql = t.set ? `UPDATE ${t.table} SET ${t.set} WHERE ${where(t.where)}` : `DELETE FROM ${t.table} WHERE ${where(t.where)}`;
      out[personTableKey(t)] = (await tx.query(sql, [personId])).rowCount;
    }
    return out;
  });
  return personForgetReport(personId, deleted);
}
