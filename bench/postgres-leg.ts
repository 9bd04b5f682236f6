/**
 * The PostgreSQL leg of a benchmark (BENCH_STORE=postgres): the database DATABASE_URL
 * names, migrated, with the PostgreSQL practice store over it. `npm run bench:…:postgres`
 * runs the bench through scripts/with-postgres.sh, which starts a throw-away server and
 * sets DATABASE_URL.
 */
import type { Db } from '../src/store/db.ts';
import { openPostgres } from '../src/store/postgres/open.ts';
import { createPostgresPracticeRepository } from '../src/store/postgres/practice.ts';
import type { SqlClient } from '../src/store/postgres/sql.ts';
import type { PracticeRepository } from '../src/store/practice-types.ts';
import { copySqliteToPostgres } from '../src/store/to-postgres/copy.ts';
import { scrubDatabaseUrl } from '../src/store/database-url.ts';

export interface BenchPostgres {
  db: SqlClient;
  practice(): PracticeRepository;
  /** Loads a generated SQLite database (the bench's data set) with `prepbot migrate`'s copy, then ANALYZE. */
  loadFrom(source: Db): Promise<void>;
  close(): Promise<void>;
}

function stop(label: string, message: string): never {
  console.error(`${label}: ${message}`);
  process.exit(1);
}

export async function openBenchPostgres(label: string): Promise<BenchPostgres> {
  const url = process.env.DATABASE_URL?.trim();
  if (!url) {
    stop(label, 'BENCH_STORE=postgres needs DATABASE_URL: run the `:postgres` npm script (scripts/with-postgres.sh starts a throw-away server), or set DATABASE_URL to an empty database.');
  }
  let db: SqlClient;
  try {
    db = await openPostgres(url, { max: 20 });
  } catch (err) {
    stop(label, `cannot use ${scrubDatabaseUrl(url)}: ${(err as Error).message}`);
  }
  const held = (await db.query<{ n: number }>('SELECT (SELECT COUNT(*) FROM questions) + (SELECT COUNT(*) FROM people) AS n')).rows[0]!.n;
  if (held > 0) {
    await db.close();
    stop(label, `${scrubDatabaseUrl(url)} already holds prepbot data; the bench writes its own, so give it an empty database (scripts/with-postgres.sh does).`);
  }
  return {
    db,
    practice: () => createPostgresPracticeRepository(db, { defaultTimezone: 'UTC' }),
    async loadFrom(source) {
      const t0 = performance.now();
      const report = await copySqliteToPostgres(source, db, { force: true });
      await db.exec('ANALYZE');
      const rows = report.tables.reduce((n, t) => n + t.rows, 0);
      console.log(`copied ${rows} rows into PostgreSQL in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    },
    close: () => db.close(),
  };
}
