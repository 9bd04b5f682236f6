import type { BankImportRepository, BankRepository, QuestionFilter, StoredQuestion, TopicRow } from '../types.ts';
import { planBankImport, type BankWrite } from '../bank-plan.ts';
import { groupTopics, QUESTION_COLUMNS as COLUMNS, questionWhere, searchWords, toStored, type QuestionRow } from '../bank-rows.ts';
import type { SqlClient, SqlQueryable } from './sql.ts';
import { withPostgresUnavailableErrors } from './unavailable.ts';

/**
 * The question bank on PostgreSQL: the same behaviour as src/store/sqlite/bank.ts
 * (the import's rules are shared, src/store/bank-plan.ts), in PostgreSQL's dialect.
 *
 * Dialect notes: text is ordered with COLLATE "C" because SQLite compares bytes while
 * a PostgreSQL database usually sorts by its locale; full-text search is a tsvector
 * (migration 1) instead of FTS5.
 */

/**
 * Held for the whole import transaction. Imports read every stored question, decide,
 * then write: two at once (two bot processes seeding an empty bank, an operator's
 * `prepbot import` during a deploy) would both decide against the same rows and
 * collide on ids and seq. SQLite serialises writers by itself; here the second waits.
 */
const IMPORT_LOCK = 7_260_514_002;

/**
 * ts_rank weights for D, C, B, A: prompt (A) 1.0, answer (B) 0.2, the same 5:1 as the
 * SQLite store's bm25(questions_fts, 5.0, 1.0).
 */
const RANK_WEIGHTS = '{0.1, 0.2, 0.2, 1.0}';

/**
 * A to_tsquery text from free user text: every word must appear (the last may be a
 * prefix). Words are letters, digits and underscores only, so no tsquery operator
 * reaches the query. English stop words ("what", "is") drop out, as they do from the
 * index.
 */
function tsQuery(text: string, operator: ' & ' | ' | '): string | undefined {
  const words = searchWords(text);
  if (words.length === 0) return undefined;
  return words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(operator);
}

function whereFor(filter: QuestionFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const sql = questionWhere(filter, (value) => {
    params.push(value);
    return `$${params.length}`;
  });
  return { sql, params };
}

type InsertWrite = Extract<BankWrite, { kind: 'insert' }>;
type LinkWrite = Extract<BankWrite, { kind: 'link' }>;

/** New questions in one statement, a column an array, however many. */
async function insertQuestions(tx: SqlQueryable, rows: InsertWrite['row'][]): Promise<void> {
  const column = <T>(pick: (r: InsertWrite['row']) => T) => rows.map(pick);
  await tx.query(
    `INSERT INTO questions (id, seq, file, line, prompt, prompt_detail, answer, key_points, norm_key, body_hash, empty_answer, retired_at, created_at, updated_at, parent_id)
     SELECT id, seq, file, line, prompt, prompt_detail, answer, key_points, norm_key, body_hash, empty_answer, NULL, at, at, parent_id
       FROM unnest($1::text[], $2::int[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::int[], $12::text[], $13::text[])
         AS r (id, seq, file, line, prompt, prompt_detail, answer, key_points, norm_key, body_hash, empty_answer, at, parent_id)`,
    [
      column((r) => r.id),
      column((r) => r.seq),
      column((r) => r.file),
      column((r) => r.line),
      column((r) => r.prompt),
      column((r) => r.promptDetail),
      column((r) => r.answer),
      column((r) => r.keyPointsJson),
      column((r) => r.normKey),
      column((r) => r.bodyHash),
      column((r) => r.emptyAnswer),
      column((r) => r.at),
      column((r) => r.parentId),
    ],
  );
}

/** Replaces the topic links of these questions in two statements; positions 0..n-1 in each write's order. */
async function linkTopics(tx: SqlQueryable, links: LinkWrite[]): Promise<void> {
  await tx.query('DELETE FROM question_topics WHERE question_id = ANY($1::text[])', [links.map((l) => l.id)]);
  const pairs = links.flatMap((l) => l.topics.map((topic, position) => ({ id: l.id, topic, position })));
  if (pairs.length === 0) return;
  await tx.query(
    `INSERT INTO question_topics (question_id, topic_id, position)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[])`,
    [pairs.map((p) => p.id), pairs.map((p) => p.topic), pairs.map((p) => p.position)],
  );
}

/**
 * Runs an import plan. A plan adds each new question as an insert then its links; a
 * stretch of those runs as one insert and one link replacement (inserts first, so every
 * link finds its question), so seeding 10,000 questions takes a few statements rather
 * than a round trip per row, which over a network would take minutes.
 */
async function runWrites(tx: SqlQueryable, writes: readonly BankWrite[]): Promise<void> {
  let inserts: InsertWrite['row'][] = [];
  let links = new Map<string, LinkWrite>(); // a plan links a question once; were it twice, the last would win as before
  const flush = async () => {
    if (inserts.length > 0) await insertQuestions(tx, inserts);
    if (links.size > 0) await linkTopics(tx, [...links.values()]);
    inserts = [];
    links = new Map();
  };
  for (const w of writes) {
    if (w.kind === 'insert') inserts.push(w.row);
    else if (w.kind === 'link') links.set(w.id, w);
    else {
      await flush();
      await runWrite(tx, w);
    }
  }
  await flush();
}

async function runWrite(tx: SqlQueryable, w: Exclude<BankWrite, InsertWrite | LinkWrite>): Promise<void> {
  switch (w.kind) {
    case 'topic':
      await tx.query('INSERT INTO topics (id, name) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET name = excluded.name', [w.id, w.name]);
      return;
    case 'topic-if-missing':
      await tx.query('INSERT INTO topics (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING', [w.id]);
      return;
    case 'update': {
      const r = w.row;
      await tx.query(
        `UPDATE questions SET file = $1, line = $2, prompt = $3, prompt_detail = $4, answer = $5, key_points = $6, norm_key = $7,
           body_hash = $8, empty_answer = $9, retired_at = NULL, updated_at = $10, parent_id = $11 WHERE id = $12`,
        [r.file, r.line, r.prompt, r.promptDetail, r.answer, r.keyPointsJson, r.normKey, r.bodyHash, r.emptyAnswer, r.at, r.parentId, r.id],
      );
      return;
    }
    case 'move':
      await tx.query('UPDATE questions SET line = $1 WHERE id = $2', [w.line, w.id]);
      return;
    case 'retire':
      await tx.query('UPDATE questions SET retired_at = $1, updated_at = $1 WHERE id = $2', [w.at, w.id]);
      return;
    case 'run': {
      const r = w.run;
      await tx.query(
        `INSERT INTO import_runs (started_at, finished_at, paths, added, changed, removed, unchanged, empty, skipped, report)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [r.startedAt, r.finishedAt, r.pathsJson, r.added, r.changed, r.removed, r.unchanged, r.empty, r.skipped, r.reportJson],
      );
      return;
    }
  }
}

export type PostgresBankStore = BankRepository & BankImportRepository;

/** The bank over `db`, which must be migrated (migratePostgres, or openPostgres which does it). */
export function createPostgresBankStore(db: SqlClient): PostgresBankStore {
  async function withTopics(rows: QuestionRow[]): Promise<StoredQuestion[]> {
    if (rows.length === 0) return [];
    const links = await db.query<{ question_id: string; topic_id: string }>(
      'SELECT question_id, topic_id FROM question_topics WHERE question_id = ANY(CAST($1 AS TEXT[])) ORDER BY question_id, position',
      [rows.map((r) => r.id)],
    );
    const byId = groupTopics(links.rows);
    return rows.map((r) => toStored(r, byId.get(r.id) ?? []));
  }

  const store: PostgresBankStore = {
    async getQuestion(id) {
      const { rows } = await db.query<QuestionRow>(`SELECT ${COLUMNS} FROM questions q WHERE q.id = $1`, [id]);
      const row = rows[0];
      if (!row) return undefined;
      const links = await db.query<{ topic_id: string }>('SELECT topic_id FROM question_topics WHERE question_id = $1 ORDER BY position', [id]);
      return toStored(row, links.rows.map((r) => r.topic_id));
    },

    async listQuestions(filter = {}) {
      const where = whereFor(filter);
      const params = filter.limit !== undefined ? [...where.params, filter.limit] : where.params;
      const limit = filter.limit !== undefined ? `LIMIT $${params.length}` : '';
      const { rows } = await db.query<QuestionRow>(
        `SELECT ${COLUMNS} FROM questions q ${where.sql} ORDER BY q.file COLLATE "C", q.line ${limit}`,
        params,
      );
      return withTopics(rows);
    },

    async countQuestions(filter = {}) {
      const where = whereFor(filter);
      const { rows } = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM questions q ${where.sql}`, where.params);
      const n = rows[0]?.n ?? 0;
      // LIMIT caps a listing; for a count it means "at most".
      return filter.limit !== undefined ? Math.min(n, filter.limit) : n;
    },

    async searchQuestions(text, limit = 20) {
      // All words first; if no question has them all, any word, ranked.
      for (const operator of [' & ', ' | '] as const) {
        const query = tsQuery(text, operator);
        if (query === undefined) return [];
        const { rows } = await db.query<QuestionRow>(
          `SELECT ${COLUMNS} FROM questions q, to_tsquery('english', $1) query
           WHERE q.search @@ query AND q.retired_at IS NULL
           ORDER BY ts_rank('${RANK_WEIGHTS}', q.search, query) DESC, q.seq
           LIMIT $2`,
          [query, limit],
        );
        if (rows.length > 0) return withTopics(rows);
      }
      return [];
    },

    async listTopics(): Promise<TopicRow[]> {
      // Counts only questions that can be asked on their own, which is what someone choosing a topic cares about.
      const { rows } = await db.query<TopicRow>(
        `SELECT t.id, t.name, COUNT(q.id) AS "questionCount"
         FROM topics t
         LEFT JOIN question_topics qt ON qt.topic_id = t.id
         LEFT JOIN questions q ON q.id = qt.question_id AND q.retired_at IS NULL AND q.empty_answer = 0 AND q.parent_id IS NULL
         GROUP BY t.id, t.name
         ORDER BY "questionCount" DESC, t.id COLLATE "C"`,
      );
      return rows;
    },

    async listFollowUps(questionId) {
      const { rows } = await db.query<QuestionRow>(
        `SELECT ${COLUMNS} FROM questions q WHERE q.parent_id = $1 AND q.retired_at IS NULL ORDER BY q.line, q.seq`,
        [questionId],
      );
      return withTopics(rows);
    },

    async applyImport(plan) {
      // Dry runs too: the report is then computed from a state no other import is changing.
      return db.transaction(async (tx) => {
        await tx.query(`SELECT pg_advisory_xact_lock(${IMPORT_LOCK})`);
        const questions = (await tx.query<QuestionRow>(`SELECT ${COLUMNS} FROM questions q`)).rows;
        const topics = groupTopics(
          (
            await tx.query<{ question_id: string; topic_id: string }>(
              'SELECT question_id, topic_id FROM question_topics ORDER BY question_id, position',
            )
          ).rows,
        );
        const { report, writes } = planBankImport({ questions, topics }, plan);
        await runWrites(tx, writes);
        return report;
      });
    },
  };
  return withPostgresUnavailableErrors(store);
}
