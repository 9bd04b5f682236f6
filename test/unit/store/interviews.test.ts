import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { applyActivity } from '../../../src/core/streaks.ts';
import { migrate } from '../../../src/store/db.ts';
import { migrations } from '../../../src/store/migrations/index.ts';
import { seedQuestions as seedSqliteQuestions } from '../store-practice/seed.ts';
import { careStores, seedPerson, seedQuestions, type OpenCare } from '../../stores/care.ts';

const now = new Date('2025-03-10T09:00:00Z');

const base = (questionIds: string[]) => ({
  kind: 'solo' as const,
  conversationId: 'slack:T1:C1',
  workspaceKey: 'slack:T1',
  topic: null,
  minutes: 30,
  includeUnanswered: false,
  questionIds,
  now,
});

/** Amy and Bob in one workspace and two questions, on `store`. */
async function seed(store: OpenCare) {
  const [q1, q2] = await seedQuestions(store.bank, ['Q one?', 'Q two?']);
  const amy = await seedPerson(store.sql, 'p-amy', 'Amy');
  const bob = await seedPerson(store.sql, 'p-bob', 'Bob');
  return { amy, bob, q1: q1!, q2: q2!, base: base([q1!, q2!]) };
}

/** The person answers the attempt, through the practice store as the bot records an answer. */
async function answer(store: OpenCare, personId: string, attemptId: string, text: string, coverage: number) {
  await store.practice.recordAnswer({ attemptId, personId, text, coverage, coverageJson: '[]', now, localDate: '2025-03-10', applyActivity });
}

describe.each(careStores())('interview store on $name', (kind) => {
  it('keeps one open session per person, as candidate or interviewer', async () => {
    const store = await kind.open();
    const { interviews } = store;
    const { amy, bob, base } = await seed(store);
    const first = await interviews.create({ ...base, id: 'aaaa1111', candidateId: amy.personId, candidateAccount: amy.accountId });
    expect(first.ok).toBe(true);
    const again = await interviews.create({ ...base, id: 'aaaa2222', candidateId: amy.personId, candidateAccount: amy.accountId });
    expect(again).toMatchObject({ ok: false, reason: 'open', who: 'candidate' });
    // Amy is busy, so nobody can make her an interviewer either.
    const peer = await interviews.create({
      ...base,
      id: 'aaaa3333',
      kind: 'peer',
      candidateId: bob.personId,
      candidateAccount: bob.accountId,
      interviewerId: amy.personId,
      interviewerAccount: amy.accountId,
    });
    expect(peer).toMatchObject({ ok: false, reason: 'open', who: 'interviewer' });
    expect(await interviews.end('aaaa1111', 'stopped', now)).toBe(true);
    expect(await interviews.end('aaaa1111', 'time', now)).toBe(false);
    expect((await interviews.get('aaaa1111'))!.interview.endReason).toBe('stopped');
    expect((await interviews.create({ ...base, id: 'aaaa4444', candidateId: amy.personId, candidateAccount: amy.accountId })).ok).toBe(true);
  });

  it('shows an item once, joins its attempt, and will not skip an answered one', async () => {
    const store = await kind.open();
    const { interviews } = store;
    const { amy, base, q1 } = await seed(store);
    await interviews.create({ ...base, id: 'bbbb1111', candidateId: amy.personId, candidateAccount: amy.accountId });
    const key = { interviewId: 'bbbb1111', number: 1, followUp: false };
    const shownAs = { personId: amy.personId, conversationId: 'c', workspaceKey: 'w', now };
    const attempt = (await interviews.showItem(key, shownAs))!;
    expect(attempt).toMatchObject({ questionId: q1, source: 'interview', answeredAt: null });
    expect(await interviews.showItem(key, shownAs)).toBeUndefined();
    expect(await store.sql.count('attempts')).toBe(1);
    expect(await interviews.itemOfAttempt(attempt.id)).toEqual({ ...key, kind: 'solo' });
    await answer(store, amy.personId, attempt.id, 'x', 0.5);
    expect(await interviews.skipItem(key, now)).toBe(false);
    const session = (await interviews.get('bbbb1111'))!;
    expect(session.items[0]!.attempt).toMatchObject({ answerText: 'x', coverage: 0.5, source: 'interview' });
    expect(await interviews.skipItem({ ...key, number: 2 }, now)).toBe(true);
    expect(await interviews.addFollowUp('bbbb1111', 1, q1)).toBe(true);
    expect(await interviews.addFollowUp('bbbb1111', 1, q1)).toBe(false);
    expect((await interviews.get('bbbb1111'))!.items.map((i) => `${i.number}${i.followUp ? 'a' : ''}`)).toEqual(['1', '1a', '2']);
  });

  it('history lists ended sessions newest first, for candidate and interviewer', async () => {
    const store = await kind.open();
    const { interviews } = store;
    const { amy, bob, base } = await seed(store);
    await interviews.create({ ...base, id: 'cccc1111', candidateId: amy.personId, candidateAccount: amy.accountId });
    await interviews.end('cccc1111', 'completed', now);
    await interviews.create({
      ...base,
      id: 'cccc2222',
      kind: 'peer',
      now: new Date(now.getTime() + 1000),
      candidateId: bob.personId,
      candidateAccount: bob.accountId,
      interviewerId: amy.personId,
      interviewerAccount: amy.accountId,
    });
    expect((await interviews.history(amy.personId, 10)).map((h) => h.interview.id)).toEqual(['cccc1111']);
    await interviews.end('cccc2222', 'completed', now);
    expect((await interviews.history(amy.personId, 10)).map((h) => h.interview.id)).toEqual(['cccc2222', 'cccc1111']);
    expect((await interviews.history(bob.personId, 10))[0]!.interview).toMatchObject({ candidateName: 'Bob', interviewerName: 'Amy' });
  });

  it('keeps a peer session\'s room, ticks, score, note, clarity and share, and finds expired sessions by deadline', async () => {
    const store = await kind.open();
    const { interviews } = store;
    const { amy, bob, base, q1 } = await seed(store);
    const carol = await seedPerson(store.sql, 'p-carol', 'Carol');
    const created = await interviews.create({
      ...base,
      id: 'eeee1111',
      kind: 'peer',
      minutes: 45,
      includeUnanswered: true,
      candidateId: bob.personId,
      candidateAccount: bob.accountId,
      interviewerId: amy.personId,
      interviewerAccount: amy.accountId,
    });
    expect(created.ok && created.session.interview).toMatchObject({
      kind: 'peer',
      questionCount: 2,
      includeUnanswered: true,
      startedAt: '2025-03-10T09:00:00.000Z',
      deadlineAt: '2025-03-10T09:45:00.000Z',
      endedAt: null,
      roomId: null,
    });
    expect(created.ok && created.session.items.map((i) => [i.number, i.questionId, i.attempt, i.ticked])).toEqual([
      [1, q1, null, null],
      [2, base.questionIds[1], null, null],
    ]);
    expect((await interviews.openFor(amy.personId))?.id).toBe('eeee1111');
    expect(await interviews.openFor(carol.personId)).toBeUndefined();
    expect(await interviews.get('nope')).toBeUndefined();

    const key = { interviewId: 'eeee1111', number: 1, followUp: false };
    await interviews.updatePeerItem(key, { ticked: [0, 2] });
    await interviews.updatePeerItem(key, { score: 3, note: 'clear' });
    await interviews.updatePeerItem(key, { note: 'clear, brief' }); // the ticks and score stay
    await interviews.setRoom('eeee1111', 'slack:T1:C1:thread');
    await interviews.setClarity('eeee1111', 4);
    const got = (await interviews.get('eeee1111'))!;
    expect(got.items[0]).toMatchObject({ ticked: [0, 2], score: 3, note: 'clear, brief' });
    expect(got.items[1]).toMatchObject({ ticked: null, score: null, note: null });
    expect(got.interview).toMatchObject({ roomId: 'slack:T1:C1:thread', clarity: 4, candidateName: 'Bob', interviewerName: 'Amy' });

    // Carol's untimed solo session never expires; Bob's expires at its deadline, not before.
    await interviews.create({ ...base, id: 'eeee2222', minutes: null, candidateId: carol.personId, candidateAccount: carol.accountId });
    expect(await interviews.expired(new Date('2025-03-10T09:44:59Z'), 10)).toEqual([]);
    expect((await interviews.expired(new Date('2025-03-10T09:45:00Z'), 10)).map((i) => i.id)).toEqual(['eeee1111']);
    expect(await interviews.end('eeee1111', 'time', new Date('2025-03-10T09:45:00Z'))).toBe(true);
    expect(await interviews.expired(new Date('2025-03-11T00:00:00Z'), 10)).toEqual([]);
    expect(await interviews.markShared('eeee1111', now)).toBe(true);
    expect(await interviews.markShared('eeee1111', now)).toBe(false);
    expect((await interviews.get('eeee1111'))!.interview.sharedAt).toBe(now.toISOString());
  });

  it('answers "no such item" for ids no row can have', async () => {
    const store = await kind.open();
    const { interviews } = store;
    const { amy, base } = await seed(store);
    await interviews.create({ ...base, id: 'ffff1111', candidateId: amy.personId, candidateAccount: amy.accountId });
    for (const id of ['abc', '0', '-1', '1.5', '99999999999', '9999999999999999']) expect(await interviews.itemOfAttempt(id)).toBeUndefined();
    const shownAs = { personId: amy.personId, conversationId: 'c', workspaceKey: 'w', now };
    expect(await interviews.showItem({ interviewId: 'ffff1111', number: 9, followUp: false }, shownAs)).toBeUndefined();
    expect(await interviews.showItem({ interviewId: 'nope', number: 1, followUp: false }, shownAs)).toBeUndefined();
    expect(await interviews.skipItem({ interviewId: 'ffff1111', number: 1, followUp: true }, now)).toBe(false);
    // A skipped item is not shown afterwards.
    expect(await interviews.skipItem({ interviewId: 'ffff1111', number: 1, followUp: false }, now)).toBe(true);
    expect(await interviews.skipItem({ interviewId: 'ffff1111', number: 1, followUp: false }, now)).toBe(false);
    expect(await interviews.showItem({ interviewId: 'ffff1111', number: 1, followUp: false }, shownAs)).toBeUndefined();
    expect(await store.sql.count('attempts')).toBe(0);
  });

  describe('under two processes', () => {
    it(`two processes starting a session for one person open exactly one (${kind.twoLabel()})`, async () => {
      const [a, b] = await kind.openTwo();
      const { amy, bob, base } = await seed(a);
      for (let round = 0; round < 10; round++) {
        // Amy as candidate in one process, as Bob's interviewer in the other, twice each.
        const results = await Promise.all([
          a.interviews.create({ ...base, id: `r${round}a`, candidateId: amy.personId, candidateAccount: amy.accountId }),
          b.interviews.create({ ...base, id: `r${round}b`, candidateId: amy.personId, candidateAccount: amy.accountId }),
          a.interviews.create({
            ...base,
            id: `r${round}c`,
            kind: 'peer',
            candidateId: bob.personId,
            candidateAccount: bob.accountId,
            interviewerId: amy.personId,
            interviewerAccount: amy.accountId,
          }),
          b.interviews.create({ ...base, id: `r${round}d`, candidateId: amy.personId, candidateAccount: amy.accountId }),
        ]);
        const won = results.filter((r) => r.ok);
        expect(won).toHaveLength(1);
        const open = await a.sql.rows<{ id: string }>('SELECT id FROM interviews WHERE ended_at IS NULL');
        expect(open).toHaveLength(1);
        // Every loser names the session that won.
        for (const r of results) if (!r.ok) expect(r.open.id).toBe(open[0]!.id);
        expect(await b.interviews.end(open[0]!.id, 'stopped', now)).toBe(true);
      }
    });

    it(`two processes showing one item start one attempt (${kind.twoLabel()})`, async () => {
      const [a, b] = await kind.openTwo();
      const { amy, base } = await seed(a);
      await a.interviews.create({ ...base, id: 'gggg1111', candidateId: amy.personId, candidateAccount: amy.accountId });
      const shownAs = { personId: amy.personId, conversationId: 'c', workspaceKey: 'w', now };
      for (const number of [1, 2]) {
        const key = { interviewId: 'gggg1111', number, followUp: false };
        const shown = await Promise.all([a.interviews.showItem(key, shownAs), b.interviews.showItem(key, shownAs), a.interviews.showItem(key, shownAs)]);
        expect(shown.filter((x) => x !== undefined)).toHaveLength(1);
      }
      expect(await a.sql.count('attempts')).toBe(2);
    });
  });

  it('linking two accounts moves their interviews to one person and keeps one open session', async () => {
    const store = await kind.open();
    const { interviews, practice } = store;
    const { amy, bob, base } = await seed(store);
    await interviews.create({ ...base, id: 'dddd1111', candidateId: amy.personId, candidateAccount: amy.accountId });
    await interviews.create({ ...base, id: 'dddd2222', candidateId: bob.personId, candidateAccount: bob.accountId });
    await practice.createLinkCode(amy.personId, 'ABC123', now, new Date(now.getTime() + 600_000));
    const linked = await practice.redeemLinkCode('ABC123', bob.accountId, now, () => ({ current: 0, longest: 0, lastDay: null, freezes: 0 }), {
      windowMs: 1,
      perAccount: 5,
      perWorkspace: 20,
    });
    expect(linked.ok).toBe(true);
    expect((await interviews.openFor(amy.personId))!.id).toBe('dddd1111');
    expect((await interviews.get('dddd2222'))!.interview).toMatchObject({ candidateId: amy.personId, endReason: 'abandoned' });
  });
});

describe('interview migrations on sqlite', () => {
  it('migration 6 keeps every existing attempt when it widens the attempt sources', async () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of migrations.filter((m) => m.version < 6)) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, now.toISOString());
    }
    const [q] = await seedSqliteQuestions(db, [{ prompt: 'Q?', answer: 'A.' }]);
    db.exec(`INSERT INTO people VALUES ('p', 'P', NULL, 'now')`);
    db.exec(`INSERT INTO attempts (person_id, question_id, conversation_id, workspace_id, source, asked_at, answered_at, answer_text, coverage, rating, rated_at)
             VALUES ('p', '${q}', 'c', 'w', 'daily', 't1', 't2', 'typed', 0.5, 'good', 't3')`);
    migrate(db);
    expect(db.prepare('SELECT person_id, source, answer_text, coverage, rating FROM attempts').all()).toEqual([
      { person_id: 'p', source: 'daily', answer_text: 'typed', coverage: 0.5, rating: 'good' },
    ]);
    db.exec(`INSERT INTO attempts (person_id, question_id, conversation_id, workspace_id, source, asked_at) VALUES ('p', '${q}', 'c', 'w', 'interview', 't')`);
    expect(() => db.exec(`INSERT INTO attempts (person_id, question_id, conversation_id, workspace_id, source, asked_at) VALUES ('p', '${q}', 'c', 'w', 'bogus', 't')`)).toThrow(/CHECK/);
  });
});
