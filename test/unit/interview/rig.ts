/** The real core (SQLite in memory, real interview module) behind the memory adapter, for interview tests. */
import { createTopicCatalog } from '../../../src/bank/topics.ts';
import { createMemoryAdapter, type Delivered, type MemoryAdapter } from '../../../src/chat/memory-adapter.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { createBot, type Bot } from '../../../src/core/bot.ts';
import { createInterviews } from '../../../src/core/interview/index.ts';
import { openDatabase, type Db } from '../../../src/store/db.ts';
import { createSqliteBankRepository } from '../../../src/store/sqlite/bank.ts';
import { createSqliteInterviewRepository } from '../../../src/store/sqlite/interviews.ts';
import { createSqlitePracticeRepository } from '../../../src/store/sqlite/practice.ts';
import type { StoredQuestion } from '../../../src/store/types.ts';
import { seedQuestions, type SeedQuestion } from '../store-practice/seed.ts';

export const QUESTIONS: SeedQuestion[] = [
  {
    prompt: 'What is a mutex?',
    answer: '- A mutex is a lock that gives one goroutine exclusive access.\n- Unlock it with defer.',
    keyPoints: ['A mutex is a lock that gives one goroutine exclusive access.', 'Unlock it with defer.'],
    topics: ['concurrency', 'go'],
  },
  {
    prompt: 'What is a semaphore?',
    answer: '- A counter that limits how many threads enter a section.\n- Wait decrements it, signal increments it.',
    keyPoints: ['A counter that limits how many threads enter a section.', 'Wait decrements it, signal increments it.'],
    topics: ['concurrency', 'os'],
  },
  {
    prompt: 'What is a channel?',
    answer: 'A typed pipe between goroutines.',
    keyPoints: ['A typed pipe between goroutines.'],
    topics: ['concurrency', 'go'],
  },
  {
    prompt: 'What is a B-tree index?',
    answer: 'A balanced tree that keeps keys sorted for range scans.',
    keyPoints: ['A balanced tree that keeps keys sorted for range scans.'],
    topics: ['databases'],
  },
  { prompt: 'Explain livelock', answer: 'TODO', topics: ['concurrency'], emptyAnswer: true },
  // Served only as a follow-up of the mutex question (see followUpsOf below).
  {
    prompt: 'How does RWMutex differ?',
    answer: '- Many readers may hold it at once; a writer holds it alone.',
    keyPoints: ['Many readers may hold it at once; a writer holds it alone.'],
    topics: ['databases'],
  },
];

export const MUTEX_ANSWER = 'A mutex is a lock giving one goroutine exclusive access; unlock it with defer.';

export interface Rig {
  db: Db;
  clock: ManualClock;
  bot: Bot;
  adapter: MemoryAdapter;
  ids: Record<string, string>;
  /** Private messages `user` got, newest last. */
  privateTo(user: string): Delivered[];
  lastPrivate(user: string): Delivered;
  /** The scheduler's minute job: end sessions whose time ran out. */
  expire(): Promise<number>;
  /** A second bot on the same database: what a restart sees. */
  restart(): Promise<Rig>;
}

export async function createRig(opts: { db?: Db; clock?: ManualClock; ids?: Record<string, string>; followUps?: boolean } = {}): Promise<Rig> {
  const db = opts.db ?? openDatabase(':memory:');
  let ids = opts.ids;
  if (!ids) {
    const list = await seedQuestions(db, QUESTIONS);
    ids = Object.fromEntries(QUESTIONS.map((q, k) => [q.prompt, list[k]!]));
  }
  const clock = opts.clock ?? new ManualClock('2025-03-10T09:00:00Z');
  const bank = createSqliteBankRepository(db);
  const adapter = createMemoryAdapter({ workspace: 'W1', channel: 'C1' });
  const followUpIds = opts.followUps === false ? {} : { [ids['What is a mutex?']!]: [ids['How does RWMutex differ?']!] };
  const interviews = createInterviews({
    interviews: createSqliteInterviewRepository(db),
    followUps: async (id) =>
      (await Promise.all((followUpIds[id] ?? []).map((f) => bank.getQuestion(f)))).filter((q): q is StoredQuestion => !!q),
    outbound: () => adapter,
  });
  const bot = createBot({
    practice: createSqlitePracticeRepository(db),
    bank: {
      ...bank,
      // The seed helper imports every question top-level; the rig makes the RWMutex one a follow-up by hand.
      listQuestions: async (filter) => (await bank.listQuestions(filter)).filter((q) => q.prompt !== 'How does RWMutex differ?'),
    },
    catalog: createTopicCatalog([
      { id: 'concurrency', aliases: ['conc'], keywords: ['mutex', 'goroutine', 'semaphore'] },
      { id: 'databases', aliases: ['db'], keywords: ['index'] },
      { id: 'go', keywords: [] },
      { id: 'os', keywords: [] },
    ]),
    clock,
    defaultTimezone: 'UTC',
    extraCommands: interviews.commands,
  });
  await adapter.start(bot.handle);
  const privateTo = (user: string) => adapter.transcript.filter((m) => m.visibility === 'private' && m.recipient === user);
  const rig: Rig = {
    db,
    clock,
    bot,
    adapter,
    ids,
    privateTo,
    lastPrivate(user) {
      const all = privateTo(user);
      const last = all[all.length - 1];
      if (!last) throw new Error(`${user} got no private message`);
      return last;
    },
    expire: () => interviews.expire(clock.now(), bot.services),
    restart: () => createRig({ db, clock, ids, ...(opts.followUps === undefined ? {} : { followUps: opts.followUps }) }),
  };
  return rig;
}

export const interview = (adapter: MemoryAdapter, sub: string, options: Record<string, string | number | boolean> = {}, user = 'amy') =>
  adapter.command('interview', { subcommand: sub, ...options }, { user });

/** What a person reads: the rendered Markdown without its escapes and bold markers. */
export const txt = (d: Delivered): string => d.text.replace(/\\(.)/g, '$1').replace(/\*\*/g, '');
