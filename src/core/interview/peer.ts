import type { Action, Message } from '../../chat/message.ts';
import type { EventContext, Responder } from '../../chat/port.ts';
import { code, doc, emph, fromMarkdown, list, p, quote, strong, text, userText } from '../../chat/md.ts';
import type { InterviewItem, InterviewRecord, InterviewSession } from '../../store/interview-types.ts';
import type { PersonRef } from '../../store/practice-types.ts';
import type { StoredQuestion } from '../../store/types.ts';
import { checkAnswerText, gradeAndRecord, rateAttempt, resolveTopicInput } from '../answering.ts';
import { MAX_ANSWER_CHARS } from '../commands.ts';
import { say } from '../messages.ts';
import { stringOption, type BotServices, type ButtonEvent, type CommandEvent, type FormEvent } from '../module.ts';
import { END_OF_TIME, RATINGS, RATING_LABELS } from '../review.ts';
import { itemValue, parseItemValue, parseRateValue, progressLine, questionsText, scorecardBlocks, type ItemRef } from './messages.ts';
import { planInterview } from './plan.ts';
import type { Scorecard } from './scorecard.ts';
import { currentItem, itemState, newInterviewId, refOf, scorecardOf, topicName } from './solo.ts';
import { QUESTIONS, rangeOption } from './spec.ts';
import type { InterviewDeps, PeerHooks } from './types.ts';

/**
 * Peer interviews: an interviewer and a candidate in a thread. The candidate
 * sees only the question in the thread and answers with the usual form (or
 * out loud, off-platform). The interviewer privately gets each question with
 * its reference answer, key points to tick, follow-ups and 1-4 rating (the
 * Again/Hard/Good/Easy of FSRS, so it schedules the candidate's review). Both
 * get the scorecard privately. Every button checks who pressed it: only the two
 * can act, each only in their role.
 */

export const PEER_ANSWER = 'ivp-answer';
export const PEER_TICK = 'ivp-tick';
export const PEER_RATE = 'ivp-rate';
export const PEER_NOTE = 'ivp-note';
export const PEER_REFRESH = 'ivp-refresh';
export const PEER_FOLLOW_UP = 'ivp-followup';
export const PEER_NEXT = 'ivp-next';
export const PEER_CLARITY = 'ivp-clarity';
export const FORM_PEER_ANSWER = 'ivp-answer';
export const FORM_PEER_NOTE = 'ivp-note';

const MAX_NOTE_CHARS = 1000;
const SCORE_LABELS = ['1 No hire', '2 Lean no', '3 Lean hire', '4 Strong hire'] as const;

const OUT_OF_DATE = say('That interview button is out of date. ', code('/interview start'), ' shows your open interview.');

const mdBlocks = (markdown: string) => (markdown.trim() ? fromMarkdown(markdown).children : []);

type Role = 'interviewer' | 'candidate';

function roleOf(interview: InterviewRecord, person: PersonRef): Role | undefined {
  if (interview.interviewerId === person.personId) return 'interviewer';
  if (interview.candidateId === person.personId) return 'candidate';
  return undefined;
}

/** Coverage from the interviewer's ticks when they ticked, else the automatic grade of a typed answer. */
function tickedOrGraded(item: InterviewItem, points: number): number[] {
  if (item.ticked !== null) return item.ticked.filter((k) => k < points);
  const json = item.attempt?.coverageJson;
  if (!json) return [];
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.flatMap((x, k) => (typeof x === 'object' && x !== null && (x as { covered?: unknown }).covered === true ? [k] : [])) : [];
  } catch {
    return [];
  }
}

export function createPeerFlow(d: InterviewDeps) {
  /** Posts where the candidate sees the interview: its thread through the adapter, else a public reply here. */
  async function postToRoom(ctx: EventContext, interview: InterviewRecord, message: Message, respond: Responder): Promise<void> {
    const adapter = d.outbound(ctx.platform);
    if (adapter && interview.roomId) await adapter.post(interview.roomId, message);
    else await respond.reply(message, 'public');
  }

  /** A private message to a participant who did not press anything: a DM where the platform can. */
  async function tellPrivately(ctx: EventContext, accountId: string, message: Message): Promise<boolean> {
    const adapter = d.outbound(ctx.platform);
    if (!adapter?.postDirect) return false;
    try {
      await adapter.postDirect(accountId, message);
      return true;
    } catch {
      return false;
    }
  }

  const names = (i: InterviewRecord) => `${i.interviewerName ?? 'the interviewer'}’s and ${i.candidateName}’s`;

  async function sessionForPresser(
    ctx: EventContext,
    interviewId: string | undefined,
    respond: Responder,
    s: BotServices,
    need?: Role,
  ): Promise<{ person: PersonRef; session: InterviewSession; role: Role } | undefined> {
    const person = await s.person(ctx);
    const session = interviewId ? await d.interviews.get(interviewId) : undefined;
    if (!session || session.interview.kind !== 'peer') {
      await respond.reply(OUT_OF_DATE, 'private');
      return undefined;
    }
    const role = roleOf(session.interview, person);
    if (!role) {
      await respond.reply(say(`This is ${names(session.interview)} interview; only they can use its buttons. Start your own with `, code('/interview peer @teammate'), '.'), 'private');
      return undefined;
    }
    if (need && role !== need) {
      await respond.reply(say(need === 'interviewer' ? 'Only the interviewer can do that.' : 'Only the candidate answers in this interview.'), 'private');
      return undefined;
    }
    if (session.interview.endedAt !== null) {
      await respond.reply(say('That interview has ended; the scorecards were sent privately.'), 'private');
      return undefined;
    }
    return { person, session, role };
  }

  function roomQuestion(interview: InterviewRecord, ref: ItemRef, question: StoredQuestion, now: Date): Message {
    return {
      body: doc(
        p(strong(progressLine(interview, ref, now)), ' for ', userText(interview.candidateName)),
        p(strong(text(question.prompt))),
        mdBlocks(question.promptDetail),
        p(emph('Answer out loud, or press Answer to type it.')),
      ),
      actions: [{ kind: 'button', id: PEER_ANSWER, label: 'Answer', value: itemValue(ref), style: 'primary' }],
    };
  }

  /** The interviewer's private view of the current item: reference, key points to tick, follow-ups, rating. */
  async function panel(session: InterviewSession, item: InterviewItem, s: BotServices, note?: string): Promise<Message> {
    const { interview } = session;
    const now = s.clock.now();
    const ref = refOf(interview.id, item);
    const question = await s.bank.getQuestion(item.questionId);
    const points = question?.keyPoints ?? [];
    const ticked = new Set(tickedOrGraded(item, points.length));
    const followUps = item.followUp ? [] : await d.followUps(item.questionId);
    const a = item.attempt;
    const value = itemValue(ref);
    const actions: Action[] = [
      ...points.map((_, k) => ({ kind: 'button' as const, id: PEER_TICK, label: `${ticked.has(k) ? '☑' : '☐'} ${k + 1}`, value: `${value}:${k}` })),
      ...RATINGS.map((r, k) => ({ kind: 'button' as const, id: PEER_RATE, label: SCORE_LABELS[k]!, value: `${value}:${r}`, style: r === 'again' ? ('danger' as const) : r === 'good' ? ('success' as const) : ('secondary' as const) })),
      { kind: 'button', id: PEER_NOTE, label: 'Note', value, style: 'secondary' },
      { kind: 'button', id: PEER_REFRESH, label: 'Refresh', value, style: 'secondary' },
    ];
    return {
      body: doc(
        note ? p(emph(note)) : null,
        p(strong(progressLine(interview, ref, now)), emph(' · only you see this')),
        p(strong(text(question?.prompt ?? '(question removed from the notes)'))),
        question && mdBlocks(question.promptDetail),
        p(strong('Reference answer')),
        question && !question.emptyAnswer ? mdBlocks(question.answer) : [p(emph('No reference answer in the notes: judge it yourself.'))],
        points.length > 0 && p(strong('Key points'), ' (press a number to tick what they covered):'),
        points.length > 0 && list(points.map((pt, k) => `${ticked.has(k) ? '☑' : '☐'} ${k + 1}. ${pt}`)),
        followUps.length > 0 && p(strong('Follow-ups you can ask after rating:'), ' ', followUps.map((f) => f.prompt).join(' · ')),
        a?.answeredAt && a.answerText
          ? [p(strong(`${interview.candidateName} typed:`)), quote(p(userText(a.answerText.slice(0, 1500))))]
          : p(emph(`${interview.candidateName} has not typed an answer; tick what they said out loud.`)),
        item.note ? p(strong('Your note: '), userText(item.note)) : null,
        p('Rate the answer (it schedules their review):'),
      ),
      actions,
    };
  }

  /** Advances to the current item: posts its question in the room once and replies with the interviewer's panel. */
  async function showCurrent(ctx: EventContext, interviewId: string, respond: Responder, s: BotServices, note?: string): Promise<void> {
    const session = await d.interviews.get(interviewId);
    if (!session || session.interview.endedAt !== null) return respond.reply(OUT_OF_DATE, 'private');
    const item = currentItem(session);
    if (!item) return finish(ctx, session.interview, 'completed', respond, s);
    const ref = refOf(interviewId, item);
    if (item.attempt === null) {
      const question = await s.bank.getQuestion(item.questionId);
      const now = s.clock.now();
      if (!question) {
        await d.interviews.skipItem(ref, now);
        return showCurrent(ctx, interviewId, respond, s, note);
      }
      const shown = await d.interviews.showItem(ref, {
        personId: session.interview.candidateId,
        conversationId: session.interview.roomId ?? session.interview.conversationId,
        workspaceKey: session.interview.workspaceKey,
        now,
      });
      if (shown) await postToRoom(ctx, session.interview, roomQuestion(session.interview, ref, question, now), respond);
    }
    const fresh = (await d.interviews.get(interviewId))!;
    await respond.reply(await panel(fresh, currentItem(fresh) ?? item, s, note), 'private');
  }

  async function start(event: CommandEvent, respond: Responder, s: BotServices): Promise<void> {
    const { ctx } = event;
    if (ctx.isDirect) return respond.reply(say('Run ', code('/interview peer @teammate'), ' in a channel: the interview gets a thread there.'), 'private');
    const me = await s.person(ctx);
    const raw = stringOption(event, 'candidate');
    if (!raw) return respond.reply(say('Who do you want to interview? ', code('/interview peer @teammate [topic] [questions:5]'), '.'), 'private');
    const accountId = raw.includes(':') ? raw : `${ctx.platform}:${ctx.workspaceId}:${raw}`;
    if (accountId === ctx.actor.id) {
      return respond.reply(say('You cannot interview yourself; ', code('/interview start'), ' is the solo interview.'), 'private');
    }
    const count = rangeOption(event.options, 'questions', QUESTIONS);
    if (!count.ok) return respond.reply(say(`${count.error}. Example: `, code('/interview peer @teammate concurrency questions:3'), '.'), 'private');
    const topicInput = stringOption(event, 'topic');
    let topic: { id: string; name: string } | undefined;
    if (topicInput !== undefined) {
      const r = resolveTopicInput(topicInput, s);
      if (!r.ok) return respond.reply(r.message, 'private');
      topic = r;
    }
    // Someone who never used prepbot gets a person now; platforms send only an id, so their
    // display name reads "the candidate" until they first press something.
    const candidate =
      (await s.practice.findAccount(accountId)) ??
      (await s.practice.ensureAccount(
        { accountId, platform: ctx.platform, displayName: 'the candidate', workspaceKey: `${ctx.platform}:${ctx.workspaceId}` },
        s.clock.now(),
      ));
    if (candidate.personId === me.personId) {
      return respond.reply(say('That account is linked to you; you cannot interview yourself.'), 'private');
    }
    const candidates = await s.bank.listQuestions({ servable: true, ...(topic ? { topic: topic.id } : {}) });
    if (candidates.length === 0) {
      return respond.reply(say(`There are no questions${topic ? ` on ${topic.name}` : ''} to ask yet. Try another topic from `, code('/topics'), '.'), 'private');
    }
    const now = s.clock.now();
    const [reviews, seen] = await Promise.all([
      s.practice.dueReviews(candidate.personId, END_OF_TIME, 100_000),
      s.practice.seenQuestionIds(candidate.personId),
    ]);
    const questionIds = planInterview({ candidates, reviews, seen: new Set(seen), ...(topic ? { topic: topic.id } : {}), count: count.value, now });
    const created = await d.interviews.create({
      id: newInterviewId(),
      kind: 'peer',
      candidateId: candidate.personId,
      candidateAccount: accountId,
      interviewerId: me.personId,
      interviewerAccount: ctx.actor.id,
      conversationId: ctx.conversationId,
      workspaceKey: `${ctx.platform}:${ctx.workspaceId}`,
      topic: topic?.id ?? null,
      minutes: null,
      includeUnanswered: false,
      questionIds,
      now,
    });
    if (!created.ok) {
      return respond.reply(
        created.who === 'interviewer'
          ? say('You have an interview open. Finish it with ', code('/interview stop'), ' first.')
          : say('They are in another interview right now. Try again when it is over.'),
        'private',
      );
    }
    const { interview } = created.session;
    const intro: Message = {
      body: doc(
        p(userText(interview.interviewerName ?? me.displayName), ' is interviewing ', userText(interview.candidateName), `: ${questionsText(questionIds.length)}${topic ? ` on ${topic.name}` : ''}.`),
        p(emph('Questions appear in the thread; the candidate answers there. Scores stay private to the two of them.')),
      ),
    };
    const adapter = d.outbound(ctx.platform);
    let roomId = ctx.conversationId;
    if (adapter) {
      const ref = await adapter.post(ctx.conversationId, intro);
      if (adapter.startThread) {
        try {
          roomId = await adapter.startThread(ref, `Mock interview: ${interview.interviewerName ?? me.displayName} ↔ ${interview.candidateName}`);
        } catch {
          // No thread here (a channel type without threads, missing permission): the channel itself is the room.
        }
      }
    } else {
      await respond.reply(intro, 'public');
    }
    await d.interviews.setRoom(interview.id, roomId);
    await showCurrent(ctx, interview.id, respond, s);
  }

  async function onTick(event: ButtonEvent, respond: Responder, s: BotServices): Promise<void> {
    const cut = event.value.lastIndexOf(':');
    const ref = parseItemValue(event.value.slice(0, cut));
    const index = Number(event.value.slice(cut + 1));
    const found = await sessionForPresser(event.ctx, ref?.interviewId, respond, s, 'interviewer');
    if (!found || !ref) return;
    const item = found.session.items.find((i) => i.number === ref.number && i.followUp === ref.followUp);
    const question = item && (await s.bank.getQuestion(item.questionId));
    if (!item || !question || !Number.isInteger(index) || index < 0 || index >= question.keyPoints.length) return respond.reply(OUT_OF_DATE, 'private');
    const ticked = new Set(tickedOrGraded(item, question.keyPoints.length));
    if (ticked.has(index)) ticked.delete(index);
    else ticked.add(index);
    await d.interviews.updatePeerItem(ref, { ticked: [...ticked].sort((a, b) => a - b) });
    const fresh = (await d.interviews.get(ref.interviewId))!;
    const message = await panel(fresh, fresh.items.find((i) => i.number === ref.number && i.followUp === ref.followUp)!, s);
    if (respond.updateSource) await respond.updateSource(message);
    else await respond.reply(message, 'private');
  }

  async function onRefresh(event: ButtonEvent, respond: Responder, s: BotServices): Promise<void> {
    const ref = parseItemValue(event.value);
    const found = await sessionForPresser(event.ctx, ref?.interviewId, respond, s, 'interviewer');
    if (!found || !ref) return;
    const item = found.session.items.find((i) => i.number === ref.number && i.followUp === ref.followUp);
    if (!item) return respond.reply(OUT_OF_DATE, 'private');
    const message = await panel(found.session, item, s);
    if (respond.updateSource) await respond.updateSource(message);
    else await respond.reply(message, 'private');
  }

  async function onRate(event: ButtonEvent, respond: Responder, s: BotServices): Promise<void> {
    const parsed = parseRateValue(event.value);
    const found = await sessionForPresser(event.ctx, parsed?.ref.interviewId, respond, s, 'interviewer');
    if (!found || !parsed) return;
    const { session, person } = found;
    const { ref, rating } = parsed;
    const item = session.items.find((i) => i.number === ref.number && i.followUp === ref.followUp);
    if (!item || item !== currentItem(session) || !item.attempt) return respond.reply(say('That question is already rated.'), 'private');
    const question = await s.bank.getQuestion(item.questionId);
    const now = s.clock.now();
    const candidate: Pick<PersonRef, 'personId' | 'timezone' | 'workspaceTimezone'> = (await s.practice.findAccount(session.interview.candidateAccount)) ?? {
      personId: session.interview.candidateId,
      timezone: null,
      workspaceTimezone: null,
    };
    const points = question?.keyPoints ?? [];
    const ticked = new Set(tickedOrGraded(item, points.length));
    if (item.attempt.answeredAt === null) {
      // Answered out loud: the interviewer's ticks are the answer's coverage; nothing typed is stored as typed text.
      await s.practice.recordAnswer({
        attemptId: item.attempt.id,
        personId: session.interview.candidateId,
        text: '',
        coverage: points.length === 0 ? 1 : ticked.size / points.length,
        coverageJson: JSON.stringify(points.map((t, k) => ({ text: t, covered: ticked.has(k) }))),
        now,
        ...(await s.streakDay({ ...candidate, personId: session.interview.candidateId }, now)),
      });
    }
    await d.interviews.updatePeerItem(ref, { score: RATINGS.indexOf(rating) + 1, ticked: [...ticked].sort((a, b) => a - b) });
    const { next } = await rateAttempt(item.attempt.id, session.interview.candidateId, rating, s);
    // Practising interviewing is practice: the interviewer's day counts too.
    await s.practice.recordActivity({ personId: person.personId, now, ...(await s.streakDay(person, now)) });
    const note = `Rated ${RATINGS.indexOf(rating) + 1} (${RATING_LABELS[rating]})${next ? `; their next review ${next}` : ''}.`;
    const followUps = item.followUp ? [] : await d.followUps(item.questionId);
    const hasFollowUp = session.items.some((i) => i.number === item.number && i.followUp);
    if (followUps.length > 0 && !hasFollowUp) {
      await respond.reply(
        {
          body: doc(p(emph(note)), p('Ask a follow-up before moving on?'), list(followUps.map((f) => f.prompt))),
          actions: [
            ...followUps.slice(0, 5).map((f, k) => ({ kind: 'button' as const, id: PEER_FOLLOW_UP, label: `Follow-up ${k + 1}`, value: `${itemValue(ref)}:${k}` })),
            { kind: 'button', id: PEER_NEXT, label: 'Next question', value: session.interview.id, style: 'primary' },
          ],
        },
        'private',
      );
      return;
    }
    await showCurrent(event.ctx, session.interview.id, respond, s, note);
  }

  async function onFollowUp(event: ButtonEvent, respond: Responder, s: BotServices): Promise<void> {
    const cut = event.value.lastIndexOf(':');
    const ref = parseItemValue(event.value.slice(0, cut));
    const found = await sessionForPresser(event.ctx, ref?.interviewId, respond, s, 'interviewer');
    if (!found || !ref) return;
    const followUps = await d.followUps((found.session.items.find((i) => i.number === ref.number && !i.followUp) ?? { questionId: '' }).questionId);
    const chosen = followUps[Number(event.value.slice(cut + 1))];
    if (!chosen) return respond.reply(OUT_OF_DATE, 'private');
    await d.interviews.addFollowUp(ref.interviewId, ref.number, chosen.id);
    await showCurrent(event.ctx, ref.interviewId, respond, s);
  }

  async function onNext(event: ButtonEvent, respond: Responder, s: BotServices): Promise<void> {
    const found = await sessionForPresser(event.ctx, event.value, respond, s, 'interviewer');
    if (!found) return;
    await showCurrent(event.ctx, event.value, respond, s);
  }

  async function onNote(event: ButtonEvent, respond: Responder, s: BotServices): Promise<void> {
    const ref = parseItemValue(event.value);
    const found = await sessionForPresser(event.ctx, ref?.interviewId, respond, s, 'interviewer');
    if (!found || !ref) return;
    if (!respond.openForm) return respond.reply(say('Notes need a form, which this platform cannot open here.'), 'private');
    await respond.openForm({
      id: FORM_PEER_NOTE,
      value: itemValue(ref),
      title: 'Private note',
      label: 'A note for your scorecard (the candidate does not see it)',
      maxLength: MAX_NOTE_CHARS,
    });
  }

  async function onNoteForm(event: FormEvent, respond: Responder, s: BotServices): Promise<void> {
    const ref = parseItemValue(event.value);
    const found = await sessionForPresser(event.ctx, ref?.interviewId, respond, s, 'interviewer');
    if (!found || !ref) return;
    const note = event.text.trim();
    if (note === '' || note.length > MAX_NOTE_CHARS) return respond.reply(say(`A note is 1 to ${MAX_NOTE_CHARS} characters; nothing was saved.`), 'private');
    await d.interviews.updatePeerItem(ref, { note: event.text });
    await respond.reply(say('Note saved; only you see it, on your scorecard.'), 'private');
  }

  async function onAnswer(event: ButtonEvent, respond: Responder, s: BotServices): Promise<void> {
    const ref = parseItemValue(event.value);
    const found = await sessionForPresser(event.ctx, ref?.interviewId, respond, s, 'candidate');
    if (!found || !ref) return;
    const item = found.session.items.find((i) => i.number === ref.number && i.followUp === ref.followUp);
    if (!item || itemState(item) !== 'asked') return respond.reply(say('That question is closed; answer the latest one in the thread.'), 'private');
    const question = await s.bank.getQuestion(item.questionId);
    if (!respond.openForm || !question) return respond.reply(say('Answer out loud to your interviewer.'), 'private');
    await respond.openForm({
      id: FORM_PEER_ANSWER,
      value: itemValue(ref),
      title: 'Your answer',
      label: question.prompt,
      placeholder: 'Your interviewer sees this in the thread.',
      maxLength: MAX_ANSWER_CHARS,
    });
  }

  async function submit(ctx: EventContext, ref: ItemRef | undefined, typed: string, respond: Responder, s: BotServices): Promise<void> {
    const checked = checkAnswerText(typed);
    if (!checked.ok) return respond.reply(checked.message, 'private');
    const found = await sessionForPresser(ctx, ref?.interviewId, respond, s, 'candidate');
    if (!found || !ref) return;
    const { session, person } = found;
    const item = session.items.find((i) => i.number === ref.number && i.followUp === ref.followUp);
    if (!item || itemState(item) !== 'asked') return respond.reply(say('That question is closed; your interviewer already rated it.'), 'private');
    const question = await s.bank.getQuestion(item.questionId);
    const { result } = await gradeAndRecord({
      attemptId: item.attempt!.id,
      person,
      typed,
      forGrading: checked.forGrading,
      keyPoints: question?.keyPoints ?? [],
      s,
    });
    const now = s.clock.now();
    if (!result.ok) return respond.reply(say('That question is closed; your interviewer already rated it.'), 'private');
    await postToRoom(
      ctx,
      session.interview,
      { body: doc(p(userText(session.interview.candidateName), ` answered ${progressLine(session.interview, ref, now).split(' · ')[0]}:`), quote(p(userText(typed)))) },
      respond,
    );
    await respond.reply(say('Sent. Your interviewer rates it and moves on; the scorecard comes to you privately at the end.'), 'private');
  }

  function scorecardFor(session: InterviewSession, role: Role, card: Scorecard, s: BotServices): Message {
    const { interview } = session;
    const blocks = scorecardBlocks(interview, card, topicName(s));
    const notes = session.items.filter((i) => i.note).map((i) => `${i.number}${i.followUp ? 'a' : ''}: ${i.note}`);
    return {
      body: doc(
        p(strong(role === 'interviewer' ? `You interviewed ${interview.candidateName}.` : `${interview.interviewerName ?? 'Your interviewer'} interviewed you.`)),
        ...blocks,
        role === 'interviewer' && notes.length > 0 && [p(strong('Your notes (only you see them)')), list(notes.map((n) => userText(n)))],
        role === 'candidate' && p('How clearly did they ask? (optional)'),
      ),
      ...(role === 'candidate'
        ? { actions: [1, 2, 3, 4].map((n) => ({ kind: 'button' as const, id: PEER_CLARITY, label: `Clarity ${n}`, value: `${interview.id}:${n}` })) }
        : {}),
    };
  }

  async function finish(
    ctx: EventContext,
    interview: InterviewRecord,
    reason: NonNullable<InterviewRecord['endReason']>,
    respond: Responder,
    s: BotServices,
  ): Promise<void> {
    const ended = await d.interviews.end(interview.id, reason, s.clock.now());
    const session = (await d.interviews.get(interview.id))!;
    const card = await scorecardOf(session, s);
    const presser = ctx.actor.id === session.interview.interviewerAccount ? 'interviewer' : 'candidate';
    const other: Role = presser === 'interviewer' ? 'candidate' : 'interviewer';
    const otherAccount = other === 'candidate' ? session.interview.candidateAccount : session.interview.interviewerAccount!;
    await respond.reply(scorecardFor(session, presser, card, s), 'private');
    if (!ended) return;
    const delivered = await tellPrivately(ctx, otherAccount, scorecardFor(session, other, card, s));
    await postToRoom(
      ctx,
      session.interview,
      say(
        `Interview finished. ${delivered ? 'Both scorecards were sent privately.' : 'Scorecards are private: '}`,
        delivered ? '' : code('/interview history'),
        delivered ? '' : ' shows yours.',
      ),
      respond,
    );
  }

  async function onClarity(event: ButtonEvent, respond: Responder, s: BotServices): Promise<void> {
    const [id, n] = event.value.split(':');
    const person = await s.person(event.ctx);
    const session = id ? await d.interviews.get(id) : undefined;
    const clarity = Number(n);
    if (!session || session.interview.candidateId !== person.personId || !Number.isInteger(clarity) || clarity < 1 || clarity > 4) {
      return respond.reply(say('Only the candidate rates the interviewer’s clarity.'), 'private');
    }
    await d.interviews.setClarity(session.interview.id, clarity);
    await respond.reply(say(`Thanks: clarity ${clarity}/4 noted.`), 'private');
  }

  const hooks: PeerHooks = {
    async resume(ctx, open, respond, s) {
      const person = await s.person(ctx);
      const session = await d.interviews.get(open.id);
      const item = session && currentItem(session);
      if (!session || !item) return finish(ctx, open, 'completed', respond, s);
      if (roleOf(open, person) === 'interviewer') return respond.reply(await panel(session, item, s, 'Resumed.'), 'private');
      const question = await s.bank.getQuestion(item.questionId);
      if (!question) return respond.reply(OUT_OF_DATE, 'private');
      await respond.reply(roomQuestion(open, refOf(open.id, item), question, s.clock.now()), 'private');
    },
    async stop(ctx, open, respond, s) {
      await finish(ctx, open, 'stopped', respond, s);
    },
  };

  return {
    start,
    hooks,
    buttons: {
      [PEER_ANSWER]: onAnswer,
      [PEER_TICK]: onTick,
      [PEER_RATE]: onRate,
      [PEER_NOTE]: onNote,
      [PEER_REFRESH]: onRefresh,
      [PEER_FOLLOW_UP]: onFollowUp,
      [PEER_NEXT]: onNext,
      [PEER_CLARITY]: onClarity,
    },
    submit,
    forms: {
      [FORM_PEER_ANSWER]: (event: FormEvent, respond: Responder, s: BotServices) => submit(event.ctx, parseItemValue(event.value), event.text, respond, s),
      [FORM_PEER_NOTE]: onNoteForm,
    },
  };
}
