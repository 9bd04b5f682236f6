import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../../src/store/db.ts';
import { migrations } from '../../../src/store/migrations/index.ts';
import { createSqliteInterviewRepository } from '../../../src/store/sqlite/interviews.ts';
import { createSqlitePracticeRepository } from '../../../src/store/sqlite/practice.ts';
import { seedQuestions } from '../store-practice/seed.ts';

const now = new Date('2025-03-10T09:00:00Z');

async function setup() {
  const db = openDatabase(':memory:');
  const [q1, q2] = await seedQuestions(db, [
    { prompt: 'Q one?', answer: 'A one.' },
    { prompt: 'Q two?', answer: 'A two.' },
  ]);
  const practice = createSqlitePracticeRepository(db);
  const interviews = createSqliteInterviewRepository(db);
  const amy = await practice.ensureAccount({ accountId: 'slack:T1:amy', platform: 'slack', displayName: 'Amy', workspaceKey: 'slack:T1' }, now);
  const bob = await practice.ensureAccount({ accountId: 'slack:T1:bob', platform: 'slack', displayName: 'Bob', workspaceKey: 'slack:T1' }, now);
  const base = {
    kind: 'solo' as const,
    conversationId: 'slack:T1:C1',
    workspaceKey: 'slack:T1',
    topic: null,
    minutes: 30,
    includeUnanswered: false,
    questionIds: [q1!, q2!],
    now,
  };
  return { db, practice, interviews, amy, bob, q1: q1!, q2: q2!, base };
}

describe('interview store', () => {
  it('keeps one open session per person, as candidate or interviewer', async () => {
    const { interviews, amy, bob, base } = await setup();
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
    const { db, interviews, practice, amy, base, q1 } = await setup();
    await interviews.create({ ...base, id: 'bbbb1111', candidateId: amy.personId, candidateAccount: amy.accountId });
    const key = { interviewId: 'bbbb1111', number: 1, followUp: false };
    const shownAs = { personId: amy.personId, conversationId: 'c', workspaceKey: 'w', now };
    const attempt = (await interviews.showItem(key, shownAs))!;
    expect(attempt).toMatchObject({ questionId: q1, source: 'interview', answeredAt: null });
    expect(await interviews.showItem(key, shownAs)).toBeUndefined();
    expect(db.prepare('SELECT COUNT(*) AS n FROM attempts').get()).toEqual({ n: 1 });
    expect(await interviews.itemOfAttempt(attempt.id)).toEqual({ ...key, kind: 'solo' });
    await practice.recordAnswer({ attemptId: attempt.id, personId: amy.personId, text: 'x', coverage: 0.5, coverageJson: '[]', now, localDate: '2025-03-10', applyActivity: (s) => s });
    expect(await interviews.skipItem(key, now)).toBe(false);
    const session = (await interviews.get('bbbb1111'))!;
    expect(session.items[0]!.attempt).toMatchObject({ answerText: 'x', coverage: 0.5, source: 'interview' });
    expect(await interviews.skipItem({ ...key, number: 2 }, now)).toBe(true);
    expect(await interviews.addFollowUp('bbbb1111', 1, q1)).toBe(true);
    expect(await interviews.addFollowUp('bbbb1111', 1, q1)).toBe(false);
    expect((await interviews.get('bbbb1111'))!.items.map((i) => `${i.number}${i.followUp ? 'a' : ''}`)).toEqual(['1', '1a', '2']);
  });

  it('history lists ended sessions newest first, for candidate and interviewer', async () => {
    const { interviews, amy, bob, base } = await setup();
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

  it('linking two accounts moves their interviews to one person and keeps one open session', async () => {
    const { interviews, practice, amy, bob, base } = await setup();
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

  it('migration 6 keeps every existing attempt when it widens the attempt sources', async () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of migrations.filter((m) => m.version < 6)) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, now.toISOString());
    }
    const [q] = await seedQuestions(db, [{ prompt: 'Q?', answer: 'A.' }]);
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
