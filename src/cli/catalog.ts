import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createTopicCatalog, loadTopicCatalog, resolveTopic, TopicCatalogError, type TopicCatalog } from '../bank/topics.ts';
import type { ImportProblem } from '../store/types.ts';
import { UserError, type CliIo } from './context.ts';

/**
 * The topic catalog for a command. A missing file is not fatal (notes import fine
 * without topics; a warning says so). A broken file is: importing with it would
 * strip every question's topics, so the person fixes it first, guided by file:line.
 */
export function loadCatalog(path: string, io: CliIo): { catalog: TopicCatalog; problems: ImportProblem[] } {
  const abs = resolve(io.cwd, path);
  if (!existsSync(abs)) {
    return {
      catalog: createTopicCatalog([], path),
      problems: [{ file: path, line: 0, message: 'topics file not found, so questions get no topics; create it or pass --topics PATH' }],
    };
  }
  try {
    return { catalog: loadTopicCatalog(abs), problems: [] };
  } catch (err) {
    if (err instanceof TopicCatalogError) {
      // Messages name the file as the person wrote it, not the absolute path we read.
      const lines = err.problems.map((p) => `  ${p.file === abs ? path : p.file}${p.line > 0 ? `:${p.line}` : ''}: ${p.message}`);
      throw new UserError(`the topics file cannot be used; fix it and run again:\n${lines.join('\n')}`);
    }
    throw err;
  }
}

/** Topic id for what was typed ("concurency", "db"), or a UserError listing the closest topics. */
export function resolveTopicOrFail(input: string, catalog: TopicCatalog): string {
  const found = resolveTopic(input, catalog);
  if (found.ok) return found.topic.id;
  const hint = found.suggestions.length > 0 ? ` Did you mean: ${found.suggestions.map((t) => t.id).join(', ')}?` : '';
  throw new UserError(`unknown topic "${input}".${hint} See all topics with \`prepbot topics\`.`);
}
