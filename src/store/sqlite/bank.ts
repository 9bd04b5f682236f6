import type { Db } from '../db.ts';
import type { BankImportRepository, BankRepository, ImportPlan, ImportReport, StoredQuestion, TopicRow } from '../types.ts';
import { planBankImport, type BankWrite } from '../bank-plan.ts';
import { groupTopics, QUESTION_COLUMNS as COLUMNS, questionWhere, searchWords, toStored, type QuestionRow } from '../bank-rows.ts';

/** FTS5 query from free user text: every word must appear (the last may be a prefix); no FTS syntax leaks through. */
function ftsQuery(text: string, joiner: ' AND ' | ' OR '): string | undefined {
  const words = searchWords(text);
  if (words.length === 0) return undefined;
  return words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(joiner);
}

export type SqliteBankRepository = BankRepository & BankImportRepository;

export function createSqliteBankRepository(db: Db): SqliteBankRepository {
  const topicsOf = db.prepare<[string], { topic_id: string }>(
    'SELECT topic_id FROM question_topics WHERE question_id = ? ORDER BY position',
  );
  const topicsOfMany = db.prepare<[string], { question_id: string; topic_id: string }>(
    'SELECT question_id, topic_id FROM question_topics WHERE question_id IN (SELECT value FROM json_each(?)) ORDER BY question_id, position',
  );

  function withTopics(rows: QuestionRow[]): StoredQuestion[] {
    if (rows.length === 0) return [];
    const byId = groupTopics(topicsOfMany.all(JSON.stringify(rows.map((r) => r.id))));
    return rows.map((r) => toStored(r, byId.get(r.id) ?? []));
  }

  function whereFor(filter: Parameters<typeof questionWhere>[0]): { sql: string; params: unknown[] } {
    const params: unknown[] = [];
    const sql = questionWhere(filter, (value) => {
      params.push(value);
      return '?';
    });
    return { sql, params };
  }

  const upsertTopic = db.prepare('INSERT INTO topics (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name');
  const insertTopicIfMissing = db.prepare('INSERT INTO topics (id, name) VALUES (?, ?) ON CONFLICT (id) DO NOTHING');
  const insertQuestion = db.prepare(
    `INSERT INTO questions (id, seq, file, line, prompt, prompt_detail, answer, key_points, norm_key, body_hash, empty_answer, retired_at, created_at, updated_at, parent_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
  );
  const updateQuestion = db.prepare(
    `UPDATE questions SET file = ?, line = ?, prompt = ?, prompt_detail = ?, answer = ?, key_points = ?, norm_key = ?,
       body_hash = ?, empty_answer = ?, retired_at = NULL, updated_at = ?, parent_id = ? WHERE id = ?`,
  );
  const moveQuestion = db.prepare('UPDATE questions SET line = ? WHERE id = ?');
  const retireQuestion = db.prepare('UPDATE questions SET retired_at = ?, updated_at = ? WHERE id = ?');
  const deleteLinks = db.prepare('DELETE FROM question_topics WHERE question_id = ?');
  const insertLink = db.prepare('INSERT INTO question_topics (question_id, topic_id, position) VALUES (?, ?, ?)');
  const insertRun = db.prepare(
    `INSERT INTO import_runs (started_at, finished_at, paths, added, changed, removed, unchanged, empty, skipped, report)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  function run(w: BankWrite): void {
    switch (w.kind) {
      case 'topic':
        upsertTopic.run(w.id, w.name);
        return;
      case 'topic-if-missing':
        insertTopicIfMissing.run(w.id, w.id);
        return;
      case 'insert': {
        const r = w.row;
        insertQuestion.run(
          r.id, r.seq, r.file, r.line, r.prompt, r.promptDetail, r.answer, r.keyPointsJson, r.normKey,
          r.bodyHash, r.emptyAnswer, r.at, r.at, r.parentId,
        );
        return;
      }
      case 'update': {
        const r = w.row;
        updateQuestion.run(
          r.file, r.line, r.prompt, r.promptDetail, r.answer, r.keyPointsJson, r.normKey, r.bodyHash,
          r.emptyAnswer, r.at, r.parentId, r.id,
        );
        return;
      }
      case 'move':
        moveQuestion.run(w.line, w.id);
        return;
      case 'retire':
        retireQuestion.run(w.at, w.at, w.id);
        return;
      case 'link':
        deleteLinks.run(w.id);
        w.topics.forEach((t, i) => insertLink.run(w.id, t, i));
        return;
      case 'run': {
        const r = w.run;
        insertRun.run(r.startedAt, r.finishedAt, r.pathsJson, r.added, r.changed, r.removed, r.unchanged, r.empty, r.skipped, r.reportJson);
        return;
      }
    }
  }

  function applyImport(plan: ImportPlan): ImportReport {
    const questions = db.prepare<[], QuestionRow>(`SELECT ${COLUMNS} FROM questions q`).all();
    const topics = groupTopics(
      db
        .prepare<[], { question_id: string; topic_id: string }>(
          'SELECT question_id, topic_id FROM question_topics ORDER BY question_id, position',
        )
        .all(),
    );
    const { report, writes } = planBankImport({ questions, topics }, plan);
    for (const w of writes) run(w);
    return report;
  }

  // Dry runs read inside a transaction too, so the report reflects one consistent snapshot.
  const applyTx = db.transaction(applyImport);

  return {
    async getQuestion(id) {
      const row = db.prepare<[string], QuestionRow>(`SELECT ${COLUMNS} FROM questions q WHERE q.id = ?`).get(id);
      return row ? toStored(row, topicsOf.all(row.id).map((r) => r.topic_id)) : undefined;
    },

    async listQuestions(filter = {}) {
      const where = whereFor(filter);
      const limit = filter.limit !== undefined ? 'LIMIT ?' : '';
      const params = filter.limit !== undefined ? [...where.params, filter.limit] : where.params;
      const rows = db.prepare(`SELECT ${COLUMNS} FROM questions q ${where.sql} ORDER BY q.file, q.line ${limit}`).all(...params);
      return withTopics(rows as QuestionRow[]);
    },

    async countQuestions(filter = {}) {
      const where = whereFor(filter);
      const row = db.prepare(`SELECT COUNT(*) AS n FROM questions q ${where.sql}`).get(...where.params) as { n: number };
      // LIMIT caps a listing; for a count it means "at most".
      return filter.limit !== undefined ? Math.min(row.n, filter.limit) : row.n;
    },

    async searchQuestions(text, limit = 20) {
      const search = db.prepare<[string, number], QuestionRow>(
        `SELECT ${COLUMNS} FROM questions_fts f JOIN questions q ON q.seq = f.rowid
         WHERE questions_fts MATCH ? AND q.retired_at IS NULL
         ORDER BY bm25(questions_fts, 5.0, 1.0) LIMIT ?`,
      );
      // All words first; if no question has them all, any word, ranked.
      for (const joiner of [' AND ', ' OR '] as const) {
        const query = ftsQuery(text, joiner);
        if (query === undefined) return [];
        const rows = search.all(query, limit);
        if (rows.length > 0) return withTopics(rows);
      }
      return [];
    },

    async listTopics(): Promise<TopicRow[]> {
      // Counts only questions that can be asked on their own, which is what someone choosing a topic cares about.
      return db
        .prepare<[], TopicRow>(
          `SELECT t.id, t.name, COUNT(q.id) AS questionCount
           FROM topics t
           LEFT JOIN question_topics qt ON qt.topic_id = t.id
           LEFT JOIN questions q ON q.id = qt.question_id AND q.retired_at IS NULL AND q.empty_answer = 0 AND q.parent_id IS NULL
           GROUP BY t.id, t.name
           ORDER BY questionCount DESC, t.id`,
        )
        .all();
    },

    async listFollowUps(questionId) {
      const rows = db
        .prepare<[string], QuestionRow>(
          `SELECT ${COLUMNS} FROM questions q WHERE q.parent_id = ? AND q.retired_at IS NULL ORDER BY q.line, q.seq`,
        )
        .all(questionId);
      return withTopics(rows);
    },

    async applyImport(plan) {
      return applyTx(plan);
    },
  };
}
