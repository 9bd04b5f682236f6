import { beforeEach, describe, expect, it } from 'vitest';
import { practiceStores } from '../../stores/practice.ts';
import type { PracticeRepository, StreakRecord } from '../../../src/store/practice-types.ts';
import { applyActivity, streakFromDays } from '../../../src/core/streaks.ts';
import { LINK_ATTEMPT_LIMIT } from '../../../src/core/link-codes.ts';
import { seedQuestions } from './seed.ts';

describe.each(practiceStores())('$name', (kind) => {
  let store: PracticeRepository;
  let qids: string[];
  const now = new Date('2025-01-10T10:00:00Z');

  const alice = { accountId: 'slack:T1:U1', platform: 'slack', displayName: 'Alice', workspaceKey: 'slack:T1' };
  const aliceDiscord = { accountId: 'discord:G1:A', platform: 'discord', displayName: 'alice_d', workspaceKey: 'discord:G1' };

  beforeEach(async () => {
    const opened = await kind.open();
    store = opened.repo;
    qids = await seedQuestions(opened.bank, [
      { prompt: 'What is a mutex?', answer: 'A lock.' },
      { prompt: 'What is a channel?', answer: 'A pipe.' },
    ]);
  });

  /** An /ask attempt in workspace slack:T1; the tests vary only who, which question, where and when. */
  function startAsk(personId: string, questionId: string, conversationId = 'slack:T1:C1', at = now) {
    return store.startAttempt({ personId, questionId, conversationId, workspaceKey: 'slack:T1', source: 'ask', now: at });
  }

  async function answer(personId: string, questionId: string, at: Date, day: string, conversationId = 'slack:T1:C1') {
    const a = await startAsk(personId, questionId, conversationId, at);
    return store.recordAnswer({
      attemptId: a.id,
      personId,
      text: 'x',
      coverage: 0.5,
      coverageJson: '[]',
      now: at,
      localDate: day,
      applyActivity,
    });
  }

  describe('accounts and people', () => {
    it('stores a display name with NUL in it (PostgreSQL: as U+FFFD)', async () => {
      const p = await store.ensureAccount({ ...alice, displayName: 'A\u0000l' }, now);
      const expected = kind.name === 'sqlite' ? 'A\u0000l' : 'A\uFFFDl';
      expect(p.displayName).toBe(expected);
      expect((await store.findAccount(alice.accountId))?.displayName).toBe(expected);
      expect(await store.redeemLinkCode('AB\u0000', alice.accountId, now, streakFromDays, LINK_ATTEMPT_LIMIT)).toEqual({ ok: false, reason: 'unknown' });
    });

    it('creates a person once per account and refreshes the display name', async () => {
      const first = await store.ensureAccount(alice, now);
      const again = await store.ensureAccount({ ...alice, displayName: 'Alice B' }, now);
      expect(again.personId).toBe(first.personId);
      expect(again.displayName).toBe('Alice B');
      expect((await store.findAccount(alice.accountId))?.displayName).toBe('Alice B');
    });

    it('keeps a person timezone and a workspace timezone', async () => {
      const p = await store.ensureAccount(alice, now);
      await store.setTimezone(p.personId, 'Europe/Berlin');
      await store.setWorkspaceTimezone('slack:T1', 'Asia/Kolkata');
      const back = await store.findAccount(alice.accountId);
      expect(back).toMatchObject({ timezone: 'Europe/Berlin', workspaceTimezone: 'Asia/Kolkata' });
    });
  });

  describe('answers', () => {
    it('records an answer and the streak day in one step, once', async () => {
      const p = await store.ensureAccount(alice, now);
      const a = await startAsk(p.personId, qids[0]!, 'slack:T1:C1');
      const input = {
        attemptId: a.id,
        personId: p.personId,
        text: '@everyone <b>hi</b>\u0000',
        coverage: 0.5,
        coverageJson: '[]',
        now,
        localDate: '2025-01-10',
        applyActivity,
      };
      const first = await store.recordAnswer(input);
      expect(first.ok).toBe(true);
      if (first.ok) expect(first.streak.current).toBe(1);
      const second = await store.recordAnswer(input);
      expect(second).toMatchObject({ ok: false, reason: 'closed' });
      expect((await store.getStreak(p.personId)).current).toBe(1);
      // PostgreSQL's text cannot hold NUL: that store keeps the answer with U+FFFD in its place (docs/postgres.md).
      const stored = kind.name === 'sqlite' ? '@everyone <b>hi</b>\u0000' : '@everyone <b>hi</b>\uFFFD';
      expect((await store.getAttempt(a.id))?.answerText).toBe(stored);
    });

    it('refuses someone else answering an attempt, and unknown ids', async () => {
      const p = await store.ensureAccount(alice, now);
      const bob = await store.ensureAccount({ ...alice, accountId: 'slack:T1:U2', displayName: 'Bob' }, now);
      const a = await startAsk(p.personId, qids[0]!, 'c');
      const base = { text: 'x', coverage: 1, coverageJson: '[]', now, localDate: '2025-01-10', applyActivity };
      expect(await store.recordAnswer({ ...base, attemptId: a.id, personId: bob.personId })).toMatchObject({
        ok: false,
        reason: 'not-yours',
      });
      expect(await store.recordAnswer({ ...base, attemptId: '999', personId: p.personId })).toMatchObject({
        ok: false,
        reason: 'not-found',
      });
      expect(await store.recordAnswer({ ...base, attemptId: "1; DROP TABLE people", personId: p.personId })).toMatchObject({
        ok: false,
        reason: 'not-found',
      });
      // Past PostgreSQL's int4 and past 2^53: unknown, not a driver error.
      for (const attemptId of ['2147483648', '9007199254740993', '99999999999999999999', '-1', '0', '1.5', '']) {
        expect(await store.recordAnswer({ ...base, attemptId, personId: p.personId })).toMatchObject({ ok: false, reason: 'not-found' });
        expect(await store.getAttempt(attemptId)).toBeUndefined();
        expect(await store.giveUp(attemptId, p.personId, now)).toMatchObject({ ok: false, reason: 'not-found' });
      }
    });

    it('rolls the answer back when the streak step throws', async () => {
      const p = await store.ensureAccount(alice, now);
      const a = await startAsk(p.personId, qids[0]!, 'c');
      await expect(
        store.recordAnswer({
          attemptId: a.id,
          personId: p.personId,
          text: 'x',
          coverage: 1,
          coverageJson: '[]',
          now,
          localDate: '2025-01-10',
          applyActivity: () => {
            throw new Error('boom');
          },
        }),
      ).rejects.toThrow('boom');
      expect((await store.getAttempt(a.id))?.answeredAt).toBeNull();
    });

    it('rates once, only after reveal, storing the card and due time', async () => {
      const p = await store.ensureAccount(alice, now);
      const a = await startAsk(p.personId, qids[1]!, 'c');
      const due = new Date('2025-01-13T10:00:00Z');
      const seen: unknown[] = [];
      const schedule = (prev: unknown) => {
        seen.push(prev);
        return { card: { n: seen.length }, due };
      };
      expect(await store.rate({ attemptId: a.id, personId: p.personId, rating: 'good', now, schedule })).toMatchObject({
        ok: false,
        reason: 'not-revealed',
      });
      expect((await store.giveUp(a.id, p.personId, now)).ok).toBe(true);
      expect((await store.rate({ attemptId: a.id, personId: p.personId, rating: 'again', now, schedule })).ok).toBe(true);
      expect((await store.rate({ attemptId: a.id, personId: p.personId, rating: 'good', now, schedule })).ok).toBe(false);
      expect(seen).toEqual([undefined]);
      expect(await store.dueReviews(p.personId, new Date('2025-01-12T00:00:00Z'))).toEqual([]);
      expect(await store.dueReviews(p.personId, due)).toEqual([{ questionId: qids[1], dueAt: due.toISOString() }]);
      // A give-up is not an answer: no streak credit.
      expect((await store.getStreak(p.personId)).current).toBe(0);
    });
  });

  describe('linking', () => {
    it('merges the redeemer into the code owner: accounts, attempts, reviews, replayed streak', async () => {
      const a = await store.ensureAccount(alice, now);
      const d = await store.ensureAccount(aliceDiscord, now);
      // Slack on days 1,2; Discord on day 3: apart they are 2 and 1, together 3.
      await answer(a.personId, qids[0]!, now, '2025-01-01');
      await answer(a.personId, qids[0]!, now, '2025-01-02');
      await answer(d.personId, qids[1]!, now, '2025-01-03');
      await store.createLinkCode(a.personId, 'ABCDEF', now, new Date(now.getTime() + 600_000));
      const result = await store.redeemLinkCode('ABCDEF', aliceDiscord.accountId, now, streakFromDays, LINK_ATTEMPT_LIMIT);
      expect(result).toEqual({ ok: true, personId: a.personId, mergedFrom: d.personId });
      expect((await store.findAccount(aliceDiscord.accountId))?.personId).toBe(a.personId);
      const streak: StreakRecord = await store.getStreak(a.personId);
      expect(streak).toMatchObject({ current: 3, lastDay: '2025-01-03' });
      expect((await store.seenQuestionIds(a.personId)).sort()).toEqual([...qids].sort());
      expect(await store.accountsOf(a.personId)).toHaveLength(2);
    });

    it('keeps the more recent review when both people reviewed the same question', async () => {
      const a = await store.ensureAccount(alice, now);
      const d = await store.ensureAccount(aliceDiscord, now);
      const review = async (personId: string, at: Date, tag: string) => {
        const att = await startAsk(personId, qids[0]!, 'c', at);
        await store.giveUp(att.id, personId, at);
        await store.rate({ attemptId: att.id, personId, rating: 'good', now: at, schedule: () => ({ card: { tag }, due: new Date(at.getTime() + 86_400_000) }) });
      };
      await review(a.personId, new Date('2025-01-01T00:00:00Z'), 'old');
      await review(d.personId, new Date('2025-01-05T00:00:00Z'), 'new');
      await store.createLinkCode(a.personId, 'ABCDEF', now, new Date(now.getTime() + 600_000));
      await store.redeemLinkCode('ABCDEF', aliceDiscord.accountId, now, streakFromDays, LINK_ATTEMPT_LIMIT);
      expect(await store.dueReviews(a.personId, now)).toEqual([{ questionId: qids[0], dueAt: '2025-01-06T00:00:00.000Z' }]);
      const att = await startAsk(a.personId, qids[0]!, 'c');
      await store.giveUp(att.id, a.personId, now);
      let seen: unknown;
      await store.rate({ attemptId: att.id, personId: a.personId, rating: 'good', now, schedule: (prev) => ((seen = prev), { card: {}, due: now }) });
      expect(seen).toEqual({ tag: 'new' });
    });

    it('refuses used, expired, unknown and own codes', async () => {
      const a = await store.ensureAccount(alice, now);
      await store.ensureAccount(aliceDiscord, now);
      await store.createLinkCode(a.personId, 'ABCDEF', now, new Date(now.getTime() + 600_000));
      expect(await store.redeemLinkCode('ABCDEF', alice.accountId, now, streakFromDays, LINK_ATTEMPT_LIMIT)).toEqual({ ok: false, reason: 'own-code' });
      const late = new Date(now.getTime() + 600_000);
      expect(await store.redeemLinkCode('ABCDEF', aliceDiscord.accountId, late, streakFromDays, LINK_ATTEMPT_LIMIT)).toEqual({
        ok: false,
        reason: 'expired',
      });
      expect(await store.redeemLinkCode('ZZZZZZ', aliceDiscord.accountId, now, streakFromDays, LINK_ATTEMPT_LIMIT)).toEqual({
        ok: false,
        reason: 'unknown',
      });
      expect((await store.redeemLinkCode('ABCDEF', aliceDiscord.accountId, now, streakFromDays, LINK_ATTEMPT_LIMIT)).ok).toBe(true);
      const third = { ...aliceDiscord, accountId: 'discord:G1:B' };
      await store.ensureAccount(third, now);
      expect(await store.redeemLinkCode('ABCDEF', third.accountId, now, streakFromDays, LINK_ATTEMPT_LIMIT)).toEqual({ ok: false, reason: 'used' });
    });

    it('unlinks an account to a fresh person, leaving history behind', async () => {
      const a = await store.ensureAccount(alice, now);
      await store.ensureAccount(aliceDiscord, now);
      expect(await store.unlinkAccount(aliceDiscord.accountId, 'x', now)).toBe(false);
      await store.createLinkCode(a.personId, 'ABCDEF', now, new Date(now.getTime() + 600_000));
      await store.redeemLinkCode('ABCDEF', aliceDiscord.accountId, now, streakFromDays, LINK_ATTEMPT_LIMIT);
      await answer(a.personId, qids[0]!, now, '2025-01-10');
      expect(await store.unlinkAccount(aliceDiscord.accountId, 'alice_d', now)).toBe(true);
      const after = await store.findAccount(aliceDiscord.accountId);
      expect(after?.personId).not.toBe(a.personId);
      expect((await store.getStreak(after!.personId)).current).toBe(0);
      expect((await store.getStreak(a.personId)).current).toBe(1);
    });
  });

  describe('leaderboard rows and stats', () => {
    it('counts answers by scope and period, excluding give-ups', async () => {
      const a = await store.ensureAccount(alice, now);
      const b = await store.ensureAccount({ ...alice, accountId: 'slack:T1:U2', displayName: 'Bob' }, now);
      await answer(a.personId, qids[0]!, new Date('2025-01-01T10:00:00Z'), '2025-01-01', 'slack:T1:C1');
      await answer(a.personId, qids[1]!, new Date('2025-01-09T10:00:00Z'), '2025-01-09', 'slack:T1:C2');
      await answer(b.personId, qids[0]!, new Date('2025-01-09T11:00:00Z'), '2025-01-09', 'slack:T1:C1');
      const g = await startAsk(b.personId, qids[1]!, 'slack:T1:C1');
      await store.giveUp(g.id, b.personId, now);

      // The global board is opt-in (issue 14).
      for (const p of [a, b]) await store.setBoardVisibility(p.personId, { globalBoard: true });
      const all = await store.leaderboardByAnswers({ scope: 'global', period: 'all' }, 10);
      expect(Object.fromEntries(all.map((r) => [r.displayName, r.answers]))).toEqual({ Alice: 2, Bob: 1 });
      const channel = await store.leaderboardByAnswers({ scope: 'channel', conversationId: 'slack:T1:C2', period: 'all' }, 10);
      expect(channel.map((r) => r.displayName)).toEqual(['Alice']);
      // Calendar week from Monday 2025-01-06 (was: since an instant).
      const recent = await store.leaderboardByAnswers({ scope: 'workspace', workspaceKey: 'slack:T1', period: 'week', periodKey: 'week:2025-01-06' }, 10);
      expect(Object.fromEntries(recent.map((r) => [r.displayName, r.answers]))).toEqual({ Alice: 1, Bob: 1 });
      expect(await store.leaderboardByAnswers({ scope: 'workspace', workspaceKey: 'discord:G9', period: 'all' }, 10)).toEqual([]);

      const stats = await store.questionStats(b.personId);
      expect(stats.find((s) => s.questionId === qids[1])).toMatchObject({ answers: 0, gaveUp: 1, avgCoverage: null });
      expect(stats.find((s) => s.questionId === qids[0])).toMatchObject({ answers: 1, avgCoverage: 0.5 });
    });

    it('open attempt and last question follow the most recent ask', async () => {
      const a = await store.ensureAccount(alice, now);
      const first = await startAsk(a.personId, qids[0]!, 'c1');
      await startAsk(a.personId, qids[1]!, 'c2');
      expect(await store.lastQuestionId(a.personId)).toBe(qids[1]);
      expect((await store.openAttempt(a.personId, 'c1'))?.id).toBe(first.id);
      expect((await store.openAttempt(a.personId))?.questionId).toBe(qids[1]);
    });
  });

  describe('deliveries', () => {
    it('reports a delivery id as new exactly once', async () => {
      expect(await store.markDelivery('d1', now)).toBe(true);
      expect(await store.markDelivery('d1', now)).toBe(false);
      expect(await store.pruneDeliveries(new Date(now.getTime() + 1))).toBe(1);
      expect(await store.markDelivery('d1', now)).toBe(true);
    });
  });

  describe(`under two processes (${kind.twoLabel()})`, () => {
    /** Two stores on one database, an account on it and the questions seeded. */
    async function two() {
      const [one, other] = await kind.openTwo();
      const ids = await seedQuestions(one.bank, [
        { prompt: 'What is a mutex?', answer: 'A lock.' },
        { prompt: 'What is a channel?', answer: 'A pipe.' },
      ]);
      return { one: one.repo, other: other.repo, ids };
    }

    it('counts an answer delivered to both processes once: one attempt closed, one streak day, one board answer', async () => {
      const { one, other, ids } = await two();
      for (let round = 0; round < 10; round++) {
        const p = await one.ensureAccount({ ...alice, accountId: `slack:T1:R${round}` }, now);
        const a = await one.startAttempt({ personId: p.personId, questionId: ids[0]!, conversationId: 'c', workspaceKey: 'slack:T1', source: 'ask', now });
        const input = { attemptId: a.id, personId: p.personId, text: 'x', coverage: 1, coverageJson: '[]', now, localDate: '2025-01-10', applyActivity };
        const results = await Promise.all([one.recordAnswer(input), other.recordAnswer(input)]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.filter((r) => !r.ok && r.reason === 'closed')).toHaveLength(1);
        expect(await other.getStreak(p.personId)).toMatchObject({ current: 1, lastDay: '2025-01-10' });
        const entry = await other.boardEntry({ scope: 'channel', conversationId: 'c', period: 'all' }, p.personId);
        expect(entry?.answers).toBe(1);
      }
    });

    it('lets exactly one of two accounts redeem one link code at once', async () => {
      const { one, other } = await two();
      for (let round = 0; round < 10; round++) {
        const owner = await one.ensureAccount({ ...alice, accountId: `slack:T1:O${round}` }, now);
        const x = await one.ensureAccount({ ...aliceDiscord, accountId: `discord:G1:X${round}` }, now);
        const y = await one.ensureAccount({ ...aliceDiscord, accountId: `discord:G1:Y${round}` }, now);
        const code = `CODE${round}`;
        await one.createLinkCode(owner.personId, code, now, new Date(now.getTime() + 600_000));
        const results = await Promise.all([
          one.redeemLinkCode(code, `discord:G1:X${round}`, now, streakFromDays, LINK_ATTEMPT_LIMIT),
          other.redeemLinkCode(code, `discord:G1:Y${round}`, now, streakFromDays, LINK_ATTEMPT_LIMIT),
        ]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.filter((r) => !r.ok && r.reason === 'used')).toHaveLength(1);
        const linked = (await other.accountsOf(owner.personId)).map((a) => a.accountId).sort();
        const winner = results[0]!.ok ? x : y;
        expect(linked).toEqual([`slack:T1:O${round}`, winner === x ? `discord:G1:X${round}` : `discord:G1:Y${round}`].sort());
      }
    });

    it('steps the streak for each of two answers of one person on two days at once', async () => {
      const { one, other, ids } = await two();
      for (let round = 0; round < 10; round++) {
        const p = await one.ensureAccount({ ...alice, accountId: `slack:T1:S${round}` }, now);
        const start = (q: string) => one.startAttempt({ personId: p.personId, questionId: q, conversationId: 'c', workspaceKey: 'slack:T1', source: 'ask', now });
        const [a, b] = [await start(ids[0]!), await start(ids[1]!)];
        const base = { personId: p.personId, text: 'x', coverage: 1, coverageJson: '[]', now, applyActivity };
        // Days 9 and 10 arrive together.
        const results = await Promise.all([
          one.recordAnswer({ ...base, attemptId: a.id, localDate: '2025-01-09' }),
          other.recordAnswer({ ...base, attemptId: b.id, localDate: '2025-01-10' }),
        ]);
        expect(results.every((r) => r.ok)).toBe(true);
        // Day 9 then 10 steps twice (2); 10 then 9 steps once (a day before the last adds nothing): 1. Either way
        // the stored streak is the number of steps taken; two reads of the empty streak would step twice and store 1.
        const steps = results.filter((r) => r.ok && r.newDay).length;
        expect((await one.getStreak(p.personId)).current).toBe(steps);
        const board = await other.boardEntry({ scope: 'workspace', workspaceKey: 'slack:T1', period: 'all' }, p.personId);
        expect(board?.answers).toBe(2);
      }
    });

    it('creates one person for an account whose first two events arrive at once', async () => {
      const { one, other } = await two();
      for (let round = 0; round < 10; round++) {
        const account = { ...alice, accountId: `slack:T1:N${round}` };
        const [x, y] = await Promise.all([one.ensureAccount(account, now), other.ensureAccount(account, now)]);
        expect(x.personId).toBe(y.personId);
      }
    });
  });
});
