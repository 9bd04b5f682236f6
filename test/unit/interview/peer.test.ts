import { describe, expect, it } from 'vitest';
import { createRig, interview, txt } from './rig.ts';

/** Alice interviews Bob on concurrency; returns the rig with the thread open and question 1 shown. */
async function peerSession(questions = 2) {
  const rig = await createRig();
  // Bob has used prepbot before, so his display name is known.
  await rig.adapter.command('streak', {}, { user: 'bob', name: 'Bob' });
  const out = await rig.adapter.command('interview', { subcommand: 'peer', candidate: 'bob', topic: 'concurrency', questions }, { user: 'alice', name: 'Alice' });
  const thread = rig.adapter.threads[0]!;
  return { rig, out, thread };
}

/** What anyone reading the thread sees. */
const inThread = (rig: Awaited<ReturnType<typeof createRig>>, threadId: string) =>
  rig.adapter.transcript.filter((m) => m.conversationId === threadId && m.visibility === 'public');

describe('peer mock interview', () => {
  it('opens a thread; the candidate sees only the question there, the interviewer privately gets reference, key points and rating', async () => {
    const { rig, out, thread } = await peerSession();
    expect(thread.name).toBe('Mock interview: Alice ↔ Bob');
    const intro = rig.adapter.transcript.find((m) => m.ref.messageId === thread.parent.messageId)!;
    expect(txt(intro)).toContain('Alice is interviewing Bob: 2 questions on Concurrency');

    const posted = inThread(rig, thread.conversationId);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.visibility).toBe('public');
    expect(txt(posted[0]!)).toContain('What is a mutex?');
    expect(txt(posted[0]!)).not.toContain('exclusive access');
    expect(posted[0]!.buttons.map((b) => b.label)).toEqual(['Answer']);

    const panel = out.replies.find((r) => r.visibility === 'private')!;
    expect(panel.recipient).toBe('alice');
    expect(txt(panel)).toContain('Reference answer');
    expect(txt(panel)).toContain('☐ 1. A mutex is a lock that gives one goroutine exclusive access.');
    expect(txt(panel)).toContain('Follow-ups you can ask after rating: How does RWMutex differ?');
    expect(panel.buttons.map((b) => b.label)).toEqual(['☐ 1', '☐ 2', '1 No hire', '2 Lean no', '3 Lean hire', '4 Strong hire', 'Note', 'Refresh']);
    // Nothing of the reference reached Bob or the channel.
    for (const m of rig.adapter.seenBy('bob')) expect(txt(m)).not.toContain('exclusive access');
  });

  it('only the two can press its buttons, each in their role', async () => {
    const { rig, out, thread } = await peerSession();
    const answer = inThread(rig, thread.conversationId)[0]!.buttons[0]!;
    const tick = out.replies.find((r) => r.visibility === 'private')!.buttons[0]!;
    const eve = await rig.adapter.press(answer.id, answer.value, { user: 'eve', channel: thread.conversationId.split(':')[2]! });
    expect(eve.forms).toHaveLength(0);
    expect(txt(eve.replies[0]!)).toContain('This is Alice’s and Bob’s interview');
    expect(eve.replies[0]!.visibility).toBe('private');
    const eveTick = await rig.adapter.press(tick.id, tick.value, { user: 'eve' });
    expect(txt(eveTick.replies[0]!)).toContain('This is Alice’s and Bob’s interview');
    const bobTicks = await rig.adapter.press(tick.id, tick.value, { user: 'bob' });
    expect(txt(bobTicks.replies[0]!)).toContain('Only the interviewer can do that.');
    const aliceAnswers = await rig.adapter.press(answer.id, answer.value, { user: 'alice' });
    expect(txt(aliceAnswers.replies[0]!)).toContain('Only the candidate answers');
  });

  it('a typed answer goes to the thread; ticks, rating, follow-up and the scorecards go privately to each', async () => {
    const { rig, out, thread } = await peerSession(1);
    const threadChannel = thread.conversationId.split(':')[2]!;
    const answer = inThread(rig, thread.conversationId)[0]!.buttons[0]!;
    const opened = await rig.adapter.press(answer.id, answer.value, { user: 'bob', name: 'Bob', channel: threadChannel });
    expect(opened.forms[0]!.label).toBe('What is a mutex?');
    const sent = await rig.adapter.submitLastForm('A lock so one goroutine has exclusive access', { user: 'bob', name: 'Bob', channel: threadChannel });
    expect(txt(sent.replies[0]!)).toContain('Sent.');
    expect(txt(inThread(rig, thread.conversationId).at(-1)!)).toContain('Bob answered Question 1/1:');

    // Alice refreshes, sees the typed answer with the automatic ticks, and ticks the second point herself.
    const panelRef = out.replies.find((r) => r.visibility === 'private')!.ref;
    const refresh = out.replies.find((r) => r.visibility === 'private')!.buttons.find((b) => b.label === 'Refresh')!;
    const refreshed = await rig.adapter.press(refresh.id, refresh.value, { user: 'alice', name: 'Alice', message: panelRef });
    expect(txt(refreshed.updated[0]!)).toContain('Bob typed:');
    expect(txt(refreshed.updated[0]!)).toContain('☑ 1.');
    const tick2 = refreshed.updated[0]!.buttons.find((b) => b.label === '☐ 2')!;
    const ticked = await rig.adapter.press(tick2.id, tick2.value, { user: 'alice', name: 'Alice', message: panelRef });
    expect(txt(ticked.updated[0]!)).toContain('☑ 2.');

    const rate = ticked.updated[0]!.buttons.find((b) => b.label === '3 Lean hire')!;
    const rated = await rig.adapter.press(rate.id, rate.value, { user: 'alice', name: 'Alice' });
    expect(txt(rated.replies[0]!)).toContain('Ask a follow-up before moving on?');
    await rig.adapter.pressButton('Follow-up 1', { user: 'alice', name: 'Alice' });
    expect(txt(inThread(rig, thread.conversationId).at(-1)!)).toContain('How does RWMutex differ?');

    // Answered out loud: Alice ticks nothing and rates.
    await rig.adapter.pressButton('2 Lean no', { user: 'alice', name: 'Alice' });
    const aliceCard = rig.lastPrivate('alice');
    expect(txt(aliceCard)).toContain('You interviewed Bob.');
    expect(txt(aliceCard)).toMatch(/1\. What is a mutex\? — answered, coverage 100%, Good, score 3\/4/);
    expect(txt(aliceCard)).toMatch(/1a\. How does RWMutex differ\? — answered, coverage 0%, Hard, score 2\/4/);

    // Bob gets his scorecard by DM, with the optional clarity rating.
    const bobCard = rig.adapter.transcript.filter((m) => m.recipient === 'bob' && m.conversationId.endsWith(':D-bob')).at(-1)!;
    expect(txt(bobCard)).toContain('Alice interviewed you.');
    expect(bobCard.buttons.map((b) => b.label)).toEqual(['Clarity 1', 'Clarity 2', 'Clarity 3', 'Clarity 4']);
    const clarity = await rig.adapter.press(bobCard.buttons[2]!.id, bobCard.buttons[2]!.value, { user: 'bob', direct: true });
    expect(txt(clarity.replies[0]!)).toContain('clarity 3/4');
    expect(txt(inThread(rig, thread.conversationId).at(-1)!)).toContain('Interview finished. Both scorecards were sent privately.');

    // Bob's review schedule and streak count it; so does Alice's streak.
    const reviews = rig.db.prepare('SELECT question_id FROM reviews').all() as { question_id: string }[];
    expect(reviews).toHaveLength(2);
    expect(txt((await rig.adapter.command('streak', {}, { user: 'bob' })).replies[0]!)).toContain('1 day');
    expect(txt((await rig.adapter.command('streak', {}, { user: 'alice' })).replies[0]!)).toContain('1 day');
  });

  it('the interviewer’s note stays on the interviewer’s scorecard', async () => {
    const rig = await createRig({ followUps: false });
    await rig.adapter.command('streak', {}, { user: 'bob', name: 'Bob' });
    await rig.adapter.command('interview', { subcommand: 'peer', candidate: 'bob', questions: 1, topic: 'databases' }, { user: 'alice', name: 'Alice' });
    await rig.adapter.pressButton('Note', { user: 'alice' });
    await rig.adapter.submitLastForm('Confident, missed range scans', { user: 'alice' });
    await rig.adapter.pressButton('4 Strong hire', { user: 'alice' });
    expect(txt(rig.lastPrivate('alice'))).toContain('Confident, missed range scans');
    const bobSees = rig.adapter.transcript.filter((m) => m.visibility === 'public' || m.recipient === 'bob');
    for (const m of bobSees) expect(txt(m)).not.toContain('Confident');
  });

  it('refuses interviewing yourself, and a candidate already in an interview', async () => {
    const rig = await createRig();
    const self = await rig.adapter.command('interview', { subcommand: 'peer', candidate: 'alice' }, { user: 'alice' });
    expect(txt(self.replies[0]!)).toContain('cannot interview yourself');
    await interview(rig.adapter, 'start', { questions: 1 }, 'bob');
    const busy = await rig.adapter.command('interview', { subcommand: 'peer', candidate: 'bob' }, { user: 'alice' });
    expect(txt(busy.replies[0]!)).toContain('They are in another interview');
    expect(rig.adapter.threads).toHaveLength(0);
  });

  it('/interview stop by the candidate ends it and the interviewer is told privately', async () => {
    const { rig } = await peerSession();
    const stop = await rig.adapter.command('interview', { subcommand: 'stop' }, { user: 'bob', name: 'Bob' });
    expect(txt(stop.replies[0]!)).toContain('Alice interviewed you.');
    expect(txt(stop.replies[0]!)).toContain('2 not reached');
    const dm = rig.adapter.transcript.filter((m) => m.conversationId.endsWith(':D-alice')).at(-1)!;
    expect(txt(dm)).toContain('You interviewed Bob.');
  });
});
