import type { SqlClient, SqlQueryable } from './sql.ts';

/** NUL is the one character PostgreSQL's text refuses; a visible replacement keeps the rest of the text. */
export const replaceNul = (v: unknown) => (typeof v === 'string' && v.includes('\u0000') ? v.replaceAll('\u0000', '\uFFFD') : v);

/**
 * The client with every statement's text parameters cleaned of NUL (U+0000), which
 * SQLite stores and PostgreSQL's TEXT cannot: a chat message or a reason containing
 * one is stored, marked with U+FFFD, instead of failing the command.
 */
export function withNulReplaced<T extends SqlQueryable>(q: T): T {
  return new Proxy(q, {
    get(target, prop, receiver) {
      if (prop === 'query') {
        return (text: string, params?: readonly unknown[]) => target.query(text, params?.map(replaceNul));
      }
      if (prop === 'transaction') {
        return <R>(work: (tx: SqlQueryable) => Promise<R>) =>
          (target as unknown as SqlClient).transaction((tx) => work(withNulReplaced(tx)));
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
