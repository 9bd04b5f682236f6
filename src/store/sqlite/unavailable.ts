import { mapUnavailableErrors, type StoreUnavailableError } from '../errors.ts';

/** SQLite result codes (primary and extended) that mean "not now", mapped to a reason. */
export function unavailableReason(code: unknown): StoreUnavailableError['reason'] | undefined {
  if (typeof code !== 'string') return undefined;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (code.startsWith('SQLITE_READONLY')) return 'read-only';
  if (code === 'SQLITE_FULL') return 'full';
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) return 'io';
  return undefined;
}

/** Every method of `repo`, with SQLite's "not now" errors turned into StoreUnavailableError. */
export function withUnavailableErrors<T extends object>(repo: T): T {
  return mapUnavailableErrors(repo, (err) => {
    const code = (err as { code?: unknown } | null)?.code;
    const reason = unavailableReason(code);
    return reason ? { reason, code: String(code) } : undefined;
  });
}
