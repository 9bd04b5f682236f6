import { beforeEach, describe, expect, it } from 'vitest';
import { practiceStores } from '../../stores/practice.ts';
import type { RawSql } from '../../stores/kinds.ts';
import type { AttemptQueue, PracticeRepository } from '../../../src/store/practice-types.ts';
import { applyActivity, streakFromDays } from '../../../src/core/streaks.ts';
import { LINK_ATTEMPT_LIMIT } from '../../../src/core/link-codes.ts';
import { seedQuestions } from './seed.ts';

describe.each(practiceStores())('$name', (kind) => {
  let store: PracticeRepository;
  let sql: RawSql;
  let qids: string[];
  const now = new Date('2025-01-10T10:00:00Z');
  const HOUR = 3_600_000;
  const alice = { accountId: 'slack:T1:U1', platform: 'slack', displayName: 'Alice', workspaceKey: 'slack:T1' };
  const aliceDiscord = { accountId: 'discord:G1:A', platform: 'discord', displayName: 'alice_d', workspaceKey: 'discord:G1' };

  beforeEach(async () => {
    const opened = await kind.open();
    store = opened.repo;
    sql = opened.sql;
    qids = await seedQuestions(opened.bank, [
      { prompt: 'What is a mutex?', answer: 'A lock.' },
      { prompt: 'What is a channel?', answer: 'A pipe.' },
      { prompt: 'What is an index?', answer: 'A tree.' },
    ]);
  });

  describe('practice settings', () => {
    it('sets and clears keys, per person and per workspace, each in its own row', async () => {
      const p = await store.ensureAccount(alice, now);
      expect(await store.practiceSettings(p.personId, 'slack:T1')).toEqual({ own: {}, workspace: {} });
      expect(await store.changeSettings(p.personId, { reviewsPerDay: 40, newPerDay: 3 }, now)).toEqual({ reviewsPerDay: 40, newPerDay: 3 });
      expect(await store.changeSettings(p.personId, { reviewsPerDay: null }, now)).toEqual({ newPerDay: 3 });
      await store.changeWorkspaceSettings('slack:T1', { reviewsPerDay: 20 }, now);
      expect(await store.practiceSettings(p.personId, 'slack:T1')).toEqual({ own: { newPerDay: 3 }, workspace: { reviewsPerDay: 20 } });
      expect(await store.practiceSettings(p.personId, 'discord:G1')).toEqual({ own: { newPerDay: 3 }, workspace: {} });
    });

    it('reads stored JSON through the schema: a corrupt value is dropped, its neighbours kept', async () => {
      const p = await store.ensureAccount(alice, now);
      await sql.rows('INSERT INTO person_settings (person_id, settings, updated_at) VALUES (?, ?, ?)', [p.personId,
        JSON.stringify({ reviewsPerDay: 'lots', newPerDay: 4, colour: 'red' }),
        now.toISOString(),]);
      expect((await store.practiceSettings(p.personId, 'slack:T1')).own).toEqual({ newPerDay: 4 });
      await sql.rows('UPDATE person_settings SET settings = ? WHERE person_id = ?', ['{not json', p.personId]);
      expect((await store.practiceSettings(p.personId, 'slack:T1')).own).toEqual({});
      await sql.rows('UPDATE person_settings SET settings = ? WHERE person_id = ?', ['[1,2]', p.personId]);
      expect((await store.practiceSettings(p.personId, 'slack:T1')).own).toEqual({});
      // A change over a corrupt row starts from what could be read.
      expect(await store.changeSettings(p.personId, { newPerDay: 2 }, now)).toEqual({ newPerDay: 2 });
    });

    it('linking keeps the issuer’s choices and fills in the joining person’s; unlinking copies them', async () => {
      const a = await store.ensureAccount(alice, now);
      const d = await store.ensureAccount(aliceDiscord, now);
      await store.changeSettings(a.personId, { reviewsPerDay: 30 }, now);
      await store.changeSettings(d.personId, { reviewsPerDay: 99, newPerDay: 1 }, now);
      await store.createLinkCode(a.personId, 'ABCDEF', now, new Date(now.getTime() + 600_000));
      expect((await store.redeemLinkCode('ABCDEF', aliceDiscord.accountId, now, streakFromDays, LINK_ATTEMPT_LIMIT)).ok).toBe(true);
      expect((await store.practiceSettings(a.personId, 'slack:T1')).own).toEqual({ reviewsPerDay: 30, newPerDay: 1 });
      expect((await sql.rows('SELECT COUNT(*) AS n FROM person_settings WHERE person_id = ?', [d.personId]))[0]).toEqual({ n: 0 });
      expect(await store.unlinkAccount(aliceDiscord.accountId, 'alice_d', now)).toBe(true);
      const detached = (await store.findAccount(aliceDiscord.accountId))!;
      expect((await store.practiceSettings(detached.personId, 'discord:G1')).own).toEqual({ reviewsPerDay: 30, newPerDay: 1 });
    });

    it('forgetting a person deletes their settings, not the workspace defaults', async () => {
      const p = await store.ensureAccount(alice, now);
      await store.changeSettings(p.personId, { newPerDay: 2 }, now);
      await store.changeWorkspaceSettings('slack:T1', { newPerDay: 7 }, now);
      const report = await store.forgetPerson(p.personId);
      expect(report.deleted.person_settings).toBe(1);
      expect((await sql.rows('SELECT COUNT(*) AS n FROM workspace_settings'))[0]).toEqual({ n: 1 });
    });
  });

  describe('the day load and extra practice', () => {
    async function attempt(personId: string, questionId: string, at: Date, queue?: AttemptQueue) {
      const a = await store.startAttempt({ personId, questionId, conversationId: 'slack:T1:C1', workspaceKey: 'slack:T1', source: 'ask', now: at, ...(queue ? { queue } : {}) });
      await store.recordAnswer({ attemptId: a.id, personId, text: 'x', coverage: 1, coverageJson: '[]', now: at, localDate: at.toISOString().slice(0, 10), applyActivity });
      return a;
    }
    const schedule = (at: Date) => () => ({ card: { at: at.toISOString() }, due: new Date(at.getTime() + 24 * HOUR) });

    it('counts ratings per queue inside the window (by rated_at) and the questions answered (by answered_at)', async () => {
      const p = await store.ensureAccount(alice, now);
      const day = { from: new Date('2025-01-10T04:00:00Z'), to: new Date('2025-01-11T04:00:00Z') };
      // Answered the evening before, rated inside the window: counts today.
      const early = await attempt(p.personId, qids[0]!, new Date('2025-01-10T03:00:00Z'), 'review');
      await store.rate({ attemptId: early.id, personId: p.personId, rating: 'good', now: new Date('2025-01-10T05:00:00Z'), schedule: schedule(now) });
      const fresh = await attempt(p.personId, qids[1]!, now, 'new');
      await store.rate({ attemptId: fresh.id, personId: p.personId, rating: 'good', now, schedule: schedule(now) });
      // Rated after the window ends: tomorrow's.
      const late = await attempt(p.personId, qids[2]!, new Date('2025-01-11T03:00:00Z'), 'new');
      await store.rate({ attemptId: late.id, personId: p.personId, rating: 'good', now: new Date('2025-01-11T04:00:00Z'), schedule: schedule(now) });
      // Topic practice (no queue) is not counted, but its question was answered.
      const topic = await attempt(p.personId, qids[2]!, now);
      await store.rate({ attemptId: topic.id, personId: p.personId, rating: 'good', now, schedule: schedule(now) });
      const extra = await attempt(p.personId, qids[0]!, now, 'extra');
      await store.rate({ attemptId: extra.id, personId: p.personId, rating: 'good', now, schedule: () => null });

      const load = await store.dayLoad(p.personId, day.from, day.to);
      expect(load.rated).toEqual({ review: 1, new: 1, extra: 1 });
      expect(load.answeredQuestionIds.sort()).toEqual([qids[1]!, qids[2]!, qids[0]!].sort());
      expect((await store.getAttempt(fresh.id))?.queue).toBe('new');
      expect((await store.getAttempt(topic.id))?.queue).toBeUndefined();
    });

    it('a rating whose schedule step returns null keeps the card and its due date', async () => {
      const p = await store.ensureAccount(alice, now);
      const first = await attempt(p.personId, qids[0]!, now, 'new');
      const rated = await store.rate({ attemptId: first.id, personId: p.personId, rating: 'good', now, schedule: schedule(now) });
      expect(rated).toMatchObject({ ok: true, due: new Date(now.getTime() + 24 * HOUR) });
      const before = await sql.rows('SELECT card, due_at, reviewed_at FROM reviews');

      const later = new Date(now.getTime() + 2 * HOUR);
      const extra = await attempt(p.personId, qids[0]!, later, 'extra');
      let seenAttempt: unknown;
      const kept = await store.rate({ attemptId: extra.id, personId: p.personId, rating: 'again', now: later, schedule: (_prev, a) => ((seenAttempt = a), null) });
      expect(seenAttempt).toMatchObject({ id: extra.id, queue: 'extra' });
      expect(kept).toMatchObject({ ok: true, due: new Date(now.getTime() + 24 * HOUR) });
      expect(await sql.rows('SELECT card, due_at, reviewed_at FROM reviews')).toEqual(before);
      expect((await store.getAttempt(extra.id))?.rating).toBe('again');

      // Extra practice on a question never rated: no card appears, and there is no due date to report.
      const none = await attempt(p.personId, qids[1]!, later, 'extra');
      expect(await store.rate({ attemptId: none.id, personId: p.personId, rating: 'good', now: later, schedule: () => null })).toMatchObject({ ok: true, due: null });
      expect((await sql.rows('SELECT COUNT(*) AS n FROM reviews'))[0]).toEqual({ n: 1 });
    });

    it('lists every review schedule with when it was last rated, soonest due first', async () => {
      const p = await store.ensureAccount(alice, now);
      for (const [i, q] of [qids[0]!, qids[1]!].entries()) {
        const at = new Date(now.getTime() - i * 48 * HOUR);
        const a = await attempt(p.personId, q, at);
        await store.rate({ attemptId: a.id, personId: p.personId, rating: 'good', now: at, schedule: schedule(at) });
      }
      expect(await store.reviewSchedule(p.personId)).toEqual([
        { questionId: qids[1], dueAt: '2025-01-09T10:00:00.000Z', reviewedAt: '2025-01-08T10:00:00.000Z' },
        { questionId: qids[0], dueAt: '2025-01-11T10:00:00.000Z', reviewedAt: '2025-01-10T10:00:00.000Z' },
      ]);
    });
  });
});
