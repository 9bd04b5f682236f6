/** The real core over an in-memory SQLite bank, shared by the end-to-end suites that drive it through a platform. */
import { createTopicCatalog, type TopicInput } from '../../src/bank/topics.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { createBot, type Bot } from '../../src/core/bot.ts';
import type { ChatAdapter } from '../../src/chat/port.ts';
import { createInterviews } from '../../src/core/interview/index.ts';
import { createSqliteInterviewRepository } from '../../src/store/sqlite/interviews.ts';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { createSqliteBankRepository } from '../../src/store/sqlite/bank.ts';
import { createSqlitePracticeRepository } from '../../src/store/sqlite/practice.ts';
import { seedQuestions, type SeedQuestion } from '../unit/store-practice/seed.ts';

export const REFERENCE = 'A mutex is a lock that gives one goroutine exclusive access.';

/** One concurrency question whose reference answer has two key points and a Go code fence. */
export const MUTEX_QUESTION: SeedQuestion = {
  prompt: 'What is a mutex?',
  answer: `- ${REFERENCE}\n- Unlock it with defer.\n\n\`\`\`go\nmu.Lock()\ndefer mu.Unlock()\n\`\`\``,
  keyPoints: [REFERENCE, 'Unlock it with defer.'],
  topics: ['concurrency'],
};

/** A second concurrency question with one key point, for flows that need two (mock interviews). */
export const CHANNEL_QUESTION: SeedQuestion = {
  prompt: 'What is a channel?',
  answer: '- A typed pipe between goroutines.',
  keyPoints: ['A typed pipe between goroutines.'],
  topics: ['concurrency'],
};

export const CONCURRENCY_TOPIC: TopicInput = { id: 'concurrency', aliases: ['conc'], keywords: ['mutex', 'goroutine'] };

export interface CoreRig {
  db: Db;
  bot: Bot;
  clock: ManualClock;
  practice: ReturnType<typeof createSqlitePracticeRepository>;
  /** The adapter the interview module posts threads and DMs through, once it exists. */
  bindOutbound(adapter: ChatAdapter): void;
}

export async function startCore(
  opts: { questions?: SeedQuestion[]; topics?: TopicInput[] } = {},
): Promise<CoreRig> {
  const db = openDatabase(':memory:');
  await seedQuestions(db, opts.questions ?? [MUTEX_QUESTION]);
  const clock = new ManualClock('2025-03-10T09:00:00Z');
  const practice = createSqlitePracticeRepository(db);
  let outbound: ChatAdapter | undefined;
  const bank = createSqliteBankRepository(db);
  const bot = createBot({
    practice,
    bank,
    catalog: createTopicCatalog(opts.topics ?? [CONCURRENCY_TOPIC]),
    clock,
    defaultTimezone: 'UTC',
    extraCommands: createInterviews({
      interviews: createSqliteInterviewRepository(db),
      followUps: (questionId) => bank.listFollowUps(questionId),
      outbound: () => outbound,
    }).commands,
  });
  return { db, bot, clock, practice, bindOutbound: (a) => (outbound = a) };
}
