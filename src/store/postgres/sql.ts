/**
 * The one seam between the PostgreSQL stores and a driver. `pg` (a pool of
 * connections to a real server, src/store/postgres/pg.ts) and PGlite (PostgreSQL
 * in WebAssembly, for tests: src/store/postgres/pglite.ts) both satisfy it, so a
 * store written against it runs unchanged on either.
 *
 * Deliberately small: parameterised queries with PostgreSQL's `$1, $2…`
 * placeholders, multi-statement text for migrations, and a transaction that runs
 * a whole store method on one connection. A store never holds a transaction open
 * across anything but its own queries (see DESIGN.md: one store method, one
 * transaction).
 */

export interface SqlResult<R> {
  rows: R[];
  /** Rows inserted, updated or deleted (0 for a SELECT where the driver does not say). */
  rowCount: number;
}

export interface SqlQueryable {
  /** One statement, parameters as `$1, $2…`. Integers (int4 and int8) come back as JS numbers on every driver. */
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<R>>;
  /** Several `;`-separated statements without parameters (migrations). */
  exec(text: string): Promise<void>;
}

export interface SqlClient extends SqlQueryable {
  /**
   * Runs `work` between BEGIN and COMMIT on one connection; ROLLBACK when it throws
   * (the error is rethrown). Queries made through `tx` belong to the transaction;
   * queries made on the client meanwhile run on other connections (or, on PGlite,
   * wait for the transaction to end).
   */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** Closes the pool / the embedded database. */
  close(): Promise<void>;
  /** 'pg' for a server, 'pglite' for the embedded test database: for messages and tests only. */
  readonly driver: 'pg' | 'pglite';
}
