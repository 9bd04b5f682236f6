import { z } from 'zod';
import type { Db } from '../db.ts';
import type {
  BankImportRepository,
  BankRepository,
  ImportItem,
  ImportPlan,
  ImportQuestion,
  ImportReport,
  QuestionFilter,
  StoredQuestion,
  TopicRow,
} from '../types.ts';
import { questionId } from '../../bank/ids.ts';

interface QuestionRow {
  id: string;
  seq: number;
  file: string;
  line: number;
  prompt: string;
  prompt_detail: string;
  answer: string;
  key_points: string;
  norm_key: string;
  body_hash: string;
  empty_answer: number;
  retired_at: string | null;
  parent_id: string | null;
}

const keyPointsSchema = z.array(z.string());

// Stored JSON is an edge too: a hand-edited or corrupted row degrades to no key points instead of crashing a reader.
function parseKeyPoints(json: string): string[] {
  try {
    const parsed = keyPointsSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

function toStored(row: QuestionRow, topics: string[]): StoredQuestion {
  return {
    id: row.id,
    file: row.file,
    line: row.line,
    prompt: row.prompt,
    promptDetail: row.prompt_detail,
    answer: row.answer,
    keyPoints: parseKeyPoints(row.key_points),
    topics,
    emptyAnswer: row.empty_answer === 1,
    retired: row.retired_at !== null,
    parentId: row.parent_id,
  };
}

const COLUMNS =
  'q.id, q.seq, q.file, q.line, q.prompt, q.prompt_detail, q.answer, q.key_points, q.norm_key, q.body_hash, q.empty_answer, q.retired_at, q.parent_id';

/** FTS5 query from free user text: every word must appear (the last may be a prefix); no FTS syntax leaks through. */
function ftsQuery(text: string, joiner: ' AND ' | ' OR '): string | undefined {
  const words = text.match(/[\p{L}\p{N}_]+/gu);
  if (!words || words.length === 0) return undefined;
  return words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(joiner);
}

/** The prompt part of a stored identity: before the stem hash (U+001E), after a follow-up's parent id (U+001F). */
function baseKey(identity: string): string {
  const own = identity.slice(identity.lastIndexOf('\u001f') + 1);
  const cut = own.indexOf('\u001e');
  return cut < 0 ? own : own.slice(0, cut);
}

/**
 * A question's words with the markup that only wraps them dropped: HTML tags, the
 * `<summary>` label, "Answer"/"Solution" labels, punctuation. Two texts equal here
 * say the same thing, however the parser split them into stem and answer.
 */
function looseText(text: string): string {
  return text
    .replace(/<summary\b[\s\S]*?<\/summary\s*>/gi, ' ')
    .replace(/<\/?[A-Za-z][^<>]*>/g, ' ')
    .toLowerCase()
    .replace(/\b(?:answers?|solutions?)\b/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
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
    const byId = new Map<string, string[]>();
    for (const link of topicsOfMany.all(JSON.stringify(rows.map((r) => r.id)))) {
      const list = byId.get(link.question_id) ?? [];
      list.push(link.topic_id);
      byId.set(link.question_id, list);
    }
    return rows.map((r) => toStored(r, byId.get(r.id) ?? []));
  }

  function whereFor(filter: QuestionFilter): { sql: string; params: unknown[] } {
    const clauses: string[] = [];
    const params: unknown[] = [];
    // A follow-up only makes sense after its question, so nothing that serves questions alone gets one.
    if (filter.servable) clauses.push('q.retired_at IS NULL AND q.empty_answer = 0 AND q.parent_id IS NULL');
    else if (filter.unanswered) clauses.push('q.retired_at IS NULL AND q.empty_answer = 1 AND q.parent_id IS NULL');
    else if (!filter.includeRetired) clauses.push('q.retired_at IS NULL');
    if (filter.topic !== undefined) {
      clauses.push('EXISTS (SELECT 1 FROM question_topics qt WHERE qt.question_id = q.id AND qt.topic_id = ?)');
      params.push(filter.topic);
    }
    return { sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
  }

  function planImport(plan: ImportPlan): ImportReport {
    const nowIso = plan.now.toISOString();
    const existing = db.prepare<[], QuestionRow>(`SELECT ${COLUMNS} FROM questions q`).all();
    const existingTopics = new Map<string, string[]>();
    for (const link of db
      .prepare<[], { question_id: string; topic_id: string }>(
        'SELECT question_id, topic_id FROM question_topics ORDER BY question_id, position',
      )
      .all()) {
      const list = existingTopics.get(link.question_id) ?? [];
      list.push(link.topic_id);
      existingTopics.set(link.question_id, list);
    }
    const usedIds = new Set(existing.map((r) => r.id));
    let nextSeq = existing.reduce((max, r) => Math.max(max, r.seq), 0) + 1;

    const key = (file: string, s: string) => `${file}\u0000${s}`;
    // The import dedupes already; a plan from elsewhere with a repeated (file, question) must not abort the run.
    // A follow-up is identified under its parent, so the same text may be a question and a follow-up.
    const warnings = [...plan.warnings];
    const seen = new Map<string, ImportQuestion>();
    const incoming: ImportQuestion[] = [];
    const parentOf = new Map<ImportQuestion, ImportQuestion>();
    const depthOf = new Map<ImportQuestion, number>();
    const kept = new Map<number, ImportQuestion>();
    const token = new Map<ImportQuestion, number>();
    plan.questions.forEach((q, index) => {
      let parent: ImportQuestion | undefined;
      if (q.parentIndex !== undefined && q.parentIndex !== null) {
        parent = q.parentIndex < index ? kept.get(q.parentIndex) : undefined;
        if (!parent || parent.file !== q.file) {
          warnings.push({
            file: q.file,
            line: q.line,
            message: 'follow-up whose question was not imported (or is in another file); left out. Import it with its question.',
          });
          return;
        }
      }
      const dedupe = key(q.file, `${parent ? token.get(parent) : ''}\u0000${q.normKey}`);
      const first = seen.get(dedupe);
      if (first) {
        warnings.push({ file: q.file, line: q.line, message: `duplicate of the question at line ${first.line}; kept that one` });
        return;
      }
      seen.set(dedupe, q);
      kept.set(index, q);
      token.set(q, incoming.length);
      if (parent) parentOf.set(q, parent);
      depthOf.set(q, parent ? (depthOf.get(parent) ?? 0) + 1 : 0);
      incoming.push(q);
    });

    const byNorm = new Map(existing.map((r) => [key(r.file, r.norm_key), r]));
    const matched = new Map<ImportQuestion, QuestionRow>();
    const taken = new Set<QuestionRow>();
    const idOf = new Map<ImportQuestion, string>();
    /** The stored norm_key: a follow-up's is its parent's id + U+001F + its own (see migration 005). */
    const identityOf = new Map<ImportQuestion, string>();
    const maxDepth = incoming.reduce((m, q) => Math.max(m, depthOf.get(q) ?? 0), 0);

    // Level by level, so a follow-up is matched under its parent's final id (kept through a rename too).
    for (let depth = 0; depth <= maxDepth; depth += 1) {
      const level = incoming.filter((q) => depthOf.get(q) === depth);
      const parentIdOf = (q: ImportQuestion): string => {
        const parent = parentOf.get(q);
        return parent ? (idOf.get(parent) as string) : '';
      };
      for (const q of level) {
        const parentId = parentIdOf(q);
        const identity = parentId === '' ? q.normKey : `${parentId}\u001f${q.normKey}`;
        identityOf.set(q, identity);
        const row = byNorm.get(key(q.file, identity));
        if (row && !taken.has(row) && (row.parent_id ?? '') === parentId) {
          matched.set(q, row);
          taken.add(row);
        }
      }

      // A renamed heading over an unchanged body keeps its id (and the progress on it), but
      // only when the pairing is unambiguous on both sides and under the same parent; empty bodies never pair.
      const unmatchedByBody = new Map<string, ImportQuestion[]>();
      for (const q of level) {
        if (matched.has(q) || q.emptyAnswer) continue;
        const k = key(q.file, `${parentIdOf(q)}\u0000${q.bodyHash}`);
        const list = unmatchedByBody.get(k) ?? [];
        list.push(q);
        unmatchedByBody.set(k, list);
      }
      const orphansByBody = new Map<string, QuestionRow[]>();
      for (const row of existing) {
        if (taken.has(row) || row.empty_answer === 1) continue;
        const k = key(row.file, `${row.parent_id ?? ''}\u0000${row.body_hash}`);
        const list = orphansByBody.get(k) ?? [];
        list.push(row);
        orphansByBody.set(k, list);
      }
      for (const [k, qs] of unmatchedByBody) {
        const rows = orphansByBody.get(k);
        if (qs.length === 1 && rows?.length === 1) {
          matched.set(qs[0]!, rows[0]!);
          taken.add(rows[0]!);
        }
      }

      // Identity changed, question did not (a stem now read apart from its answer; a prompt now
      // shared with other questions, so its stem joined its identity): same file, parent and
      // prompt, and the same words once the <details> wrapper and answer labels are ignored;
      // else the same prompt and the same answer (its stem was edited). Unambiguous pairs only.
      for (const looseOf of [
        (detail: string, answer: string) => looseText(`${detail}\n${answer}`),
        (_detail: string, answer: string) => looseText(answer),
      ]) {
        const wanted = new Map<string, ImportQuestion[]>();
        for (const q of level) {
          if (matched.has(q) || q.emptyAnswer) continue;
          const k = key(q.file, `${parentIdOf(q)}\u0000${baseKey(q.normKey)}\u0000${looseOf(q.promptDetail, q.answer)}`);
          wanted.set(k, [...(wanted.get(k) ?? []), q]);
        }
        if (wanted.size === 0) break;
        const offered = new Map<string, QuestionRow[]>();
        for (const row of existing) {
          if (taken.has(row) || row.empty_answer === 1) continue;
          const k = key(row.file, `${row.parent_id ?? ''}\u0000${baseKey(row.norm_key)}\u0000${looseOf(row.prompt_detail, row.answer)}`);
          if (!wanted.has(k)) continue;
          offered.set(k, [...(offered.get(k) ?? []), row]);
        }
        for (const [k, qs] of wanted) {
          const rows = offered.get(k);
          if (qs.length === 1 && rows?.length === 1) {
            matched.set(qs[0]!, rows[0]!);
            taken.add(rows[0]!);
          }
        }
      }

      for (const q of level) {
        const row = matched.get(q);
        if (row) {
          idOf.set(q, row.id);
          continue;
        }
        const identity = identityOf.get(q) as string;
        let attempt = 0;
        let id = questionId(q.file, identity);
        // An id can already belong to an older question whose heading was renamed; derive the next one.
        while (usedIds.has(id)) id = questionId(q.file, identity, ++attempt);
        usedIds.add(id);
        idOf.set(q, id);
      }
    }

    const report: ImportReport = {
      added: [],
      changed: [],
      removed: [],
      unchanged: 0,
      emptyAnswer: [],
      rekeyed: [],
      skipped: plan.skipped,
      warnings,
      dryRun: plan.dryRun,
    };
    const write = !plan.dryRun;
    const item = (id: string, q: { prompt: string; file: string; line: number }, followUpOf?: string | null): ImportItem => ({
      id,
      prompt: q.prompt,
      file: q.file,
      line: q.line,
      ...(followUpOf ? { followUpOf } : {}),
    });

    const upsertTopic = db.prepare('INSERT INTO topics (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name');
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

    if (write) {
      const known = new Set<string>();
      for (const t of plan.topics) {
        upsertTopic.run(t.id, t.name);
        known.add(t.id);
      }
      // A link must never fail on a topic the catalog forgot; it gets its id as a name until the catalog names it.
      for (const q of incoming) {
        for (const t of q.topics) {
          if (known.has(t)) continue;
          db.prepare('INSERT INTO topics (id, name) VALUES (?, ?) ON CONFLICT (id) DO NOTHING').run(t, t);
          known.add(t);
        }
      }
    }

    const linkTopics = (id: string, topics: string[]) => {
      deleteLinks.run(id);
      [...new Set(topics)].forEach((t, i) => insertLink.run(id, t, i));
    };
    const keyPointsJson = (q: ImportQuestion) => JSON.stringify(q.keyPoints);

    // Parents come before their follow-ups in the plan, so a parent row exists when its follow-up points at it.
    for (const q of incoming) {
      const row = matched.get(q);
      const id = idOf.get(q) as string;
      const identity = identityOf.get(q) as string;
      const parent = parentOf.get(q);
      const parentId = parent ? (idOf.get(parent) as string) : null;
      if (!row) {
        report.added.push(item(id, q, parentId));
        if (write) {
          insertQuestion.run(
            id, nextSeq++, q.file, q.line, q.prompt, q.promptDetail, q.answer, keyPointsJson(q), identity,
            q.bodyHash, q.emptyAnswer ? 1 : 0, nowIso, nowIso, parentId,
          );
          linkTopics(id, q.topics);
        }
      } else {
        const contentSame =
          row.prompt === q.prompt &&
          row.prompt_detail === q.promptDetail &&
          row.answer === q.answer &&
          row.key_points === keyPointsJson(q) &&
          row.norm_key === identity &&
          row.file === q.file &&
          row.parent_id === parentId &&
          (row.empty_answer === 1) === q.emptyAnswer;
        const topicsSame = sameList(existingTopics.get(row.id) ?? [], [...new Set(q.topics)]);
        if (row.norm_key !== identity && baseKey(row.norm_key) === baseKey(identity)) {
          report.rekeyed.push({ ...item(id, q, parentId), was: row.norm_key });
        }
        if (row.retired_at !== null) report.added.push(item(id, q, parentId));
        else if (!contentSame || !topicsSame) report.changed.push(item(id, q, parentId));
        else report.unchanged++;
        if (write) {
          if (row.retired_at !== null || !contentSame) {
            updateQuestion.run(
              q.file, q.line, q.prompt, q.promptDetail, q.answer, keyPointsJson(q), identity, q.bodyHash,
              q.emptyAnswer ? 1 : 0, nowIso, parentId, id,
            );
          } else if (row.line !== q.line) {
            moveQuestion.run(q.line, id);
          }
          if (!topicsSame) linkTopics(id, q.topics);
        }
      }
      if (q.emptyAnswer) report.emptyAnswer.push(item(id, q, parentId));
    }

    const scopeFiles = new Set(plan.scope.files);
    const keep = new Set(plan.keepFiles);
    const inScope = (file: string) =>
      scopeFiles.has(file) || plan.scope.folders.some((f) => f === '' || file.startsWith(`${f}/`));
    for (const row of existing) {
      if (taken.has(row) || row.retired_at !== null || keep.has(row.file) || !inScope(row.file)) continue;
      report.removed.push(item(row.id, row, row.parent_id));
      if (write) retireQuestion.run(nowIso, nowIso, row.id);
    }

    if (write) {
      db.prepare(
        `INSERT INTO import_runs (started_at, finished_at, paths, added, changed, removed, unchanged, empty, skipped, report)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        plan.startedAt.toISOString(), nowIso, JSON.stringify(plan.paths), report.added.length, report.changed.length,
        report.removed.length, report.unchanged, report.emptyAnswer.length, report.skipped.length, JSON.stringify(report),
      );
    }
    return report;
  }

  // Dry runs read inside a transaction too, so the report reflects one consistent snapshot.
  const applyTx = db.transaction(planImport);

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
