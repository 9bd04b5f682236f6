import type { RootContent } from 'mdast';
import type { Action, Message } from '../../chat/message.ts';
import { code, doc, emph, fromMarkdown, list, p, strong, text, userText } from '../../chat/md.ts';
import type { InterviewRecord } from '../../store/interview-types.ts';
import type { StoredQuestion } from '../../store/types.ts';
import { RATINGS, RATING_LABELS, type SelfRating } from '../review.ts';
import { formatDuration, type ItemOutcome, type Scorecard } from './scorecard.ts';

/**
 * Message builders for mock interviews. Button values carry the session id and
 * the item (`id:number:followUp`), never anything secret: every handler checks
 * the presser against the session before acting.
 */

export const IV_ANSWER = 'iv-answer';
export const IV_SKIP = 'iv-skip';
export const IV_GIVE_UP = 'iv-giveup';
export const IV_RATE = 'iv-rate';
export const IV_RESUME = 'iv-resume';
export const IV_ABANDON = 'iv-abandon';
export const IV_SHARE = 'iv-share';
export const FORM_IV_ANSWER = 'iv-answer';

export const questionsText = (n: number): string => `${n} question${n === 1 ? '' : 's'}`;

export interface ItemRef {
  interviewId: string;
  number: number;
  followUp: boolean;
}

export function itemValue(ref: ItemRef): string {
  return `${ref.interviewId}:${ref.number}:${ref.followUp ? 1 : 0}`;
}

export function parseItemValue(value: string): ItemRef | undefined {
  const m = /^([a-z0-9]{4,32}):(\d{1,3}):([01])$/.exec(value);
  return m ? { interviewId: m[1]!, number: Number(m[2]), followUp: m[3] === '1' } : undefined;
}

const mdBlocks = (markdown: string): RootContent[] => (markdown.trim() ? fromMarkdown(markdown).children : []);

export function timeLeftText(deadlineAt: string | null, now: Date): string | undefined {
  if (deadlineAt === null) return undefined;
  const ms = Date.parse(deadlineAt) - now.getTime();
  if (ms <= 0) return 'time is up';
  const minutes = Math.ceil(ms / 60_000);
  return `${minutes} min left`;
}

/** "Question 2/5 · 24 min left", or "Follow-up to 2/5 · …". */
export function progressLine(interview: InterviewRecord, ref: ItemRef, now: Date): string {
  const where = ref.followUp ? `Follow-up to ${ref.number}/${interview.questionCount}` : `Question ${ref.number}/${interview.questionCount}`;
  const left = timeLeftText(interview.deadlineAt, now);
  return left ? `${where} · ${left}` : where;
}

/** The question as the person answering sees it: no reference answer. */
export function interviewQuestionMessage(args: {
  interview: InterviewRecord;
  ref: ItemRef;
  question: StoredQuestion;
  now: Date;
  note?: string;
}): Message {
  const { interview, ref, question, now } = args;
  const value = itemValue(ref);
  return {
    body: doc(
      args.note ? p(emph(args.note)) : null,
      p(strong(progressLine(interview, ref, now))),
      p(strong(text(question.prompt))),
      mdBlocks(question.promptDetail),
      question.emptyAnswer && p(emph('No reference answer in the notes: answer as you would, then rate yourself.')),
    ),
    actions: [
      { kind: 'button', id: IV_ANSWER, label: 'Answer', value, style: 'primary' },
      { kind: 'button', id: IV_SKIP, label: 'Skip', value, style: 'secondary' },
      { kind: 'button', id: IV_GIVE_UP, label: 'Give up', value, style: 'secondary' },
    ],
  };
}

export function interviewRatingActions(ref: ItemRef): Action[] {
  return RATINGS.map((r) => ({
    kind: 'button' as const,
    id: IV_RATE,
    label: RATING_LABELS[r],
    value: `${itemValue(ref)}:${r}`,
    style: r === 'again' ? ('danger' as const) : r === 'good' ? ('success' as const) : ('secondary' as const),
  }));
}

export function parseRateValue(value: string): { ref: ItemRef; rating: SelfRating } | undefined {
  const cut = value.lastIndexOf(':');
  const ref = parseItemValue(value.slice(0, cut));
  const rating = value.slice(cut + 1);
  return ref && (RATINGS as readonly string[]).includes(rating) ? { ref, rating: rating as SelfRating } : undefined;
}

export function resumeOffer(open: InterviewRecord, now: Date, topicName: (id: string) => string): Message {
  const left = timeLeftText(open.deadlineAt, now);
  const what = open.kind === 'peer' ? 'a peer interview' : `a ${open.questionCount}-question mock interview`;
  return {
    body: doc(
      p(`You have ${what} open${open.topic ? ` on ${topicName(open.topic)}` : ''}${left ? ` (${left})` : ''}. Resume it, or abandon it to start a new one.`),
    ),
    actions: [
      { kind: 'button', id: IV_RESUME, label: 'Resume', value: open.id, style: 'primary' },
      { kind: 'button', id: IV_ABANDON, label: 'Abandon', value: open.id, style: 'danger' },
    ],
  };
}

const OUTCOME_TEXT: Record<ItemOutcome, string> = {
  answered: 'answered',
  'gave-up': 'gave up',
  skipped: 'skipped',
  'not-answered': 'not reached',
};

const pct = (v: number) => `${Math.round(v * 100)}%`;

const END_TEXT: Record<NonNullable<InterviewRecord['endReason']>, string> = {
  completed: 'All questions done.',
  time: 'Time is up.',
  stopped: 'Stopped.',
  abandoned: 'Abandoned.',
};

export function scorecardBlocks(interview: InterviewRecord, card: Scorecard, topicName: (id: string) => string): RootContent[] {
  const rows = card.rows.map((r) => {
    const parts = [`${r.label}. `, text(r.prompt), ` — ${OUTCOME_TEXT[r.outcome]}`];
    if (r.coverage !== null) parts.push(`, coverage ${pct(r.coverage)}`);
    if (r.rating) parts.push(`, ${RATING_LABELS[r.rating as SelfRating] ?? r.rating}`);
    if (r.score !== null) parts.push(`, score ${r.score}/4`);
    if (r.seconds !== null) parts.push(`, ${formatDuration(r.seconds)}`);
    return parts;
  });
  // In an interview on one topic, that topic is always among the weakest; its neighbours say more.
  const others = card.weakest.filter((w) => w.topic !== interview.topic);
  const weakest = (others.length > 0 ? others : card.weakest).slice(0, 2);
  const total = interview.questionCount;
  return [
    p(strong(`Scorecard: ${total}-question mock interview${interview.topic ? ` on ${topicName(interview.topic)}` : ''}`)),
    p(
      `${END_TEXT[interview.endReason ?? 'completed']} Answered ${card.answered} of ${card.rows.length}`,
      card.notReached > 0 ? `; ${card.notReached} not reached` : '',
      `. Overall coverage: `,
      strong(pct(card.overallCoverage)),
      '.',
    ),
    list(rows),
    weakest.length > 0
      ? p('Weakest: ', weakest.map((w) => `${topicName(w.topic)} (${pct(w.coverage)})`).join(', '), '. Practise next: ', code(`/ask ${weakest[0]!.topic}`), '.')
      : p('Nothing missed. Try a longer interview: ', code('/interview start questions:10'), '.'),
  ];
}

export function scorecardMessage(interview: InterviewRecord, card: Scorecard, topicName: (id: string) => string, opts: { share: boolean }): Message {
  return {
    body: doc(scorecardBlocks(interview, card, topicName)),
    ...(opts.share ? { actions: [{ kind: 'button' as const, id: IV_SHARE, label: 'Share in channel', value: interview.id, style: 'secondary' as const }] } : {}),
  };
}

/** Public: that someone finished, nothing of how it went. */
export function finishedNote(displayName: string, questionCount: number): Message {
  return { body: doc(p(userText(displayName), ` finished a ${questionCount}-question mock interview.`)) };
}

export function historyMessage(
  rows: { date: string; topic: string | null; questions: number; answered: number; coverage: number }[],
  trends: { topic: string; values: number[] }[],
  topicName: (id: string) => string,
): Message {
  if (rows.length === 0) {
    return { body: doc(p('No finished mock interviews yet. Start one with ', code('/interview start'), '.')) };
  }
  const arrow = (vs: number[]) => {
    if (vs.length < 2) return '';
    const d = vs[vs.length - 1]! - vs[0]!;
    return d > 0.005 ? ' ↑' : d < -0.005 ? ' ↓' : ' →';
  };
  return {
    body: doc(
      p(strong('Your mock interviews'), ' (newest first)'),
      list(
        rows.map(
          (r) =>
            `${r.date} · ${r.topic ? topicName(r.topic) : 'any topic'} · ${questionsText(r.questions)}, ${r.answered} answered · coverage ${pct(r.coverage)}`,
        ),
      ),
      trends.length > 0 && p(strong('Trend by topic'), ' (oldest → newest)'),
      trends.length > 0 && list(trends.map((t) => `${topicName(t.topic)}: ${t.values.map(pct).join(' → ')}${arrow(t.values)}`)),
    ),
  };
}
