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
