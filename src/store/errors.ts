/**
 * The store could not read or write for a reason outside the bot's control: another process holds
 * the lock, the file is read-only, the disk is full, an I/O error. Stores throw this (never their
 * driver's own error type), so the core can tell the person "could not save, try again" without
 * knowing which database is behind the port. The operation's transaction was rolled back.
 */
export class StoreUnavailableError extends Error {
  constructor(
    readonly reason: 'busy' | 'read-only' | 'full' | 'io',
    readonly code: string,
  ) {
    super(`the database is unavailable (${reason}, ${code})`);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * Every method of `repo`, with the errors `reasonOf` recognises as "not now" turned into
 * StoreUnavailableError (each store knows its own driver's codes).
 */
export function mapUnavailableErrors<T extends object>(
  repo: T,
  reasonOf: (err: unknown) => { reason: StoreUnavailableError['reason']; code: string } | undefined,
): T {
  const out = {} as T;
  for (const [name, fn] of Object.entries(repo)) {
    if (typeof fn !== 'function') {
      (out as Record<string, unknown>)[name] = fn;
      continue;
    }
    (out as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      try {
        return await (fn as (...a: unknown[]) => unknown).apply(repo, args);
      } catch (err) {
        const unavailable = reasonOf(err);
        if (unavailable) throw new StoreUnavailableError(unavailable.reason, unavailable.code);
        throw err;
      }
    };
  }
  return out;
}
