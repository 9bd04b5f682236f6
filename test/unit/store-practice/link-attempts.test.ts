import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { streakFromDays } from '../../../src/core/streaks.ts';
import { openDatabase, type Db } from '../../../src/store/db.ts';
import type { LinkAttemptLimit, PracticeRepository } from '../../../src/store/practice-types.ts';
import { createSqlitePracticeRepository } from '../../../src/store/sqlite/practice.ts';
import { practiceStores } from '../../stores/practice.ts';

const MIN = 60_000;
// A workspace limit below 2 × perAccount, so two accounts can reach it without either being blocked alone.
const LIMIT: LinkAttemptLimit = { windowMs: 15 * MIN, perAccount: 5, perWorkspace: 8 };

const owner = { accountId: 'slack:T1:U1', platform: 'slack', displayName: 'Alice', workspaceKey: 'slack:T1' };
const guesser = { accountId: 'discord:G1:A', platform: 'discord', displayName: 'mallory', workspaceKey: 'discord:G1' };
const neighbour = { accountId: 'discord:G1:B', platform: 'discord', displayName: 'bob', workspaceKey: 'discord:G1' };
const elsewhere = { accountId: 'discord:G2:C', platform: 'discord', displayName: 'carol', workspaceKey: 'discord:G2' };

let db: Db;
let store: PracticeRepository;
let clock: ManualClock;
let ownerPerson: string;

async function setUp(database: Db | PracticeRepository) {
  if ('prepare' in database) {
    db = database;
    store = createSqlitePracticeRepository(db);
  } else {
    store = database;
  }
  ownerPerson = (await store.ensureAccount(owner, clock.now())).personId;
  for (const a of [guesser, neighbour, elsewhere]) await store.ensureAccount(a, clock.now());
}

const issue = async (code: string) => {
  await store.createLinkCode(ownerPerson, code, clock.now(), new Date(clock.now().getTime() + 10 * MIN));
};
const redeem = (code: string, accountId = guesser.accountId) =>
  store.redeemLinkCode(code, accountId, clock.now(), streakFromDays, LIMIT);
const wrong = async (n: number, accountId = guesser.accountId) => {
  for (let i = 0; i < n; i++) expect(await redeem('ZZZZZZ', accountId)).toEqual({ ok: false, reason: 'unknown' });
};

describe.each(practiceStores())('link redemption limit ($name)', (kind) => {
  beforeEach(async () => {
    clock = new ManualClock('2025-01-10T10:00:00Z');
    await setUp((await kind.open()).repo);
  });

  it('refuses the right code after 5 wrong ones, without using it up, until the oldest failure leaves the window', async () => {
    const start = clock.now().getTime();
    await issue('ABCDEF');
    for (let i = 0; i < 5; i++) {
      expect(await redeem('ZZZZZZ')).toEqual({ ok: false, reason: 'unknown' });
      clock.advance(MIN);
    }
    // Failures at +0..+4 min; the first leaves the window at +15 min.
    expect(await redeem('ABCDEF')).toEqual({
      ok: false,
      reason: 'too-many-attempts',
      scope: 'account',
      retryAt: new Date(start + 15 * MIN),
    });
    clock.set(new Date(start + 15 * MIN - 1));
    expect(await redeem('ABCDEF')).toMatchObject({ ok: false, reason: 'too-many-attempts' });
    clock.set(new Date(start + 15 * MIN));
    // The window slides: only one failure has left it, so one more wrong guess blocks again (until +16 min).
    expect(await redeem('ZZZZZZ')).toEqual({ ok: false, reason: 'unknown' });
    expect(await redeem('ABCDEF')).toMatchObject({ reason: 'too-many-attempts', retryAt: new Date(start + 16 * MIN) });
  });

  it('lets the right code through once the window has passed', async () => {
    await wrong(5);
    clock.advance(LIMIT.windowMs);
    await issue('ABCDEF');
    expect(await redeem('ABCDEF')).toMatchObject({ ok: true, personId: ownerPerson });
  });

  it('counts expired and used codes as failures too', async () => {
    await issue('PQRSTU');
    clock.advance(10 * MIN);
    await issue('ABCDEF');
    expect(await redeem('ABCDEF', neighbour.accountId)).toMatchObject({ ok: true });
    for (let i = 0; i < 3; i++) expect(await redeem('PQRSTU')).toEqual({ ok: false, reason: 'expired' });
    for (let i = 0; i < 2; i++) expect(await redeem('ABCDEF')).toEqual({ ok: false, reason: 'used' });
    expect(await redeem('ABCDEF')).toMatchObject({ reason: 'too-many-attempts', scope: 'account' });
  });

  it('does not count a refused attempt, nor a person redeeming their own code', async () => {
    await issue('ABCDEF');
    for (let i = 0; i < 10; i++) expect(await redeem('ABCDEF', owner.accountId)).toEqual({ ok: false, reason: 'own-code' });
    const start = clock.now().getTime();
    await wrong(5);
    for (let i = 0; i < 10; i++) expect(await redeem('ZZZZZZ')).toMatchObject({ reason: 'too-many-attempts' });
    clock.set(new Date(start + LIMIT.windowMs));
    expect(await redeem('ZZZZZZ')).toEqual({ ok: false, reason: 'unknown' });
  });

  it('forgets the failures of an account that redeems successfully', async () => {
    await wrong(4);
    await issue('ABCDEF');
    expect(await redeem('ABCDEF')).toMatchObject({ ok: true });
    // Without the reset the 2nd wrong code here would be refused (4 + 1 = 5 already).
    await wrong(5);
    expect(await redeem('ZZZZZZ')).toMatchObject({ reason: 'too-many-attempts' });
  });

  it('leaves other accounts alone until the workspace as a whole reaches its limit', async () => {
    await wrong(5);
    expect(await redeem('ZZZZZZ')).toMatchObject({ reason: 'too-many-attempts', scope: 'account' });
    await issue('ABCDEF');
    expect(await redeem('ABCDEF', neighbour.accountId)).toMatchObject({ ok: true });

    // 5 (guesser) + 3 (neighbour) = 8 in discord:G1: the workspace limit.
    await wrong(3, neighbour.accountId);
    const fresh = { ...neighbour, accountId: 'discord:G1:D', displayName: 'dave' };
    await store.ensureAccount(fresh, clock.now());
    expect(await redeem('ZZZZZZ', fresh.accountId)).toMatchObject({ reason: 'too-many-attempts', scope: 'workspace' });
    await issue('GHJKMN');
    expect(await redeem('GHJKMN', elsewhere.accountId)).toMatchObject({ ok: true });
  });

  it('lets no more than the limit through when attempts arrive together', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => redeem('ZZZZZZ')));
    const reasons = results.map((r) => (r.ok ? 'ok' : r.reason));
    expect(reasons.filter((r) => r === 'unknown')).toHaveLength(LIMIT.perAccount);
    expect(reasons.filter((r) => r === 'too-many-attempts')).toHaveLength(12 - LIMIT.perAccount);
  });
});

// Reopening a file is SQLite's concern; a PostgreSQL server keeps its rows by being a server.
describe('link redemption limit (SQLite database file)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'prepbot-link-'));
    clock = new ManualClock('2025-01-10T10:00:00Z');
  });
  afterEach(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('survives closing and reopening the database', async () => {
    const file = join(dir, 'bot.db');
    await setUp(openDatabase(file));
    await issue('ABCDEF');
    await wrong(5);
    db.close();

    db = openDatabase(file);
    store = createSqlitePracticeRepository(db);
    expect(await redeem('ABCDEF')).toMatchObject({ reason: 'too-many-attempts', scope: 'account' });
    clock.advance(LIMIT.windowMs);
    await issue('GHJKMN');
    expect(await redeem('GHJKMN')).toMatchObject({ ok: true, personId: ownerPerson });
  });
});
