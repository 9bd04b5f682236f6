import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryAdapter, type MemoryAdapter } from '../../../src/chat/memory-adapter.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { createBot } from '../../../src/core/bot.ts';
import { createTopicCatalog } from '../../../src/bank/topics.ts';
import { createScheduleCommands } from '../../../src/core/schedule/commands.ts';
import { createDailyComposer } from '../../../src/core/schedule/daily.ts';
import { createScheduler } from '../../../src/scheduler/runner.ts';
import { openDatabase, type Db } from '../../../src/store/db.ts';
import { createSqliteBankRepository } from '../../../src/store/sqlite/bank.ts';
import { createSqlitePracticeRepository } from '../../../src/store/sqlite/practice.ts';
import { createSqliteScheduleRepository } from '../../../src/store/sqlite/schedules.ts';
import { seedQuestions } from '../store-practice/seed.ts';

/** The whole daily flow as users see it through the in-memory adapter: command, post, thread, answer, summary. */

const dbs: Db[] = [];
const adapters: MemoryAdapter[] = [];
afterEach(async () => {
  for (const a of adapters.splice(0)) await a.stop();
  for (const db of dbs.splice(0)) db.close();
});

async function setup() {
  const db = openDatabase(':memory:');
  dbs.push(db);
  await seedQuestions(db, [
    { prompt: 'What is a B-tree?', answer: 'A balanced tree that keeps keys sorted.', keyPoints: ['A balanced tree that keeps keys sorted.'], topics: ['databases'] },
  ]);
  const clock = new ManualClock('2026-01-05T02:00:00Z');
  const bank = createSqliteBankRepository(db);
  const schedules = createSqliteScheduleRepository(db);
  const composer = createDailyComposer({ bank, schedules, clock });
  const bot = createBot({
    practice: createSqlitePracticeRepository(db),
    bank,
    catalog: createTopicCatalog([{ id: 'databases', aliases: ['db'], keywords: ['index'] }]),
    clock,
    defaultTimezone: 'UTC',
    extraCommands: createScheduleCommands({ schedules, composer }),
  });
  const adapter = createMemoryAdapter({ commands: bot.commands });
  adapters.push(adapter);
  await adapter.start(bot.handle);
  const scheduler = createScheduler({
    store: schedules,
    clock,
    adapters: new Map([['memory', adapter]]),
    composeDaily: composer.composeDaily,
    composeReveal: composer.composeReveal,
    sleep: async (ms) => clock.advance(ms),
  });
  return { clock, adapter, scheduler, schedules };
}

describe('daily question through the memory adapter', () => {
  it('posts with a thread; a member answers from it; the summary names them and hides the answer in a spoiler', async () => {
    const { clock, adapter, scheduler } = await setup();
    const set = await adapter.commandText('/schedule set time:09:30 timezone:Asia/Kolkata days:mon-fri topic:db reveal:17:00', { user: 'lead', admin: true });
    expect(set.replies[0]!.visibility).toBe('public');

    clock.set('2026-01-05T04:00:00Z');
    await scheduler.tick();
    const daily = adapter.transcript.filter((d) => d.via === 'post');
    expect(daily).toHaveLength(1);
    expect(daily[0]!.text).toContain('What is a B-tree?');
    expect(daily[0]!.text).not.toContain('keeps keys sorted');
    expect(adapter.threads).toHaveLength(1);
    expect(adapter.threads[0]!.parent.messageId).toBe(daily[0]!.ref.messageId);

    clock.set('2026-01-05T05:00:00Z');
    await adapter.pressButton('Answer', { user: 'mia', name: 'Mia' });
    await adapter.submitLastForm('It is a balanced tree, keys sorted', { user: 'mia', name: 'Mia' });

    clock.set('2026-01-05T11:30:00Z');
    await scheduler.tick();
    const posts = adapter.transcript.filter((d) => d.via === 'post');
    expect(posts).toHaveLength(2);
    const summary = posts[1]!;
    expect(summary.text).toMatch(/1 person answered/);
    expect(summary.text).toMatch(/Mia \(1-day streak\)/);
    expect(summary.text).not.toContain('It is a balanced tree, keys sorted');
    expect(summary.message.spoiler).toBeDefined();
  });

  it('a channel that disappears pauses its schedule and the owner gets a direct message', async () => {
    const { clock, adapter, scheduler, schedules } = await setup();
    await adapter.commandText('/schedule set time:09:30 timezone:Asia/Kolkata days:daily', { user: 'lead', admin: true });
    adapter.makeUnavailable(adapter.conversationId, 'channel archived');
    clock.set('2026-01-05T04:00:00Z');
    await scheduler.tick();
    const s = await schedules.scheduleFor(adapter.conversationId);
    expect(s?.status).toBe('paused');
    expect(s?.pausedReason).toMatch(/channel archived/);
    const dm = adapter.transcript.filter((d) => d.conversationId !== adapter.conversationId);
    expect(dm).toHaveLength(1);
    expect(dm[0]!.text).toMatch(/paused it because cannot post to this channel: channel archived/);
    expect(dm[0]!.text).toContain('/schedule resume');
  });
});
