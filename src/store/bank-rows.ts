import { z } from 'zod';
import type { QuestionFilter, StoredQuestion } from './types.ts';

/**
 * The bank's rows as both stores read them (migration 1 and 5 lay out the same
 * columns on SQLite and PostgreSQL), and the SQL fragments that are the same in
 * both dialects. Only placeholders differ (`?` against `$n`): callers pass `param`,
 * which records a value and returns the placeholder for it.
 */

export interface QuestionRow {
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

export const QUESTION_COLUMNS =
  'q.id, q.seq, q.file, q.line, q.prompt, q.prompt_detail, q.answer, q.key_points, q.norm_key, q.body_hash, q.empty_answer, q.retired_at, q.parent_id';

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

export function toStored(row: QuestionRow, topics: string[]): StoredQuestion {
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

/** Topic links grouped by question, in link order. */
export function groupTopics(links: readonly { question_id: string; topic_id: string }[]): Map<string, string[]> {
  const byId = new Map<string, string[]>();
  for (const link of links) {
    const list = byId.get(link.question_id) ?? [];
    list.push(link.topic_id);
    byId.set(link.question_id, list);
  }
  return byId;
}

/** The WHERE clause (or '') for a listing or count over `questions q`. */
export function questionWhere(filter: QuestionFilter, param: (value: unknown) => string): string {
  const clauses: string[] = [];
  // A follow-up only makes sense after its question, so nothing that serves questions alone gets one.
  if (filter.servable) clauses.push('q.retired_at IS NULL AND q.empty_answer = 0 AND q.parent_id IS NULL');
  else if (filter.unanswered) clauses.push('q.retired_at IS NULL AND q.empty_answer = 1 AND q.parent_id IS NULL');
  else if (!filter.includeRetired) clauses.push('q.retired_at IS NULL');
  if (filter.topic !== undefined) {
    clauses.push(`EXISTS (SELECT 1 FROM question_topics qt WHERE qt.question_id = q.id AND qt.topic_id = ${param(filter.topic)})`);
  }
  return clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
}

/** Words of free user text for a full-text query: letters, digits and underscores only, so no query syntax leaks through. */
export function searchWords(text: string): string[] {
  return text.match(/[\p{L}\p{N}_]+/gu) ?? [];
}
