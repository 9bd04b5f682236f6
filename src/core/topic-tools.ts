import { rankTopics, resolveTopic, type TopicCatalog } from '../bank/topics.ts';

/**
 * The one place the practice flows meet topic matching, so the flows read in
 * their own terms (resolve, rank). Grading is the Grader port (grading.ts).
 */
export interface TopicTools {
  resolve(input: string): { ok: true; id: string; name: string } | { ok: false; suggestions: string[] };
  rank(partial: string, limit: number): { id: string; name: string }[];
}

export function topicTools(catalog: TopicCatalog): TopicTools {
  return {
    resolve(input) {
      const r = resolveTopic(input, catalog);
      return r.ok ? { ok: true, id: r.topic.id, name: r.topic.name } : { ok: false, suggestions: r.suggestions.map((s) => s.name) };
    },
    rank(partial, limit) {
      return rankTopics(partial, catalog, limit).map((t) => ({ id: t.id, name: t.name }));
    },
  };
}
