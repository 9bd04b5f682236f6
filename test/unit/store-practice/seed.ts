import { bodyHash } from '../../../src/bank/ids.ts';
import type { Db } from '../../../src/store/db.ts';
import { createSqliteBankRepository } from '../../../src/store/sqlite/bank.ts';
import type { BankImportRepository, BankRepository } from '../../../src/store/types.ts';

export interface SeedQuestion {
  prompt: string;
  answer: string;
  keyPoints?: string[];
  topics?: string[];
  emptyAnswer?: boolean;
}

/** Puts questions into the bank through the real import path; returns their ids in the given order. */
export async function seedQuestions(
  db: Db | (BankRepository & BankImportRepository),
  questions: SeedQuestion[],
  file = 'notes/test.md',
): Promise<string[]> {
  // A SQLite database, or the bank of any store (test/stores/practice.ts).
  const bank = 'prepare' in db ? createSqliteBankRepository(db) : db;
  const topicIds = [...new Set(questions.flatMap((q) => q.topics ?? []))];
  const now = new Date('2025-01-01T00:00:00Z');
  await bank.applyImport({
    paths: [file],
    scope: { files: [file], folders: [] },
    keepFiles: [],
    questions: questions.map((q, i) => ({
      file,
      line: i * 10 + 1,
      prompt: q.prompt,
      promptDetail: '',
      answer: q.answer,
      keyPoints: q.keyPoints ?? [],
      topics: q.topics ?? [],
      emptyAnswer: q.emptyAnswer ?? false,
      normKey: q.prompt.toLowerCase(),
      bodyHash: bodyHash(q.answer, ''),
    })),
    topics: topicIds.map((id) => ({ id, name: id })),
    skipped: [],
    warnings: [],
    startedAt: now,
    now,
    dryRun: false,
  });
  const stored = await bank.listQuestions({ includeRetired: true });
  return questions.map((q) => {
    const found = stored.find((s) => s.prompt === q.prompt);
    if (!found) throw new Error(`seeded question not found: ${q.prompt}`);
    return found.id;
  });
}
