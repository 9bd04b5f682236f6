/**
 * `npm run bench:leaderboard`: the practice store's read paths on a team-sized database.
 *
 * Generates (in a temporary file, WAL, the real migrations) 100,000 people, each with one
 * account in one of 20 workspaces, 500 channels (25 per workspace) and 5,000,000 answers spread
 * over the last 365 days in chronological order (5 % give-ups, ~1 % still open), plus a streak row
 * per person; 30 % opted in to the global board, 3 % hidden from all boards. Rows are generated
 * inside SQLite in one transaction (a recursive CTE is the fastest "prepared statement" there is);
 * the secondary indexes of attempts and board_counts are dropped for the load and rebuilt from the
 * migrations' own SQL afterwards, and the board counters are built by migration 11's own backfill
 * (all-time SQL, then the store's week/month pass), so what is measured is exactly the shipped schema.
 *
 * Then, through the real repository (`createSqlitePracticeRepository`) and the core's board code,
 * times each query shape: `/leaderboard` for every scope (channel, workspace, global) × period
 * (week, month, all) as the handler runs it (topOfBoard for the top 10 with each row's visible
 * streak, plus the asker's own row), `/streak` (getStreak) and `/stats` (questionStats), each with
 * random channel / workspace / person, and prints p50 / p99 per figure. Goal: p99 < 20 ms.
 * BENCH_EXPLAIN=1 also prints EXPLAIN QUERY PLAN of every board statement the store prepared.
 *
 * Each figure runs BENCH_QUERIES (1000) queries or until BENCH_FIGURE_SECONDS (20) have passed,
 * whichever comes first (a slow shape would otherwise take an hour); the count is printed.
 *
 * Env: BENCH_SCALE (1 = the full size; 0.1 = a tenth of people, channels stay 500, answers a tenth),
 * BENCH_QUERIES, BENCH_FIGURE_SECONDS, BENCH_KEEP_DB=path (keep the generated file there),
 * BENCH_DB=path (reuse a file kept earlier instead of generating; pending migrations still apply).
 *
 * BENCH_STORE=postgres (`npm run bench:leaderboard:postgres`, a throw-away server from
 * scripts/with-postgres.sh): the generated database is also copied into PostgreSQL with `prepbot
 * migrate`'s copy, and every figure runs on both stores in this run; each PostgreSQL line adds its
 * p99 as a ratio of SQLite's (the baseline measured just before it), and the RESULT lines carry both.
 */
import { existsSync, mkdtempSync, rmSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/store/db.ts';
import { createSqlitePracticeRepository } from '../src/store/sqlite/practice.ts';
import type { BoardQuery } from '../src/store/practice-types.ts';
import { BOARD_ALL_TIME_BACKFILL, migration as boardsMigration } from '../src/store/migrations/011-boards.ts';
import { boardPeriod } from '../src/core/leaderboard.ts';
import { readBoard } from '../src/core/board-read.ts';
import type { PersonDayRef } from '../src/core/module.ts';
import { practiceDate } from '../src/time/local-time.ts';
import { percentile, resultLine } from './result.ts';
import { openBenchPostgres } from './postgres-leg.ts';
import type { PracticeRepository } from '../src/store/practice-types.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const PEOPLE = Math.max(100, Math.round(100_000 * SCALE));
const ANSWERS = Math.max(1000, Math.round(5_000_000 * SCALE));
const WORKSPACES = 20;
const CHANNELS = 500;
const QUESTIONS = 300;
const QUERIES = Number(process.env.BENCH_QUERIES ?? 1000);
const FIGURE_SECONDS = Number(process.env.BENCH_FIGURE_SECONDS ?? 20);
const GOAL_MS = 20;
const NOW = new Date('2026-06-30T12:00:00Z');
const DAY = 86_400_000;

const personId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const accountOf = (n: number) => `slack:W${n % WORKSPACES}:U${n}`;
const workspaceKey = (w: number) => `slack:W${w}`;
/** Channel c belongs to workspace c % WORKSPACES. */
const channelId = (c: number) => `slack:W${c % WORKSPACES}:C${c}`;

function generate(path: string): void {
  const db = openDatabase(path);
  const t0 = performance.now();
  const attemptIndexes = db
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'attempts' AND sql IS NOT NULL")
    .all() as { name: string; sql: string }[];
  const boardIndexes = db
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('board_counts', 'streaks') AND sql IS NOT NULL")
    .all() as { name: string; sql: string }[];
  const start = NOW.getTime() - 365 * DAY;
  const load = db.transaction(() => {
    for (const { name } of [...attemptIndexes, ...boardIndexes]) db.exec(`DROP INDEX ${name}`);
    const at = new Date(start).toISOString();
    const q = db.prepare(
      `INSERT INTO questions (id, seq, file, line, prompt, answer, key_points, norm_key, body_hash, created_at, updated_at)
       VALUES (?, ?, 'notes/bench.md', ?, ?, 'answer', '[]', ?, 'h', ?, ?)`,
    );
    for (let i = 0; i < QUESTIONS; i++) q.run(`q${String(i).padStart(11, '0')}`, i + 1, i * 10 + 1, `Question ${i}?`, `question ${i}`, at, at);
    const w = db.prepare("INSERT INTO workspaces (id, platform, timezone, created_at) VALUES (?, 'slack', ?, ?)");
    const zones = ['UTC', 'Europe/Berlin', 'Asia/Kolkata', 'America/New_York', null];
    for (let i = 0; i < WORKSPACES; i++) w.run(workspaceKey(i), zones[i % zones.length], at);
    const p = db.prepare('INSERT INTO people (id, display_name, timezone, created_at, global_board, boards_hidden) VALUES (?, ?, ?, ?, ?, ?)');
    const a = db.prepare("INSERT INTO accounts (id, platform, person_id, display_name, workspace_id, created_at) VALUES (?, 'slack', ?, ?, ?, ?)");
    const s = db.prepare('INSERT INTO streaks (person_id, current, longest, last_day, freezes, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let n = 0; n < PEOPLE; n++) {
      const id = personId(n);
      p.run(id, `Person ${n}`, n % 7 === 0 ? 'Asia/Tokyo' : null, at, n % 10 < 3 ? 1 : 0, n % 100 < 3 ? 1 : 0);
      a.run(accountOf(n), id, `Person ${n}`, workspaceKey(n % WORKSPACES), at);
      // Most streaks are short and many lapsed; a few people keep long ones.
      const current = rand(10) < 3 ? 0 : rand(rand(10) === 0 ? 120 : 12) + 1;
      const lastDay = new Date(NOW.getTime() - rand(6) * DAY).toISOString().slice(0, 10);
      s.run(id, current, current + rand(20), lastDay, rand(3), at);
    }
    // 5M answers in chronological order: person n answers in a channel of their own workspace.
    // Integers are inlined: bound JS numbers arrive as REAL. Each row's "random" fields come from a
    // multiplicative hash of its index, so every column of a row agrees (a CTE's random() is re-evaluated).
    const step = (365 * DAY) / ANSWERS;
    db.exec(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${ANSWERS - 1}),
            r AS (SELECT i, ((i * 2654435761) % 4294967296) AS h FROM n),
            f AS (SELECT i, h % ${PEOPLE} AS person, (h / ${PEOPLE}) % 100 AS roll, (h / 7) % ${QUESTIONS} AS q,
                         (h / 13) % ${CHANNELS / WORKSPACES} AS ch FROM r)
       INSERT INTO attempts (id, person_id, question_id, conversation_id, workspace_id, source, asked_at, answered_at,
                             answer_text, coverage, coverage_json, gave_up, rating, rated_at)
       SELECT i + 1,
              '00000000-0000-4000-8000-' || printf('%012d', person),
              'q' || printf('%011d', q),
              'slack:W' || (person % ${WORKSPACES}) || ':C' || ((ch * ${WORKSPACES}) + (person % ${WORKSPACES})),
              'slack:W' || (person % ${WORKSPACES}),
              CASE WHEN roll < 20 THEN 'daily' ELSE 'ask' END,
              strftime('%Y-%m-%dT%H:%M:%fZ', (${start} + i * ${step}) / 1000.0, 'unixepoch'),
              CASE WHEN roll = 99 THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', (${start} + i * ${step} + 30000) / 1000.0, 'unixepoch') END,
              CASE WHEN roll = 99 OR roll < 5 THEN NULL ELSE 'An answer of about the usual length, typed by a person.' END,
              CASE WHEN roll = 99 OR roll < 5 THEN NULL ELSE (roll % 10) / 10.0 END,
              NULL,
              CASE WHEN roll < 5 THEN 1 ELSE 0 END,
              CASE WHEN roll = 99 OR roll < 5 THEN NULL ELSE 'good' END,
              NULL
         FROM f`,
    );
    for (const { sql } of attemptIndexes) db.exec(sql);
    // Migration 11's backfill over the generated attempts (the migration itself ran on an empty file).
    db.exec('DELETE FROM board_counts; DELETE FROM board_backfill;');
    db.exec(BOARD_ALL_TIME_BACKFILL);
  });
  load();
  const t1 = performance.now();
  createSqlitePracticeRepository(db); // fills the week and month columns (board_backfill has a row)
  const t2 = performance.now();
  for (const { sql } of boardIndexes) db.exec(sql);
  if (!boardsMigration.sql.includes('streaks_board')) throw new Error('migration 11 no longer creates streaks_board: update the bench');
  console.log(`board counters: week/month pass ${((t2 - t1) / 1000).toFixed(1)} s, indexes ${((performance.now() - t2) / 1000).toFixed(1)} s`);
  db.exec('ANALYZE');
  db.close();
  console.log(
    `generated ${PEOPLE} people, ${WORKSPACES} workspaces, ${CHANNELS} channels, ${ANSWERS} answers in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

async function main(): Promise<void> {
  // Fails here, before generating anything, when DATABASE_URL is missing or names a database that is not empty.
  const pg = process.env.BENCH_STORE === 'postgres' ? await openBenchPostgres('bench:leaderboard') : undefined;
  const work = mkdtempSync(join(tmpdir(), 'prepbot-bench-lb-'));
  const reuse = process.env.BENCH_DB && existsSync(process.env.BENCH_DB) ? process.env.BENCH_DB : undefined;
  const path = reuse ?? join(work, 'bench.db');
  try {
    if (reuse) console.log(`reusing ${reuse} (BENCH_DB); BENCH_SCALE must match the run that generated it`);
    else generate(path);
    const db = openDatabase(path);
    const prepared: string[] = [];
    if (process.env.BENCH_EXPLAIN) {
      // Keep the SQL of every statement the store prepares, to print its plan after the run.
      const prepare = db.prepare.bind(db);
      db.prepare = ((sql: string) => {
        prepared.push(sql);
        return prepare(sql);
      }) as typeof db.prepare;
    }
    const sqliteRepo = createSqlitePracticeRepository(db);
    if (pg) await pg.loadFrom(db);
    const results: { name: string; p50: number; p99: number; n: number; rows: number }[] = [];
    const measure = async (store: string, repo: PracticeRepository) => {
      let seed = 11;
      const rand = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % n;
      };
      const BOARD_SIZE = 10;
      const zoneOf = (w: number) => (db.prepare('SELECT timezone FROM workspaces WHERE id = ?').get(workspaceKey(w)) as { timezone: string | null }).timezone ?? 'UTC';
      // The handler's read (src/core/board-read.ts) over the bench's store and each row's own day.
      const board = { practice: repo, dayOf: (r: PersonDayRef, now: Date) => practiceDate(now, r.timezone ?? r.workspaceTimezone ?? 'UTC', r.dayStartHour ?? r.workspaceDayStartHour ?? 0) };
      const figures: { name: string; run: () => Promise<unknown> }[] = [];
      for (const scope of ['channel', 'workspace', 'global'] as const) {
        for (const period of ['week', 'month', 'all'] as const) {
          figures.push({
            name: `leaderboard_${scope}_${period}_p99_ms`,
            // What the /leaderboard handler does: the exact top 10, then the asker's own row.
            run: async () => {
              const c = rand(CHANNELS);
              const w = c % WORKSPACES;
              const current = boardPeriod(period, NOW, scope === 'global' ? 'UTC' : zoneOf(w));
              const query: BoardQuery = {
                scope,
                conversationId: channelId(c),
                workspaceKey: workspaceKey(w),
                period,
                ...(current ? { periodKey: current.key } : {}),
              };
              const { top, entry } = await readBoard(board, query, NOW, BOARD_SIZE);
              const asker = personId(rand(PEOPLE / WORKSPACES) * WORKSPACES + w);
              if (!top.some((r) => r.personId === asker)) await entry(asker);
              return top;
            },
          });
        }
      }
      figures.push({ name: 'streak_p99_ms', run: () => repo.getStreak(personId(rand(PEOPLE))) });
      figures.push({ name: 'stats_p99_ms', run: () => repo.questionStats(personId(rand(PEOPLE))) });

      for (const f of figures) {
        for (let i = 0; i < 3; i++) await f.run(); // warm the statement cache and the page cache
        const samples: number[] = [];
        let rows = 0;
        const deadline = performance.now() + FIGURE_SECONDS * 1000;
        while (samples.length < QUERIES && performance.now() < deadline) {
          const t = performance.now();
          const out = await f.run();
          samples.push(performance.now() - t);
          rows += Array.isArray(out) ? out.length : 1;
        }
        const n = samples.length;
        results.push({ name: store === 'sqlite' ? f.name : f.name.replace(/_p99_ms$/, `_${store}_p99_ms`), p50: percentile(samples, 50), p99: percentile(samples, 99), n, rows: rows / n });
        const base = store === 'sqlite' ? undefined : results.find((r) => r.name === f.name);
        console.log(
          `${`${store} ${f.name.replace(/_p99_ms$/, '')}`.padEnd(37)} p50 ${percentile(samples, 50).toFixed(2).padStart(8)} ms  p99 ${percentile(samples, 99).toFixed(2).padStart(8)} ms  over ${n} queries, ${(rows / n).toFixed(0)} rows each${base ? `, p99 ${(percentile(samples, 99) / base.p99).toFixed(2)}× SQLite's` : ''}`,
        );
      }
    };
    await measure('sqlite', sqliteRepo);
    if (pg) await measure('postgres', pg.practice());
    if (process.env.BENCH_EXPLAIN) {
      for (const sql of new Set(prepared.filter((q) => /board_counts|FROM streaks|questions?_id/.test(q) && /^\s*SELECT/.test(q)))) {
        const binds = Array.from({ length: sql.split('?').length - 1 }, () => 'x');
        const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...binds) as { id: number; parent: number; detail: string }[];
        console.log(`\n${sql.replace(/\s+/g, ' ').trim()}\n${plan.map((r) => `  ${r.parent === 0 ? '' : '  '}${r.detail}`).join('\n')}`);
      }
    }
    db.close();
    await pg?.close();
    if (process.env.BENCH_KEEP_DB && !reuse) renameSync(path, process.env.BENCH_KEEP_DB);
    for (const r of results) console.log(resultLine(r.name, r.p99, GOAL_MS, { strict: true, digits: 2 }));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
