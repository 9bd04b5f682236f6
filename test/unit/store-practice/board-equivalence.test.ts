import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BoardQuery, LeaderboardRow, PracticeRepository } from '../../../src/store/practice-types.ts';
import type { RawSql } from '../../stores/kinds.ts';
import { practiceStores, type PracticeStoreKind } from '../../stores/practice.ts';
import { aliveSince, boardPeriod, rankLeaderboard, topOfBoard, type LeaderboardEntry } from '../../../src/core/leaderboard.ts';
import { streakFromDays, visibleStreak } from '../../../src/core/streaks.ts';
import { addDays, calendarPeriodOf, practiceDate } from '../../../src/time/local-time.ts';
import { seedQuestions } from './seed.ts';

/**
 * The fast path (counters kept on every write, two bounded reads, topOfBoard) gives the same top N,
 * ranks, visible streaks and counts as ranking every member from the attempts themselves, on random
 * small databases: zones and day starts per person and workspace, hidden and opted-in people, link
 * merges, streaks alive, frozen and lapsed, calendar periods crossing week and month ends.
 */

const ZONES = ['UTC', 'Asia/Tokyo', 'America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Kiritimati', 'Etc/GMT+12'] as const;
const MINUTE = 60_000;
const DAY = 86_400_000;
const BASE = Date.parse('2025-03-24T00:00:00Z'); // the now of each case lies up to 14 days later: week and month ends

const zone = fc.option(fc.constantFrom(...ZONES), { nil: null });
const dayStart = fc.option(fc.integer({ min: 0, max: 23 }), { nil: null });
const world = fc.record({
  defaultTimezone: fc.constantFrom(...ZONES),
  nowMinutes: fc.integer({ min: 0, max: 14 * 24 * 60 }),
  workspaces: fc.array(fc.record({ zone, dayStart }), { minLength: 2, maxLength: 2 }),
  people: fc.array(
    fc.record({
      ws: fc.integer({ min: 0, max: 1 }),
      zone,
      dayStart,
      hidden: fc.boolean(),
      global: fc.boolean(),
      flagsFirst: fc.boolean(),
      streak: fc.option(
        fc.record({ current: fc.integer({ min: 0, max: 6 }), lastDay: fc.integer({ min: -6, max: 1 }), freezes: fc.integer({ min: 0, max: 2 }) }),
        { nil: null },
      ),
    }),
    { minLength: 1, maxLength: 14 },
  ),
  answers: fc.array(
    fc.record({ person: fc.nat(), channel: fc.integer({ min: 0, max: 2 }), minutesAgo: fc.integer({ min: 0, max: 45 * 24 * 60 }), gaveUp: fc.boolean() }),
    { maxLength: 40 },
  ),
  links: fc.array(fc.record({ from: fc.nat(), into: fc.nat() }), { maxLength: 2 }),
  n: fc.integer({ min: 1, max: 5 }),
  smallBoard: fc.constantFrom(1, 2000),
});

type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

interface Built {
  sql: RawSql;
  now: Date;
  /** Every counted answer with its person's details, read once after the world was built. */
  answers: Record<string, string | number | null>[];
  workspaceZone: (ws: string) => string;
}

async function build(kind: PracticeStoreKind, w: World): Promise<Built & { store: PracticeRepository }> {
  const { repo: store, bank, sql } = await kind.open({ defaultTimezone: w.defaultTimezone, smallBoard: w.smallBoard });
  const qid = (await seedQuestions(bank, [{ prompt: 'What is a mutex?', answer: 'A lock.' }]))[0]!;
  const now = new Date(BASE + w.nowMinutes * MINUTE);
  const wsKey = (i: number) => `slack:W${i}`;
  const people = [];
  for (const [i, p] of w.people.entries()) {
    const ref = await store.ensureAccount({ accountId: `${wsKey(p.ws)}:U${i}`, platform: 'slack', displayName: `P${i}`, workspaceKey: wsKey(p.ws) }, new Date(BASE - DAY + i));
    people.push({ ...p, ref });
    await store.setTimezone(ref.personId, p.zone);
    await store.setDayStart(ref.personId, p.dayStart);
    if (p.flagsFirst) await store.setBoardVisibility(ref.personId, { boards: !p.hidden, globalBoard: p.global });
  }
  for (const [i, ws] of w.workspaces.entries()) {
    await store.setWorkspaceTimezone(wsKey(i), ws.zone);
    await store.setWorkspaceDayStart(wsKey(i), ws.dayStart);
  }
  for (const a of w.answers) {
    const p = people[a.person % people.length]!;
    const at = new Date(now.getTime() - a.minutesAgo * MINUTE);
    const attempt = await store.startAttempt({
      personId: p.ref.personId, questionId: qid, conversationId: `${wsKey(p.ws)}:C${a.channel}`, workspaceKey: wsKey(p.ws), source: 'ask', now: at,
    });
    if (a.gaveUp) await store.giveUp(attempt.id, p.ref.personId, at);
    else await store.recordAnswer({ attemptId: attempt.id, personId: p.ref.personId, text: 'x', coverage: 1, coverageJson: '[]', now: at, localDate: '2025-01-01', applyActivity: (s) => s });
  }
  for (const p of people) if (!p.flagsFirst) await store.setBoardVisibility(p.ref.personId, { boards: !p.hidden, globalBoard: p.global });
  const merged = new Set<string>();
  for (const [k, l] of w.links.entries()) {
    const from = people[l.from % people.length]!;
    const into = people[l.into % people.length]!;
    if (from === into || merged.has(from.ref.personId) || merged.has(into.ref.personId)) continue;
    await store.createLinkCode(into.ref.personId, `LINK0${k}`, now, new Date(now.getTime() + 600_000));
    const r = await store.redeemLinkCode(`LINK0${k}`, from.ref.accountId, now, streakFromDays, { windowMs: 1, perAccount: 99, perWorkspace: 99 });
    expect(r.ok).toBe(true);
    merged.add(from.ref.personId);
  }
  // Streaks as the case says (the ranking, not the streak rules, is under test here).
  const today = new Date(now).toISOString().slice(0, 10);
  for (const p of people) {
    if (merged.has(p.ref.personId)) continue;
    await sql.rows('DELETE FROM streaks WHERE person_id = ?', [p.ref.personId]);
    if (p.streak) {
      await sql.rows('INSERT INTO streaks (person_id, current, longest, last_day, freezes, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [
        p.ref.personId, p.streak.current, p.streak.current, addDays(today, p.streak.lastDay), p.streak.freezes, now.toISOString(),
      ]);
    }
  }
  const zones = new Map((await sql.rows<{ id: string; timezone: string | null }>('SELECT id, timezone FROM workspaces')).map((r) => [r.id, r.timezone]));
  const workspaceZone = (ws: string) => zones.get(ws) ?? w.defaultTimezone;
  return { sql, store, now, workspaceZone, answers: await answerRows(sql) };
}

/** Every counted answer with its person's details, for the brute-force ranking. */
async function answerRows(sql: RawSql) {
  return sql.rows<Record<string, string | number | null>>(
    `SELECT a.person_id, a.conversation_id, a.workspace_id, a.answered_at, p.display_name, p.timezone, p.day_start_hour, p.boards_hidden, p.global_board,
            (SELECT w.timezone FROM accounts ac JOIN workspaces w ON w.id = ac.workspace_id WHERE ac.person_id = p.id ORDER BY ac.created_at, ac.id LIMIT 1) AS wtz,
            (SELECT w.day_start_hour FROM accounts ac JOIN workspaces w ON w.id = ac.workspace_id WHERE ac.person_id = p.id ORDER BY ac.created_at, ac.id LIMIT 1) AS wds,
            s.current, s.longest, s.last_day, s.freezes
       FROM attempts a JOIN people p ON p.id = a.person_id LEFT JOIN streaks s ON s.person_id = p.id
      WHERE a.answered_at IS NOT NULL AND a.gave_up = 0`,
  );
}

/** Today's board the slow way: every answer in scope since the period's start, everyone ranked. */
function bruteForce(b: Built, q: BoardQuery, defaultTimezone: string) {
  const rows = b.answers;
  const by = new Map<string, LeaderboardEntry>();
  for (const r of rows) {
    if (q.scope === 'channel' && r.conversation_id !== q.conversationId) continue;
    if (q.scope === 'workspace' && r.workspace_id !== q.workspaceKey) continue;
    if (r.boards_hidden === 1 || (q.scope === 'global' && r.global_board !== 1)) continue;
    if (q.period !== 'all') {
      const zone = q.scope === 'global' ? 'UTC' : b.workspaceZone(r.workspace_id as string);
      if ((r.answered_at as string) < calendarPeriodOf(q.period, b.now, zone).start.toISOString()) continue;
    }
    const id = r.person_id as string;
    const e = by.get(id);
    if (e) {
      e.answers += 1;
      if ((r.answered_at as string) < e.firstAnswerAt) e.firstAnswerAt = r.answered_at as string;
      continue;
    }
    const personZone = (r.timezone as string | null) ?? (r.wtz as string | null) ?? defaultTimezone;
    const today = practiceDate(b.now, personZone, (r.day_start_hour as number | null) ?? (r.wds as number | null) ?? 0);
    const state = r.current === null ? { current: 0, longest: 0, lastDay: null, freezes: 0 } : { current: r.current as number, longest: r.longest as number, lastDay: r.last_day as string, freezes: r.freezes as number };
    by.set(id, { personId: id, displayName: r.display_name as string, answers: 1, firstAnswerAt: r.answered_at as string, streak: visibleStreak(state, today) });
  }
  return rankLeaderboard([...by.values()]);
}

const dayOf = (r: LeaderboardRow, now: Date, defaultTimezone: string) =>
  practiceDate(now, r.timezone ?? r.workspaceTimezone ?? defaultTimezone, r.dayStartHour ?? r.workspaceDayStartHour ?? 0);

const view = (e: LeaderboardEntry & { rank: number }) => [e.personId, e.rank, e.streak, e.answers, e.firstAnswerAt];

describe.each(practiceStores())('fast board = brute-force ranking ($name)', (kind) => {
  it('same top N on random small databases, every scope and period, both read plans', async () => {
    await fc.assert(
      fc.asyncProperty(world, async (w) => {
        const b = await build(kind, w);
          for (const scope of ['channel', 'workspace', 'global'] as const) {
          for (const ws of [0, 1]) {
            for (const period of ['week', 'month', 'all'] as const) {
              const zone = scope === 'global' ? 'UTC' : b.workspaceZone(`slack:W${ws}`);
              const current = boardPeriod(period, b.now, zone);
              const q: BoardQuery = { scope, conversationId: `slack:W${ws}:C0`, workspaceKey: `slack:W${ws}`, period, ...(current ? { periodKey: current.key } : {}) };
              const fast = await topOfBoard(
                {
                  byStreak: (limit) => b.store.leaderboardByStreak(q, { aliveSince: aliveSince(b.now), limit }),
                  byAnswers: (limit) => b.store.leaderboardByAnswers(q, limit),
                },
                w.n,
                (r) => visibleStreak(r.streak, dayOf(r, b.now, w.defaultTimezone)),
              );
              const all = bruteForce(b, q, w.defaultTimezone);
              expect(fast.map(view), `${scope} W${ws} ${period}`).toEqual(all.slice(0, w.n).map(view));
              // The store's narrowing never drops a streak still shown today.
              const candidates = new Set((await b.store.leaderboardByStreak(q, { aliveSince: aliveSince(b.now), limit: 1000 })).map((r) => r.personId));
              expect(all.filter((e) => e.streak > 0 && !candidates.has(e.personId))).toEqual([]);
            }
          }
          }
      }),
      // Fewer worlds on PostgreSQL: each is a few times slower there (a round trip per statement).
      { numRuns: kind.name === 'sqlite' ? 120 : 60 },
    );
  }, 240_000);
});
