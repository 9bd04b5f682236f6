import { describe, expect, it } from 'vitest';
import { createRig, interview, MUTEX_ANSWER, txt } from './rig.ts';

const MIN = 60_000;

/** Answers whatever question amy sees now, then rates it. */
async function answerCurrent(rig: Awaited<ReturnType<typeof createRig>>, text: string, rating = 'Good', user = 'amy') {
  await rig.adapter.pressButton('Answer', { user });
  const reveal = await rig.adapter.submitLastForm(text, { user });
  await rig.adapter.pressButton(rating, { user });
  return reveal;
}

describe('solo mock interview', () => {
  it('asks the questions one at a time, privately, with progress, time left and Answer / Skip / Give up', async () => {
    const rig = await createRig();
    const out = await interview(rig.adapter, 'start', { topic: 'concurrency', questions: 2, minutes: 10 });
    expect(out.replies).toHaveLength(1);
    const q1 = out.replies[0]!;
    expect(q1.visibility).toBe('private');
    expect(txt(q1)).toContain('Question 1/2 · 10 min left');
    expect(q1.buttons.map((b) => b.label)).toEqual(['Answer', 'Skip', 'Give up']);
    // Never the reference answer before an answer.
    expect(txt(q1)).not.toMatch(/exclusive access|limits how many threads|typed pipe/);
  });

  it('grades each answer with the /ask checklist, rates it with FSRS, counts the streak, and ends with a private scorecard', async () => {
    const rig = await createRig();
    await interview(rig.adapter, 'start', { topic: 'concurrency', questions: 2, minutes: 10 });
    rig.clock.advance(2 * MIN);
    await rig.adapter.pressButton('Answer', { user: 'amy' });
    const reveal = await rig.adapter.submitLastForm(MUTEX_ANSWER, { user: 'amy' });
    const shown = reveal.replies[0]!;
    expect(shown.visibility).toBe('private');
    expect(txt(shown)).toContain('Reference answer');
    expect(txt(shown)).toMatch(/Key points covered: 100%/);
    expect(txt(shown)).toContain('Streak: 1 day');
    expect(shown.buttons.map((b) => b.label)).toEqual(['Again', 'Hard', 'Good', 'Easy']);

    const next = await rig.adapter.pressButton('Good', { user: 'amy' });
    // The mutex question has a follow-up in this bank: it comes before question 2.
    expect(txt(next.replies[0]!)).toContain('Follow-up to 1/2');
    expect(txt(next.replies[0]!)).toContain('How does RWMutex differ?');
    rig.clock.advance(MIN);
    await rig.adapter.pressButton('Skip', { user: 'amy' });
    rig.clock.advance(30_000);
    const last = await answerCurrent(rig, 'A counter that limits how many threads may enter; wait decrements and signal increments it.');
    expect(txt(last.replies[0]!)).toContain('Question 2/2');

    const card = rig.lastPrivate('amy');
    expect(txt(card)).toContain('Scorecard: 2-question mock interview on Concurrency');
    expect(txt(card)).toMatch(/1\. What is a mutex\? — answered, coverage 100%, Good, 2 min/);
    expect(txt(card)).toMatch(/1a\. How does RWMutex differ\? — skipped/);
    expect(txt(card)).toMatch(/2\. What is a semaphore\? — answered, coverage \d+%, Good, 30 s/);
    expect(card.buttons.map((b) => b.label)).toEqual(['Share in channel']);

    // The channel hears only that she finished.
    const publicNote = rig.adapter.transcript.filter((m) => m.visibility === 'public').at(-1)!;
    expect(txt(publicNote)).toContain('amy finished a 2-question mock interview');
    expect(txt(publicNote)).not.toMatch(/coverage|%/);

    // FSRS and streaks were fed as /ask feeds them.
    const reviews = rig.db.prepare('SELECT question_id FROM reviews').all() as { question_id: string }[];
    expect(reviews.map((r) => r.question_id).sort()).toEqual([rig.ids['What is a mutex?'], rig.ids['What is a semaphore?']].sort());
    const streak = await rig.adapter.command('streak', {}, { user: 'amy' });
    expect(txt(streak.replies[0]!)).toContain('1 day');
  });

  it('Share posts the scorecard in the channel, once', async () => {
    const rig = await createRig({ followUps: false });
    await interview(rig.adapter, 'start', { topic: 'databases', questions: 1, minutes: 5 });
    await answerCurrent(rig, 'A balanced tree keeping keys sorted for range scans');
    const shared = await rig.adapter.pressButton('Share in channel', { user: 'amy' });
    const post = shared.replies.find((r) => r.visibility === 'public')!;
    expect(txt(post)).toContain('amy shared their scorecard');
    expect(txt(post)).toContain('Overall coverage: 100%');
    const again = await rig.adapter.pressButton('Share in channel', { user: 'amy' });
    expect(again.replies[0]!.visibility).toBe('private');
    expect(txt(again.replies[0]!)).toContain('already shared');
  });

  it('refuses out-of-range questions and minutes privately, naming the range', async () => {
    const rig = await createRig();
    for (const [options, range] of [
      [{ questions: 0 }, 'questions must be a whole number from 1 to 20'],
      [{ questions: 21 }, 'questions must be a whole number from 1 to 20'],
      [{ minutes: 4 }, 'minutes must be a whole number from 5 to 120'],
      [{ minutes: 121 }, 'minutes must be a whole number from 5 to 120'],
      [{ minutes: 'soon' }, 'minutes must be a whole number from 5 to 120'],
    ] as const) {
      const out = await interview(rig.adapter, 'start', options);
      expect(out.replies).toHaveLength(1);
      expect(out.replies[0]!.visibility).toBe('private');
      expect(txt(out.replies[0]!)).toContain(range);
    }
    expect(rig.db.prepare('SELECT COUNT(*) AS n FROM interviews').get()).toEqual({ n: 0 });
  });

  it('never asks a question without a reference answer unless asked to', async () => {
    const rig = await createRig({ followUps: false });
    await interview(rig.adapter, 'start', { topic: 'concurrency', questions: 10, minutes: 30 });
    const planned = rig.db.prepare('SELECT question_id FROM interview_items ORDER BY number').all() as { question_id: string }[];
    expect(planned.map((r) => r.question_id)).not.toContain(rig.ids['Explain livelock']);
    expect(txt(rig.lastPrivate('amy'))).toContain('Only 3 questions on Concurrency are available');
    await interview(rig.adapter, 'stop');

    await interview(rig.adapter, 'start', { topic: 'concurrency', questions: 10, minutes: 30, unanswered: true });
    const withEmpty = rig.db.prepare("SELECT question_id FROM interview_items WHERE interview_id = (SELECT id FROM interviews WHERE ended_at IS NULL)").all() as { question_id: string }[];
    expect(withEmpty.map((r) => r.question_id)).toContain(rig.ids['Explain livelock']);
  });

  it('asks due reviews first', async () => {
    const rig = await createRig({ followUps: false });
    // A review of the channel question, due now: it leads the next interview although it is last in bank order.
    await rig.adapter.command('ask', { topic: 'concurrency' }, { user: 'amy' });
    await rig.adapter.command('ask', { topic: 'concurrency' }, { user: 'amy' });
    await rig.adapter.command('ask', { topic: 'concurrency' }, { user: 'amy' });
    const open = rig.db.prepare("SELECT id FROM attempts WHERE question_id = ?").get(rig.ids['What is a channel?']) as { id: number };
    await rig.adapter.submitForm('answer', String(open.id), 'a typed pipe', { user: 'amy' });
    await rig.adapter.press('rate', `${open.id}:again`, { user: 'amy' });
    rig.clock.advance(2 * 86_400_000);
    await interview(rig.adapter, 'start', { topic: 'concurrency', questions: 2, minutes: 10 });
    const planned = rig.db.prepare('SELECT question_id FROM interview_items ORDER BY number').all() as { question_id: string }[];
    expect(planned[0]!.question_id).toBe(rig.ids['What is a channel?']);
  });

  it('/interview stop after the first answer ends with 1 answered and 1 not reached', async () => {
    const rig = await createRig({ followUps: false });
    await interview(rig.adapter, 'start', { topic: 'concurrency', questions: 2, minutes: 10 });
    await answerCurrent(rig, MUTEX_ANSWER);
    const stopped = await interview(rig.adapter, 'stop');
    const card = stopped.replies[0]!;
    expect(card.visibility).toBe('private');
    expect(txt(card)).toContain('Stopped. Answered 1 of 2; 1 not reached');
    expect(txt(card)).toMatch(/2\. What is a semaphore\? — not reached/);
    const none = await interview(rig.adapter, 'stop');
    expect(txt(none.replies[0]!)).toContain('no open interview');
  });

  it('ends at the time limit on the injected clock: the next step shows the scorecard and what was not reached', async () => {
    const rig = await createRig({ followUps: false });
    await interview(rig.adapter, 'start', { topic: 'concurrency', questions: 3, minutes: 5 });
    rig.clock.advance(4 * MIN);
    await rig.adapter.pressButton('Answer', { user: 'amy' });
    rig.clock.advance(2 * MIN);
    // Typed before the limit, sent after it: kept, graded and rated, then the interview ends.
    const reveal = await rig.adapter.submitLastForm(MUTEX_ANSWER, { user: 'amy' });
    expect(txt(reveal.replies[0]!)).toContain('Time is up: rate this one and the interview ends.');
    const end = await rig.adapter.pressButton('Good', { user: 'amy' });
    const card = end.replies[0]!;
    expect(txt(card)).toContain('Time is up. Answered 1 of 3; 2 not reached');
    expect(txt(card)).toMatch(/1\. What is a mutex\? — answered, coverage 100%, Good, 6 min/);
  });

  it('the minute job ends a session whose time ran out while nobody pressed anything, and DMs the scorecard once', async () => {
    const rig = await createRig({ followUps: false });
    await interview(rig.adapter, 'start', { topic: 'concurrency', questions: 2, minutes: 5 });
    rig.clock.advance(4 * MIN);
    expect(await rig.expire()).toBe(0);
    rig.clock.advance(2 * MIN);
    expect(await rig.expire()).toBe(1);
    expect(await rig.expire()).toBe(0);
    const dms = rig.adapter.transcript.filter((m) => m.conversationId === 'memory:W1:D-amy');
    expect(dms).toHaveLength(1);
    expect(txt(dms[0]!)).toContain('Time is up. Answered 0 of 2; 2 not reached');
    expect(dms[0]!.buttons).toEqual([]);
    const late = await rig.adapter.pressButton('Answer', { user: 'amy' });
    expect(txt(late.replies[0]!)).toContain('That interview has ended');
  });

  it('the minute job leaves a session waiting for the rating of its last answer', async () => {
    const rig = await createRig({ followUps: false });
    await interview(rig.adapter, 'start', { topic: 'databases', questions: 1, minutes: 5 });
    await rig.adapter.pressButton('Answer', { user: 'amy' });
    await rig.adapter.submitLastForm('balanced tree, sorted keys', { user: 'amy' });
    rig.clock.advance(10 * MIN);
    expect(await rig.expire()).toBe(0);
    const end = await rig.adapter.pressButton('Good', { user: 'amy' });
    expect(txt(end.replies[0]!)).toContain('Answered 1 of 1');
  });

  it('survives a restart: a new bot on the same database resumes at the same question with the time left', async () => {
    const rig = await createRig({ followUps: false });
    await interview(rig.adapter, 'start', { topic: 'concurrency', questions: 2, minutes: 10 });
    await answerCurrent(rig, MUTEX_ANSWER);
    rig.clock.advance(3 * MIN);

    const after = await rig.restart();
    const offer = await interview(after.adapter, 'start', { topic: 'databases' });
    expect(txt(offer.replies[0]!)).toContain('You have a 2-question mock interview open');
    expect(offer.replies[0]!.buttons.map((b) => b.label)).toEqual(['Resume', 'Abandon']);
    const resumed = await after.adapter.pressButton('Resume', { user: 'amy' });
    expect(txt(resumed.replies[0]!)).toContain('Question 2/2 · 7 min left');
    expect(txt(resumed.replies[0]!)).toContain('What is a semaphore?');
    // Only one attempt for question 2, however often it is shown.
    expect(after.db.prepare("SELECT COUNT(*) AS n FROM attempts WHERE source = 'interview'").get()).toEqual({ n: 2 });
  });

  it('Abandon closes the open session so a new one can start', async () => {
    const rig = await createRig({ followUps: false });
    await interview(rig.adapter, 'start', { topic: 'concurrency', questions: 2, minutes: 10 });
    await interview(rig.adapter, 'start');
    const abandoned = await rig.adapter.pressButton('Abandon', { user: 'amy' });
    expect(txt(abandoned.replies[0]!)).toContain('Abandoned');
    const fresh = await interview(rig.adapter, 'start', { topic: 'databases', questions: 1 });
    expect(txt(fresh.replies[0]!)).toContain('What is a B-tree index?');
  });

  it('refuses someone else pressing the interview’s buttons, privately', async () => {
    const rig = await createRig({ followUps: false });
    const out = await interview(rig.adapter, 'start', { topic: 'concurrency', questions: 1, minutes: 10 });
    const answer = out.replies[0]!.buttons.find((b) => b.label === 'Answer')!;
    for (const label of ['Answer', 'Skip', 'Give up']) {
      const b = out.replies[0]!.buttons.find((x) => x.label === label)!;
      const forged = await rig.adapter.press(b.id, b.value, { user: 'eve' });
      expect(forged.forms).toHaveLength(0);
      expect(forged.replies[0]!.visibility).toBe('private');
      expect(txt(forged.replies[0]!)).toContain('someone else’s mock interview');
    }
    const rate = await rig.adapter.press('iv-rate', `${answer.value}:good`, { user: 'eve' });
    expect(txt(rate.replies[0]!)).toContain('someone else’s mock interview');
    const interviewId = answer.value.split(':')[0]!;
    for (const [action, value] of [['iv-share', interviewId], ['iv-resume', interviewId], ['iv-abandon', interviewId]] as const) {
      const forged = await rig.adapter.press(action, value, { user: 'eve' });
      expect(forged.replies[0]!.visibility).toBe('private');
      expect(txt(forged.replies[0]!)).toMatch(/someone else’s mock interview|out of date/);
      expect(txt(forged.replies[0]!)).not.toMatch(/Scorecard|What is/);
    }
    expect(rig.db.prepare('SELECT ended_at FROM interviews').get()).toEqual({ ended_at: null });
    const garbage = await rig.adapter.press('iv-answer', '../../etc:1:0', { user: 'eve' });
    expect(txt(garbage.replies[0]!)).toContain('out of date');
    expect(rig.db.prepare('SELECT COUNT(*) AS n FROM attempts WHERE answered_at IS NOT NULL').get()).toEqual({ n: 0 });
  });

  it('/answer takes the answer for the open interview question', async () => {
    const rig = await createRig({ followUps: false });
    await interview(rig.adapter, 'start', { topic: 'databases', questions: 1, minutes: 10 });
    const out = await rig.adapter.command('answer', { text: 'balanced tree with sorted keys for range scans' }, { user: 'amy' });
    expect(txt(out.replies[0]!)).toContain('Question 1/1');
    expect(out.replies[0]!.buttons.map((b) => b.label)).toEqual(['Again', 'Hard', 'Good', 'Easy']);
    const end = await rig.adapter.pressButton('Easy', { user: 'amy' });
    expect(txt(end.replies[0]!)).toContain('Answered 1 of 1');
  });

  it('/interview history lists past sessions and the trend per topic', async () => {
    const rig = await createRig({ followUps: false });
    await interview(rig.adapter, 'start', { topic: 'databases', questions: 1, minutes: 5 });
    await answerCurrent(rig, 'no idea');
    rig.clock.advance(86_400_000);
    await interview(rig.adapter, 'start', { topic: 'databases', questions: 1, minutes: 5 });
    await answerCurrent(rig, 'A balanced tree keeping keys sorted for range scans', 'Easy');
    const out = await interview(rig.adapter, 'history');
    const text = txt(out.replies[0]!);
    expect(out.replies[0]!.visibility).toBe('private');
    expect(text.indexOf('2025-03-11 · Databases · 1 question, 1 answered · coverage 100%')).toBeGreaterThan(-1);
    expect(text.indexOf('2025-03-10 · Databases · 1 question, 1 answered · coverage 0%')).toBeGreaterThan(text.indexOf('2025-03-11'));
    expect(text).toContain('Databases: 0% → 100% ↑');
  });
});
