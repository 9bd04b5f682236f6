/**
 * How far prepbot is on PostgreSQL (issue 13). DATABASE_URL switches every
 * repository at once or none: a bot whose bank is on PostgreSQL while its answers
 * stay in SQLite would split one person's data across two databases. So until
 * `notYetOnPostgres` is empty, the bot and the CLI refuse DATABASE_URL with
 * `postgresNotReady()`; move a repository between the lists when its PostgreSQL
 * store passes the shared repository suite (docs/postgres.md).
 */
export const onPostgres: readonly string[] = ['the question bank (questions, topics, imports)', 'schedules (daily posts)'];

export const notYetOnPostgres: readonly string[] = [
  'practice (people, accounts, answers, reviews, streaks, link codes)',
  'interviews',
];

/** Why DATABASE_URL cannot be used yet, or undefined once every repository is on PostgreSQL. */
export function postgresNotReady(): string | undefined {
  if (notYetOnPostgres.length === 0) return undefined;
  return (
    `DATABASE_URL is set, but prepbot cannot run on PostgreSQL yet: ${notYetOnPostgres.join('; ')} ` +
    `${notYetOnPostgres.length === 1 ? 'is' : 'are'} still SQLite-only (ready: ${onPostgres.join('; ')}). ` +
    'Unset DATABASE_URL to keep using SQLite (PREPBOT_DB); docs/postgres.md tracks what remains.'
  );
}
