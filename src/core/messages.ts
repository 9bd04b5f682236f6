import type { Root, RootContent } from 'mdast';
import type { CommandSpec } from '../chat/commands.ts';
import type { Action, Message } from '../chat/message.ts';
import { doc, emph, fromMarkdown, list, p, quote, strong, text, userText, code, type ListEntry } from '../chat/md.ts';
import type { StoredQuestion } from '../store/types.ts';
import type { Grade, GradedPoint } from './grading.ts';
import { RATINGS, RATING_LABELS } from './review.ts';

/**
 * Message builders for the practice flows. Question prompts and reference
 * answers come from the notes (trusted Markdown); anything a person typed
 * goes through userText so renderers print it literally and defuse mentions.
 */

export const ACTION_ANSWER = 'answer';
export const ACTION_GIVE_UP = 'giveup';
export const ACTION_RATE = 'rate';
/** "Practise now" (Slack App Home): the same as `/ask` without a topic. */
export const ACTION_PRACTISE = 'practise';
export const FORM_ANSWER = 'answer';

/** Button value that asks a question without an attempt yet (daily posts): whoever presses gets their own attempt. */
export function questionButtonValue(questionId: string, source: 'ask' | 'daily' = 'daily'): string {
  return `${source === 'daily' ? 'daily' : 'q'}:${questionId}`;
}

export function info(...blocks: RootContent[]): Message {
  return { body: doc(...blocks) };
}

export function say(...parts: Parameters<typeof p>): Message {
  return { body: doc(p(...parts)) };
}

function mdBlocks(markdown: string): RootContent[] {
  return markdown.trim() ? fromMarkdown(markdown).children : [];
}

/**
 * The question as everyone in the conversation sees it. Never contains the
 * reference answer. `buttonValue` is an attempt id, or questionButtonValue().
 */
export function questionMessage(question: StoredQuestion, buttonValue: string, opts: { note?: string } = {}): Message {
  const body: Root = doc(
    p(strong(text(question.prompt))),
    mdBlocks(question.promptDetail),
    question.topics.length > 0 && p(emph(`Topic: ${question.topics.join(', ')}`)),
    opts.note ? p(emph(opts.note)) : null,
  );
  return {
    body,
    actions: [
      { kind: 'button', id: ACTION_ANSWER, label: 'Answer', value: buttonValue, style: 'primary' },
      { kind: 'button', id: ACTION_GIVE_UP, label: 'Give up', value: buttonValue, style: 'secondary' },
    ],
  };
}

export function ratingActions(attemptId: string): Action[] {
  return RATINGS.map((r) => ({
    kind: 'button' as const,
    id: ACTION_RATE,
    label: RATING_LABELS[r],
    value: `${attemptId}:${r}`,
    style: r === 'again' ? ('danger' as const) : r === 'good' ? ('success' as const) : ('secondary' as const),
  }));
}

/** How much of an answer is echoed back: enough to recognise it, not a wall of text. */
const ECHO_CHARS = 600;

function echo(answer: string): string {
  return answer.length > ECHO_CHARS ? `${answer.slice(0, ECHO_CHARS)}…` : answer;
}

/** A few matched words say why a point counted; more would bury the point itself. */
const MATCHED_SHOWN = 5;

/** Matched words are the person's own: user text. Shown for covered points only, where they say why it counted. */
function checklistLine(pt: GradedPoint): ListEntry {
  if (!pt.covered) return `✗ ${pt.text}`;
  if (pt.matched.length === 0) return `✓ ${pt.text}`;
  const shown = pt.matched.slice(0, MATCHED_SHOWN).join(', ');
  const line: ListEntry = [text(`✓ ${pt.text} — matched: `), userText(shown)];
  if (pt.matched.length > MATCHED_SHOWN) line.push(text(', …'));
  return line;
}

/** Private: the reference answer, the coverage checklist, and the rating buttons. */
export function revealMessage(args: {
  question: StoredQuestion;
  attemptId: string;
  answer?: string;
  grade?: Grade;
  streak?: { current: number; newDay: boolean };
}): Message {
  const { question, grade, answer, streak } = args;
  const checklist =
    grade && grade.points.length > 0
      ? [
          p(strong(`Key points covered: ${Math.round(grade.coverage * 100)}%`)),
          list(grade.points.map(checklistLine)),
        ]
      : grade
        ? [p(emph('This question has no key points to check; compare with the reference yourself.'))]
        : [];
  return {
    body: doc(
      p(strong(text(question.prompt))),
      answer !== undefined && [p(strong('Your answer')), quote(p(userText(echo(answer))))],
      p(strong('Reference answer')),
      question.emptyAnswer && p(emph('None in the notes yet: compare with what you know, and rate yourself.')),
      mdBlocks(question.answer),
      checklist,
      streak && streak.newDay && p(`🔥 Streak: ${streak.current} ${streak.current === 1 ? 'day' : 'days'}.`),
      answer === undefined && p(emph('Given up: no streak credit. Rate it anyway so it comes back at the right time.')),
      p('How well did you know it?'),
    ),
    actions: ratingActions(args.attemptId),
  };
}

/** Public, in a channel: that someone answered, with nothing of the answer. */
export function answeredNote(displayName: string): Message {
  return { body: doc(p(userText(displayName), ' answered. ', emph('Press Answer on the question to try it yourself.'))) };
}

export function helpMessage(specs: readonly CommandSpec[]): Message {
  const usage = (s: CommandSpec) =>
    [`/${s.name}`, ...s.options.map((o) => (o.required ? `<${o.name}>` : `[${o.name}]`))].join(' ');
  return {
    body: doc(
      p(strong('prepbot'), ': practise interview questions, keep a streak.'),
      list(specs.map((s) => [code(usage(s)), ` ${s.description}`])),
      p(emph('Answers and reference answers are only shown to you; a channel sees only that you answered.')),
    ),
  };
}
