import { mapUnavailableErrors, type StoreUnavailableError } from '../errors.ts';

type Reason = StoreUnavailableError['reason'];

/** Socket errors Node reports when the server cannot be reached or dropped the connection. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * PostgreSQL SQLSTATE codes and connection failures that mean "not now, try again",
 * mapped to the reasons SQLite's codes map to. A constraint violation or a syntax
 * error is a bug or bad data, not unavailability, and passes through unchanged.
 */
export function postgresUnavailableReason(err: unknown): { reason: Reason; code: string } | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (code === '53100') return { reason: 'full', code }; // disk_full
    if (code === '25006') return { reason: 'read-only', code }; // read_only_sql_transaction (a standby)
    // serialization_failure, deadlock_detected, lock_not_available, too_many_connections and other insufficient resources
    if (code === '40001' || code === '40P01' || code === '55P03' || code.startsWith('53')) return { reason: 'busy', code };
    // connection exceptions, admin/crash shutdown, cannot_connect_now, system errors (I/O)
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code.startsWith('58')) {
      return { reason: 'io', code };
    }
    if (SOCKET_CODES.has(code)) return { reason: 'io', code };
  }
  // pg's own errors for a connection that died mid-query or a pool that could not connect in time carry no code.
  const message = err instanceof Error ? err.message : '';
  if (/Connection terminated|timeout exceeded when trying to connect/i.test(message)) return { reason: 'io', code: 'connection' };
  return undefined;
}

/** Every method of `repo`, with PostgreSQL's "not now" errors turned into StoreUnavailableError. */
export function withPostgresUnavailableErrors<T extends object>(repo: T): T {
  return mapUnavailableErrors(repo, postgresUnavailableReason);
}
