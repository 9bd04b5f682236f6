/**
 * The schedule repository on both stores (test/stores/schedules.ts): what the
 * scheduler suite (test/unit/scheduler/runner.test.ts) does not reach directly, and
 * races between two processes on one database. The scheduler suite runs on both
 * stores too.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { ClaimInput, ScheduleRepository } from '../../../src/core/schedule/types.ts';
import { StoreUnavailableError } from '../../../src/store/errors.ts';
import { connectPostgres } from '../../../src/store/postgres/pg.ts';
import { createPostgresScheduleStore } from '../../../src/store/postgres/schedules.ts';
import { scheduleInput } from '../scheduler/helpers.ts';
import { scheduleStores, type OpenSchedules } from '../../stores/schedules.ts';

const T0 = new Date('2026-01-05T00:00:00Z');
const at = (iso: string) => new Date(iso);

function claim(scheduleId: string, localDate: string, processId: string, now = at(`${localDate}T04:00:00Z`)): ClaimInput {
  return { scheduleId, localDate, conversationId: 'memory:w1:general', fireAt: at(`${localDate}T04:00:00Z`), processId, now };
}

async function sentPost(repo: ScheduleRepository, scheduleId: string, localDate: string, questionId: string, revealAt: string) {
  const when = at(`${localDate}T04:00:00Z`);
  expect(await repo.claimPost(claim(scheduleId, localDate, 'p', when))).toBe(true);
  expect(await repo.markSent(scheduleId, localDate, 'p', { messageId: `m-${localDate}`, threadId: null, questionId, revealAt: at(revealAt), now: when })).toBe(
    true,
  );
}

/** Practice rows the schedule store reads (attempts, people, streaks), written as SQL: the practice store is not on PostgreSQL yet. */
async function seedAnswers({ sql }: OpenSchedules) {
  for (const [i, id] of ['q1', 'q2', 'q3'].entries()) {
    await sql.rows(
      `INSERT INTO questions (id, seq, file, line, prompt, norm_key, body_hash, created_at, updated_at)
       VALUES (?, ?, 'a.md', ?, ?, ?, 'h', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
      [id, i + 1, i + 1, `Question ${id}?`, `question ${id}?`],
    );
  }
  for (const [id, name] of [
    ['ana', 'Ana'],
    ['bo', 'Bo'],
    ['cy', 'Cy'],
    ['dee', 'Dee'],
  ]) {
    await sql.rows("INSERT INTO people (id, display_name, created_at) VALUES (?, ?, '2026-01-01T00:00:00.000Z')", [id, name]);
  }
  await sql.rows("INSERT INTO streaks (person_id, current, longest, last_day, freezes, updated_at) VALUES ('ana', 4, 9, '2026-01-05', 0, '2026-01-05T00:00:00.000Z')");
  const attempt = (person: string, question: string, conversation: string, source: 'ask' | 'daily', answeredAt: string | null, gaveUp = 0) =>
    sql.rows(
      `INSERT INTO attempts (person_id, question_id, conversation_id, workspace_id, source, asked_at, answered_at, gave_up)
       VALUES (?, ?, ?, 'memory:w1', ?, '2026-01-05T04:00:00.000Z', ?, ?)`,
      [person, question, conversation, source, answeredAt, gaveUp],
    );
  const general = 'memory:w1:general';
  // Bo answered first, Ana twice (counted once, at her first answer), Cy gave up, Dee answered elsewhere.
  await attempt('bo', 'q1', general, 'daily', '2026-01-05T04:05:00.000Z');
  await attempt('ana', 'q1', general, 'daily', '2026-01-05T04:09:00.000Z');
  await attempt('ana', 'q1', general, 'daily', '2026-01-05T05:00:00.000Z');
  await attempt('cy', 'q1', general, 'daily', '2026-01-05T04:06:00.000Z', 1);
  await attempt('dee', 'q1', 'memory:w1:random', 'daily', '2026-01-05T04:07:00.000Z');
  // Outside the window, and an /ask answer: neither is a daily answer for the summary.
  await attempt('cy', 'q1', general, 'daily', '2026-01-06T05:00:00.000Z');
  await attempt('cy', 'q1', general, 'ask', '2026-01-05T04:08:00.000Z');
  // Elsewhere: Ana was asked q2, Dee (not a member of general) q3.
  await attempt('ana', 'q2', 'memory:w1:random', 'ask', null);
  await attempt('dee', 'q3', 'memory:w1:random', 'ask', null);
}

describe.each(scheduleStores())('schedule store on $name', (kind) => {
  describe('schedules', () => {
    it('upsert creates the one live schedule of a conversation, then replaces its settings in place', async () => {
      const { repo } = await kind.open();
      const first = await repo.upsertSchedule(scheduleInput({ topic: 'go' }), T0);
      expect(first.created).toBe(true);
      expect(first.schedule).toMatchObject({ status: 'active', topic: 'go', createdAt: T0.toISOString(), effectiveFrom: T0.toISOString() });
      expect(first.schedule.weekdays).toEqual(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

      const later = at('2026-01-06T00:00:00Z');
      await repo.pauseSchedule(first.schedule.id, 'for the holidays', T0);
      const second = await repo.upsertSchedule(
        scheduleInput({ localTime: '08:00', weekdays: ['mon', 'fri'], revealTime: '17:00', createdBy: 'memory:w1:someone-else' }),
        later,
      );
      expect(second.created).toBe(false);
      expect(second.schedule).toMatchObject({
        id: first.schedule.id,
        localTime: '08:00',
        weekdays: ['mon', 'fri'],
        revealTime: '17:00',
        topic: null,
        // Setting it again resumes it and restarts the count from now; who made it and when stay.
        status: 'active',
        pausedReason: null,
        createdBy: 'memory:w1:lead',
        createdAt: T0.toISOString(),
        updatedAt: later.toISOString(),
        effectiveFrom: later.toISOString(),
      });
      expect(await repo.getSchedule(first.schedule.id)).toEqual(second.schedule);
      expect(await repo.scheduleFor('memory:w1:general')).toEqual(second.schedule);
      expect(await repo.listSchedules({})).toHaveLength(1);
    });

    it('after a delete the old schedule is kept as deleted and the next upsert makes a new one', async () => {
      const { repo } = await kind.open();
      const { schedule } = await repo.upsertSchedule(scheduleInput(), T0);
      expect(await repo.deleteSchedule(schedule.id, T0)).toBe(true);
      expect(await repo.deleteSchedule(schedule.id, T0)).toBe(false);
      expect(await repo.scheduleFor('memory:w1:general')).toBeUndefined();
      expect((await repo.getSchedule(schedule.id))?.status).toBe('deleted');
      const again = await repo.upsertSchedule(scheduleInput(), T0);
      expect(again.created).toBe(true);
      expect(again.schedule.id).not.toBe(schedule.id);
      expect(await repo.getSchedule('nope')).toBeUndefined();
    });

    it('pause and resume only change a schedule in the other state; a long reason is clipped', async () => {
      const { repo } = await kind.open();
      const { schedule } = await repo.upsertSchedule(scheduleInput(), T0);
      expect(await repo.resumeSchedule(schedule.id, T0)).toBe(false);
      expect(await repo.pauseSchedule(schedule.id, `the channel was deleted ${'x'.repeat(1000)}`, T0)).toBe(true);
      expect(await repo.pauseSchedule(schedule.id, 'again', T0)).toBe(false);
      const paused = (await repo.getSchedule(schedule.id))!;
      expect(paused.pausedReason).toHaveLength(500);
      expect(paused.pausedReason).toMatch(/^the channel was deleted x+\.\.\.$/);
      const resumedAt = at('2026-01-07T10:00:00Z');
      expect(await repo.resumeSchedule(schedule.id, resumedAt)).toBe(true);
      expect(await repo.getSchedule(schedule.id)).toMatchObject({ status: 'active', pausedReason: null, effectiveFrom: resumedAt.toISOString() });
    });

    it('lists by platform, workspace and status, oldest first', async () => {
      const { repo } = await kind.open();
      const a = (await repo.upsertSchedule(scheduleInput({ conversationId: 'memory:w1:a' }), at('2026-01-02T00:00:00Z'))).schedule;
      const b = (await repo.upsertSchedule(scheduleInput({ conversationId: 'memory:w1:b' }), at('2026-01-01T00:00:00Z'))).schedule;
      const c = (await repo.upsertSchedule(scheduleInput({ conversationId: 'memory:w2:c', workspaceId: 'w2' }), at('2026-01-03T00:00:00Z'))).schedule;
      const s = (await repo.upsertSchedule(scheduleInput({ conversationId: 'slack:T1:C1', platform: 'slack', workspaceId: 'T1' }), T0)).schedule;
      await repo.pauseSchedule(c.id, 'paused', T0);
      await repo.deleteSchedule(a.id, T0);
      const ids = async (filter: Parameters<ScheduleRepository['listSchedules']>[0]) => (await repo.listSchedules(filter)).map((x) => x.id);
      expect(await ids({})).toEqual([b.id, c.id, s.id]);
      expect(await ids({ platform: 'memory' })).toEqual([b.id, c.id]);
      expect(await ids({ platform: 'memory', workspaceId: 'w2' })).toEqual([c.id]);
      expect(await ids({ status: ['active'] })).toEqual([b.id, s.id]);
      expect(await ids({ status: ['deleted', 'paused'] })).toEqual([a.id, c.id]);
    });
  });

  describe('posts', () => {
    it('a day is claimed or skipped once; only the owner renews, counts attempts and records the outcome', async () => {
      const { repo } = await kind.open();
      const { schedule } = await repo.upsertSchedule(scheduleInput(), T0);
      const id = schedule.id;
      expect(await repo.claimPost(claim(id, '2026-01-05', 'A'))).toBe(true);
      expect(await repo.claimPost(claim(id, '2026-01-05', 'B'))).toBe(false);
      expect(await repo.recordSkip({ ...claim(id, '2026-01-05', 'B'), reason: 'late' })).toBe(false);
      const now = at('2026-01-05T04:00:30Z');
      expect(await repo.renewClaim(id, '2026-01-05', 'B', now)).toBe(false);
      expect(await repo.beginAttempt(id, '2026-01-05', 'B', now)).toBe(false);
      expect(await repo.renewClaim(id, '2026-01-05', 'A', now)).toBe(true);
      expect(await repo.beginAttempt(id, '2026-01-05', 'A', now)).toBe(true);
      expect(await repo.beginAttempt(id, '2026-01-05', 'A', now)).toBe(true);
      expect(await repo.markUnsent(id, '2026-01-05', 'B', 'failed', 'nope', now)).toBe(false);
      const sent = { messageId: 'm1', threadId: 't1', questionId: 'q1', revealAt: at('2026-01-05T11:30:00Z'), now };
      expect(await repo.markSent(id, '2026-01-05', 'B', sent)).toBe(false);
      expect(await repo.markSent(id, '2026-01-05', 'A', sent)).toBe(true);
      // Terminal: the claim is no longer open to anyone, owner included.
      expect(await repo.markSent(id, '2026-01-05', 'A', sent)).toBe(false);
      expect(await repo.markUnsent(id, '2026-01-05', 'A', 'failed', 'late', now)).toBe(false);
      await repo.setPostThread(id, '2026-01-05', 't2');
      expect(await repo.getPost(id, '2026-01-05')).toEqual({
        scheduleId: id,
        localDate: '2026-01-05',
        conversationId: 'memory:w1:general',
        fireAt: '2026-01-05T04:00:00.000Z',
        status: 'sent',
        claimedAt: now.toISOString(),
        claimedBy: 'A',
        attempts: 2,
        messageId: 'm1',
        threadId: 't2',
        questionId: 'q1',
        error: null,
        sentAt: now.toISOString(),
        revealAt: '2026-01-05T11:30:00.000Z',
        revealStatus: null,
        revealMessageId: null,
        revealedAt: null,
      });

      expect(await repo.recordSkip({ ...claim(id, '2026-01-06', 'B'), reason: `down ${'y'.repeat(600)}` })).toBe(true);
      expect(await repo.claimPost(claim(id, '2026-01-06', 'A'))).toBe(false);
      const skipped = (await repo.getPost(id, '2026-01-06'))!;
      expect(skipped).toMatchObject({ status: 'skipped', claimedBy: null, attempts: 0 });
      expect(skipped.error).toHaveLength(500);
      expect(await repo.getPost(id, '2026-01-07')).toBeUndefined();
      expect((await repo.listPosts(id)).map((p) => p.localDate)).toEqual(['2026-01-05', '2026-01-06']);
    });

    it('a claim is taken over only after its lease; the old owner then can no longer record anything', async () => {
      const { repo } = await kind.open();
      const { schedule } = await repo.upsertSchedule(scheduleInput(), T0);
      const gone = (await repo.upsertSchedule(scheduleInput({ conversationId: 'memory:w1:gone' }), T0)).schedule;
      const claimed = at('2026-01-05T04:00:00Z');
      await repo.claimPost(claim(schedule.id, '2026-01-05', 'crashed', claimed));
      await repo.claimPost({ ...claim(gone.id, '2026-01-05', 'crashed', claimed), conversationId: gone.conversationId });
      await repo.deleteSchedule(gone.id, T0);

      const now = at('2026-01-05T04:03:00Z');
      expect(await repo.staleClaims(claimed)).toEqual([]); // claimed_at is not before itself
      const stale = await repo.staleClaims(at('2026-01-05T04:01:00Z'));
      // A deleted schedule's claim is left alone.
      expect(stale.map((p) => [p.scheduleId, p.claimedBy])).toEqual([[schedule.id, 'crashed']]);
      expect(await repo.takeOverStaleClaim(schedule.id, '2026-01-05', 'B', now, claimed)).toBe(false);
      expect(await repo.takeOverStaleClaim(schedule.id, '2026-01-05', 'B', now, at('2026-01-05T04:01:00Z'))).toBe(true);
      expect(await repo.getPost(schedule.id, '2026-01-05')).toMatchObject({ claimedBy: 'B', claimedAt: now.toISOString() });
      expect(await repo.renewClaim(schedule.id, '2026-01-05', 'crashed', now)).toBe(false);
      expect(await repo.markUnsent(schedule.id, '2026-01-05', 'crashed', 'skipped', 'late', now)).toBe(false);
      expect(await repo.markUnsent(schedule.id, '2026-01-05', 'B', 'skipped', 'too late', now)).toBe(true);
      expect(await repo.getPost(schedule.id, '2026-01-05')).toMatchObject({ status: 'skipped', error: 'too late' });
      expect(await repo.staleClaims(now)).toEqual([]);
    });

    it('posts since an instant, for any number of schedules', async () => {
      const { repo } = await kind.open();
      const a = (await repo.upsertSchedule(scheduleInput({ conversationId: 'memory:w1:a' }), T0)).schedule;
      const b = (await repo.upsertSchedule(scheduleInput({ conversationId: 'memory:w1:b' }), T0)).schedule;
      for (const d of ['2026-01-05', '2026-01-06']) {
        await repo.recordSkip({ ...claim(a.id, d, 'p'), reason: 'x' });
        await repo.recordSkip({ ...claim(b.id, d, 'p'), reason: 'x' });
      }
      const key = (p: { scheduleId: string; localDate: string }) => `${p.scheduleId}/${p.localDate}`;
      // More ids than SQLite binds in one statement on old builds: the store must not care.
      const many = [...Array.from({ length: 1200 }, (_, i) => `none-${i}`), b.id];
      expect((await repo.postsSince(many, at('2026-01-05T04:00:00Z'))).map(key)).toEqual([`${b.id}/2026-01-06`]);
      expect((await repo.postsSince([a.id, b.id], at('2026-01-05T03:59:59Z'))).map(key).sort()).toEqual(
        [`${a.id}/2026-01-05`, `${a.id}/2026-01-06`, `${b.id}/2026-01-05`, `${b.id}/2026-01-06`].sort(),
      );
      expect(await repo.postsSince([], T0)).toEqual([]);
    });

    it('summaries: due once reveal time passes on an active schedule; claimed once; only the claimer records them', async () => {
      const { repo } = await kind.open();
      const { schedule } = await repo.upsertSchedule(scheduleInput(), T0);
      const paused = (await repo.upsertSchedule(scheduleInput({ conversationId: 'memory:w1:paused' }), T0)).schedule;
      await sentPost(repo, schedule.id, '2026-01-05', 'q1', '2026-01-05T11:30:00Z');
      await sentPost(repo, schedule.id, '2026-01-06', 'q2', '2026-01-06T11:30:00Z');
      await sentPost(repo, paused.id, '2026-01-05', 'q1', '2026-01-05T11:00:00Z');
      await repo.pauseSchedule(paused.id, 'paused', T0);

      const now = at('2026-01-06T12:00:00Z');
      const lease = at('2026-01-06T11:58:00Z');
      expect((await repo.dueReveals(at('2026-01-05T11:29:59Z'), lease)).map((p) => p.localDate)).toEqual([]);
      expect((await repo.dueReveals(now, lease)).map((p) => [p.scheduleId, p.localDate])).toEqual([
        [schedule.id, '2026-01-05'],
        [schedule.id, '2026-01-06'],
      ]);
      expect(await repo.claimReveal(schedule.id, '2026-01-05', 'A', now, lease)).toBe(true);
      expect(await repo.claimReveal(schedule.id, '2026-01-05', 'B', now, lease)).toBe(false);
      expect((await repo.dueReveals(now, lease)).map((p) => p.localDate)).toEqual(['2026-01-06']);
      // A reveal claim whose lease ran out is due again and can be taken.
      const later = at('2026-01-06T12:05:00Z');
      expect((await repo.dueReveals(later, at('2026-01-06T12:03:00Z'))).map((p) => p.localDate)).toEqual(['2026-01-05', '2026-01-06']);
      expect(await repo.claimReveal(schedule.id, '2026-01-05', 'B', later, at('2026-01-06T12:03:00Z'))).toBe(true);
      expect(await repo.markRevealed(schedule.id, '2026-01-05', 'A', 'sent', 'r-a', null, later)).toBe(false);
      expect(await repo.markRevealed(schedule.id, '2026-01-05', 'B', 'sent', 'r-b', null, later)).toBe(true);
      expect(await repo.getPost(schedule.id, '2026-01-05')).toMatchObject({
        revealStatus: 'sent',
        revealMessageId: 'r-b',
        revealedAt: later.toISOString(),
        error: null,
      });
      expect(await repo.claimReveal(schedule.id, '2026-01-06', 'A', later, lease)).toBe(true);
      expect(await repo.markRevealed(schedule.id, '2026-01-06', 'A', 'failed', null, `HTTP 500 ${'z'.repeat(800)}`, later)).toBe(true);
      const failed = (await repo.getPost(schedule.id, '2026-01-06'))!;
      expect(failed).toMatchObject({ revealStatus: 'failed', revealedAt: null });
      expect(failed.error).toHaveLength(500);
      expect(await repo.dueReveals(at('2026-01-07T00:00:00Z'), at('2026-01-06T23:00:00Z'))).toEqual([]);
      // A post that was never sent has no summary to claim.
      await repo.recordSkip({ ...claim(schedule.id, '2026-01-07', 'A'), reason: 'x' });
      expect(await repo.claimReveal(schedule.id, '2026-01-07', 'A', later, lease)).toBe(false);
    });
  });

  describe('what a channel has had, and who answered', () => {
    it('counts the questions a channel was sent (not skipped or claimed ones)', async () => {
      const { repo } = await kind.open();
      const { schedule } = await repo.upsertSchedule(scheduleInput(), T0);
      await sentPost(repo, schedule.id, '2026-01-05', 'q1', '2026-01-06T00:00:00Z');
      await sentPost(repo, schedule.id, '2026-01-06', 'q2', '2026-01-07T00:00:00Z');
      await sentPost(repo, schedule.id, '2026-01-07', 'q1', '2026-01-08T00:00:00Z');
      await repo.claimPost(claim(schedule.id, '2026-01-08', 'p'));
      await repo.recordSkip({ ...claim(schedule.id, '2026-01-09', 'p'), reason: 'x' });
      expect(await repo.askedInConversation('memory:w1:general')).toEqual(
        new Map([
          ['q1', 2],
          ['q2', 1],
        ]),
      );
      expect(await repo.askedInConversation('memory:w1:other')).toEqual(new Map());
    });

    it('counts, per question, the channel’s members who were already asked it anywhere', async () => {
      const open = await kind.open();
      await seedAnswers(open);
      // Members of general: Bo, Ana, Cy. Dee answered only in random.
      expect(await open.repo.seenByMembers('memory:w1:general')).toEqual(
        new Map([
          ['q1', 3],
          ['q2', 1],
        ]),
      );
      expect(await open.repo.seenByMembers('memory:w1:nobody')).toEqual(new Map());
    });

    it('names who answered the daily in the channels and window, first answer first, with their streak', async () => {
      const open = await kind.open();
      await seedAnswers(open);
      const window = [at('2026-01-05T04:00:00Z'), at('2026-01-06T04:00:00Z')] as const;
      expect(await open.repo.dailyAnswerers(['memory:w1:general'], 'q1', ...window)).toEqual([
        { displayName: 'Bo', streak: 0 },
        { displayName: 'Ana', streak: 4 },
      ]);
      expect((await open.repo.dailyAnswerers(['memory:w1:general', 'memory:w1:random'], 'q1', ...window)).map((a) => a.displayName)).toEqual([
        'Bo',
        'Dee',
        'Ana',
      ]);
      expect(await open.repo.dailyAnswerers(['memory:w1:general'], 'q2', ...window)).toEqual([]);
      expect(await open.repo.dailyAnswerers([], 'q1', ...window)).toEqual([]);
    });
  });

  /**
   * Two bot processes on one database racing for the same day, many times over.
   * SQLite: two connections to one file, where the single writer decides.
   * PostgreSQL on a server (`npm run test:postgres`): two connection pools, several
   * statements in flight at once, so row locks and the primary key decide.
   * PGlite (`npm test`): one connection shared by both stores, so the statements
   * interleave between awaits but never run at the same instant; it checks each
   * statement's condition, not PostgreSQL's locking.
   */
  describe(`under two processes (${kind.name})`, () => {
    const ROUNDS = 25;
    const days = Array.from({ length: ROUNDS }, (_, i) => new Date(Date.UTC(2026, 0, 5 + i)).toISOString().slice(0, 10));
    /** Each process runs two callers at once (its scheduler's concurrent work), all four racing. */
    const race = <T>(a: ScheduleRepository, b: ScheduleRepository, call: (repo: ScheduleRepository, who: string) => Promise<T>) =>
      Promise.all([call(a, 'A1'), call(b, 'B1'), call(a, 'A2'), call(b, 'B2')]);
    const winners = (results: boolean[]) => ['A1', 'B1', 'A2', 'B2'].filter((_, i) => results[i]);

    it('exactly one claim of a day wins, every time; a catch-up skip racing the claims too', async () => {
      const [a, b] = await kind.openTwo();
      const { schedule } = await a.repo.upsertSchedule(scheduleInput(), T0);
      for (const day of days) {
        const results = await race(a.repo, b.repo, (repo, who) =>
          who === 'B2' ? repo.recordSkip({ ...claim(schedule.id, day, who), reason: 'past the catch-up window' }) : repo.claimPost(claim(schedule.id, day, who)),
        );
        const won = winners(results);
        expect(won).toHaveLength(1);
        const post = (await b.repo.getPost(schedule.id, day))!;
        expect(post.status).toBe(won[0] === 'B2' ? 'skipped' : 'claimed');
        if (won[0] !== 'B2') expect(post.claimedBy).toBe(won[0]);
      }
      expect(await a.repo.listPosts(schedule.id)).toHaveLength(ROUNDS);
    });

    it('exactly one takeover of an abandoned claim wins, and only the winner can record the post', async () => {
      const [a, b] = await kind.openTwo();
      const { schedule } = await a.repo.upsertSchedule(scheduleInput(), T0);
      for (const day of days) {
        const claimedAt = at(`${day}T04:00:00Z`);
        await a.repo.claimPost(claim(schedule.id, day, 'crashed', claimedAt));
        const now = at(`${day}T04:03:00Z`);
        const staleBefore = at(`${day}T04:01:00Z`);
        const results = await race(a.repo, b.repo, (repo, who) => repo.takeOverStaleClaim(schedule.id, day, who, now, staleBefore));
        const won = winners(results);
        expect(won).toHaveLength(1);
        const sent = { messageId: 'm', threadId: null, questionId: 'q1', revealAt: at(`${day}T11:30:00Z`), now };
        const marks = await race(a.repo, b.repo, (repo, who) => repo.markSent(schedule.id, day, who, sent));
        expect(winners(marks)).toEqual(won);
        expect(await b.repo.getPost(schedule.id, day)).toMatchObject({ status: 'sent', claimedBy: won[0] });
      }
    });

    it('exactly one process claims each day’s summary, fresh or after its lease ran out', async () => {
      const [a, b] = await kind.openTwo();
      const { schedule } = await a.repo.upsertSchedule(scheduleInput(), T0);
      for (const day of days) {
        await sentPost(a.repo, schedule.id, day, 'q1', `${day}T11:30:00Z`);
        const now = at(`${day}T11:30:00Z`);
        const first = winners(await race(a.repo, b.repo, (repo, who) => repo.claimReveal(schedule.id, day, who, now, at(`${day}T11:28:00Z`))));
        expect(first).toHaveLength(1);
        // The winner dies; after its lease, exactly one other process takes the summary over.
        const later = at(`${day}T11:33:00Z`);
        const second = winners(await race(a.repo, b.repo, (repo, who) => repo.claimReveal(schedule.id, day, who, later, at(`${day}T11:31:00Z`))));
        expect(second).toHaveLength(1);
        const marks = await race(a.repo, b.repo, (repo, who) => repo.markRevealed(schedule.id, day, who, 'sent', `r-${who}`, null, later));
        expect(winners(marks)).toEqual(second);
        expect(await b.repo.getPost(schedule.id, day)).toMatchObject({ revealStatus: 'sent', revealMessageId: `r-${second[0]}` });
      }
    });

    it('`/schedule set` in one channel from both processes at once makes one schedule, never an error', async () => {
      const [a, b] = await kind.openTwo();
      for (let i = 0; i < ROUNDS; i++) {
        const conversationId = `memory:w1:c${i}`;
        const results = await race(a.repo, b.repo, (repo, who) =>
          repo.upsertSchedule(scheduleInput({ conversationId, localTime: `0${i % 10}:00`, createdBy: `memory:w1:${who}` }), T0),
        );
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.schedule.id)).size).toBe(1);
      }
      expect(await b.repo.listSchedules({})).toHaveLength(ROUNDS);
    });
  });
});

describe('PostgreSQL schedule store errors', () => {
  it('a server that cannot be reached is StoreUnavailableError (io), not a driver error', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const db = connectPostgres(`postgres://prepbot@127.0.0.1:${port}/prepbot`);
    try {
      const store = createPostgresScheduleStore(db);
      await expect(store.claimPost(claim('s1', '2026-01-05', 'A'))).rejects.toMatchObject({ reason: 'io', code: 'ECONNREFUSED' });
      // A transaction's first query fails the same way.
      await expect(store.upsertSchedule(scheduleInput(), T0)).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await db.close();
    }
  });
});
