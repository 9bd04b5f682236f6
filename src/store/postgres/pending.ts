/**
 * Placeholder for a PostgreSQL store whose port is in progress on another branch
 * (issue 13): every method rejects with a message naming it. Removed when the
 * last store lands.
 */
export function pendingStore<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get(_target, method) {
      if (typeof method !== 'string' || method === 'then') return undefined;
      return async () => {
        throw new Error(`${what}.${method} is not on PostgreSQL yet`);
      };
    },
  });
}
