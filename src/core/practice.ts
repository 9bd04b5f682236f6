import type { EventContext, Responder } from '../chat/port.ts';
import { code, emph, p, strong, text, userText } from '../chat/md.ts';
import type { AttemptQueue, AttemptRecord, AttemptSource, DueReview, PersonRef } from '../store/practice-types.ts';
import type { StoredQuestion } from '../store/types.ts';
import { ACTION_EXTRA, loadLine, practiceDayWindow, queueDoneMessage, today } from './daily-queue.ts';
import { nextExtra } from './load.ts';
import { checkAnswerText, gradeAndRecord, rateAttempt } from './answering.ts';
import { coreCommands, MAX_ANSWER_CHARS } from './commands.ts';
import {
  ACTION_ANSWER,
  ACTION_GIVE_UP,
  ACTION_PRACTISE,
  ACTION_RATE,
  answeredNote,
  FORM_ANSWER,
  info,
  questionMessage,
  revealMessage,
  say,
} from './messages.ts';
import { stringOption, type BotServices, type ButtonEvent, type CommandEvent, type CommandModule, type FormEvent } from './module.ts';
import { END_OF_TIME, isSelfRating, RATING_LABELS } from './review.ts';
import { selectQuestion } from './selection.ts';

/** Ask → answer (form) → private reveal with checklist → self-rating → FSRS. */

function spec(name: string) {
  const s = coreCommands.find((c) => c.name === name);
  if (!s) throw new Error(`no command spec named ${name}`);
  return s;
}

function workspaceKey(ctx: EventContext): string {
  return `${ctx.platform}:${ctx.workspaceId}`;
}

const SAME_POST_WINDOW_MS = 20 * 3_600_000;

async function ask(event: CommandEvent, respond: Responder, s: BotServices): Promise<void> {
  const person = await s.person(event.ctx);
  const topicInput = stringOption(event, 'topic');
  let topic: { id: string; name: string } | undefined;
  if (topicInput !== undefined) {
    const r = s.topics.resolve(topicInput);
    if (!r.ok) {
      const hint = r.suggestions.length > 0 ? ` Did you mean: ${r.suggestions.join(', ')}?` : '';
      await respond.reply(say('I don’t know the topic “', userText(topicInput), `”.${hint} `, code('/topics'), ' lists them all.'), 'private');
      return;
    }
    topic = { id: r.id, name: r.name };
  }
  // Questions without a reference answer are asked on request (answered:false), or when a topic has nothing else.
  const onlyUnanswered = event.options['answered'] === false;
  const where = topic ? { topic: topic.id } : {};
  let candidates = onlyUnanswered ? [] : await s.bank.listQuestions({ servable: true, ...where });
  if (candidates.length === 0 && (onlyUnanswered || topic)) candidates = await s.bank.listQuestions({ unanswered: true, ...where });
  if (candidates.length === 0) {
    await respond.reply(
      onlyUnanswered
        ? say(`Every question${topic ? ` on ${topic.name}` : ''} has a reference answer. Leave out `, code('answered:false'), ' to practise them.')
        : topic
        ? say(`There are no questions on ${topic.name} yet. Try another topic from `, code('/topics'), '.')
        : say('The question bank is empty. Add notes and run ', code('prepbot import notes'), '.'),
      'private',
    );
    return;
  }
  const now = s.clock.now();
  const ids = candidates.map((q) => q.id);
  const extra = event.options['extra'] === true;
  // No topic, no answered:false, not extra: the daily queue, within the caps. Anything asked for by
  // name is custom study (as in Anki): not capped, not counted, rated as usual.
  if (!extra && !topic && !onlyUnanswered) return askFromDailyQueue(event, respond, s, person, candidates);
  const [reviews, seen, last] = await Promise.all([
    s.practice.dueReviews(person.personId, END_OF_TIME, 100_000),
    s.practice.seenQuestionIds(person.personId),
    s.practice.lastQuestionId(person.personId),
  ]);
  const lastOpt = last ? { lastQuestionId: last } : {};
  const pick = extra
    ? await extraPick(s, person, ids, reviews, new Set(seen), lastOpt)
    : selectQuestion({ candidates: ids, reviews, seen: new Set(seen), ...lastOpt, now });
  if (!pick) {
    await respond.reply(
      say(`You just had the only question${topic ? ` on ${topic.name}` : ''}. Try another topic from `, code('/topics'), '.'),
      'private',
    );
    return;
  }
  const question = candidates.find((q) => q.id === pick.questionId)!;
  const note = [
    question.emptyAnswer ? NO_REFERENCE : pick.reason === 'due' ? 'Due for review.' : '',
    extra ? 'Extra practice: counts for your streak and stats; your rating leaves its review schedule as it is.' : '',
  ].filter(Boolean).join(' ');
  await postQuestion(event, respond, s, person, question, note, extra ? 'extra' : undefined);
}

const NO_REFERENCE = 'No reference answer in the notes: answer as you would, then rate yourself.';

/** Starts the person's /ask attempt on `question` and posts it in the conversation. */
async function postQuestion(
  event: CommandEvent,
  respond: Responder,
  s: BotServices,
  person: PersonRef,
  question: StoredQuestion,
  note: string,
  queue: AttemptQueue | undefined,
): Promise<void> {
  const attempt = await s.practice.startAttempt({
    personId: person.personId,
    questionId: question.id,
    conversationId: event.ctx.conversationId,
    workspaceKey: workspaceKey(event.ctx),
    source: 'ask',
    now: s.clock.now(),
    ...(queue ? { queue } : {}),
  });
  await respond.reply(questionMessage(question, attempt.id, note ? { note } : {}), 'public');
}

/** Extra practice: a question by core/load's nextExtra, avoiding what was answered today. */
async function extraPick(
  s: BotServices,
  person: PersonRef,
  candidates: string[],
  reviews: DueReview[],
  seen: Set<string>,
  last: { lastQuestionId?: string },
): Promise<{ questionId: string; reason: 'extra' } | undefined> {
  const { start, end } = practiceDayWindow(s, person, s.clock.now());
  const load = await s.practice.dayLoad(person.personId, start, end);
  const id = nextExtra({ candidates, reviews, seen, answeredToday: new Set(load.answeredQuestionIds), ...last });
  return id ? { questionId: id, reason: 'extra' } : undefined;
}

/** `/ask` without a topic: due reviews, then new questions, within today's caps; then the offer of extra practice. */
async function askFromDailyQueue(
  event: CommandEvent,
  respond: Responder,
  s: BotServices,
  person: PersonRef,
  candidates: StoredQuestion[],
): Promise<void> {
  const t = await today(s, person, workspaceKey(event.ctx), candidates.map((q) => q.id));
  const pick = t.queue.pick;
  if (!pick) {
    await respond.reply(queueDoneMessage(t), 'private');
    return;
  }
  const question = candidates.find((q) => q.id === pick.questionId)!;
  const note = question.emptyAnswer ? NO_REFERENCE : pick.queue === 'review' ? 'Due for review.' : 'New question.';
  await postQuestion(event, respond, s, person, question, note, pick.queue);
  // The person's load is theirs: privately, even when the question is in a channel.
  await respond.reply(say(loadLine(t)), 'private');
}

/**
 * The attempt a button press is about, for the person who pressed it. Someone
 * else's question in a channel gets the presser their own attempt on the same
 * question, so a team can all answer one post; repeated presses reuse it.
 */
async function attemptForPresser(
  event: ButtonEvent,
  person: PersonRef,
  s: BotServices,
): Promise<AttemptRecord | 'gone'> {
  const now = s.clock.now();
  let questionId: string;
  let source: AttemptSource;
  /** Attempts asked at or after this instant came from this same post. */
  let postedAt: string;
  const m = /^(q|daily):(.+)$/.exec(event.value);
  if (m) {
    questionId = m[2]!;
    source = m[1] === 'daily' ? 'daily' : 'ask';
    // The post's time is not in the button; a daily post is answered the same day.
    postedAt = new Date(now.getTime() - SAME_POST_WINDOW_MS).toISOString();
  } else {
    const attempt = await s.practice.getAttempt(event.value);
    if (!attempt) return 'gone';
    if (attempt.personId === person.personId) return attempt;
    questionId = attempt.questionId;
    source = attempt.source;
    postedAt = attempt.askedAt;
  }
  // Pressing again reuses the presser's attempt from this post, open or answered, so nobody answers one post twice.
  const latest = await s.practice.latestAttempt(person.personId, questionId, event.ctx.conversationId);
  if (latest && (latest.answeredAt === null || latest.askedAt >= postedAt)) return latest;
  const question = await s.bank.getQuestion(questionId);
  if (!question || question.retired) return 'gone';
  return s.practice.startAttempt({
    personId: person.personId,
    questionId,
    conversationId: event.ctx.conversationId,
    workspaceKey: workspaceKey(event.ctx),
    source,
    now,
  });
}

const GONE = say('That question is no longer available. Use ', code('/ask'), ' for a new one.');
const ALREADY = say('You already answered this one; your first answer counts. Use ', code('/ask'), ' for another.');

async function onAnswerButton(event: ButtonEvent, respond: Responder, s: BotServices): Promise<void> {
  const person = await s.person(event.ctx);
  const attempt = await attemptForPresser(event, person, s);
  if (attempt === 'gone') return respond.reply(GONE, 'private');
  if (attempt.answeredAt !== null) return respond.reply(ALREADY, 'private');
  const question = await s.bank.getQuestion(attempt.questionId);
  if (!question) return respond.reply(GONE, 'private');
  if (respond.openForm) {
    await respond.openForm({
      id: FORM_ANSWER,
      value: attempt.id,
      title: 'Your answer',
      label: question.prompt,
      placeholder: 'Answer as you would in the interview. The reference answer is shown after you submit.',
      maxLength: MAX_ANSWER_CHARS,
    });
    return;
  }
  // No form on this platform: the /answer command takes the text instead.
  await respond.reply(say('Type your answer with ', code('/answer <your answer>'), '. Only you will see the reference answer.'), 'private');
}

async function onGiveUp(event: ButtonEvent, respond: Responder, s: BotServices): Promise<void> {
  const person = await s.person(event.ctx);
  const attempt = await attemptForPresser(event, person, s);
  if (attempt === 'gone') return respond.reply(GONE, 'private');
  const result = await s.practice.giveUp(attempt.id, person.personId, s.clock.now());
  if (!result.ok) return respond.reply(result.reason === 'closed' ? ALREADY : GONE, 'private');
  const question = await s.bank.getQuestion(attempt.questionId);
  if (!question) return respond.reply(GONE, 'private');
  await respond.reply(revealMessage({ question, attemptId: attempt.id }), 'private');
}

/** Grades and records an answer, then reveals privately. Shared by the form and /answer. */
async function submitAnswer(
  ctx: EventContext,
  attemptId: string,
  typed: string,
  respond: Responder,
  s: BotServices,
): Promise<void> {
  const person = await s.person(ctx);
  const checked = checkAnswerText(typed);
  if (!checked.ok) return respond.reply(checked.message, 'private');
  const forGrading = checked.forGrading;
  const attempt = await s.practice.getAttempt(attemptId);
  if (!attempt) return respond.reply(GONE, 'private');
  if (attempt.personId !== person.personId) {
    return respond.reply(say('That answer form belongs to someone else. Press Answer on the question to get your own.'), 'private');
  }
  if (attempt.answeredAt !== null) return respond.reply(ALREADY, 'private');
  const question = await s.bank.getQuestion(attempt.questionId);
  if (!question) return respond.reply(GONE, 'private');
  const { grade, result } = await gradeAndRecord({ attemptId: attempt.id, person, typed, forGrading, keyPoints: question.keyPoints, s });
  if (!result.ok) return respond.reply(result.reason === 'closed' ? ALREADY : GONE, 'private');
  await respond.reply(
    revealMessage({
      question,
      attemptId: attempt.id,
      answer: typed,
      grade,
      streak: { current: result.streak.current, newDay: result.newDay },
    }),
    'private',
  );
  if (!ctx.isDirect) await respond.reply(answeredNote(person.displayName), 'public');
}

async function onForm(event: FormEvent, respond: Responder, s: BotServices): Promise<void> {
  await submitAnswer(event.ctx, event.value, event.text, respond, s);
}

async function answerCommand(event: CommandEvent, respond: Responder, s: BotServices): Promise<void> {
  const person = await s.person(event.ctx);
  const open =
    (await s.practice.openAttempt(person.personId, event.ctx.conversationId)) ?? (await s.practice.openAttempt(person.personId));
  if (!open) {
    await respond.reply(say('You have no open question. Use ', code('/ask'), ' to get one.'), 'private');
    return;
  }
  // The raw option, untrimmed: stored as typed.
  const raw = event.options['text'];
  const typed = raw === undefined ? '' : String(raw);
  const owner = s.typedAnswer(open.source);
  if (owner) return owner(event.ctx, open, typed, respond, s);
  await submitAnswer(event.ctx, open.id, typed, respond, s);
}

async function onRate(event: ButtonEvent, respond: Responder, s: BotServices): Promise<void> {
  const person = await s.person(event.ctx);
  const m = /^(\d+):(\w+)$/.exec(event.value);
  const rating = m?.[2];
  if (!m || !rating || !isSelfRating(rating)) {
    await respond.reply(say('That button is out of date. Use ', code('/ask'), ' for a new question.'), 'private');
    return;
  }
  const { result, next, kept } = await rateAttempt(m[1]!, person.personId, rating, s);
  if (!result.ok) {
    const msg =
      result.reason === 'closed'
        ? say('You already rated this one.')
        : result.reason === 'not-revealed'
          ? say('Answer the question (or give up) before rating it.')
          : result.reason === 'not-yours'
            ? say('Those rating buttons belong to someone else.')
            : GONE;
    await respond.reply(msg, 'private');
    return;
  }
  if (kept) {
    const when =
      next === 'due now' ? 'it is still due' : next ? `its next review stays ${next}` : 'it has no review date yet and comes back as a new question';
    await respond.reply(
      info(
        p(strong(RATING_LABELS[rating]), text(`. Extra practice: your schedule is unchanged (${when}).`)),
        p(emph('More: '), code('/ask extra:true'), emph('; your daily queue: '), code('/ask'), emph('.')),
      ),
      'private',
    );
    return;
  }
  await respond.reply(
    info(
      p(strong(RATING_LABELS[rating]), text(`. Next review ${next}.`)),
      p(emph('Use '), code('/ask'), emph(' for the next question.')),
    ),
    'private',
  );
}

export const practiceModules: CommandModule[] = [
  {
    spec: spec('ask'),
    run: ask,
    async autocomplete(event, s) {
      if (event.option !== 'topic') return [];
      return s.topics.rank(event.partial, 25).map((t) => ({ name: t.name, value: t.id }));
    },
    buttons: {
      [ACTION_ANSWER]: onAnswerButton,
      [ACTION_GIVE_UP]: onGiveUp,
      [ACTION_RATE]: onRate,
      [ACTION_PRACTISE]: (event, respond, s) => ask({ kind: 'command', ctx: event.ctx, command: 'ask', options: {} }, respond, s),
      [ACTION_EXTRA]: (event, respond, s) => ask({ kind: 'command', ctx: event.ctx, command: 'ask', options: { extra: true } }, respond, s),
    },
  },
  { spec: spec('answer'), run: answerCommand },
];

export const practiceForms: Record<string, (event: FormEvent, respond: Responder, s: BotServices) => Promise<void>> = {
  [FORM_ANSWER]: onForm,
};
