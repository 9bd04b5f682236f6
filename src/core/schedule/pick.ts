import type { Root } from 'mdast';
import type { Message } from '../../chat/message.ts';
import { doc, emph, fromMarkdown, p, strong, text, userText } from '../../chat/md.ts';
import { questionButtonValue, questionMessage } from '../messages.ts';
import type { StoredQuestion } from '../../store/types.ts';
import type { DailyAnswerer, Schedule } from './types.ts';

/**
 * Which question a channel gets today, as a pure function:
 * 1. only servable questions of the schedule's topic (the caller filters);
 * 2. the ones this channel has been posted least often: nothing repeats until
 *    the topic is exhausted, then the next round starts with the least repeated;
 * 3. among those, the ones fewest channel members have already been asked;
 * 4. ties broken by a hash of (channel, date, question): stable for a day (a
 *    preview shows what will be posted), different across channels and days.
 */
export interface PickInput {
  candidates: readonly StoredQuestion[];
  /** Times each question was posted in this channel. */
  askedInChannel: ReadonlyMap<string, number>;
  /** Members of this channel who were already asked each question anywhere. */
  seenByMembers: ReadonlyMap<string, number>;
  conversationId: string;
  localDate: string;
}

export function pickDailyQuestion(input: PickInput): StoredQuestion | undefined {
  const scored = input.candidates.map((q) => ({
    q,
    asked: input.askedInChannel.get(q.id) ?? 0,
    seen: input.seenByMembers.get(q.id) ?? 0,
    tie: fnv1a(`${input.conversationId}|${input.localDate}|${q.id}`),
  }));
  scored.sort((a, b) => a.asked - b.asked || a.seen - b.seen || a.tie - b.tie);
  return scored[0]?.q;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** When the summary comes, in the words the channel reads. */
export function revealNote(schedule: Pick<Schedule, 'revealTime' | 'timezone'>): string {
  return schedule.revealTime
    ? `Answer privately with the button. The reference answer is posted here at ${schedule.revealTime} (${schedule.timezone}).`
    : 'Answer privately with the button. The reference answer is posted here with the next daily question.';
}

/** The daily question as the channel sees it: never the answer; the button gives each presser their own attempt. */
export function dailyQuestionMessage(question: StoredQuestion, schedule: Pick<Schedule, 'revealTime' | 'timezone' | 'topic'>, localDate: string): Message {
  const base = questionMessage(question, questionButtonValue(question.id, 'daily'), { note: revealNote(schedule) });
  const title = p(strong('Daily question'), text(` · ${localDate}`), schedule.topic ? text(` · ${schedule.topic}`) : null);
  return { ...base, body: { ...base.body, children: [title, ...base.body.children] } };
}

/** Names as plain people-typed text: shown literally, never a mention. */
function names(answerers: readonly DailyAnswerer[]): string {
  return answerers.map((a) => (a.streak > 0 ? `${a.displayName} (${a.streak}-day streak)` : a.displayName)).join(', ');
}

/**
 * The summary: how many answered, who kept their streak (names only, no
 * answers), and the reference answer as the message's spoiler (hidden where the
 * platform can hide it). Everyone who answered has already seen it privately.
 */
export function dailySummaryMessage(args: {
  question: StoredQuestion;
  localDate: string;
  answerers: readonly DailyAnswerer[];
}): Message {
  const { question, localDate, answerers } = args;
  const kept = answerers.filter((a) => a.streak > 0);
  const count =
    answerers.length === 0
      ? 'Nobody answered this one. Try it anyway: /ask works any time.'
      : `${answerers.length} ${answerers.length === 1 ? 'person' : 'people'} answered.`;
  const body: Root = doc(
    p(strong('Daily question summary'), text(` · ${localDate}`)),
    p(strong(text(question.prompt))),
    p(text(count)),
    kept.length > 0 && p(text('Kept their streak: '), userText(names(kept))),
    // Only Discord can hide it (a spoiler); Slack shows it under its own heading and the console prints it,
    // so the words must stay true on every platform rather than promise it is hidden.
    p(emph('The reference answer follows. Try the question yourself before you read it.')),
  );
  const answer = question.answer.trim();
  const spoiler: Root = answer ? fromMarkdown(answer) : doc(p(emph('(no reference answer in the notes)')));
  return { body, spoiler };
}
