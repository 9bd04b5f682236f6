import type { SqlClient, SqlQueryable, SqlResult } from './sql.ts';

/**
 * The parts of a PGlite instance (`@electric-sql/pglite`, PostgreSQL compiled to
 * WebAssembly) the seam uses. Described here rather than imported so the app never
 * loads PGlite: it is a devDependency, used by the tests to run the PostgreSQL
 * stores without a server.
 */
interface PgliteQueryable {
  query<T>(text: string, params?: unknown[]): Promise<{ rows: T[]; affectedRows?: number }>;
  exec(text: string): Promise<unknown>;
}

export interface PgliteLike extends PgliteQueryable {
  transaction<T>(work: (tx: PgliteQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

function queryable(db: PgliteQueryable): SqlQueryable {
  return {
    async query<R>(text: string, params: readonly unknown[] = []): Promise<SqlResult<R>> {
      const result = await db.query<R>(text, [...params]);
      return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
    },
    async exec(text: string): Promise<void> {
      await db.exec(text);
    },
  };
}

/**
 * A store client over one PGlite database. PGlite is a single connection: its own
 * transaction() makes other queries wait until COMMIT or ROLLBACK, which is what a
 * pool gives on a server.
 */
export function fromPglite(db: PgliteLike): SqlClient {
  const base = queryable(db);
  return {
    driver: 'pglite',
    query: base.query,
    exec: base.exec,
    transaction: (work) => db.transaction((tx) => work(queryable(tx))),
    close: () => db.close(),
  };
}
