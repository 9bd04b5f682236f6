/**
 * Issue 13's "done when": a SQLite database migrated to PostgreSQL shows the same
 * /streak, /leaderboard and /stats for every person. Both bots run the real command
 * handlers (readBoard, the streak view, the stats data) over their own stores, at the
 * same instant; what each person would see is compared as text.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopicCatalog } from '../../../src/bank/topics.ts';
import type { EventContext, InboundEvent } from '../../../src/chat/port.ts';
import { createBot } from '../../../src/core/bot.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import type { Db } from '../../../src/store/db.ts';
import { createPostgresBankStore } from '../../../src/store/postgres/bank.ts';
import { createPostgresPracticeRepository } from '../../../src/store/postgres/practice.ts';
import type { SqlClient } from '../../../src/store/postgres/sql.ts';
import type { PracticeRepository } from '../../../src/store/practice-types.ts';
import { createSqliteBankRepository } from '../../../src/store/sqlite/bank.ts';
import { createSqlitePracticeRepository } from '../../../src/store/sqlite/practice.ts';
import type { BankRepository } from '../../../src/store/types.ts';
import { copySqliteToPostgres } from '../../../src/store/to-postgres/copy.ts';
import { POSTGRES_HOOK_TIMEOUT, startTestPostgres, type TestPostgres } from '../../stores/postgres.ts';
import { Recorder, type Person } from '../core/harness.ts';
import { ALICE, ALICE_DISCORD, BOB, buildTeamHistory, CAROL } from './migrate-history.ts';

const TIMEZONE = 'UTC';
/** Who asks, from where: every person, and alice from her linked Discord account too. */
const VIEWERS: Person[] = [ALICE, BOB, CAROL, ALICE_DISCORD];
const BOARDS = ['channel', 'workspace', 'global'].flatMap((scope) => ['week', 'month', 'all'].map((period) => ({ scope, period })));

let history: Buffer;
let end: string;

beforeAll(async () => {
  const h = await buildTeamHistory();
  history = h.db.serialize();
  end = h.clock.now().toISOString();
  h.db.close();
}, POSTGRES_HOOK_TIMEOUT);

/** What each viewer sees for /streak, /stats and every /leaderboard, as text, from a bot over these stores. */
async function views(practice: PracticeRepository, bank: BankRepository): Promise<Record<string, string>> {
  const bot = createBot({
    practice,
    bank,
    catalog: createTopicCatalog([
      { id: 'concurrency', aliases: ['conc'], keywords: [['goroutine', 'go routine'], 'mutex', 'channel'] },
      { id: 'databases', aliases: ['db'], keywords: ['index', 'sharding'] },
    ]),
    clock: new ManualClock(end),
    defaultTimezone: TIMEZONE,
  });
  let seq = 0;
  const ctx = (who: Person): EventContext => {
    const platform = who.platform ?? 'slack';
    const workspace = who.workspace ?? 'T1';
    return {
      platform,
      workspaceId: workspace,
      conversationId: platform === 'discord' ? 'discord:G1:C7' : `${platform}:${workspace}:C1`,
      isDirect: false,
      actor: { platform, id: `${platform}:${workspace}:${who.id}`, displayName: who.name },
      actorIsAdmin: false,
      // Never one the history used: a delivery seen before would be ignored as a replay.
      deliveryId: `view-${++seq}`,
    };
  };
  const run = async (who: Person, command: string, options: Record<string, string> = {}) => {
    const recorder = new Recorder();
    await bot.handle({ kind: 'command', ctx: ctx(who), command, options } as InboundEvent, recorder);
    return recorder.texts().join('\n');
  };
  const out: Record<string, string> = {};
  for (const who of VIEWERS) {
    const name = `${who.name}@${who.platform ?? 'slack'}`;
    out[`${name} /streak`] = await run(who, 'streak');
    out[`${name} /stats`] = await run(who, 'stats');
    for (const { scope, period } of BOARDS) out[`${name} /leaderboard ${scope} ${period}`] = await run(who, 'leaderboard', { scope, period });
  }
  return out;
}

function sqliteCopy(): Db {
  return new Database(history);
}

describe('the views the migration must keep', () => {
  it('are real views of the history, and the same on two copies of one SQLite file (the comparison below is meaningful)', { timeout: 120_000 }, async () => {
    const [a, b] = [sqliteCopy(), sqliteCopy()];
    const first = await views(createSqlitePracticeRepository(a, { defaultTimezone: TIMEZONE }), createSqliteBankRepository(a));
    const second = await views(createSqlitePracticeRepository(b, { defaultTimezone: TIMEZONE }), createSqliteBankRepository(b));
    expect(second).toEqual(first);
    expect(first['alice@slack /streak']).toMatch(/\d+ days?/);
    expect(first['bob@slack /leaderboard workspace all']).toMatch(/alice[\s\S]*bob|bob[\s\S]*alice/);
    expect(first['carol@discord /stats']).toMatch(/concurrency|databases/);
    a.close();
    b.close();
  });
});

describe('a SQLite history migrated to PostgreSQL', () => {
  let pg: TestPostgres;
  let target: SqlClient;
  beforeAll(async () => {
    pg = await startTestPostgres();
    target = await pg.fresh();
    const src = sqliteCopy();
    await copySqliteToPostgres(src, target);
    src.close();
  }, POSTGRES_HOOK_TIMEOUT);
  afterAll(async () => {
    await pg?.close();
  }, POSTGRES_HOOK_TIMEOUT);

  it('shows every person the same /streak, /leaderboard and /stats as SQLite did', { timeout: 180_000 }, async () => {
    const src = sqliteCopy();
    const expected = await views(createSqlitePracticeRepository(src, { defaultTimezone: TIMEZONE }), createSqliteBankRepository(src));
    src.close();
    const actual = await views(createPostgresPracticeRepository(target, { defaultTimezone: TIMEZONE }), createPostgresBankStore(target));
    expect(actual).toEqual(expected);
  });
});
