import { migratePostgres } from './migrate.ts';
import { connectPostgres, type PgOptions } from './pg.ts';
import type { SqlClient } from './sql.ts';

/** Connects to the server at `url` and brings its schema up to date; the client is closed again if that fails. */
export async function openPostgres(url: string, options: PgOptions = {}): Promise<SqlClient> {
  const db = connectPostgres(url, options);
  try {
    await migratePostgres(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
