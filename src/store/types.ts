/**
 * Repository interfaces the rest of prepbot programs against. SQLite implements
 * them (src/store/sqlite/); PostgreSQL implements some so far (src/store/postgres/,
 * docs/postgres.md), which is why every method returns a Promise even though
 * better-sqlite3 is synchronous.
 */

export interface StoredQuestion {
  /** Stable id: survives re-import, moving the section, whitespace/case edits, and renames with an unchanged body. */
  id: string;
  /** Notes file relative to the notes root (forward slashes). */
  file: string;
  line: number;
  prompt: string;
  promptDetail: string;
  answer: string;
  keyPoints: string[];
  /** Topic ids (keys of topics.yml), explicit ones first. */
  topics: string[];
  emptyAnswer: boolean;
  /** Removed from the notes: kept so answers and history attached to it survive, never served. */
  retired: boolean;
  /**
   * The question this one follows up (asked after it, about its answer); null for a
   * top-level question. Follow-ups are never served on their own (see QuestionFilter.servable)
   * and may have follow-ups of their own.
   */
  parentId: string | null;
}

export interface QuestionFilter {
  topic?: string;
  /** Only top-level, non-retired questions without a reference answer (for note owners to fill in, or to self-rate). */
  unanswered?: boolean;
  /** Only questions that can be asked on their own: not retired, answer not empty, not a follow-up. */
  servable?: boolean;
  includeRetired?: boolean;
  limit?: number;
}

export interface TopicRow {
  id: string;
  name: string;
  questionCount: number;
}

/** The question bank. Import-side writes are added by the import module's own store method. */
export interface BankRepository {
  getQuestion(id: string): Promise<StoredQuestion | undefined>;
  listQuestions(filter?: QuestionFilter): Promise<StoredQuestion[]>;
  countQuestions(filter?: QuestionFilter): Promise<number>;
  /**
   * Full-text search over prompt and answer (SQLite FTS5, PostgreSQL tsvector); best
   * matches first, a prompt match above an answer-only one. Every word, else any word;
   * the last may be a prefix.
   */
  searchQuestions(text: string, limit?: number): Promise<StoredQuestion[]>;
  /** Topics with the number of servable top-level questions on each (follow-ups are not counted). */
  listTopics(): Promise<TopicRow[]>;
  /** The non-retired follow-ups of a question, in note order (empty answers included: check emptyAnswer). */
  listFollowUps(questionId: string): Promise<StoredQuestion[]>;
}

/* ---- Import (added by the bank import; additive, nothing above changed) ---- */

/** One question as the import wants it stored; ids are assigned by the store. */
export interface ImportQuestion {
  file: string;
  line: number;
  prompt: string;
  promptDetail: string;
  answer: string;
  keyPoints: string[];
  /** Topic ids, explicit ones first. */
  topics: string[];
  emptyAnswer: boolean;
  /**
   * With `file`, the question's identity: the parser's ParsedQuestion.identity (the
   * normalised prompt, plus a stem hash when several questions share that prompt).
   */
  normKey: string;
  /** bodyHash(answer, promptDetail): recognises a renamed heading over an unchanged body. */
  bodyHash: string;
  /**
   * For a follow-up: the index in ImportPlan.questions of the question it follows up,
   * which comes earlier in the plan and is in the same file. Absent or null: top-level.
   * Its identity is then its parent's id plus its own normKey.
   */
  parentIndex?: number | null;
}

export interface ImportProblem {
  file: string;
  line: number;
  message: string;
}

export interface ImportPlan {
  /** The paths the user asked for, as given (recorded with the run). */
  paths: string[];
  /**
   * What this import speaks for: stored questions in these files, or under these
   * folders ('' = every file), that are missing from `questions` get retired.
   */
  scope: { files: string[]; folders: string[] };
  /** Files in scope that could not be read this time: their questions are left untouched. */
  keepFiles: string[];
  questions: ImportQuestion[];
  /** The topic catalog (id and display name), upserted with the questions. */
  topics: { id: string; name: string }[];
  skipped: ImportProblem[];
  warnings: ImportProblem[];
  startedAt: Date;
  now: Date;
  /** Compute the same report without writing anything. */
  dryRun: boolean;
}

export interface ImportItem {
  id: string;
  prompt: string;
  file: string;
  line: number;
  /** For a follow-up: the id of the question it follows up. */
  followUpOf?: string;
}

export interface ImportReport {
  /** New questions, and retired ones that reappeared in the notes. */
  added: ImportItem[];
  /** Prompt, answer, key points, topics or empty flag differ (a moved section alone is not a change). */
  changed: ImportItem[];
  /** Retired: gone from the notes, kept in the store for the history attached to them. */
  removed: ImportItem[];
  unchanged: number;
  /** Imported questions whose answer is empty or a placeholder: kept, never served. */
  emptyAnswer: ImportItem[];
  /**
   * Questions whose identity changed while they stayed the same question (a quiz stem now
   * read apart from its answer, a heading now shared with other questions): matched to their
   * stored row by prompt and content, so they keep their old id (`id`) and the progress on it.
   * `was` is the identity they were stored under. Also listed under changed when their text moved.
   */
  rekeyed: (ImportItem & { was: string })[];
  skipped: ImportProblem[];
  warnings: ImportProblem[];
  dryRun: boolean;
}

/** The import's single atomic write: one transaction, or nothing on failure. */
export interface BankImportRepository {
  applyImport(plan: ImportPlan): Promise<ImportReport>;
}

/* ---- Practice (people, answers, reviews, streaks): see practice-types.ts; additive ---- */
export type * from './practice-types.ts';
