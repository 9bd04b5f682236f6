/** What the notes parser produces for one question, before it meets the store. */
export interface ParsedQuestion {
  /** The question as a person reads it: numbering, emoji markers and HTML stripped. */
  prompt: string;
  /** Markdown of any prompt material that is part of the question (e.g. a code fence after it). */
  promptDetail: string;
  /** Reference answer, Markdown kept exactly (code fences with language, lists, tables). */
  answer: string;
  /** Top-level bullets of the answer, else its sentences; used for grading coverage. */
  keyPoints: string[];
  /** Topics named by the notes themselves: front matter, section headings above. Raw text, not yet resolved. */
  explicitTopics: string[];
  /** Path relative to the notes root, with forward slashes. */
  file: string;
  /** 1-based line of the question in its file. */
  line: number;
  /** True when the answer is missing or only a placeholder ("TODO", "To be completed.", "Answer here"). */
  emptyAnswer: boolean;  /**
   * Questions asked after this one about its answer, in note order: question-shaped
   * sub-headings under a question heading, and nested answer bullets ending in "?".
   * Never served on their own. They may have follow-ups of their own.
   */
  followUps: ParsedQuestion[];
}

/** Something the parser saw but could not use, reported with file:line. */
export interface ParseProblem {
  file: string;
  line: number;
  message: string;
}

export interface ParseResult {
  questions: ParsedQuestion[];
  problems: ParseProblem[];
}
