/**
 * `prepbot migrate` end to end: argument checks everywhere; the copy itself against
 * a real server only under `npm run test:postgres` (PREPBOT_TEST_DATABASE_URL), since
 * the CLI connects with the `pg` driver, which PGlite does not serve.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../../src/cli.ts';
import { sqlitePathOf } from '../../../src/cli/migrate.ts';
import { connectPostgres } from '../../../src/store/postgres/pg.ts';
import { buildTeamHistory } from '../store/migrate-history.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'prepbot-migrate-'));
  dirs.push(dir);
  return dir;
}

async function cli(cwd: string, args: string[], env: Record<string, string> = {}) {
  const io: CliIo & { stdout: string; stderr: string } = {
    stdout: '',
    stderr: '',
    out(text) {
      io.stdout += text;
    },
    err(text) {
      io.stderr += text;
    },
    env,
    cwd,
    now: () => new Date('2025-03-20T10:00:00Z'),
    exitCode: 0,
  };
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** A port on 127.0.0.1 nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** The team history as a SQLite file in `dir`, written through the real bot and stores. */
async function historyFile(dir: string): Promise<string> {
  const h = await buildTeamHistory();
  const file = join(dir, 'prepbot.db');
  writeFileSync(file, h.db.serialize());
  h.db.close();
  return file;
}

describe('prepbot migrate: arguments', () => {
  it('refuses a --from that is not SQLite, naming the form it wants', async () => {
    const r = await cli(scratch(), ['migrate', '--from', 'mysql://db/prepbot', '--to', 'postgres://u:p@127.0.0.1/x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--from must be a SQLite database, as sqlite:PATH \(e\.g\. sqlite:data\/prepbot\.db\); got a mysql: URL/);
  });

  it('reads sqlite:PATH and sqlite://PATH relative to the current folder, sqlite:///PATH as absolute', () => {
    const cwd = join(tmpdir(), 'team');
    expect(sqlitePathOf('sqlite:data/prepbot.db', cwd)).toBe(join(cwd, 'data', 'prepbot.db'));
    expect(sqlitePathOf('sqlite://data/prepbot.db', cwd)).toBe(join(cwd, 'data', 'prepbot.db'));
    expect(sqlitePathOf('data/prepbot.db', cwd)).toBe(join(cwd, 'data', 'prepbot.db'));
    expect(sqlitePathOf('sqlite:///srv/prepbot.db', cwd)).toBe('/srv/prepbot.db');
    expect(sqlitePathOf('sqlite:/srv/prepbot.db', cwd)).toBe('/srv/prepbot.db');
  });

  it('refuses a missing SQLite file without creating one', async () => {
    const dir = scratch();
    const r = await cli(dir, ['migrate', '--from', 'sqlite:data/nope.db', '--to', 'postgres://u:p@127.0.0.1/x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`no SQLite database at ${join(dir, 'data/nope.db')}`);
    expect(r.stderr).toMatch(/relative to the current folder/);
  });

  it('needs a postgres:// target, from --to or DATABASE_URL', async () => {
    const dir = scratch();
    const missing = await cli(dir, ['migrate', '--from', 'sqlite:x.db']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--to postgres:\/\/USER:PASSWORD@HOST:5432\/DATABASE \(or set DATABASE_URL\)/);

    const wrong = await cli(dir, ['migrate', '--from', 'sqlite:x.db', '--to', 'mysql://root:hunter2secret@db/x']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--to must be a postgres:\/\/ URL; got mysql:\/\//);
    expect(wrong.stderr).not.toContain('hunter2secret');

    // DATABASE_URL is the default target: its scheme is checked the same way.
    const fromEnv = await cli(dir, ['migrate', '--from', 'sqlite:x.db'], { DATABASE_URL: 'http://example.invalid/' });
    expect(fromEnv.stderr).toMatch(/--to must be a postgres:\/\/ URL; got http:/);
  });

  it('says the server cannot be reached, with the password scrubbed, and leaves nothing behind', { timeout: 60_000 }, async () => {
    const dir = scratch();
    const file = join(dir, 'empty.db');
    writeFileSync(file, '');
    const port = await closedPort();
    const r = await cli(dir, ['migrate', '--from', `sqlite:${file}`, '--to', `postgres://prepbot:s3cret-pass@127.0.0.1:${port}/prepbot`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot use the PostgreSQL database at postgres://prepbot:***@127.0.0.1:${port}/prepbot`);
    expect(r.stderr).toMatch(/ECONNREFUSED/);
    expect(r.stderr).toMatch(/Check that the server is running/);
    expect(r.stderr + r.stdout).not.toContain('s3cret-pass');
  });
});

const SERVER = process.env.PREPBOT_TEST_DATABASE_URL?.trim();

// Skipped without a server on purpose: the CLI speaks to PostgreSQL through `pg` over TCP, which PGlite
// (the `npm test` leg) cannot serve; the copy itself runs on PGlite in test/unit/store/migrate-to-postgres.test.ts.
describe.skipIf(!SERVER)('prepbot migrate against a real PostgreSQL server', () => {
  it('copies, reports an identical second run, refuses other data and replaces it with --force', { timeout: 180_000 }, async () => {
    const admin = connectPostgres(SERVER!, { max: 1 });
    const name = `prepbot_migrate_${process.pid}_${randomBytes(4).toString('hex')}`;
    await admin.exec(`CREATE DATABASE ${name}`);
    const url = new URL(SERVER!);
    url.pathname = `/${name}`;
    const to = url.toString();
    const password = decodeURIComponent(url.password);
    try {
      const dir = scratch();
      const file = await historyFile(dir);

      const first = await cli(dir, ['migrate', '--from', `sqlite:${file}`, '--to', to]);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/Copied into postgres:\/\/[^:]+:\*\*\*@/);
      expect(first.stdout).toMatch(/the row count of every table was verified/);
      expect(first.stdout).toMatch(/Replaced 1 NUL character\(s\) with U\+FFFD .*: attempts 1/);
      expect(first.stdout).toMatch(/^ {2}attempts: \d+ rows \(1 NUL character\(s\) replaced\)$/m);
      expect(first.stdout).toMatch(/^ {2}people: 3 rows$/m);
      if (password) expect(first.stdout).not.toContain(password);

      const second = await cli(dir, ['migrate', '--from', `sqlite:${file}`, '--to', to, '--json']);
      expect(second.code).toBe(0);
      expect(JSON.parse(second.stdout)).toMatchObject({ outcome: 'unchanged', replaced: false });

      const db = connectPostgres(to, { max: 1 });
      try {
        await db.query("INSERT INTO topics (id, name) VALUES ('extra', 'Extra')");
        const refused = await cli(dir, ['migrate', '--from', `sqlite:${file}`, '--to', to]);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toMatch(/already holds other prepbot data .*nothing was changed.*--force/);

        const forced = await cli(dir, ['migrate', '--from', `sqlite:${file}`, '--to', to, '--force']);
        expect(forced.code).toBe(0);
        expect(forced.stdout).toMatch(/Replaced the data in/);
        expect((await db.query("SELECT COUNT(*)::int AS n FROM topics WHERE id = 'extra'")).rows[0]).toEqual({ n: 0 });
      } finally {
        await db.close();
      }
    } finally {
      await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    }
  });
});
