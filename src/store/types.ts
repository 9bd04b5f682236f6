/**
 * Repository interfaces the rest of prepbot programs against. SQLite implements
 * them today (src/store/sqlite/); a PostgreSQL store can later, so every method
 * returns a Promise even though better-sqlite3 is synchronous.
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
}

export interface QuestionFilter {
  topic?: string;
  /** Only questions that can be asked: not retired, answer not empty. */
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
  /** Full-text search (FTS5) over prompt and answer; best matches first. */
  searchQuestions(text: string, limit?: number): Promise<StoredQuestion[]>;
  listTopics(): Promise<TopicRow[]>;
}
