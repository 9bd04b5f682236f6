import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/store/db.ts';
import { createSqlitePracticeRepository } from '../../../src/store/sqlite/practice.ts';
import { PERSON_TABLES, personTableKey } from '../../../src/store/sqlite/person-data.ts';
import { createSqliteInterviewRepository } from '../../../src/store/sqlite/interviews.ts';
import type { PracticeRepository } from '../../../src/store/practice-types.ts';
import { applyActivity, streakFromDays } from '../../../src/core/streaks.ts';
import { LINK_ATTEMPT_LIMIT } from '../../../src/core/link-codes.ts';
import { seedQuestions } from './seed.ts';

let db: Db;
let store: PracticeRepository;
let qids: string[];
const now = new Date('2025-01-10T10:00:00Z');
const alice = { accountId: 'slack:T1:U1', platform: 'slack', displayName: 'Alice', workspaceKey: 'slack:T1' };
const aliceDiscord = { accountId: 'discord:user:11', platform: 'discord', displayName: 'alice_d', workspaceKey: 'discord:G1' };
const bob = { accountId: 'slack:T1:U2', platform: 'slack', displayName: 'Bob', workspaceKey: 'slack:T1' };

beforeEach(async () => {
  db = openDatabase(':memory:');
  store = createSqlitePracticeRepository(db);
  qids = await seedQuestions(db, [
    { prompt: 'What is a mutex?', answer: 'A lock.' },
    { prompt: 'What is a channel?', answer: 'A pipe.' },
  ]);
});

/** A person who answered and rated both questions on two days, holds a link code and failed a link once. */
async function practise(account: typeof alice, day = 0) {
  const p = await store.ensureAccount(account, now);
  for (const [i, q] of qids.entries()) {
    const at = new Date(now.getTime() + (day + i) * 86_400_000);
    const a = await store.startAttempt({ personId: p.personId, questionId: q, conversationId: 'slack:T1:C1', workspaceKey: account.workspaceKey, source: 'ask', now: at });
    await store.recordAnswer({ attemptId: a.id, personId: p.personId, text: `answer of ${account.displayName}`, coverage: 1, coverageJson: '[]', now: at, localDate: at.toISOString().slice(0, 10), applyActivity });
    await store.rate({ attemptId: a.id, personId: p.personId, rating: 'good', now: at, schedule: () => ({ card: { s: 1 }, due: new Date(at.getTime() + 86_400_000) }) });
  }
  await store.changeSettings(p.personId, { newPerDay: 3 }, now);
  await store.createLinkCode(p.personId, `CODE${account.displayName.slice(0, 2).toUpperCase()}`, now, new Date(now.getTime() + 600_000));
  await store.redeemLinkCode('NOPE00', account.accountId, now, streakFromDays, LINK_ATTEMPT_LIMIT);
  // A finished solo mock interview.
  const interviews = createSqliteInterviewRepository(db);
  const id = `iv${account.displayName.toLowerCase()}${day}`;
  const solo = { id, kind: 'solo' as const, candidateId: p.personId, candidateAccount: account.accountId, conversationId: 'slack:T1:C1', workspaceKey: account.workspaceKey, topic: null, minutes: 30, includeUnanswered: false, questionIds: qids, now };
  await interviews.create(solo);
  await interviews.showItem({ interviewId: id, number: 1, followUp: false }, { personId: p.personId, conversationId: 'slack:T1:C1', workspaceKey: account.workspaceKey, now });
  await interviews.end(id, 'completed', now);
  // A break, and a repair of one of their days by an admin of the workspace.
  await store.startBreak({ personId: p.personId, startsOn: '2025-01-20', untilDay: '2025-01-22', zone: 'UTC', endsAt: new Date('2025-01-23T00:00:00Z'), now, countFrom: '2024-10-23', maxCounted: 2 });
  await store.repairStreak({ personId: p.personId, localDate: '2025-01-09', reason: 'outage', repairedBy: 'slack:T1:UADMIN', repairedByName: 'Admin', now, replay: streakFromDays });
  return p;
}

/** `admin` repaired a day of `person`'s: the audit names the admin. */
async function repairBy(admin: { accountId: string; displayName: string }, person: { personId: string }) {
  await store.repairStreak({ personId: person.personId, localDate: '2025-01-08', reason: `repaired by ${admin.displayName}`, repairedBy: admin.accountId, repairedByName: admin.displayName, now, replay: streakFromDays });
}

/** `interviewer` interviewed `candidate` and left a private note. */
async function peerInterview(interviewer: { personId: string; accountId: string }, candidate: { personId: string; accountId: string }) {
  const interviews = createSqliteInterviewRepository(db);
  await interviews.create({
    id: 'peer0001', kind: 'peer', candidateId: candidate.personId, candidateAccount: candidate.accountId, interviewerId: interviewer.personId,
    interviewerAccount: interviewer.accountId, conversationId: 'slack:T1:C1', workspaceKey: 'slack:T1', topic: null, minutes: null,
    includeUnanswered: false, questionIds: [qids[0]!], now,
  });
  await interviews.updatePeerItem({ interviewId: 'peer0001', number: 1, followUp: false }, { note: 'note by the interviewer', score: 3 });
  await interviews.end('peer0001', 'completed', now);
}

const rowsOf = (personId: string) =>
  Object.fromEntries(
    PERSON_TABLES.map((t) => [personTableKey(t), (db.prepare(`SELECT COUNT(*) AS n FROM ${t.table} WHERE ${t.where}`).get(...Array(t.where.split('?').length - 1).fill(personId)) as { n: number }).n]),
  );

describe('per-person data: export and forget', () => {
  it('every table with a person_id column is in PERSON_TABLES (add new ones there, e.g. interview_sessions)', () => {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    const withPerson = tables
      .filter(({ name }) => (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(name) as { name: string }[]).some((c) => c.name === 'person_id'))
      .map((t) => t.name);
    const listed = new Set<string>(PERSON_TABLES.map((t) => t.table));
    expect(withPerson.filter((t) => !listed.has(t))).toEqual([]);
    expect(listed.has('people')).toBe(true);
    expect(PERSON_TABLES.at(-1)!.table).toBe('people'); // parents last: foreign keys are on
  });

  it('forget deletes every row of the person, across linked accounts, and nothing of anyone else', async () => {
    const a = await practise(alice);
    // Alice links her Discord account: its data joins hers.
    const d = await store.ensureAccount(aliceDiscord, now);
    await store.createLinkCode(a.personId, 'LINK42', now, new Date(now.getTime() + 600_000));
    expect((await store.redeemLinkCode('LINK42', aliceDiscord.accountId, now, streakFromDays, LINK_ATTEMPT_LIMIT)).ok).toBe(true);
    expect(d.personId).not.toBe(a.personId);
    const b = await practise(bob, 3);
    await peerInterview(a, b);
    await repairBy(alice, b);
    const bobBefore = rowsOf(b.personId);
    const aliceBefore = rowsOf(a.personId);
    expect(Object.values(aliceBefore).every((n) => n > 0)).toBe(true);

    const report = await store.forgetPerson(a.personId);
    expect(report.deleted).toEqual(aliceBefore);
    expect(report.deleted.accounts).toBe(2);
    expect(Object.values(rowsOf(a.personId)).every((n) => n === 0)).toBe(true);
    expect(rowsOf(b.personId)).toEqual(bobBefore);
    expect(await store.findAccount(alice.accountId)).toBeUndefined();
    expect(await store.findAccount(aliceDiscord.accountId)).toBeUndefined();
    // Nothing of hers is left anywhere, in any column of any table.
    const dump = JSON.stringify(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'questions_fts%'").all() as { name: string }[]).map(({ name }) => db.prepare(`SELECT * FROM ${name}`).all()),
    );
    expect(dump).not.toContain(a.personId);
    expect(dump).not.toContain('answer of Alice');
    expect(dump).not.toContain(alice.accountId);
    expect(dump).not.toContain('note by the interviewer');
    // The interview she conducted stays Bob's, without her.
    expect(db.prepare("SELECT candidate_id, interviewer_id FROM interviews WHERE id = 'peer0001'").get()).toEqual({ candidate_id: b.personId, interviewer_id: null });
    expect(db.prepare("SELECT score FROM interview_items WHERE interview_id = 'peer0001'").get()).toEqual({ score: 3 });
    // The repair she made of Bob's day stays his, without her name.
    expect(db.prepare("SELECT reason, repaired_by, repaired_by_name FROM streak_repairs WHERE local_date = '2025-01-08'").get()).toEqual({
      reason: 'repaired by Alice',
      repaired_by: null,
      repaired_by_name: null,
    });
    // Using the bot again starts fresh.
    const again = await store.ensureAccount(alice, now);
    expect(again.personId).not.toBe(a.personId);
    expect(await store.getStreak(again.personId)).toMatchObject({ current: 0, longest: 0 });
  });

  it('a failure half-way rolls the whole deletion back', async () => {
    const a = await practise(alice);
    const before = rowsOf(a.personId);
    // Something in the database refuses the last delete (a row another table still points at).
    db.exec('CREATE TABLE holds_person (person_id TEXT NOT NULL REFERENCES people(id))');
    db.prepare('INSERT INTO holds_person VALUES (?)').run(a.personId);
    await expect(store.forgetPerson(a.personId)).rejects.toThrow(/FOREIGN KEY/);
    expect(rowsOf(a.personId)).toEqual(before);
  });

  it('export returns every row of the person, table by table, as JSON-ready data', async () => {
    const a = await practise(alice);
    await practise(bob, 3);
    const data = await store.exportPerson(a.personId);
    const counts = Object.fromEntries(Object.entries(data.tables).map(([t, rows]) => [t, rows.length]));
    expect(counts).toEqual(rowsOf(a.personId));
    const text = JSON.stringify(data);
    expect(text).toContain('answer of Alice');
    expect(text).not.toContain('answer of Bob');
    expect(data.labels.attempts).toMatch(/answers/);
  });
});
