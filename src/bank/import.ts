import type { BankImportRepository, ImportPlan, ImportProblem, ImportQuestion, ImportReport } from '../store/types.ts';
import { bodyHash } from './ids.ts';
import { normaliseQuestion } from './normalise.ts';
import { parseNotes } from './parse.ts';
import type { ParsedQuestion } from './types.ts';
import { readNotes } from './read-notes.ts';
import { assignTopics, type TopicCatalog } from './topics.ts';

export interface ImportOptions {
  /** Files and folders to import (resolved against `cwd`). */
  paths: string[];
  /** Notes root; file keys (and so question ids) are relative to it. See ReadNotesOptions.root. */
  root?: string;
  cwd?: string;
  catalog: TopicCatalog;
  repo: BankImportRepository;
  dryRun?: boolean;
  now: Date;
  /** Problems found before the notes were read (e.g. in topics.yml), reported and recorded with this run. */
  warnings?: ImportProblem[];
}

/** True when the run left no question from these notes in the bank: the CLI exits non-zero then. */
export function nothingImported(report: ImportReport): boolean {
  return report.added.length + report.changed.length + report.unchanged === 0;
}

/**
 * Notes → question bank in one store transaction: read and decode the files,
 * parse them, assign topics, drop repeated questions, then let the store match,
 * insert, update and retire. Problems never throw: each becomes a `skipped` entry
 * (a file or question left out) or a `warnings` entry (imported, but look at it), with file:line. Idempotent: a second run with the same notes
 * reports nothing added or changed.
 */
export async function importNotes(options: ImportOptions): Promise<ImportReport> {
  const startedAt = options.now;
  const read = await readNotes(options.paths, { root: options.root, cwd: options.cwd });
  const skipped: ImportProblem[] = [...read.problems];
  const warnings: ImportProblem[] = [...(options.warnings ?? [])];
  const keepFiles = [...read.unreadable];
  const questions: ImportQuestion[] = [];

  for (const notes of read.files) {
    let parsed;
    try {
      parsed = parseNotes(notes.text, notes.file);
    } catch (err) {
      // A parser bug on one odd file must not cost the rest of the bank, nor retire that file's questions.
      skipped.push({ file: notes.file, line: 0, message: `could not be parsed (${(err as Error).message}); please report this file` });
      keepFiles.push(notes.file);
      continue;
    }
    // The parser's problems (a duplicate question, broken front matter, an unclosed <details>) never
    // stop the file from importing, so they are warnings: "skipped" is kept for what was left out.
    warnings.push(...parsed.problems);
    const firstLine = new Map<string, number>();
    // Follow-ups go right after their question (the store needs the parent first) and take its
    // topics: they are asked in its context, never on their own under a topic.
    const add = (q: ParsedQuestion, parent: { index: number; topics: string[] } | null): void => {
      const normKey = q.identity ?? normaliseQuestion(q.prompt);
      if (normKey === '') {
        skipped.push({ file: q.file, line: q.line, message: 'question has no text after numbering and markup are removed' });
        return;
      }
      if (!parent) {
        const first = firstLine.get(normKey);
        if (first !== undefined) {
          warnings.push({ file: q.file, line: q.line, message: `same question as line ${first}; kept the one at line ${first}` });
          return;
        }
        firstLine.set(normKey, q.line);
      }
      const topics = parent ? parent.topics : assignTopics(q, options.catalog);
      const index = questions.length;
      questions.push({
        file: q.file,
        line: q.line,
        prompt: q.prompt,
        promptDetail: q.promptDetail,
        answer: q.answer,
        keyPoints: q.keyPoints,
        topics,
        emptyAnswer: q.emptyAnswer,
        normKey,
        bodyHash: bodyHash(q.answer, q.promptDetail),
        parentIndex: parent ? parent.index : null,
      });
      for (const f of q.followUps) add(f, { index, topics });
    };
    for (const q of parsed.questions) add(q, null);
  }

  const plan: ImportPlan = {
    paths: options.paths,
    scope: read.scope,
    keepFiles,
    questions,
    topics: options.catalog.topics.map((t) => ({ id: t.id, name: t.name })),
    skipped,
    warnings,
    startedAt,
    now: options.now,
    dryRun: options.dryRun ?? false,
  };

  // Zero questions is far more likely a wrong path or a parser miss than a wish to
  // retire the whole bank, so nothing is written; the report says why.
  if (questions.length === 0) {
    const where = options.paths.join(', ') || '(no paths)';
    skipped.push({ file: where, line: 0, message: 'no questions found, so the bank was left unchanged' });
    return { added: [], changed: [], removed: [], unchanged: 0, emptyAnswer: [], rekeyed: [], skipped, warnings, dryRun: plan.dryRun };
  }
  return options.repo.applyImport(plan);
}
