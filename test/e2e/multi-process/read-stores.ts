import { openStores, type Stores } from '../../../src/store/open-stores.ts';

/** The repositories on the bot processes' database (their env), as a third process sees them: for assertions. */
export function readStores(env: Record<string, string>): Promise<Stores> {
  return openStores({
    dbPath: env.PREPBOT_DB ?? ':memory:',
    database: env.DATABASE_URL ? { url: env.DATABASE_URL, poolMax: 2 } : undefined,
    defaultTimezone: 'UTC',
  });
}
