import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type Db } from '../../../src/store/db.ts';
import { migrations } from '../../../src/store/migrations/index.ts';
import { createSqlitePracticeRepository } from '../../../src/store/sqlite/practice.ts';
import type { BoardQuery, PracticeRepository } from '../../../src/store/practice-types.ts';
import { applyActivity, streakFromDays } from '../../../src/core/streaks.ts';
import { LINK_ATTEMPT_LIMIT } from '../../../src/core/link-codes.ts';
import { seedQuestions } from './seed.ts';
import type { RawSql } from '../../stores/kinds.ts';
import { practiceStores, type OpenPractice } from '../../stores/practice.ts';

const now = new Date('2025-01-10T10:00:00Z'); // a Friday; its UTC week started Monday 2025-01-06

const account = (user: string, name: string, workspace = 'slack:T1') => ({
  accountId: `${workspace}:${user}`,
  platform: workspace.split(':')[0]!,
  displayName: name,
  workspaceKey: workspace,
});

describe.each(practiceStores())('$name', (kind) => {
  let opened: OpenPractice;
  let store: PracticeRepository;
  let sql: RawSql;
  let qid: string;
  beforeEach(async () => {
    opened = await kind.open();
    store = opened.repo;
    sql = opened.sql;
    qid = (await seedQuestions(opened.bank, [{ prompt: 'What is a mutex?', answer: 'A lock.' }]))[0]!;
  });

  async function answer(personId: string, at: Date, conversationId = 'slack:T1:C1', workspaceKey = conversationId.split(':').slice(0, 2).join(':')) {
    const a = await store.startAttempt({ personId, questionId: qid, conversationId, workspaceKey, source: 'ask', now: at });
    const r = await store.recordAnswer({ attemptId: a.id, personId, text: 'x', coverage: 1, coverageJson: '[]', now: at, localDate: at.toISOString().slice(0, 10), applyActivity });
    expect(r.ok).toBe(true);
    return a;
  }

  const board = (q: Partial<BoardQuery> & Pick<BoardQuery, 'scope'>): BoardQuery => ({
    conversationId: 'slack:T1:C1',
    workspaceKey: 'slack:T1',
    period: 'all',
    ...q,
  });

  /** name → answers on the board, listed members only, in board order by answers. */
  async function counts(q: BoardQuery, limit = 100) {
    return Object.fromEntries((await store.leaderboardByAnswers(q, limit)).map((r) => [r.displayName, r.answers]));
  }

  describe('board counters', () => {
    it('count each answer in its channel, workspace and globally, per calendar period; give-ups do not count', async () => {
      const a = await store.ensureAccount(account('U1', 'Alice'), now);
      const b = await store.ensureAccount(account('U2', 'Bob'), now);
      await store.setBoardVisibility(a.personId, { globalBoard: true });
      await store.setBoardVisibility(b.personId, { globalBoard: true });
      await answer(a.personId, new Date('2024-12-20T10:00:00Z')); // last year's December
      await answer(a.personId, new Date('2025-01-02T10:00:00Z'), 'slack:T1:C2'); // January, the week before
      await answer(a.personId, new Date('2025-01-06T00:00:00Z')); // Monday 00:00 UTC: this week
      await answer(b.personId, new Date('2025-01-09T11:00:00Z'));
      const g = await store.startAttempt({ personId: b.personId, questionId: qid, conversationId: 'slack:T1:C1', workspaceKey: 'slack:T1', source: 'ask', now });
      await store.giveUp(g.id, b.personId, now);

      expect(await counts(board({ scope: 'global' }))).toEqual({ Alice: 3, Bob: 1 });
      expect(await counts(board({ scope: 'global', period: 'month', periodKey: 'month:2025-01' }))).toEqual({ Alice: 2, Bob: 1 });
      expect(await counts(board({ scope: 'global', period: 'week', periodKey: 'week:2025-01-06' }))).toEqual({ Alice: 1, Bob: 1 });
      expect(await counts(board({ scope: 'channel' }))).toEqual({ Alice: 2, Bob: 1 });
      expect(await counts(board({ scope: 'channel', conversationId: 'slack:T1:C2' }))).toEqual({ Alice: 1 });
      expect(await counts(board({ scope: 'workspace' }))).toEqual({ Alice: 3, Bob: 1 });
      expect(await counts(board({ scope: 'workspace', workspaceKey: 'discord:G9' }))).toEqual({});
      // Last week's answers are not this week's: the period key must match.
      expect(await counts(board({ scope: 'channel', conversationId: 'slack:T1:C2', period: 'week', periodKey: 'week:2025-01-06' }))).toEqual({});

      const rows = await store.leaderboardByAnswers(board({ scope: 'global' }), 10);
      expect(rows[0]).toMatchObject({ displayName: 'Alice', firstAnswerAt: '2024-12-20T10:00:00.000Z', listed: true });
      expect(rows[0]!.streak.current).toBeGreaterThan(0);
    });

    it('weeks start Monday 00:00 in the workspace zone: Asia/Tokyo and America/Los_Angeles, UTC for the global board', async () => {
      const tokyo = await store.ensureAccount(account('U1', 'Tomo', 'slack:TK'), now);
      const la = await store.ensureAccount(account('U2', 'Lee', 'slack:LA'), now);
      await store.setWorkspaceTimezone('slack:TK', 'Asia/Tokyo');
      await store.setWorkspaceTimezone('slack:LA', 'America/Los_Angeles');
      for (const p of [tokyo, la]) await store.setBoardVisibility(p.personId, { globalBoard: true });
      // Tokyo: Sunday 23:30 and Monday 00:30 local (UTC+9).
      await answer(tokyo.personId, new Date('2025-01-12T14:30:00Z'), 'slack:TK:C1');
      await answer(tokyo.personId, new Date('2025-01-12T15:30:00Z'), 'slack:TK:C1');
      // Los Angeles: Sunday 23:59 and Monday 00:00 local (UTC-8), the same instants a day later in UTC.
      await answer(la.personId, new Date('2025-01-13T07:59:00Z'), 'slack:LA:C1');
      await answer(la.personId, new Date('2025-01-13T08:00:00Z'), 'slack:LA:C1');

      const week = (scope: 'channel' | 'workspace' | 'global', ws: string, key: string) =>
        counts({ scope, conversationId: `${ws}:C1`, workspaceKey: ws, period: 'week', periodKey: key });
      expect(await week('workspace', 'slack:TK', 'week:2025-01-13')).toEqual({ Tomo: 1 });
      expect(await week('channel', 'slack:TK', 'week:2025-01-13')).toEqual({ Tomo: 1 });
      expect(await week('workspace', 'slack:LA', 'week:2025-01-13')).toEqual({ Lee: 1 });
      expect(await week('channel', 'slack:LA', 'week:2025-01-13')).toEqual({ Lee: 1 });
      // UTC: both Tokyo answers were on Sunday the 12th, both Los Angeles ones on Monday the 13th.
      expect(await week('global', 'slack:TK', 'week:2025-01-13')).toEqual({ Lee: 2 });
    });

    it('a workspace without a zone follows the store default (the bot’s PREPBOT_TIMEZONE)', async () => {
      const berlin = opened.reopen({ defaultTimezone: 'Europe/Berlin' });
      const p = await berlin.ensureAccount(account('U1', 'Alice'), now);
      const a = await berlin.startAttempt({ personId: p.personId, questionId: qid, conversationId: 'slack:T1:C1', workspaceKey: 'slack:T1', source: 'ask', now });
      // Sunday 23:30 UTC is Monday 00:30 in Berlin.
      const at = new Date('2025-01-12T23:30:00Z');
      await berlin.recordAnswer({ attemptId: a.id, personId: p.personId, text: 'x', coverage: 1, coverageJson: '[]', now: at, localDate: '2025-01-13', applyActivity });
      expect(await berlin.leaderboardByAnswers(board({ scope: 'workspace', period: 'week', periodKey: 'week:2025-01-13' }), 5)).toHaveLength(1);
    });

    it('a /link merge adds the two people’s counts and leaves no rows of the merged-away person', async () => {
      const a = await store.ensureAccount(account('U1', 'Alice'), now);
      const d = await store.ensureAccount(account('A1', 'alice_d', 'discord:G1'), now);
      await answer(a.personId, new Date('2025-01-03T09:00:00Z')); // last week
      await answer(a.personId, new Date('2025-01-08T09:00:00Z'));
      await answer(d.personId, new Date('2025-01-07T09:00:00Z'), 'discord:G1:C1');
      await answer(d.personId, new Date('2025-01-09T09:00:00Z'), 'discord:G1:C1');
      await store.setBoardVisibility(d.personId, { globalBoard: true });
      await store.createLinkCode(a.personId, 'ABC234', now, new Date(now.getTime() + 600_000));
      expect(await store.redeemLinkCode('ABC234', d.accountId, now, streakFromDays, LINK_ATTEMPT_LIMIT)).toMatchObject({ ok: true, personId: a.personId });

      // Either opted in: the merged person is on the global board, with every answer.
      const global = await store.leaderboardByAnswers(board({ scope: 'global' }), 5);
      expect(global.map((r) => [r.personId, r.answers, r.firstAnswerAt])).toEqual([[a.personId, 4, '2025-01-03T09:00:00.000Z']]);
      const week = await store.leaderboardByAnswers(board({ scope: 'global', period: 'week', periodKey: 'week:2025-01-06' }), 5);
      expect(week.map((r) => [r.answers, r.firstAnswerAt])).toEqual([[3, '2025-01-07T09:00:00.000Z']]);
      expect(await counts(board({ scope: 'workspace', workspaceKey: 'discord:G1' }))).toEqual({ Alice: 2 });
      expect((await sql.rows('SELECT COUNT(*) AS n FROM board_counts WHERE person_id = ?', [d.personId]))[0]).toEqual({ n: 0 });
    });

    it('/forget deletes the person’s counters with the rest of their data', async () => {
      const a = await store.ensureAccount(account('U1', 'Alice'), now);
      await answer(a.personId, now);
      expect(((await sql.rows('SELECT COUNT(*) AS n FROM board_counts WHERE person_id = ?', [a.personId]))[0] as { n: number }).n).toBe(3);
      const report = await store.forgetPerson(a.personId);
      expect(report.deleted.board_counts).toBe(3);
      expect(await store.leaderboardByAnswers(board({ scope: 'channel' }), 5)).toEqual([]);
    });
  });

  describe('board privacy', () => {
    it('hidden people are on no board and top-N is filled with visible people; the global board lists only people who opted in', async () => {
      const people = [];
      for (let i = 0; i < 14; i++) people.push(await store.ensureAccount(account(`U${i}`, `P${String(i).padStart(2, '0')}`), now));
      // The twelve most active hide; each answers more than anyone visible.
      for (const [i, p] of people.entries()) {
        for (let k = 0; k < (i < 12 ? 5 : 1); k++) await answer(p.personId, new Date(now.getTime() - (k + 1) * 3_600_000 - i * 60_000));
        if (i < 12) await store.setBoardVisibility(p.personId, { boards: false });
      }
      const q = board({ scope: 'channel' });
      // One answer each: P13 answered first.
      expect((await store.leaderboardByAnswers(q, 10)).map((r) => r.displayName)).toEqual(['P13', 'P12']);
      expect((await store.leaderboardByStreak(q, { aliveSince: '2025-01-01', limit: 10 })).map((r) => r.displayName).sort()).toEqual(['P12', 'P13']);
      // Hidden people still have their streak and their own row.
      expect((await store.getStreak(people[0]!.personId)).current).toBe(1);
      expect(await store.boardEntry(q, people[0]!.personId)).toMatchObject({ answers: 5, listed: false });
      expect(await store.findAccount(people[0]!.accountId)).toMatchObject({ boardsHidden: true, globalBoard: false });

      // Nobody opted in to the global board yet.
      expect(await store.leaderboardByAnswers(board({ scope: 'global' }), 10)).toEqual([]);
      await store.setBoardVisibility(people[13]!.personId, { globalBoard: true });
      await store.setBoardVisibility(people[0]!.personId, { globalBoard: true }); // opted in but hidden: hidden wins
      expect((await store.leaderboardByAnswers(board({ scope: 'global' }), 10)).map((r) => r.displayName)).toEqual(['P13']);

      await store.setBoardVisibility(people[0]!.personId, { boards: true });
      expect(await store.findAccount(people[0]!.accountId)).toMatchObject({ boardsHidden: false, globalBoard: true });
      expect((await store.leaderboardByAnswers(board({ scope: 'global' }), 10)).map((r) => r.displayName)).toEqual(['P00', 'P13']);
      expect((await store.leaderboardByAnswers(q, 2)).map((r) => r.displayName)).toEqual(['P00', 'P13']);
      // Answers while hidden are counted (they show once visible again), and new rows respect the flags.
      await store.setBoardVisibility(people[12]!.personId, { boards: false });
      await answer(people[12]!.personId, now, 'slack:T1:C9');
      expect(await store.leaderboardByAnswers(board({ scope: 'channel', conversationId: 'slack:T1:C9' }), 5)).toEqual([]);
      await store.setBoardVisibility(people[12]!.personId, { boards: true });
      expect(await counts(board({ scope: 'channel', conversationId: 'slack:T1:C9' }))).toEqual({ P12: 1 });
    });

    it('new people are on workspace and channel boards and not on the global board', async () => {
      const p = await store.ensureAccount(account('U1', 'Alice'), now);
      expect(p).toMatchObject({ boardsHidden: false, globalBoard: false });
      await answer(p.personId, now);
      expect(await counts(board({ scope: 'workspace' }))).toEqual({ Alice: 1 });
      expect(await counts(board({ scope: 'global' }))).toEqual({});
    });
  });

  describe('the week and month backfill of migration 11', () => {
    it('a store opening a database whose periods wait for the backfill fills them as the live counters did', async () => {
      await store.setWorkspaceTimezone('slack:T1', 'Asia/Tokyo');
      const people = [];
      for (let i = 0; i < 4; i++) people.push(await store.ensureAccount(account(`U${i}`, `P${i}`, i % 2 ? 'slack:T1' : 'discord:G1'), now));
      for (const p of people) await store.setBoardVisibility(p.personId, { globalBoard: true });
      let t = new Date('2024-11-20T00:00:00Z').getTime();
      for (let k = 0; k < 40; k++) {
        t += ((k * 7919) % 23) * 3_600_000 + 1_800_000;
        const p = people[(k * 3) % people.length]!;
        const ws = p.accountId.startsWith('slack') ? 'slack:T1' : 'discord:G1';
        await answer(p.personId, new Date(t), `${ws}:C${k % 2}`);
      }
      const at = new Date(t);
      const { calendarPeriodOf } = await import('../../../src/time/local-time.ts');
      const queries: BoardQuery[] = [];
      for (const scope of ['channel', 'workspace', 'global'] as const) {
        for (const ws of ['slack:T1', 'discord:G1']) {
          const zone = scope === 'global' ? 'UTC' : ws === 'slack:T1' ? 'Asia/Tokyo' : 'UTC';
          for (const period of ['week', 'month'] as const) {
            queries.push({ scope, conversationId: `${ws}:C0`, workspaceKey: ws, period, periodKey: calendarPeriodOf(period, at, zone).key });
          }
        }
      }
      const live = await Promise.all(queries.map((q) => store.leaderboardByAnswers(q, 100)));
      expect(live.flat().length).toBeGreaterThan(10);
      // What migration 11 leaves: all-time counts, no periods, and the backfill's flag.
      await sql.rows('UPDATE board_counts SET week_key = NULL, week_answers = 0, week_first_at = NULL, month_key = NULL, month_answers = 0, month_first_at = NULL');
      await sql.rows("INSERT INTO board_backfill (pending_since) VALUES ('migration 11')");
      const reopened = opened.reopen();
      for (const [i, q] of queries.entries()) expect(await reopened.leaderboardByAnswers(q, 100)).toEqual(live[i]);
      expect(await sql.count('board_backfill')).toBe(0);
    });
  });
});

// SQLite only: a file at version 9 upgraded in place, migration 11's all-time SQL over real rows. The backfill
// itself runs on both stores above; a PostgreSQL database starts at the current version (prepbot migrate copies into one).
describe('migration 11 backfill (SQLite)', () => {
  let db: Db;
  let store: PracticeRepository;
  let qid: string;
  beforeEach(async () => {
    db = openDatabase(':memory:');
    store = createSqlitePracticeRepository(db);
    qid = (await seedQuestions(db, [{ prompt: 'What is a mutex?', answer: 'A lock.' }]))[0]!;
  });
  async function answer(personId: string, at: Date, conversationId = 'slack:T1:C1', workspaceKey = conversationId.split(':').slice(0, 2).join(':')) {
    const a = await store.startAttempt({ personId, questionId: qid, conversationId, workspaceKey, source: 'ask', now: at });
    const r = await store.recordAnswer({ attemptId: a.id, personId, text: 'x', coverage: 1, coverageJson: '[]', now: at, localDate: at.toISOString().slice(0, 10), applyActivity });
    expect(r.ok).toBe(true);
    return a;
  }

  it('counts existing attempts exactly as the live counters do, all time and the current week and month', async () => {
    // The live database: answers recorded through the store over three months, in two zones.
    await store.setWorkspaceTimezone('slack:T1', 'Asia/Tokyo');
    const people = [];
    for (let i = 0; i < 6; i++) people.push(await store.ensureAccount(account(`U${i}`, `P${i}`, i % 2 ? 'slack:T1' : 'discord:G1'), now));
    await store.setBoardVisibility(people[1]!.personId, { globalBoard: true });
    await store.setBoardVisibility(people[2]!.personId, { globalBoard: true });
    await store.setBoardVisibility(people[3]!.personId, { boards: false });
    let t = new Date('2024-11-01T00:00:00Z').getTime();
    for (let k = 0; k < 120; k++) {
      t += ((k * 7919) % 23) * 3_600_000 + 1_800_000;
      const p = people[(k * 5) % people.length]!;
      const ws = p.accountId.startsWith('slack') ? 'slack:T1' : 'discord:G1';
      await answer(p.personId, new Date(t), `${ws}:C${k % 3}`);
    }
    const at = new Date(t + 3_600_000);

    // The same rows in a database at version 9, then migration 11 and a store opening it.
    const old = new Database(':memory:');
    old.pragma('foreign_keys = ON');
    old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of migrations.filter((m) => m.version < 11)) {
      old.exec(m.sql);
      old.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, 'then');
    }
    const copy = (table: string, columns: string[]) => {
      const insert = old.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      for (const r of db.prepare(`SELECT ${columns.join(', ')} FROM ${table}`).raw().all() as unknown[][]) insert.run(...r);
    };
    copy('questions', ['id', 'seq', 'file', 'line', 'prompt', 'answer', 'key_points', 'norm_key', 'body_hash', 'created_at', 'updated_at']);
    copy('people', ['id', 'display_name', 'timezone', 'created_at', 'day_start_hour']);
    copy('workspaces', ['id', 'platform', 'timezone', 'created_at', 'day_start_hour']);
    copy('accounts', ['id', 'platform', 'person_id', 'display_name', 'workspace_id', 'created_at']);
    copy('attempts', ['id', 'person_id', 'question_id', 'conversation_id', 'workspace_id', 'source', 'asked_at', 'answered_at', 'answer_text', 'coverage', 'coverage_json', 'gave_up', 'rating', 'rated_at']);
    copy('streaks', ['person_id', 'current', 'longest', 'last_day', 'freezes', 'updated_at']);
    migrate(old);
    // Flags are new in migration 11: set the same ones, then let a store fill the periods.
    const migrated = createSqlitePracticeRepository(old);
    await migrated.setBoardVisibility(people[1]!.personId, { globalBoard: true });
    await migrated.setBoardVisibility(people[2]!.personId, { globalBoard: true });
    await migrated.setBoardVisibility(people[3]!.personId, { boards: false });
    expect(old.prepare('SELECT COUNT(*) AS n FROM board_backfill').get()).toEqual({ n: 0 });

    const { calendarPeriodOf } = await import('../../../src/time/local-time.ts');
    let compared = 0;
    for (const scope of ['channel', 'workspace', 'global'] as const) {
      for (const ws of ['slack:T1', 'discord:G1']) {
        for (const c of [0, 1, 2]) {
          const zone = scope === 'global' ? 'UTC' : ws === 'slack:T1' ? 'Asia/Tokyo' : 'UTC';
          for (const period of ['week', 'month', 'all'] as const) {
            const q: BoardQuery = { scope, conversationId: `${ws}:C${c}`, workspaceKey: ws, period, ...(period === 'all' ? {} : { periodKey: calendarPeriodOf(period, at, zone).key }) };
            const live = await store.leaderboardByAnswers(q, 100);
            expect(await migrated.leaderboardByAnswers(q, 100)).toEqual(live);
            compared += live.length;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(50);
    old.close();
  });
});
