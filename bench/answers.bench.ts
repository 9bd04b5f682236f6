/**
 * `npm run bench:answers`: answer throughput through the practice repository, N people
 * answering at once, each answer the three store calls the bot makes: startAttempt (the
 * question is shown), recordAnswer (answer + activity day + streak + board counters, one
 * transaction) and rate (rating + FSRS card, one transaction), with the core's real
 * streak step (applyActivity) and FSRS step (nextCard).
 *
 * Baseline, measured in the same run on the same database and driver: "bare", the same
 * three round trips as single-row statements with no transaction, no streak, no review,
 * no board (INSERT the attempt, UPDATE it with the answer, UPDATE it with the rating).
 * Printed: answers/s of each and the ratio bare/prepbot (how many times slower prepbot's
 * answer is than the bare writes it cannot avoid). Goal: ratio ≤ 10 on each store.
 *
 * `npm run bench:answers:postgres` (scripts/with-postgres.sh starts a throw-away server)
 * runs the same workload on PostgreSQL too (BENCH_STORE=postgres, DATABASE_URL), each leg
 * against its own bare baseline, and prints PostgreSQL's throughput as a ratio of SQLite's
 * from the same run. Not a test: no assertions.
 *
 * Env: BENCH_PEOPLE (50 answering at once), BENCH_ANSWERS_EACH (40), BENCH_ROUNDS (3, prepbot
 * and bare alternating; the median is reported).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nextCard, parseCard } from '../src/core/review.ts';
import { applyActivity } from '../src/core/streaks.ts';
import { openDatabase, type Db } from '../src/store/db.ts';
import type { PracticeRepository } from '../src/store/practice-types.ts';
import { createSqlitePracticeRepository } from '../src/store/sqlite/practice.ts';
import { practiceDate } from '../src/time/local-time.ts';
import { openBenchPostgres, type BenchPostgres } from './postgres-leg.ts';
import { resultLine } from './result.ts';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 50);
const EACH = Number(process.env.BENCH_ANSWERS_EACH ?? 40);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const QUESTIONS = 200;
/** Ours (issue 13 set no figure): three transactions with streak, review and board counters within ten times three bare single-row writes. */
const GOAL_RATIO = 10;
const START = new Date('2026-06-01T09:00:00Z').getTime();

/** The driver-neutral part of a leg: its repository and the bare statements, in its SQL dialect. */
interface Leg {
  name: 'sqlite' | 'postgres';
  repo: PracticeRepository;
  /** Bare: one autocommitted statement per call. */
  bareInsert(n: number, personId: string, questionId: string, at: string): Promise<void>;
  bareAnswer(n: number, at: string): Promise<void>;
  bareRate(n: number, at: string): Promise<void>;
  close(): Promise<void>;
}

const questionId = (i: number) => `q${String(i).padStart(11, '0')}`;
const QUESTION_COLUMNS = 'id, seq, file, line, prompt, answer, key_points, norm_key, body_hash, created_at, updated_at';
const questionRow = (i: number) => [questionId(i), i + 1, 'notes/bench.md', i * 10 + 1, `Question ${i}?`, 'answer', '[]', `question ${i}`, 'h', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'];
/** The bare baseline's own table, as wide as the columns an answer writes. */
const BARE_TABLE = `CREATE TABLE bench_bare (id INTEGER PRIMARY KEY, person_id TEXT NOT NULL, question_id TEXT NOT NULL, asked_at TEXT NOT NULL,
  answered_at TEXT, answer_text TEXT, coverage DOUBLE PRECISION, rating TEXT, rated_at TEXT)`;

function sqliteLeg(db: Db): Leg {
  const q = db.prepare(`INSERT INTO questions (${QUESTION_COLUMNS}) VALUES (${QUESTION_COLUMNS.split(',').map(() => '?').join(', ')})`);
  db.transaction(() => {
    for (let i = 0; i < QUESTIONS; i++) q.run(...questionRow(i));
  })();
  db.exec(BARE_TABLE);
  const insert = db.prepare('INSERT INTO bench_bare (id, person_id, question_id, asked_at) VALUES (?, ?, ?, ?)');
  const answer = db.prepare("UPDATE bench_bare SET answered_at = ?, answer_text = 'An answer of about the usual length.', coverage = 0.5 WHERE id = ?");
  const rate = db.prepare("UPDATE bench_bare SET rating = 'good', rated_at = ? WHERE id = ?");
  return {
    name: 'sqlite',
    repo: createSqlitePracticeRepository(db, { defaultTimezone: 'UTC' }),
    bareInsert: async (n, p, qid, at) => void insert.run(n, p, qid, at),
    bareAnswer: async (n, at) => void answer.run(at, n),
    bareRate: async (n, at) => void rate.run(at, n),
    close: async () => void db.close(),
  };
}

async function postgresLeg(pg: BenchPostgres): Promise<Leg> {
  const { db } = pg;
  const cols = QUESTION_COLUMNS.split(',').length;
  const rows = Array.from({ length: QUESTIONS }, (_, i) => questionRow(i));
  await db.query(
    `INSERT INTO questions (${QUESTION_COLUMNS}) VALUES ${rows.map((_, r) => `(${Array.from({ length: cols }, (_, c) => `$${r * cols + c + 1}`).join(', ')})`).join(', ')}`,
    rows.flat(),
  );
  await db.exec(BARE_TABLE);
  return {
    name: 'postgres',
    repo: pg.practice(),
    bareInsert: async (n, p, qid, at) => void (await db.query('INSERT INTO bench_bare (id, person_id, question_id, asked_at) VALUES ($1, $2, $3, $4)', [n, p, qid, at])),
    bareAnswer: async (n, at) =>
      void (await db.query("UPDATE bench_bare SET answered_at = $1, answer_text = 'An answer of about the usual length.', coverage = 0.5 WHERE id = $2", [at, n])),
    bareRate: async (n, at) => void (await db.query("UPDATE bench_bare SET rating = 'good', rated_at = $1 WHERE id = $2", [at, n])),
    close: () => pg.close(),
  };
}

/** Each person answers EACH questions one after another; all people at once. Returns answers per second. */
async function runPrepbot(leg: Leg, round: number): Promise<number> {
  const people = await Promise.all(
    Array.from({ length: PEOPLE }, (_, p) =>
      leg.repo.ensureAccount(
        { accountId: `slack:W1:R${round}P${p}`, platform: 'slack', displayName: `Person ${p}`, workspaceKey: 'slack:W1' },
        new Date(START),
      ),
    ),
  );
  const t0 = performance.now();
  await Promise.all(
    people.map(async (person, p) => {
      for (let k = 0; k < EACH; k++) {
        // One answer an hour apart: some answers start a new streak day, most do not.
        const now = new Date(START + (round * EACH + k) * 3_600_000);
        const attempt = await leg.repo.startAttempt({
          personId: person.personId,
          questionId: questionId((p * 7 + k) % QUESTIONS),
          conversationId: 'slack:W1:C1',
          workspaceKey: 'slack:W1',
          source: 'ask',
          now,
        });
        const answered = await leg.repo.recordAnswer({
          attemptId: attempt.id,
          personId: person.personId,
          text: 'An answer of about the usual length.',
          coverage: 0.5,
          coverageJson: '[]',
          now,
          localDate: practiceDate(now, 'UTC', 0),
          applyActivity,
        });
        if (!answered.ok) throw new Error(`recordAnswer refused: ${answered.reason}`);
        const rated = await leg.repo.rate({
          attemptId: attempt.id,
          personId: person.personId,
          rating: 'good',
          now,
          schedule: (previous) => {
            const card = nextCard(previous === undefined ? undefined : parseCard(previous), 'good', now);
            return { card, due: card.due };
          },
        });
        if (!rated.ok) throw new Error(`rate refused: ${rated.reason}`);
      }
    }),
  );
  return (PEOPLE * EACH) / ((performance.now() - t0) / 1000);
}

async function runBare(leg: Leg, round: number): Promise<number> {
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: PEOPLE }, async (_, p) => {
      for (let k = 0; k < EACH; k++) {
        const n = (round * PEOPLE + p) * EACH + k + 1;
        const at = new Date(START + (round * EACH + k) * 3_600_000).toISOString();
        await leg.bareInsert(n, `R${round}P${p}`, questionId((p * 7 + k) % QUESTIONS), at);
        await leg.bareAnswer(n, at);
        await leg.bareRate(n, at);
      }
    }),
  );
  return (PEOPLE * EACH) / ((performance.now() - t0) / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(leg: Leg): Promise<{ prepbot: number; bare: number }> {
  const prepbot: number[] = [];
  const bare: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    prepbot.push(await runPrepbot(leg, round));
    bare.push(await runBare(leg, round));
    console.log(
      `${leg.name} round ${round + 1}: prepbot ${prepbot[round]!.toFixed(0)} answers/s, bare ${bare[round]!.toFixed(0)} answers/s, ratio ${(bare[round]! / prepbot[round]!).toFixed(2)}`,
    );
  }
  return { prepbot: median(prepbot), bare: median(bare) };
}

async function main(): Promise<void> {
  const onPostgres = process.env.BENCH_STORE === 'postgres';
  // Fails here, before any work, when DATABASE_URL is missing or names a database that is not empty.
  const pg = onPostgres ? await openBenchPostgres('bench:answers') : undefined;
  console.log(`${PEOPLE} people answering at once, ${EACH} answers each, ${ROUNDS} rounds`);
  const work = mkdtempSync(join(tmpdir(), 'prepbot-bench-answers-'));
  try {
    const sqlite = await measure(sqliteLeg(openDatabase(join(work, 'bench.db'))));
    const lines = [resultLine('answers_sqlite_bare_over_prepbot_ratio', sqlite.bare / sqlite.prepbot, GOAL_RATIO, { digits: 2 })];
    console.log(`sqlite: prepbot ${sqlite.prepbot.toFixed(0)} answers/s (median), bare ${sqlite.bare.toFixed(0)} answers/s`);
    if (pg) {
      const leg = await postgresLeg(pg);
      try {
        const postgres = await measure(leg);
        console.log(`postgres: prepbot ${postgres.prepbot.toFixed(0)} answers/s (median), bare ${postgres.bare.toFixed(0)} answers/s`);
        lines.push(resultLine('answers_postgres_bare_over_prepbot_ratio', postgres.bare / postgres.prepbot, GOAL_RATIO, { digits: 2 }));
        // How many times SQLite's throughput PostgreSQL's is below (1 = as fast); informational, the goal is the leg's own ratio.
        lines.push(resultLine('answers_sqlite_over_postgres_ratio', sqlite.prepbot / postgres.prepbot, 10, { digits: 2 }));
      } finally {
        await leg.close();
      }
    }
    for (const line of lines) console.log(line);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
