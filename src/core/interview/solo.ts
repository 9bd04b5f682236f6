import { randomBytes } from 'node:crypto';
import type { EventContext, Responder } from '../../chat/port.ts';
import { code, doc, emph, p, userText } from '../../chat/md.ts';
import type { InterviewItem, InterviewRecord, InterviewSession } from '../../store/interview-types.ts';
import type { PersonRef } from '../../store/practice-types.ts';
import type { StoredQuestion } from '../../store/types.ts';
import { checkAnswerText } from '../answer-text.ts';
import type { Grade, GradedPoint } from '../grading.ts';
import { MAX_ANSWER_CHARS } from '../commands.ts';
import { revealMessage, say } from '../messages.ts';
import type { BotServices, ButtonEvent, CommandEvent, FormEvent } from '../module.ts';
import { daysUntil, END_OF_TIME, nextCard, parseCard, RATING_LABELS, type SelfRating } from '../review.ts';
import { localDate } from '../streaks.ts';
import {
  finishedNote,
  FORM_IV_ANSWER,
  historyMessage,
  interviewQuestionMessage,
  interviewRatingActions,
  itemValue,
  parseItemValue,
  parseRateValue,
  progressLine,
  questionsText,
  resumeOffer,
  scorecardMessage,
  type ItemRef,
} from './messages.ts';
import { planInterview } from './plan.ts';
import { buildScorecard, topicTrends } from './scorecard.ts';
import { MINUTES, QUESTIONS, rangeOption } from './spec.ts';
import type { InterviewDeps, PeerHooks } from './types.ts';

/**
 * The solo mock interview: /interview start → one private question at a time
 * (Answer / Skip / Give up) → the same form, grading, reveal and FSRS rating as
 * /ask → maybe one follow-up → next → a private scorecard. Every step reads
 * the session from the store, so a restart resumes where it was, and the time
 * limit is checked against the injected clock at each step.
 */

const HISTORY_LIMIT = 10;

export const newInterviewId = (): string => randomBytes(6).toString('hex');

const workspaceKey = (ctx: EventContext) => `${ctx.platform}:${ctx.workspaceId}`;

export const refOf = (interviewId: string, item: Pick<InterviewItem, 'number' | 'followUp'>): ItemRef => ({
  interviewId,
  number: item.number,
  followUp: item.followUp,
});

type ItemState = 'pending' | 'asked' | 'revealed' | 'done';

export function itemState(item: InterviewItem): ItemState {
  if (item.skippedAt !== null) return 'done';
  const a = item.attempt;
  if (!a) return 'pending';
  if (a.answeredAt === null) return 'asked';
  return a.ratedAt === null ? 'revealed' : 'done';
}

export const currentItem = (session: InterviewSession): InterviewItem | undefined =>
  session.items.find((i) => itemState(i) !== 'done');

const findItem = (session: InterviewSession, ref: ItemRef) =>
  session.items.find((i) => i.number === ref.number && i.followUp === ref.followUp);

export const isExpired = (interview: InterviewRecord, now: Date): boolean =>
  interview.deadlineAt !== null && Date.parse(interview.deadlineAt) <= now.getTime();

export function topicName(s: BotServices): (id: string) => string {
  return (id) => {
    const r = s.topics.resolve(id);
    return r.ok ? r.name : id;
  };
}

const OUT_OF_DATE = say('That interview button is out of date. ', code('/interview start'), ' resumes your open interview or starts a new one.');
const NOT_YOURS = say('That is someone else’s mock interview; only they can use its buttons. Start your own with ', code('/interview start'), '.');

export function createSoloFlow(d: InterviewDeps, peer: PeerHooks) {
  async function questionsById(ids: readonly string[], s: BotServices): Promise<Map<string, StoredQuestion>> {
    const out = new Map<string, StoredQuestion>();
    for (const id of new Set(ids)) {
      const q = await s.bank.getQuestion(id);
      if (q) out.set(id, q);
    }
    return out;
  }

  async function scorecardOf(session: InterviewSession, s: BotServices) {
    const qs = await questionsById(session.items.map((i) => i.questionId), s);
    return buildScorecard(session, (id) => qs.get(id));
  }

  /** Ends the session (the first end wins) and shows the scorecard privately; the channel hears only that it finished. */
  async function finish(
    ctx: EventContext,
    interview: InterviewRecord,
    reason: NonNullable<InterviewRecord['endReason']>,
    respond: Responder,
    s: BotServices,
  ): Promise<void> {
    const ended = await d.interviews.end(interview.id, reason, s.clock.now());
    const session = await d.interviews.get(interview.id);
    if (!session) return respond.reply(OUT_OF_DATE, 'private');
    const card = await scorecardOf(session, s);
    await respond.reply(scorecardMessage(session.interview, card, topicName(s), { share: !ctx.isDirect }), 'private');
    if (ended && !ctx.isDirect) await respond.reply(finishedNote(session.interview.candidateName, session.interview.questionCount), 'public');
  }

  /**
   * Shows whatever the session is waiting for: the next question (starting its
   * attempt), the open one again, or the reveal waiting for a rating; ends the
   * session when nothing is left or time is up.
   */
  async function showCurrent(ctx: EventContext, interviewId: string, respond: Responder, s: BotServices, note?: string): Promise<void> {
    const session = await d.interviews.get(interviewId);
    if (!session || session.interview.endedAt !== null) return respond.reply(OUT_OF_DATE, 'private');
    const { interview } = session;
    const now = s.clock.now();
    const item = currentItem(session);
    if (!item) return finish(ctx, interview, 'completed', respond, s);
    const state = itemState(item);
    // An answer that is waiting for its rating is never lost to the clock: rate it, then the session ends.
    if (isExpired(interview, now) && state !== 'revealed') return finish(ctx, interview, 'time', respond, s);
    const question = await s.bank.getQuestion(item.questionId);
    if (!question) {
      // Removed from the notes while the interview ran: skip it rather than block the session.
      await d.interviews.skipItem(refOf(interview.id, item), now);
      return showCurrent(ctx, interviewId, respond, s, note);
    }
    const ref = refOf(interview.id, item);
    if (state === 'revealed') {
      const a = item.attempt!;
      const reveal = revealMessage({
        question,
        attemptId: a.id,
        ...(a.gaveUp ? {} : { answer: a.answerText ?? '' }),
        ...(a.gaveUp ? {} : { grade: parseGrade(a.coverageJson, a.coverage) }),
      });
      await respond.reply({ body: doc(p(progressLine(interview, ref, now)), ...reveal.body.children), actions: interviewRatingActions(ref) }, 'private');
      return;
    }
    if (state === 'pending') {
      const attempt = await s.practice.startAttempt({
        personId: interview.candidateId,
        questionId: question.id,
        conversationId: ctx.conversationId,
        workspaceKey: workspaceKey(ctx),
        source: 'interview',
        now,
      });
      // Another press showed it first: show what the store holds instead of a second attempt.
      if (!(await d.interviews.showItem(ref, attempt.id))) return showCurrent(ctx, interviewId, respond, s, note);
    }
    await respond.reply(interviewQuestionMessage({ interview, ref, question, now, ...(note ? { note } : {}) }), 'private');
  }

  /** The session and item a button is about, if the presser may act on it; else the polite refusal was sent. */
  async function itemForPresser(
    ctx: EventContext,
    ref: ItemRef | undefined,
    respond: Responder,
    s: BotServices,
  ): Promise<{ person: PersonRef; session: InterviewSession; item: InterviewItem } | undefined> {
    const person = await s.person(ctx);
    const session = ref && (await d.interviews.get(ref.interviewId));
    const item = session && ref && findItem(session, ref);
    if (!session || !item || session.interview.kind !== 'solo') {
      await respond.reply(OUT_OF_DATE, 'private');
      return undefined;
    }
    if (session.interview.candidateId !== person.personId) {
      await respond.reply(NOT_YOURS, 'private');
      return undefined;
    }
    if (session.interview.endedAt !== null) {
      await respond.reply(say('That interview has ended. ', code('/interview history'), ' shows its scorecard; ', code('/interview start'), ' begins a new one.'), 'private');
      return undefined;
    }
    return { person, session, item };
  }

  async function start(event: CommandEvent, respond: Responder, s: BotServices): Promise<void> {
    const person = await s.person(event.ctx);
    const count = rangeOption(event.options, 'questions', QUESTIONS);
    if (!count.ok) return respond.reply(say(`${count.error}. Example: `, code('/interview start concurrency questions:5 minutes:30'), '.'), 'private');
    const minutes = rangeOption(event.options, 'minutes', MINUTES);
    if (!minutes.ok) return respond.reply(say(`${minutes.error}. Example: `, code('/interview start concurrency questions:5 minutes:30'), '.'), 'private');
    const includeUnanswered = event.options['unanswered'] === true;

    const now = s.clock.now();
    const open = await d.interviews.openFor(person.personId);
    if (open) {
      if (open.kind === 'solo' && isExpired(open, now) && open.candidateId === person.personId) {
        const session = await d.interviews.get(open.id);
        const waiting = session && currentItem(session);
        // Expired with nothing left to rate: close it quietly and go on to the new one.
        if (!waiting || itemState(waiting) !== 'revealed') await d.interviews.end(open.id, 'time', now);
        else return respond.reply(resumeOffer(open, now), 'private');
      } else {
        return respond.reply(resumeOffer(open, now), 'private');
      }
    }

    const topicInput = event.options['topic'] === undefined ? undefined : String(event.options['topic']).trim() || undefined;
    let topic: { id: string; name: string } | undefined;
    if (topicInput !== undefined) {
      const r = s.topics.resolve(topicInput);
      if (!r.ok) {
        const hint = r.suggestions.length > 0 ? ` Did you mean: ${r.suggestions.join(', ')}?` : '';
        return respond.reply(say('I don’t know the topic “', userText(topicInput), `”.${hint} `, code('/topics'), ' lists them all.'), 'private');
      }
      topic = { id: r.id, name: r.name };
    }
    const candidates = await askable(s, topic?.id, includeUnanswered);
    if (candidates.length === 0) {
      return respond.reply(
        topic
          ? say(`There are no questions with reference answers on ${topic.name} yet. Try another topic from `, code('/topics'), ', or add ', code('unanswered:true'), '.')
          : say('The question bank is empty. Add notes and run ', code('prepbot import notes'), '.'),
        'private',
      );
    }
    const [reviews, seen] = await Promise.all([
      s.practice.dueReviews(person.personId, END_OF_TIME, 100_000),
      s.practice.seenQuestionIds(person.personId),
    ]);
    const questionIds = planInterview({
      candidates,
      reviews,
      seen: new Set(seen),
      ...(topic ? { topic: topic.id } : {}),
      count: count.value,
      now,
    });
    const created = await d.interviews.create({
      id: newInterviewId(),
      kind: 'solo',
      candidateId: person.personId,
      candidateAccount: event.ctx.actor.id,
      conversationId: event.ctx.conversationId,
      workspaceKey: workspaceKey(event.ctx),
      topic: topic?.id ?? null,
      minutes: minutes.value,
      includeUnanswered,
      questionIds,
      now,
    });
    if (!created.ok) return respond.reply(resumeOffer(created.open, now), 'private');
    const fewer =
      questionIds.length < count.value ? ` Only ${questionsText(questionIds.length)}${topic ? ` on ${topic.name}` : ''} are available.` : '';
    await showCurrent(
      event.ctx,
      created.session.interview.id,
      respond,
      s,
      `Mock interview: ${questionsText(questionIds.length)}, ${minutes.value} minutes.${fewer} Answer as you would out loud; the reference answers come after each answer.`,
    );
  }

  async function askable(s: BotServices, topic: string | undefined, includeUnanswered: boolean): Promise<StoredQuestion[]> {
    const servable = await s.bank.listQuestions({ servable: true, ...(topic ? { topic } : {}) });
    if (!includeUnanswered) return servable;
    const ids = new Set(servable.map((q) => q.id));
    // A follow-up is asked only after its question, never on its own.
    const unanswered = (await s.bank.listQuestions(topic ? { topic } : {})).filter(
      (q) => q.emptyAnswer && !q.retired && q.parentId === null && !ids.has(q.id),
    );
    return [...servable, ...unanswered];
  }

  async function onAnswer(event: ButtonEvent, respond: Responder, s: BotServices): Promise<void> {
    const found = await itemForPresser(event.ctx, parseItemValue(event.value), respond, s);
    if (!found) return;
    const { session, item } = found;
    const state = itemState(item);
    if (state !== 'asked') {
      if (state === 'pending') return showCurrent(event.ctx, session.interview.id, respond, s);
      return respond.reply(say('You already answered this one. ', code('/interview start'), ' shows where you are.'), 'private');
    }
    const question = await s.bank.getQuestion(item.questionId);
    if (!question) return showCurrent(event.ctx, session.interview.id, respond, s);
    if (respond.openForm) {
      await respond.openForm({
        id: FORM_IV_ANSWER,
        value: itemValue(refOf(session.interview.id, item)),
        title: 'Your answer',
        label: question.prompt,
        placeholder: 'Answer as you would in the interview. The reference answer is shown after you submit.',
        maxLength: MAX_ANSWER_CHARS,
      });
      return;
    }
    await respond.reply(say('Type your answer with ', code('/answer <your answer>'), '. Only you will see the reference answer.'), 'private');
  }

  /** Grades and records an interview answer, then reveals it privately with the rating buttons. Shared by the form and /answer. */
  async function submit(ctx: EventContext, ref: ItemRef | undefined, typed: string, respond: Responder, s: BotServices): Promise<void> {
    const checked = checkAnswerText(typed);
    if (!checked.ok) return respond.reply(checked.message, 'private');
    const found = await itemForPresser(ctx, ref, respond, s);
    if (!found) return;
    const { person, session, item } = found;
    const a = item.attempt;
    if (!a || a.answeredAt !== null || item.skippedAt !== null) {
      return respond.reply(say('You already answered this one; your first answer counts. ', code('/interview start'), ' shows where you are.'), 'private');
    }
    const question = await s.bank.getQuestion(item.questionId);
    if (!question) return showCurrent(ctx, session.interview.id, respond, s);
    const grade = await s.grader.grade(checked.forGrading, question.keyPoints);
    const now = s.clock.now();
    const result = await s.practice.recordAnswer({
      attemptId: a.id,
      personId: person.personId,
      text: typed,
      coverage: grade.coverage,
      coverageJson: JSON.stringify(grade.points),
      now,
      ...(await s.streakDay(person, now)),
    });
    if (!result.ok) return respond.reply(say('You already answered this one; your first answer counts.'), 'private');
    const reveal = revealMessage({
      question,
      attemptId: a.id,
      answer: typed,
      grade,
      streak: { current: result.streak.current, newDay: result.newDay },
    });
    const ivRef = refOf(session.interview.id, item);
    const late = isExpired(session.interview, now) ? p(emph('Time is up: rate this one and the interview ends.')) : null;
    await respond.reply(
      { body: doc(p(progressLine(session.interview, ivRef, now)), ...reveal.body.children, late), actions: interviewRatingActions(ivRef) },
      'private',
    );
  }

  async function onGiveUp(event: ButtonEvent, respond: Responder, s: BotServices): Promise<void> {
    const found = await itemForPresser(event.ctx, parseItemValue(event.value), respond, s);
    if (!found) return;
    const { person, session, item } = found;
    if (itemState(item) !== 'asked') return showCurrent(event.ctx, session.interview.id, respond, s);
    await s.practice.giveUp(item.attempt!.id, person.personId, s.clock.now());
    await showCurrent(event.ctx, session.interview.id, respond, s);
  }

  async function onSkip(event: ButtonEvent, respond: Responder, s: BotServices): Promise<void> {
    const found = await itemForPresser(event.ctx, parseItemValue(event.value), respond, s);
    if (!found) return;
    const { session, item } = found;
    const skipped = await d.interviews.skipItem(refOf(session.interview.id, item), s.clock.now());
    await showCurrent(event.ctx, session.interview.id, respond, s, skipped ? 'Skipped.' : undefined);
  }

  async function onRate(event: ButtonEvent, respond: Responder, s: BotServices): Promise<void> {
    const parsed = parseRateValue(event.value);
    const found = await itemForPresser(event.ctx, parsed?.ref, respond, s);
    if (!found || !parsed) return;
    const { person, session, item } = found;
    if (itemState(item) !== 'revealed') return showCurrent(event.ctx, session.interview.id, respond, s);
    const now = s.clock.now();
    const rated = await rateAttempt(item.attempt!.id, person.personId, parsed.rating, s);
    let note = rated ? `${RATING_LABELS[parsed.rating]}: next review ${rated}.` : undefined;
    if (rated && !item.followUp && !item.attempt!.gaveUp && !isExpired(session.interview, now)) {
      const followUp = await pickFollowUp(session, item, s);
      if (followUp && (await d.interviews.addFollowUp(session.interview.id, item.number, followUp.id))) {
        note = `${note} A follow-up on that:`;
      }
    }
    await showCurrent(event.ctx, session.interview.id, respond, s, note);
  }

  async function pickFollowUp(session: InterviewSession, item: InterviewItem, s: BotServices): Promise<StoredQuestion | undefined> {
    const all = (await d.followUps(item.questionId)).filter((q) => !q.retired && (session.interview.includeUnanswered || !q.emptyAnswer));
    if (all.length === 0) return undefined;
    const seen = new Set(await s.practice.seenQuestionIds(session.interview.candidateId));
    // Like an interviewer: one follow-up, the one this person has not been asked before if there is one.
    return all.find((q) => !seen.has(q.id)) ?? all[0];
  }

  async function onResume(event: ButtonEvent, respond: Responder, s: BotServices): Promise<void> {
    const person = await s.person(event.ctx);
    const open = await d.interviews.openFor(person.personId);
    if (!open || open.id !== event.value) return respond.reply(OUT_OF_DATE, 'private');
    if (open.kind === 'peer') return peer.resume(event.ctx, open, respond, s);
    await showCurrent(event.ctx, open.id, respond, s, 'Resumed.');
  }

  async function onAbandon(event: ButtonEvent, respond: Responder, s: BotServices): Promise<void> {
    const person = await s.person(event.ctx);
    const open = await d.interviews.openFor(person.personId);
    if (!open || open.id !== event.value) return respond.reply(OUT_OF_DATE, 'private');
    await d.interviews.end(open.id, 'abandoned', s.clock.now());
    await respond.reply(say('Abandoned; it stays in ', code('/interview history'), '. Start a new one with ', code('/interview start'), '.'), 'private');
  }

  async function stop(event: CommandEvent, respond: Responder, s: BotServices): Promise<void> {
    const person = await s.person(event.ctx);
    const open = await d.interviews.openFor(person.personId);
    if (!open) return respond.reply(say('You have no open interview. Start one with ', code('/interview start'), '.'), 'private');
    if (open.kind === 'peer') return peer.stop(event.ctx, open, respond, s);
    await finish(event.ctx, open, 'stopped', respond, s);
  }

  async function onShare(event: ButtonEvent, respond: Responder, s: BotServices): Promise<void> {
    const person = await s.person(event.ctx);
    const session = await d.interviews.get(event.value);
    if (!session) return respond.reply(OUT_OF_DATE, 'private');
    if (session.interview.candidateId !== person.personId) return respond.reply(NOT_YOURS, 'private');
    if (session.interview.endedAt === null) return respond.reply(say('Finish the interview first; then you can share its scorecard.'), 'private');
    if (!(await d.interviews.markShared(session.interview.id, s.clock.now()))) {
      return respond.reply(say('You already shared this scorecard.'), 'private');
    }
    const card = await scorecardOf(session, s);
    const shared = scorecardMessage(session.interview, card, topicName(s), { share: false });
    await respond.reply({ body: doc(p(userText(session.interview.candidateName), ' shared their scorecard:'), ...shared.body.children) }, 'public');
  }

  async function history(event: CommandEvent, respond: Responder, s: BotServices): Promise<void> {
    const person = await s.person(event.ctx);
    const past = (await d.interviews.history(person.personId, HISTORY_LIMIT)).filter((h) => h.interview.candidateId === person.personId);
    const zone = s.zoneOf(person);
    const cards = await Promise.all(past.map(async (h) => ({ startedAt: h.interview.startedAt, h, card: await scorecardOf(h, s) })));
    const rows = cards.map(({ h, card }) => ({
      date: localDate(new Date(h.interview.startedAt), zone),
      topic: h.interview.topic,
      questions: h.interview.questionCount,
      answered: card.answered,
      coverage: card.overallCoverage,
    }));
    const trends = [...topicTrends(cards)].map(([topic, values]) => ({ topic, values })).sort((a, b) => a.topic.localeCompare(b.topic));
    await respond.reply(historyMessage(rows, trends, topicName(s)), 'private');
  }

  return {
    start,
    stop,
    history,
    submit,
    finish,
    scorecardOf,
    onForm: (event: FormEvent, respond: Responder, s: BotServices) => submit(event.ctx, parseItemValue(event.value), event.text, respond, s),
    buttons: { onAnswer, onSkip, onGiveUp, onRate, onResume, onAbandon, onShare },
  };
}

/** The FSRS step /ask uses; returns "tomorrow" / "in N days", or undefined when it was already rated. */
export async function rateAttempt(attemptId: string, personId: string, rating: SelfRating, s: BotServices): Promise<string | undefined> {
  const now = s.clock.now();
  const result = await s.practice.rate({
    attemptId,
    personId,
    rating,
    now,
    schedule: (previous) => {
      const card = nextCard(previous === undefined ? undefined : parseCard(previous), rating, now);
      return { card, due: card.due };
    },
  });
  if (!result.ok) return undefined;
  const days = daysUntil(result.due, now);
  return days <= 1 ? 'tomorrow' : `in ${days} days`;
}

/** The checklist stored with an answer, read back for a reveal shown again after a restart. */
export function parseGrade(json: string | null, coverage: number | null): Grade {
  let points: GradedPoint[] = [];
  try {
    const v: unknown = json === null ? [] : JSON.parse(json);
    if (Array.isArray(v)) {
      points = v
        .filter((x): x is { text: string } => typeof x === 'object' && x !== null && typeof x.text === 'string')
        .map((x) => {
          const raw = x as { text: string; covered?: unknown; matched?: unknown };
          const matched = Array.isArray(raw.matched) ? raw.matched.filter((m): m is string => typeof m === 'string') : [];
          return { text: raw.text, covered: raw.covered === true, matched };
        });
    }
  } catch {
    points = []; // a corrupt row shows an empty checklist rather than failing the interview
  }
  return { points, coverage: coverage ?? 0 };
}
