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
  emptyAnswer: boolean;
  /**
   * What identifies the question in its file (its id's input): the normalised prompt
   * (a title+paragraph question: its title), plus a hash of its stem when several
   * questions in the file share that prompt ("What's the output?" over different code).
   * Absent: normaliseQuestion(prompt).
   */
  identity?: string;
  /** The heading above a title+paragraph question (`#### Bloated constructor`); the prompt is the paragraph. */
  title?: string;
  /** For `prepbot import --explain`: the rule that made the question, and the lines its stem and answer span. */
  explain?: QuestionExplain;
  /**
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

export type QuestionRule = 'heading' | 'title+paragraph' | 'list item' | 'bold line' | 'details' | 'table row';

export interface QuestionExplain {
  rule: QuestionRule;
  /** First and last line of the stem (prompt detail), or null when there is none. */
  stem: { from: number; to: number } | null;
  /** First and last line of the reference answer, or null when there is none. */
  answer: { from: number; to: number } | null;
}
