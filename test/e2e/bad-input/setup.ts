/** The real core over an in-memory SQLite bank with one concurrency question, for the bad-input suites. */
import { createTopicCatalog } from '../../../src/bank/topics.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { createBot, type Bot } from '../../../src/core/bot.ts';
import { openDatabase, type Db } from '../../../src/store/db.ts';
import { createSqliteBankRepository } from '../../../src/store/sqlite/bank.ts';
import { createSqlitePracticeRepository } from '../../../src/store/sqlite/practice.ts';
import { seedQuestions } from '../../unit/store-practice/seed.ts';

export const PROMPT = 'What is a mutex?';
export const REFERENCE = 'A mutex is a lock that gives one goroutine exclusive access.';

/** Every hostile string a careless or malicious person might type, with a name for test titles. */
export const HOSTILE = {
  markdown: '**bold** _it_ ~~gone~~ [x](javascript:alert(1)) <script>alert(1)</script> ||spoiler||',
  fence: '```\nfenced\n```',
  slackMarkup: '<!channel> <!here> <!everyone> <https://evil.example|click> <!subteam^S1> <@U0BOB> <#C0GENERAL>',
  discordMentions: '@everyone @here <@123456789012345678> <@!123456789012345678> <@&456> <#789>',
  controls: 'red:\u001b[31mRED\u001b[0m clear:\u001b[2J title:\u001b]0;pwned\u0007 bell:\u0007 nul:\u0000 del:\u007f csi:\u009b31m bidi:\u202Eevil\u202C',
} as const;

export const EVERYTHING = Object.values(HOSTILE).join('\n');

/** Any raw terminal or control character (ESC, BEL, NUL, C1 CSI, …) except \t and \n. */
// eslint-disable-next-line no-control-regex
export const RAW_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

export interface CoreRig {
  db: Db;
  bot: Bot;
  clock: ManualClock;
  practice: ReturnType<typeof createSqlitePracticeRepository>;
  /** Every answer text stored, oldest attempt first (read back through the repository). */
  storedAnswers(): Promise<string[]>;
  close(): void;
}

export async function startCore(): Promise<CoreRig> {
  const db = openDatabase(':memory:');
  await seedQuestions(db, [
    {
      prompt: PROMPT,
      answer: `- ${REFERENCE}\n- Unlock it with defer.`,
      keyPoints: [REFERENCE, 'Unlock it with defer.'],
      topics: ['concurrency'],
    },
  ]);
  const clock = new ManualClock('2025-03-10T09:00:00Z');
  const practice = createSqlitePracticeRepository(db);
  const bot = createBot({
    practice,
    bank: createSqliteBankRepository(db),
    catalog: createTopicCatalog([{ id: 'concurrency', aliases: ['conc'], keywords: ['mutex', 'goroutine'] }]),
    clock,
    defaultTimezone: 'UTC',
  });
  return {
    db,
    bot,
    clock,
    practice,
    async storedAnswers() {
      const out: string[] = [];
      // Attempt ids are sequential; the first missing one ends the list.
      for (let id = 1; ; id++) {
        const a = await practice.getAttempt(String(id));
        if (!a) return out;
        if (a.answerText !== null) out.push(a.answerText);
      }
    },
    close: () => db.close(),
  };
}
