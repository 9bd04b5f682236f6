/**
 * Front matter of a notes file: `topics:`/`tags:` tag every question in the
 * file; `title:` is a weaker tag used after them.
 */
import { parseDocument } from 'yaml';

export interface FrontMatter {
  /** From `topics`, `tags`, `topic`, `tag`, `categories`, in that order. */
  topics: string[];
  title: string | null;
  /** Set when the YAML could not be read; `line` is 1-based in the notes file. */
  error: { line: number; message: string } | null;
}

const TOPIC_KEYS = ['topics', 'tags', 'topic', 'tag', 'categories', 'category'];

function asStrings(value: unknown): string[] {
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value)) return value.flatMap((v) => asStrings(v));
  return [];
}

/**
 * Reads the YAML between the `---` lines. `firstLine` is the file line of the
 * first YAML line (the one after the opening `---`), used to point errors at
 * the right place in the notes file.
 */
export function readFrontMatter(yamlText: string, firstLine: number): FrontMatter {
  const empty: FrontMatter = { topics: [], title: null, error: null };
  let doc;
  try {
    doc = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: false });
  } catch (err) {
    return { ...empty, error: { line: firstLine, message: err instanceof Error ? err.message : String(err) } };
  }
  const first = doc.errors[0];
  if (first) {
    // Errors at end of input (an unclosed "[") point past the text: clamp to its last line.
    const at = Math.min(first.pos[0], yamlText.trimEnd().length);
    const line = firstLine + (yamlText.slice(0, at).match(/\n/g)?.length ?? 0);
    const reason = first.message.split('\n')[0] ?? first.code;
    return { ...empty, error: { line, message: reason } };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { ...empty, error: { line: firstLine, message: err instanceof Error ? err.message : String(err) } };
  }
  if (data === null || data === undefined) return empty;
  if (typeof data !== 'object' || Array.isArray(data)) {
    return { ...empty, error: { line: firstLine, message: 'front matter is not a key: value mapping' } };
  }
  const record = data as Record<string, unknown>;
  const topics: string[] = [];
  for (const key of TOPIC_KEYS) topics.push(...asStrings(record[key]));
  const title = typeof record.title === 'string' && record.title.trim() !== '' ? record.title.trim() : null;
  return { topics, title, error: null };
}
