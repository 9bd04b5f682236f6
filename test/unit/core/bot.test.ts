import { describe, expect, it } from 'vitest';
import { createHarness, DAY, plain, QUESTIONS, Recorder, userTexts, type Person } from './harness.ts';
import type { BankRepository } from '../../../src/store/types.ts';
import type { CommandModule } from '../../../src/core/module.ts';
import { questionButtonValue } from '../../../src/core/messages.ts';

const alice: Person = { id: 'U1', name: 'Alice' };
const bob: Person = { id: 'U2', name: 'Bob' };
const carol: Person = { id: 'U3', name: 'Carol' };

const MUTEX_ANSWER = 'A mutex is a lock giving one goroutine exclusive access.';
const streakOf = async (h: Awaited<ReturnType<typeof createHarness>>, who: Person, where = {}) =>
  plain((await h.command(who, 'streak', {}, where)).replies[0]!.message);
/** The number in "🔥 N days": reads the visible streak from what the person sees. */
const streakNumber = (text: string) => Number(/🔥 (\d+)/.exec(text)?.[1]);

describe('ask → answer → reveal → rate', () => {
  it('shows the question publicly without the reference, reveals privately only after answering', async () => {
    const h = await createHarness();
    const ask = await h.command(alice, 'ask', { topic: 'concurrency' });
    expect(ask.replies).toHaveLength(1);
    const q = ask.replies[0]!;
    expect(q.visibility).toBe('public');
    const shown = plain(q.message);
    const asked = QUESTIONS.find((x) => shown.includes(x.prompt))!;
    expect(asked.topics).toContain('concurrency');
    expect(shown).not.toContain(asked.answer.replace(/^- /, '').slice(0, 20));

    const attemptId = q.message.actions!.find((a) => a.id === 'answer')!.value;
    const pressed = await h.press(alice, 'answer', attemptId);
    expect(pressed.replies).toEqual([]); // only a form, nothing revealed yet
    expect(pressed.forms[0]).toMatchObject({ id: 'answer', value: attemptId, maxLength: 4000 });

    const result = await h.submit(alice, attemptId, 'A lock so one goroutine has exclusive access; unlock with defer.');
    const priv = result.replies.filter((r) => r.visibility === 'private');
    const pub = result.replies.filter((r) => r.visibility === 'public');
    expect(priv).toHaveLength(1);
    const reveal = plain(priv[0]!.message);
    expect(reveal).toContain(asked.keyPoints![0]!.slice(0, 15));
    expect(reveal).toMatch(/\d+%/);
    expect(reveal).toMatch(/[✓✗]/);
    expect(priv[0]!.message.actions!.map((a) => a.value)).toEqual(['again', 'hard', 'good', 'easy'].map((r) => `${attemptId}:${r}`));
    // The channel learns that Alice answered, not what.
    expect(pub).toHaveLength(1);
    expect(plain(pub[0]!.message)).toContain('Alice');
    expect(plain(pub[0]!.message)).not.toContain('defer');

    const rated = await h.press(alice, 'rate', `${attemptId}:good`);
    expect(rated.replies[0]!.visibility).toBe('private');
    expect(plain(rated.replies[0]!.message)).toMatch(/Next review (tomorrow|in \d+ days)/);
    expect(streakNumber(await streakOf(h, alice))).toBe(1);
  });

  it('shows in the checklist which of the answer\'s words met each covered point', async () => {
    const h = await createHarness({ questions: QUESTIONS.filter((q) => q.prompt === 'What is a mutex?') });
    const { result } = await h.practise(alice, 'A LOCK so one goroutine has exclusive access; unlock with defer.');
    const reveal = plain(result.replies.find((r) => r.visibility === 'private')!.message);
    expect(reveal).toContain('Key points covered: 100%');
    expect(reveal).toContain('✓ A mutex is a lock that gives one goroutine exclusive access. — matched: LOCK, goroutine, exclusive, access');
    expect(reveal).toContain('✓ Unlock it with defer. — matched: unlock, defer');
  });

  it('grades through the Grader it is given, so another grader needs no change elsewhere', async () => {
    const seen: { answer: string; keyPoints: readonly string[] }[] = [];
    const grader = {
      async grade(answer: string, keyPoints: readonly string[]) {
        seen.push({ answer, keyPoints });
        return { points: keyPoints.map((text, i) => ({ text, covered: i === 1, matched: i === 1 ? ['whatever'] : [] })), coverage: 0.5 };
      },
    };
    const h = await createHarness({ questions: QUESTIONS.filter((q) => q.prompt === 'What is a mutex?'), deps: { grader } });
    const { result } = await h.practise(alice, 'no idea');
    expect(seen).toEqual([{ answer: 'no idea', keyPoints: ['A mutex is a lock that gives one goroutine exclusive access.', 'Unlock it with defer.'] }]);
    const reveal = plain(result.replies.find((r) => r.visibility === 'private')!.message);
    expect(reveal).toContain('Key points covered: 50%');
    expect(reveal).toContain('✗ A mutex is a lock');
    expect(reveal).toContain('✓ Unlock it with defer. — matched: whatever');
  });

  it('counts the next day as streak 2 and a same-day answer as no change', async () => {
    const h = await createHarness();
    await h.practise(alice, MUTEX_ANSWER);
    await h.practise(alice, MUTEX_ANSWER);
    expect(streakNumber(await streakOf(h, alice))).toBe(1);
    h.clock.advance(DAY);
    await h.practise(alice, MUTEX_ANSWER);
    expect(streakNumber(await streakOf(h, alice))).toBe(2);
  });

  it('give up reveals privately with rating buttons and no streak credit', async () => {
    const h = await createHarness();
    const ask = await h.command(alice, 'ask', { topic: 'databases' });
    const id = ask.replies[0]!.message.actions!.find((a) => a.id === 'giveup')!.value;
    const gaveUp = await h.press(alice, 'giveup', id);
    expect(gaveUp.replies).toHaveLength(1);
    expect(gaveUp.replies[0]!.visibility).toBe('private');
    expect(plain(gaveUp.replies[0]!.message)).toContain('keeps keys sorted');
    expect(gaveUp.replies[0]!.message.actions?.map((a) => a.id)).toEqual(['rate', 'rate', 'rate', 'rate']);
    expect((await h.press(alice, 'rate', `${id}:again`)).texts()[0]).toMatch(/Next review/);
    expect(streakNumber(await streakOf(h, alice))).toBe(0);
    // Answering after giving up is refused: the reference was already seen.
    const late = await h.submit(alice, id, 'balanced tree');
    expect(late.replies.every((r) => r.visibility === 'private')).toBe(true);
    expect(streakNumber(await streakOf(h, alice))).toBe(0);
  });

  it('never serves servable-less or empty-answer questions', async () => {
    const h = await createHarness();
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const r = await h.practise(alice, 'something');
      seen.add(r.prompt);
    }
    expect([...seen].some((t) => t.includes('Explain sharding'))).toBe(false);
  });
});

describe('question order', () => {
  it('never serves the same question twice in a row', async () => {
    const h = await createHarness();
    let last = '';
    for (let i = 0; i < 8; i++) {
      const ask = await h.command(alice, 'ask', { topic: 'concurrency' });
      const text = plain(ask.replies[0]!.message);
      expect(text).not.toBe(last);
      last = text;
    }
  });

  it('serves a due review before a new question', async () => {
    const h = await createHarness();
    // Mutex: rated Again (due soon). Channel: rated Easy (due far out). B-tree stays new.
    const first = await h.practise(alice, MUTEX_ANSWER);
    expect(first.prompt).toContain('What is a mutex?');
    await h.press(alice, 'rate', `${first.attemptId}:again`);
    const second = await h.practise(alice, 'a pipe');
    expect(second.prompt).toContain('What is a channel?');
    await h.press(alice, 'rate', `${second.attemptId}:easy`);
    // Without time passing nothing is due: the new question comes next.
    h.clock.advance(DAY / 2);
    expect(plain((await h.command(alice, 'ask')).replies[0]!.message)).toContain('B-tree');
    h.clock.advance(3 * DAY);
    expect(plain((await h.command(alice, 'ask')).replies[0]!.message)).toContain('What is a mutex?');
  });

  it('serves a due review before questions never seen', async () => {
    const h = await createHarness();
    const first = await h.practise(alice, MUTEX_ANSWER);
    expect(first.prompt).toContain('What is a mutex?');
    await h.press(alice, 'rate', `${first.attemptId}:again`);
    const second = await h.practise(alice, 'a pipe');
    await h.press(alice, 'rate', `${second.attemptId}:easy`);
    h.clock.advance(3 * DAY);
    // B-tree is still new, yet the due mutex review comes first.
    expect(plain((await h.command(alice, 'ask')).replies[0]!.message)).toContain('What is a mutex?');
  });

  it('answers an unknown topic with suggestions and starts nothing', async () => {
    const h = await createHarness();
    const r = await h.command(alice, 'ask', { topic: 'concurrenc' });
    // a close typo resolves
    expect(plain(r.replies[0]!.message)).toMatch(/mutex|channel/);
    const bad = await h.command(alice, 'ask', { topic: 'cooking' });
    expect(bad.replies[0]!.visibility).toBe('private');
    expect(bad.replies[0]!.message.actions).toBeUndefined();
    expect(userTexts(bad.replies[0]!.message.body)).toContain('cooking');
  });

  it('autocompletes the topic', async () => {
    const h = await createHarness();
    const r = await h.send({
      kind: 'autocomplete',
      ctx: { platform: 'slack', workspaceId: 'T1', conversationId: 'slack:T1:C1', isDirect: false, actor: { platform: 'slack', id: 'slack:T1:U1', displayName: 'A' }, actorIsAdmin: false },
      command: 'ask',
      option: 'topic',
      partial: 'conc',
    });
    expect(r.choices[0]?.[0]?.value).toBe('concurrency');
  });
});

describe('streak days follow the person’s time zone', () => {
  it('rolls over at local midnight, not UTC midnight', async () => {
    const h = await createHarness({ start: '2025-03-10T18:00:00Z' }); // 23:30 in Kolkata
    await h.command(alice, 'timezone', { zone: 'Asia/Kolkata' });
    await h.practise(alice, MUTEX_ANSWER);
    h.clock.set('2025-03-10T19:00:00Z'); // 00:30 next day in Kolkata, same UTC day
    await h.practise(alice, MUTEX_ANSWER);
    expect(streakNumber(await streakOf(h, alice))).toBe(2);
    // Bob stays on the default (UTC): the same two instants are one day.
    h.clock.set('2025-03-10T18:00:00Z');
    await h.practise(bob, MUTEX_ANSWER);
    h.clock.set('2025-03-10T19:00:00Z');
    await h.practise(bob, MUTEX_ANSWER);
    expect(streakNumber(await streakOf(h, bob))).toBe(1);
  });

  it('handles the DST change: Berlin days are 23 hours long on 30 March', async () => {
    const h = await createHarness({ start: '2025-03-29T22:30:00Z', defaultTimezone: 'Europe/Berlin' }); // 23:30 CET, 29 Mar
    await h.practise(alice, MUTEX_ANSWER);
    h.clock.set('2025-03-30T21:30:00Z'); // 23:30 CEST, 30 Mar: the next local day
    await h.practise(alice, MUTEX_ANSWER);
    expect(streakNumber(await streakOf(h, alice))).toBe(2);
    await h.practise(bob, MUTEX_ANSWER); // Bob's first day is 30 Mar
    h.clock.set('2025-03-31T22:30:00Z'); // 00:30 CEST 1 Apr: Bob missed 31 Mar (no freeze), Alice too
    expect(streakNumber(await streakOf(h, alice))).toBe(0);
    await h.practise(bob, MUTEX_ANSWER);
    expect(streakNumber(await streakOf(h, bob))).toBe(1);
  });

  it('refuses an invalid zone with an example and keeps the old one', async () => {
    const h = await createHarness();
    const r = await h.command(alice, 'timezone', { zone: 'Mars/Olympus' });
    expect(r.replies[0]!.visibility).toBe('private');
    expect(plain(r.replies[0]!.message)).toContain('Europe/Berlin');
    const person = await h.deps.practice.findAccount('slack:T1:U1');
    expect(person?.timezone).toBeNull();
  });
});

describe('freezes', () => {
  it('a 7-day run earns a freeze that bridges one missed day', async () => {
    const h = await createHarness();
    for (let d = 0; d < 7; d++) {
      await h.practise(alice, MUTEX_ANSWER);
      h.clock.advance(DAY);
    }
    expect(plain((await h.command(alice, 'streak')).replies[0]!.message)).toMatch(/Freezes held: 1/);
    h.clock.advance(DAY); // day 8 missed
    expect(streakNumber(await streakOf(h, alice))).toBe(7); // still alive thanks to the freeze
    await h.practise(alice, MUTEX_ANSWER);
    expect(streakNumber(await streakOf(h, alice))).toBe(8);
    h.clock.advance(3 * DAY); // two missed days: no freeze left, and it would not cover two
    expect(streakNumber(await streakOf(h, alice))).toBe(0);
    await h.practise(alice, MUTEX_ANSWER);
    expect(streakNumber(await streakOf(h, alice))).toBe(1);
  });
});

describe('linking accounts', () => {
  it('merges streaks and history into one person', async () => {
    const h = await createHarness();
    const slack: Person = { id: 'U1', name: 'Alice' };
    const discord: Person = { id: 'D9', name: 'alice', platform: 'discord', workspace: 'G1' };
    const onDiscord = { conversationId: 'discord:G1:C7' };
    await h.practise(slack, MUTEX_ANSWER);
    h.clock.advance(DAY);
    await h.practise(slack, MUTEX_ANSWER);
    h.clock.advance(DAY);
    await h.practise(discord, MUTEX_ANSWER, undefined, onDiscord);
    expect(streakNumber(await streakOf(h, discord, onDiscord))).toBe(1);

    const issued = await h.command(slack, 'link');
    expect(issued.replies[0]!.visibility).toBe('private');
    const code = /\b([A-Z2-9]{6})\b/.exec(plain(issued.replies[0]!.message))![1]!;
    const redeemed = await h.command(discord, 'link', { code: code.toLowerCase() }, onDiscord);
    expect(plain(redeemed.replies[0]!.message)).toMatch(/Linked/);
    expect(streakNumber(await streakOf(h, discord, onDiscord))).toBe(3);
    expect(streakNumber(await streakOf(h, slack))).toBe(3);
    // Single use.
    const third: Person = { id: 'D10', name: 'x', platform: 'discord', workspace: 'G1' };
    expect(plain((await h.command(third, 'link', { code }, onDiscord)).replies[0]!.message)).not.toMatch(/^Linked/);

    const unlinked = await h.command(discord, 'unlink', {}, onDiscord);
    expect(plain(unlinked.replies[0]!.message)).toMatch(/Unlinked/);
    expect(streakNumber(await streakOf(h, discord, onDiscord))).toBe(0);
    expect(streakNumber(await streakOf(h, slack))).toBe(3);
  });

  it('refuses an expired code', async () => {
    const h = await createHarness();
    const discord: Person = { id: 'D9', name: 'alice', platform: 'discord', workspace: 'G1' };
    const code = /\b([A-Z2-9]{6})\b/.exec(plain((await h.command(alice, 'link')).replies[0]!.message))![1]!;
    h.clock.advance(11 * 60_000);
    const r = await h.command(discord, 'link', { code }, { conversationId: 'discord:G1:C7' });
    expect(plain(r.replies[0]!.message)).toMatch(/expired/);
  });
});

describe('leaderboard', () => {
  it('orders by current streak, then answers, ties by first answer', async () => {
    const h = await createHarness();
    const dave: Person = { id: 'U4', name: 'Dave' };
    // Day 1: Bob. Day 2: Bob, Alice x3, Carol, Dave.
    await h.practise(bob, MUTEX_ANSWER);
    h.clock.advance(DAY);
    await h.practise(bob, MUTEX_ANSWER);
    for (let i = 0; i < 3; i++) await h.practise(alice, MUTEX_ANSWER);
    await h.practise(carol, MUTEX_ANSWER);
    h.clock.advance(60_000);
    await h.practise(dave, MUTEX_ANSWER);
    const board = await h.command(alice, 'leaderboard', { scope: 'channel', period: 'week' });
    expect(board.replies[0]!.visibility).toBe('public');
    const lines = board.replies[0]!.message.body.children.slice(1).map((n) => plain({ body: { type: 'root', children: [n] } }));
    expect(lines.map((l) => /^\d+\. (\w+)/.exec(l)?.[1])).toEqual(['Bob', 'Alice', 'Carol', 'Dave']);
    expect(lines.map((l) => Number(/^(\d+)\./.exec(l)?.[1]))).toEqual([1, 2, 3, 3]);
  });

  it('scopes to channel, workspace and everyone', async () => {
    const h = await createHarness();
    await h.practise(alice, MUTEX_ANSWER, undefined, { conversationId: 'slack:T1:C1' });
    await h.practise(bob, MUTEX_ANSWER, undefined, { conversationId: 'slack:T1:C2' });
    const eve: Person = { id: 'E1', name: 'Eve', platform: 'discord', workspace: 'G1' };
    await h.practise(eve, MUTEX_ANSWER, undefined, { conversationId: 'discord:G1:C1' });
    const names = async (scope: string) =>
      plain((await h.command(alice, 'leaderboard', { scope, period: 'all' }, { conversationId: 'slack:T1:C1' })).replies[0]!.message);
    expect(await names('channel')).toMatch(/Alice/);
    expect(await names('channel')).not.toMatch(/Bob/);
    expect(await names('workspace')).toMatch(/Bob/);
    expect(await names('workspace')).not.toMatch(/Eve/);
    // The global board is opt-in (issue 14): empty, with how to join, until people opt in.
    expect(await names('global')).not.toMatch(/Eve/);
    expect(await names('global')).toMatch(/\/settings global-board:on/);
    for (const id of ['discord:G1:E1', 'slack:T1:U1']) {
      const p = (await h.deps.practice.findAccount(id))!;
      await h.deps.practice.setBoardVisibility(p.personId, { globalBoard: true });
    }
    expect(await names('global')).toMatch(/Eve/);
    expect(await names('global')).toMatch(/Alice/);
    expect(await names('global')).not.toMatch(/Bob|settings/);
  });

  const boardLines = (r: Recorder) =>
    r.replies[0]!.message.body.children.map((n) => plain({ body: { type: 'root', children: [n] } }));

  it('shows the top 10 and, below them, the asker without a rank; hidden people are left out and told so', async () => {
    const h = await createHarness();
    const crowd: Person[] = Array.from({ length: 12 }, (_, i) => ({ id: `P${i}`, name: `Crowd${String(i).padStart(2, '0')}` }));
    for (const [i, p] of crowd.entries()) for (let k = 0; k <= i; k++) await h.practise(p, MUTEX_ANSWER);
    await h.practise(alice, MUTEX_ANSWER);
    h.clock.advance(60_000);
    await h.practise(bob, MUTEX_ANSWER);
    const lines = boardLines(await h.command(bob, 'leaderboard', { period: 'all' }));
    // Everyone has a 1-day streak: by answers, Crowd11 (12 answers) first.
    expect(lines.slice(1, 11).map((l) => /^\d+\. (\w+)/.exec(l)?.[1])).toEqual(crowd.slice(2).reverse().map((p) => p.name));
    expect(lines[11]).toMatch(/^You: 🔥 1 · 1 answer \(outside the top 10\)$/);
    expect(lines).toHaveLength(12);

    const top = (await h.deps.practice.findAccount('slack:T1:P11'))!;
    await h.deps.practice.setBoardVisibility(top.personId, { boards: false });
    const without = boardLines(await h.command(bob, 'leaderboard', { period: 'all' }));
    expect(without.join('\n')).not.toMatch(/Crowd11/);
    expect(without[1]).toMatch(/^1\. Crowd10 /);
    const hidden = boardLines(await h.command(crowd[11]!, 'leaderboard', { period: 'all' }));
    expect(hidden.at(-1)).toMatch(/You are hidden from all boards.*\/settings boards:on/);
    // The streak is kept.
    expect(streakNumber(await streakOf(h, crowd[11]!))).toBe(1);
  });

  it('the week board starts again on Monday 00:00 in the workspace zone (Asia/Tokyo here)', async () => {
    const h = await createHarness({ start: '2025-01-12T14:00:00Z' }); // Sunday 23:00 in Tokyo
    await h.deps.practice.ensureAccount({ accountId: 'slack:T1:U1', platform: 'slack', displayName: 'Alice', workspaceKey: 'slack:T1' }, h.clock.now());
    await h.deps.practice.setWorkspaceTimezone('slack:T1', 'Asia/Tokyo');
    await h.practise(alice, MUTEX_ANSWER);
    const week = async () => plain((await h.command(bob, 'leaderboard', { period: 'week' })).replies[0]!.message);
    expect(await week()).toMatch(/week from Monday 2025-01-06 \(Asia\/Tokyo\)[\s\S]*Alice · 🔥 1 · 1 answer/);
    h.clock.advance(59 * 60_000); // Sunday 23:59
    expect(await week()).toMatch(/Alice/);
    h.clock.advance(60_000); // Monday 00:00 in Tokyo, still Sunday in UTC
    expect(await week()).toMatch(/week from Monday 2025-01-13 \(Asia\/Tokyo\)[\s\S]*No answers here yet/);
    await h.practise(alice, MUTEX_ANSWER);
    expect(await week()).toMatch(/Alice · 🔥 2 · 1 answer/);
    // The month and all time still hold both answers.
    expect(plain((await h.command(bob, 'leaderboard', { period: 'month' })).replies[0]!.message)).toMatch(/month of 2025-01 \(Asia\/Tokyo\)[\s\S]*Alice · 🔥 2 · 2 answers/);
  });
});

describe('bad input and replays', () => {
  it('an empty answer is refused politely and nothing is stored', async () => {
    const h = await createHarness();
    const ask = await h.command(alice, 'ask');
    const id = ask.replies[0]!.message.actions![0]!.value;
    const r = await h.submit(alice, id, '  \u0000\u0007 \n ');
    expect(r.replies).toHaveLength(1);
    expect(r.replies[0]!.visibility).toBe('private');
    expect((await h.deps.practice.getAttempt(id))?.answeredAt).toBeNull();
    // The question is still open.
    expect((await h.submit(alice, id, MUTEX_ANSWER)).replies.length).toBeGreaterThan(0);
    expect((await h.deps.practice.getAttempt(id))?.answeredAt).not.toBeNull();
  });

  it('a 100 KB answer is refused without storing anything', async () => {
    const h = await createHarness();
    const ask = await h.command(alice, 'ask');
    const id = ask.replies[0]!.message.actions![0]!.value;
    const r = await h.submit(alice, id, 'x'.repeat(100_000));
    expect(r.replies).toHaveLength(1);
    expect(r.replies[0]!.visibility).toBe('private');
    expect(plain(r.replies[0]!.message)).toMatch(/4000/);
    expect((await h.deps.practice.getAttempt(id))?.answerText).toBeNull();
    expect(streakNumber(await streakOf(h, alice))).toBe(0);
  });

  it('stores answers as typed and renders them as user text', async () => {
    const h = await createHarness();
    const typed = '@everyone <@U123> **bold** mutex\u0000 lock\u0007 goroutine exclusive access';
    const { attemptId, result } = await h.practise(alice, typed, 'concurrency');
    expect((await h.deps.practice.getAttempt(attemptId))?.answerText).toBe(typed);
    const reveal = result.replies.find((r) => r.visibility === 'private')!;
    const typedNodes = userTexts(reveal.message.body);
    expect(typedNodes.some((t) => t.includes('@everyone <@U123> **bold**'))).toBe(true);
    expect(typedNodes.some((t) => t.includes('\u0000'))).toBe(false);
    const note = result.replies.find((r) => r.visibility === 'public')!;
    expect(plain(note.message)).not.toContain('@everyone');
  });

  it('a display name with a mention is user text, never bot text', async () => {
    const h = await createHarness();
    const mallory: Person = { id: 'U6', name: '@everyone' };
    const { result } = await h.practise(mallory, MUTEX_ANSWER);
    const note = result.replies.find((r) => r.visibility === 'public')!;
    expect(userTexts(note.message.body)).toEqual(['@everyone']);
  });

  it('a replayed delivery and a double submit count once', async () => {
    const h = await createHarness();
    const ask = await h.command(alice, 'ask');
    const id = ask.replies[0]!.message.actions![0]!.value;
    const ctx = {
      platform: 'slack' as const,
      workspaceId: 'T1',
      conversationId: 'slack:T1:C1',
      isDirect: false,
      actor: { platform: 'slack' as const, id: 'slack:T1:U1', displayName: 'Alice' },
      actorIsAdmin: false,
      deliveryId: 'retry-1',
    };
    const first = await h.send({ kind: 'form', ctx, formId: 'answer', value: id, text: MUTEX_ANSWER });
    const replay = await h.send({ kind: 'form', ctx, formId: 'answer', value: id, text: MUTEX_ANSWER });
    expect(first.replies.length).toBeGreaterThan(0);
    expect(replay.replies).toEqual([]);
    const again = await h.submit(alice, id, 'second try');
    expect(again.replies).toHaveLength(1);
    expect(again.replies[0]!.visibility).toBe('private');
    expect((await h.deps.practice.getAttempt(id))?.answerText).toBe(MUTEX_ANSWER);
    // Rating twice schedules once.
    expect(plain((await h.press(alice, 'rate', `${id}:good`)).replies[0]!.message)).toMatch(/Next review/);
    expect(plain((await h.press(alice, 'rate', `${id}:easy`)).replies[0]!.message)).not.toMatch(/Next review/);
    expect(streakNumber(await streakOf(h, alice))).toBe(1);
  });

  it('someone else pressing Answer gets their own attempt; a foreign form value is refused', async () => {
    const h = await createHarness();
    const ask = await h.command(alice, 'ask');
    const aliceAttempt = ask.replies[0]!.message.actions![0]!.value;
    const pressed = await h.press(bob, 'answer', aliceAttempt);
    const bobAttempt = pressed.forms[0]!.value;
    expect(bobAttempt).not.toBe(aliceAttempt);
    const stolen = await h.submit(bob, aliceAttempt, MUTEX_ANSWER);
    expect(stolen.replies.every((r) => r.visibility === 'private')).toBe(true);
    expect((await h.deps.practice.getAttempt(aliceAttempt))?.answeredAt).toBeNull();
    await h.submit(bob, bobAttempt, MUTEX_ANSWER);
    expect(streakNumber(await streakOf(h, bob))).toBe(1);
    // Pressing Answer on the same post again does not open a second attempt.
    const again = await h.press(bob, 'answer', aliceAttempt);
    expect(again.forms).toEqual([]);
    expect(again.replies[0]!.visibility).toBe('private');
    expect(streakNumber(await streakOf(h, alice))).toBe(0);
  });

  it('without forms, Answer points to /answer, which works', async () => {
    const h = await createHarness();
    const ask = await h.command(alice, 'ask');
    const id = ask.replies[0]!.message.actions![0]!.value;
    const pressed = await h.press(alice, 'answer', id, {}, false);
    expect(pressed.replies[0]!.visibility).toBe('private');
    expect(plain(pressed.replies[0]!.message)).toContain('/answer');
    const r = await h.command(alice, 'answer', { text: MUTEX_ANSWER });
    expect(r.replies.some((x) => x.visibility === 'private' && x.message.actions?.some((a) => a.id === 'rate'))).toBe(true);
    expect((await h.deps.practice.getAttempt(id))?.answerText).toBe(MUTEX_ANSWER);
  });

  it('unknown commands, stale buttons and missing options get a private hint', async () => {
    const h = await createHarness();
    for (const r of [
      await h.command(alice, 'dance'),
      await h.press(alice, 'rate', 'garbage'),
      await h.press(alice, 'answer', '99999'),
      await h.command(alice, 'timezone'),
    ]) {
      expect(r.replies).toHaveLength(1);
      expect(r.replies[0]!.visibility).toBe('private');
    }
  });

  it('an unexpected failure becomes a polite private reply and a log line', async () => {
    const real = await createHarness();
    const broken: BankRepository = {
      ...real.deps.bank,
      listQuestions: async () => {
        throw new Error('disk on fire');
      },
    };
    const h = await createHarness({ deps: { bank: broken } });
    const r = await h.command(alice, 'ask');
    expect(r.replies).toHaveLength(1);
    expect(r.replies[0]!.visibility).toBe('private');
    expect(plain(r.replies[0]!.message)).not.toContain('disk on fire');
    expect(h.logs.some((l) => l.level === 'error')).toBe(true);
  });
});

describe('daily posts', () => {
  it('anyone can answer a posted question once; each gets their own attempt', async () => {
    const h = await createHarness();
    const value = questionButtonValue(h.ids['What is a channel?']!, 'daily');
    const a1 = (await h.press(alice, 'answer', value)).forms[0]!;
    const b1 = (await h.press(bob, 'answer', value)).forms[0]!;
    expect(a1.value).not.toBe(b1.value);
    expect((await h.press(alice, 'answer', value)).forms[0]!.value).toBe(a1.value);
    await h.submit(alice, a1.value, 'a typed pipe between goroutines');
    expect((await h.deps.practice.getAttempt(a1.value))?.source).toBe('daily');
    const again = await h.press(alice, 'answer', value);
    expect(again.forms).toEqual([]);
    // The next day's post of the same question is a new attempt.
    h.clock.advance(DAY);
    expect((await h.press(alice, 'answer', value)).forms[0]!.value).not.toBe(a1.value);
  });
});

describe('commands', () => {
  it('help lists every command, extra ones included; admin-only commands are checked', async () => {
    const ran: string[] = [];
    const extra: CommandModule = {
      spec: { name: 'schedule', description: 'Daily question', options: [], permission: 'admin' },
      run: async (event, respond) => {
        ran.push(event.command);
        await respond.reply({ body: { type: 'root', children: [] } }, 'private');
      },
    };
    const h = await createHarness({ deps: { extraCommands: [extra] } });
    const names = h.bot.commands.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['ask', 'streak', 'leaderboard', 'topics', 'stats', 'timezone', 'link', 'unlink', 'help', 'schedule']));
    const help = plain((await h.command(alice, 'help')).replies[0]!.message);
    for (const n of names) expect(help).toContain(`/${n}`);
    await h.command(alice, 'schedule');
    expect(ran).toEqual([]);
    await h.command(alice, 'schedule', {}, { actorIsAdmin: true });
    expect(ran).toEqual(['schedule']);
  });

  it('/streak shows someone else by account id or bare user id, and says so for a stranger', async () => {
    const h = await createHarness();
    await h.practise(bob, MUTEX_ANSWER);
    for (const id of ['slack:T1:U2', 'U2']) {
      const r = (await h.command(alice, 'streak', { person: id })).replies[0]!;
      expect(userTexts(r.message.body)).toEqual(['Bob']);
      expect(streakNumber(plain(r.message))).toBe(1);
    }
    const stranger = (await h.command(alice, 'streak', { person: 'slack:T1:U404' })).replies[0]!;
    expect(stranger.visibility).toBe('private');
    expect(Number.isNaN(streakNumber(plain(stranger.message)))).toBe(true);
  });

  it('topics and stats report what is there', async () => {
    const h = await createHarness();
    const topics = plain((await h.command(alice, 'topics')).replies[0]!.message);
    expect(topics).toContain('concurrency');
    await h.practise(alice, MUTEX_ANSWER, 'concurrency');
    const stats = (await h.command(alice, 'stats')).replies[0]!;
    expect(stats.visibility).toBe('private');
    expect(plain(stats.message)).toMatch(/concurrency: 1 answer, \d+% /);
  });
});

describe('recorder', () => {
  it('records what it is given', async () => {
    const r = new Recorder();
    await r.reply({ body: { type: 'root', children: [] } }, 'private');
    expect(r.replies).toHaveLength(1);
  });
});
