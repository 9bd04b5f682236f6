import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { openDatabase, type Db } from '../store/db.ts';
import { MigrationError } from '../store/postgres/migrate.ts';
import { openPostgres } from '../store/postgres/open.ts';
import type { SqlClient } from '../store/postgres/sql.ts';
import { copySqliteToPostgres, MigrationRefused, type CopyReport } from '../store/to-postgres/copy.ts';
import { scrubDatabaseUrl, scrubPassword } from '../store/database-url.ts';
import { json, locations, UserError, type CliIo } from './context.ts';

interface MigrateFlags {
  from?: string;
  to?: string;
  force?: boolean;
  json?: boolean;
}

/**
 * `sqlite:data/prepbot.db`, `sqlite://data/prepbot.db` or a bare path → the file, relative to the
 * current folder; `sqlite:///srv/prepbot.db` (or `sqlite:/srv/prepbot.db`) → an absolute path.
 */
export function sqlitePathOf(from: string, cwd: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(from);
  // A Windows drive letter ("C:\…") is a path, not a scheme.
  if (scheme && scheme[1]!.length > 1 && scheme[1]!.toLowerCase() !== 'sqlite') {
    throw new UserError(
      `--from must be a SQLite database, as sqlite:PATH (e.g. sqlite:data/prepbot.db); got a ${scheme[1]}: URL. ` +
        'prepbot migrates from SQLite to PostgreSQL only.',
      2,
    );
  }
  const path = scheme && scheme[1]!.toLowerCase() === 'sqlite' ? from.slice(scheme[0].length).replace(/^\/\//, '') : from;
  if (!path.trim()) throw new UserError('--from needs a file after sqlite: (e.g. sqlite:data/prepbot.db)', 2);
  return resolve(cwd, path);
}

function checkTarget(to: string | undefined): string {
  if (!to?.trim()) {
    throw new UserError('say where to copy to: --to postgres://USER:PASSWORD@HOST:5432/DATABASE (or set DATABASE_URL)', 2);
  }
  let url: URL;
  try {
    url = new URL(to.trim());
  } catch {
    throw new UserError(`--to is not a URL (${scrubDatabaseUrl(to)}); write it as postgres://USER:PASSWORD@HOST:5432/DATABASE`, 2);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new UserError(`--to must be a postgres:// URL; got ${url.protocol}// (${scrubDatabaseUrl(to)})`, 2);
  }
  return to.trim();
}

function openSource(file: string, shown: string): Db {
  if (!existsSync(file)) {
    throw new UserError(`no SQLite database at ${file} (from --from ${shown}); check the path, which is relative to the current folder`);
  }
  if (!statSync(file).isFile()) throw new UserError(`${file} is not a file; --from takes the SQLite database file (e.g. sqlite:data/prepbot.db)`);
  try {
    // The same open as every prepbot start: a file from an older prepbot gets its pending migrations, so both schemas match.
    return openDatabase(file);
  } catch (err) {
    throw new UserError(`cannot open ${file} as a prepbot SQLite database: ${(err as Error).message}; check --from`);
  }
}

async function openTarget(url: string): Promise<SqlClient> {
  try {
    return await openPostgres(url, { max: 2 });
  } catch (err) {
    if (err instanceof MigrationError) throw new UserError(err.message);
    const e = err as NodeJS.ErrnoException;
    const reason = scrubPassword(e.message || e.code || String(err), url);
    throw new UserError(
      `cannot use the PostgreSQL database at ${scrubDatabaseUrl(url)}: ${reason}. ` +
        'Check that the server is running and reachable, and the host, port, user, password and database name in --to. Nothing was changed.',
    );
  }
}

function printReport(io: CliIo, report: CopyReport, from: string, to: string): void {
  if (report.outcome === 'unchanged') {
    io.out(`${to} already holds exactly the data of ${from}; nothing was changed.\n`);
    return;
  }
  const rows = report.tables.reduce((n, t) => n + t.rows, 0);
  io.out(
    `${report.replaced ? 'Replaced the data in' : 'Copied into'} ${to}: ${report.tables.length} tables, ${rows} rows; ` +
      'the row count of every table was verified before committing.\n',
  );
  if (report.nulsReplaced > 0) {
    const where = report.tables.filter((t) => t.nulsReplaced > 0).map((t) => `${t.name} ${t.nulsReplaced}`);
    io.out(`Replaced ${report.nulsReplaced} NUL character(s) with U+FFFD (PostgreSQL text cannot hold NUL): ${where.join(', ')}.\n`);
  }
  if (report.skipped.length > 0) {
    io.out(`Not copied: ${report.skipped.map((s) => s.name).join(', ')} (SQLite's full-text index; PostgreSQL keeps its own, computed from the questions).\n`);
  }
  io.out('Point the bot at it with DATABASE_URL (see docs/postgres.md).\n');
}

/**
 * `prepbot migrate --from sqlite:PATH --to postgres://…`: moves a team's whole
 * history into PostgreSQL (src/store/to-postgres/copy.ts does the work). Prints the
 * target only with its password scrubbed.
 */
export function registerMigrate(program: Command, io: CliIo): void {
  program
    .command('migrate')
    .description('Copy the whole SQLite database (bank, people, answers, reviews, streaks, schedules, interviews…) into PostgreSQL')
    .option('--from <sqlite:path>', 'the SQLite database (default: sqlite: + --db, $PREPBOT_DB or data/prepbot.db)')
    .option('--to <url>', 'the PostgreSQL database, postgres://USER:PASSWORD@HOST:5432/DATABASE (default: $DATABASE_URL)')
    .option('--force', 'replace the data of a target that already holds other prepbot data')
    .option('--json', 'print the report as JSON')
    .action(async (flags: MigrateFlags, command: Command) => {
      const from = flags.from?.trim() || `sqlite:${locations(command, io).db}`;
      const file = sqlitePathOf(from, io.cwd);
      const url = checkTarget(flags.to ?? io.env.DATABASE_URL);
      const shownTo = scrubDatabaseUrl(url);

      const source = openSource(file, from);
      let target: SqlClient | undefined;
      try {
        target = await openTarget(url);
        if (!flags.json) io.out(`Migrating sqlite:${file} → ${shownTo}\n`);
        const report = await copySqliteToPostgres(source, target, {
          force: flags.force === true,
          progress: flags.json ? undefined : (line) => io.out(`  ${line}\n`),
        });
        if (flags.json) json(io, { from: `sqlite:${file}`, to: shownTo, ...report });
        else printReport(io, report, `sqlite:${file}`, shownTo);
      } catch (err) {
        if (err instanceof MigrationRefused) throw new UserError(err.message);
        if (err instanceof UserError) throw err;
        throw new UserError(`the migration failed and was rolled back, nothing was changed: ${scrubPassword((err as Error).message, url)}`);
      } finally {
        source.close();
        await target?.close();
      }
    });
}
