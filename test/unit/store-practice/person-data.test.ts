import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/store/db.ts';
import { PERSON_TABLES, personTableKey } from '../../../src/store/person-tables.ts';
import type { RawSql } from '../../stores/kinds.ts';
import { practiceStores } from '../../stores/practice.ts';
import type { InterviewRepository } from '../../../src/store/interview-types.ts';
import type { PracticeRepository } from '../../../src/store/practice-types.ts';
import { applyActivity, streakFromDays } from '../../../src/core/streaks.ts';
import { LINK_ATTEMPT_LIMIT } from '../../../src/core/link-codes.ts';
import { seedQuestions } from './seed.ts';

describe.each(practiceStores())('$name', (kind) => {
  let store: PracticeRepository;
  let sql: RawSql;
  let interviews: InterviewRepository;
  let db: Db | undefined;
  let qids: string[];
  const now = new Date('2025-01-10T10:00:00Z');
  const alice = { accountId: 'slack:T1:U1', platform: 'slack', displayName: 'Alice', workspaceKey: 'slack:T1' };
  const aliceDiscord = { accountId: 'discord:user:11', platform: 'discord', displayName: 'alice_d', workspaceKey: 'discord:G1' };
  const bob = { accountId: 'slack:T1:U2', platform: 'slack', displayName: 'Bob', workspaceKey: 'slack:T1' };

  beforeEach(async () => {
    const opened = await kind.open();
    store = opened.repo;
    sql = opened.sql;
    interviews = opened.interviews;
    // Only to read each database's own catalog (the table lists below).
    db = opened.db;
    qids = await seedQuestions(opened.bank, [
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
    // A finished solo mock interview, a break, and a repair of one of their days by an admin of the workspace.
    await care.soloInterview(`iv${account.displayName.toLowerCase()}${day}`, p.personId, account);
    await care.breakAndRepair(p.personId);
    return p;
  }

  /** `admin` repaired a day of `person`'s: the audit names the admin. */
  async function repairBy(admin: { accountId: string; displayName: string }, person: { personId: string }) {
    await care.repair(person.personId, '2025-01-08', `repaired by ${admin.displayName}`, admin.accountId, admin.displayName);
  }

  /** `interviewer` interviewed `candidate` and left a private note. */
  async function peerInterview(interviewer: { personId: string; accountId: string }, candidate: { personId: string; accountId: string }) {
    await care.peerInterview(interviewer, candidate);
  }

  /** Interviews, breaks and repairs: the interview store and the practice store's streak care, on both databases. */
  const care = {
    async soloInterview(id: string, personId: string, account: typeof alice) {
      const solo = { id, kind: 'solo' as const, candidateId: personId, candidateAccount: account.accountId, conversationId: 'slack:T1:C1', workspaceKey: account.workspaceKey, topic: null, minutes: 30, includeUnanswered: false, questionIds: qids, now };
      await interviews.create(solo);
      await interviews.showItem({ interviewId: id, number: 1, followUp: false }, { personId, conversationId: 'slack:T1:C1', workspaceKey: account.workspaceKey, now });
      await interviews.end(id, 'completed', now);
    },
    async breakAndRepair(personId: string) {
      await store.startBreak({ personId, startsOn: '2025-01-20', untilDay: '2025-01-22', zone: 'UTC', endsAt: new Date('2025-01-23T00:00:00Z'), now, countFrom: '2024-10-23', maxCounted: 2 });
      await care.repair(personId, '2025-01-09', 'outage', 'slack:T1:UADMIN', 'Admin');
    },
    async repair(personId: string, localDate: string, reason: string, by: string, byName: string) {
      await store.repairStreak({ personId, localDate, reason, repairedBy: by, repairedByName: byName, now, replay: streakFromDays });
    },
    async peerInterview(interviewer: { personId: string; accountId: string }, candidate: { personId: string; accountId: string }) {
      await interviews.create({
        id: 'peer0001', kind: 'peer', candidateId: candidate.personId, candidateAccount: candidate.accountId, interviewerId: interviewer.personId,
        interviewerAccount: interviewer.accountId, conversationId: 'slack:T1:C1', workspaceKey: 'slack:T1', topic: null, minutes: null,
        includeUnanswered: false, questionIds: [qids[0]!], now,
      });
      await interviews.updatePeerItem({ interviewId: 'peer0001', number: 1, followUp: false }, { note: 'note by the interviewer', score: 3 });
      await interviews.end('peer0001', 'completed', now);
    },
  };

  const rowsOf = async (personId: string) => {
    const out: Record<string, number> = {};
    for (const t of PERSON_TABLES) {
      const binds = Array(t.where.split('?').length - 1).fill(personId);
      out[personTableKey(t)] = (await sql.rows<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t.table} WHERE ${t.where}`, binds))[0]!.n;
    }
    return out;
  };

  /** Every table's name (SQLite's FTS shadow tables left out: they hold questions, not people). */
  const tableNames = async (): Promise<string[]> =>
    db
      ? (await sql.rows<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'questions_fts%'")).map((t) => t.name)
      : (await sql.rows<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'")).map((t) => t.name);

  describe('per-person data: export and forget', () => {
    it('every table with a person_id column is in PERSON_TABLES (add new ones there, e.g. interview_sessions)', async () => {
      const withPerson = db
        ? (await sql.rows<{ name: string }>("SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c WHERE m.type = 'table' AND c.name = 'person_id'")).map((t) => t.name)
        : (await sql.rows<{ name: string }>("SELECT table_name AS name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'person_id'")).map((t) => t.name);
      expect(withPerson).toContain('attempts');
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
      const bobBefore = await rowsOf(b.personId);
      const aliceBefore = await rowsOf(a.personId);
      expect(Object.values(aliceBefore).every((n) => n > 0)).toBe(true);

      const report = await store.forgetPerson(a.personId);
      expect(report.deleted).toEqual(aliceBefore);
      expect(report.deleted.accounts).toBe(2);
      expect(Object.values(await rowsOf(a.personId)).every((n) => n === 0)).toBe(true);
      expect(await rowsOf(b.personId)).toEqual(bobBefore);
      expect(await store.findAccount(alice.accountId)).toBeUndefined();
      expect(await store.findAccount(aliceDiscord.accountId)).toBeUndefined();
      // Nothing of hers is left anywhere, in any column of any table.
      const dump = JSON.stringify(await Promise.all((await tableNames()).map((name) => sql.rows(`SELECT * FROM ${name}`))));
      expect(dump).not.toContain(a.personId);
      expect(dump).not.toContain('answer of Alice');
      expect(dump).not.toContain(alice.accountId);
      expect(dump).not.toContain('note by the interviewer');
      // The interview she conducted stays Bob's, without her.
      expect((await sql.rows("SELECT candidate_id, interviewer_id FROM interviews WHERE id = 'peer0001'"))[0]).toEqual({ candidate_id: b.personId, interviewer_id: null });
      expect((await sql.rows("SELECT score FROM interview_items WHERE interview_id = 'peer0001'"))[0]).toEqual({ score: 3 });
      // The repair she made of Bob's day stays his, without her name.
      expect((await sql.rows("SELECT reason, repaired_by, repaired_by_name FROM streak_repairs WHERE local_date = '2025-01-08'"))[0]).toEqual({
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
      const before = await rowsOf(a.personId);
      // Something in the database refuses the last delete (a row another table still points at).
      await sql.rows('CREATE TABLE holds_person (person_id TEXT NOT NULL REFERENCES people(id))');
      await sql.rows('INSERT INTO holds_person VALUES (?)', [a.personId]);
      await expect(store.forgetPerson(a.personId)).rejects.toThrow(/foreign key/i);
      expect(await rowsOf(a.personId)).toEqual(before);
    });

    it('export returns every row of the person, table by table, as JSON-ready data', async () => {
      const a = await practise(alice);
      await practise(bob, 3);
      const data = await store.exportPerson(a.personId);
      const counts = Object.fromEntries(Object.entries(data.tables).map(([t, rows]) => [t, rows.length]));
      expect(counts).toEqual(await rowsOf(a.personId));
      const text = JSON.stringify(data);
      expect(text).toContain('answer of Alice');
      expect(text).not.toContain('answer of Bob');
      expect(data.labels.attempts).toMatch(/answers/);
    });
  });
});
