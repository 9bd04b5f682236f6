import pg from 'pg';
import type { SqlClient, SqlQueryable, SqlResult } from './sql.ts';

const INT8_OID = 20;

/**
 * pg returns int8 (COUNT(*), SUM, BIGINT columns) as strings because JS numbers lose
 * precision past 2^53; PGlite returns numbers. Stores must not care which driver runs
 * them, so int8 becomes a number here too, and a value too large for one fails loudly
 * instead of being silently rounded.
 */
function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`integer ${text} from PostgreSQL is too large for a JavaScript number`);
  return n;
}

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PgOptions {
  /** Connections in the pool (pg's default is 10). */
  max?: number;
  /**
   * An idle connection broke (server restart, network): pg reports it here instead of
   * to a query. Without a listener Node would crash the process; the pool replaces the
   * connection on next use either way.
   */
  onIdleError?: (err: Error) => void;
}

function queryable(run: pg.Pool | pg.PoolClient): SqlQueryable {
  return {
    async query<R>(text: string, params: readonly unknown[] = []): Promise<SqlResult<R>> {
      const result = await run.query(text, params as unknown[]);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
    },
    async exec(text: string): Promise<void> {
      // No parameters: pg uses the simple query protocol, which accepts several statements.
      await run.query(text);
    },
  };
}

/** A store client over a pool of connections to the server at `url` (postgres://user:pass@host:port/db). */
export function connectPostgres(url: string, options: PgOptions = {}): SqlClient {
  const pool = new pg.Pool({ connectionString: url, max: options.max, types });
  pool.on('error', options.onIdleError ?? (() => {}));
  const base = queryable(pool);

  return {
    driver: 'pg',
    query: base.query,
    exec: base.exec,
    async transaction(work) {
      const client = await pool.connect();
      // A connection whose ROLLBACK failed is in an unknown state: destroy it instead of reusing it.
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work(queryable(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackErr) {
          broken = rollbackErr as Error;
        }
        throw err;
      } finally {
        client.release(broken ?? false);
      }
    },
    async close() {
      await pool.end();
    },
  };
}
