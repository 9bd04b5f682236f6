import { rankTopics, resolveTopic, type TopicCatalog } from '../bank/topics.ts';
import { gradeAnswer, synonymIndex } from './grading.ts';
import type { GradedPoint } from './messages.ts';

/**
 * The one place the practice flows meet topic matching and grading, so the
 * flows read in their own terms (resolve, rank, grade).
 */
export interface TopicTools {
  resolve(input: string): { ok: true; id: string; name: string } | { ok: false; suggestions: string[] };
  rank(partial: string, limit: number): { id: string; name: string }[];
  grade(answer: string, keyPoints: readonly string[]): { points: GradedPoint[]; coverage: number };
}

export function topicTools(catalog: TopicCatalog): TopicTools {
  const synonyms = synonymIndex(catalog);
  return {
    resolve(input) {
      const r = resolveTopic(input, catalog);
      return r.ok ? { ok: true, id: r.topic.id, name: r.topic.name } : { ok: false, suggestions: r.suggestions.map((s) => s.name) };
    },
    rank(partial, limit) {
      return rankTopics(partial, catalog, limit).map((t) => ({ id: t.id, name: t.name }));
    },
    grade(answer, keyPoints) {
      const g = gradeAnswer(answer, [...keyPoints], synonyms);
      return { points: g.points.map((pt) => ({ text: pt.text, covered: pt.covered })), coverage: g.coverage };
    },
  };
}
