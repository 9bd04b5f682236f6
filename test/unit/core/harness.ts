import type { Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import type { AnswerForm, Message } from '../../../src/chat/message.ts';
import type { Choice, EventContext, InboundEvent, OptionValue, Responder, Visibility } from '../../../src/chat/port.ts';
import { createTopicCatalog } from '../../../src/bank/topics.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { createBot, type BotDeps } from '../../../src/core/bot.ts';
import type { BotLogger } from '../../../src/core/module.ts';
import { openDatabase, type Db } from '../../../src/store/db.ts';
import { createSqliteBankRepository } from '../../../src/store/sqlite/bank.ts';
import { createSqlitePracticeRepository } from '../../../src/store/sqlite/practice.ts';
import { seedQuestions, type SeedQuestion } from '../store-practice/seed.ts';

/** What one event made the bot do, as a user would see it. */
export class Recorder implements Responder {
  replies: { message: Message; visibility: Visibility }[] = [];
  forms: AnswerForm[] = [];
  choices: Choice[][] = [];
  openForm?: (form: AnswerForm) => Promise<void>;

  constructor(withForms = true) {
    if (withForms) this.openForm = async (form) => void this.forms.push(form);
  }

  async reply(message: Message, visibility: Visibility): Promise<void> {
    this.replies.push({ message, visibility });
  }

  async suggest(choices: Choice[]): Promise<void> {
    this.choices.push(choices);
  }

  texts(visibility?: Visibility): string[] {
    return this.replies.filter((r) => !visibility || r.visibility === visibility).map((r) => plain(r.message));
  }
}

export function plain(message: Message): string {
  return toString(message.body, { includeHtml: false }).replace(/\s+/g, ' ');
}

/** Text nodes marked as typed by a person. */
export function userTexts(body: Root): string[] {
  const out: string[] = [];
  visit(body, 'text', (node) => {
    if (node.data?.userText) out.push(node.value);
  });
  return out;
}

export interface Person {
  id: string;
  name: string;
  platform?: 'slack' | 'discord';
  workspace?: string;
}

export const QUESTIONS: SeedQuestion[] = [
  {
    prompt: 'What is a mutex?',
    answer: '- A mutex is a lock that gives one goroutine exclusive access.\n- Unlock it with defer.',
    keyPoints: ['A mutex is a lock that gives one goroutine exclusive access.', 'Unlock it with defer.'],
    topics: ['concurrency'],
  },
  {
    prompt: 'What is a channel?',
    answer: 'A typed pipe between goroutines.',
    keyPoints: ['A typed pipe between goroutines.'],
    topics: ['concurrency'],
  },
  {
    prompt: 'What is a B-tree index?',
    answer: 'A balanced tree that keeps keys sorted for range scans.',
    keyPoints: ['A balanced tree that keeps keys sorted for range scans.'],
    topics: ['databases'],
  },
  { prompt: 'Explain sharding', answer: 'TODO', topics: ['databases'], emptyAnswer: true },
];

export interface Harness {
  db: Db;
  clock: ManualClock;
  bot: ReturnType<typeof createBot>;
  deps: BotDeps;
  ids: Record<string, string>;
  logs: { level: string; msg: string }[];
  send(event: InboundEvent, responder?: Recorder): Promise<Recorder>;
  command(who: Person, command: string, options?: Record<string, OptionValue>, where?: Partial<EventContext>): Promise<Recorder>;
  press(who: Person, actionId: string, value: string, where?: Partial<EventContext>, withForms?: boolean): Promise<Recorder>;
  submit(who: Person, value: string, text: string, where?: Partial<EventContext>): Promise<Recorder>;
  /** /ask then Answer then submit: returns every recorder involved. */
  practise(who: Person, text: string, topic?: string, where?: Partial<EventContext>): Promise<{ ask: Recorder; attemptId: string; prompt: string; result: Recorder }>;
}

export async function createHarness(
  opts: { start?: string; defaultTimezone?: string; questions?: SeedQuestion[]; deps?: Partial<BotDeps> } = {},
): Promise<Harness> {
  const db = openDatabase(':memory:');
  const questions = opts.questions ?? QUESTIONS;
  const idList = await seedQuestions(db, questions);
  const ids = Object.fromEntries(questions.map((q, i) => [q.prompt, idList[i]!]));
  const clock = new ManualClock(opts.start ?? '2025-03-10T09:00:00Z');
  const logs: { level: string; msg: string }[] = [];
  const logger: BotLogger = {
    info: (_o, msg) => logs.push({ level: 'info', msg }),
    warn: (_o, msg) => logs.push({ level: 'warn', msg }),
    error: (_o, msg) => logs.push({ level: 'error', msg }),
  };
  const deps: BotDeps = {
    practice: createSqlitePracticeRepository(db, { defaultTimezone: opts.defaultTimezone ?? 'UTC' }),
    bank: createSqliteBankRepository(db),
    catalog: createTopicCatalog([
      { id: 'concurrency', aliases: ['conc'], keywords: [['goroutine', 'go routine'], 'mutex', 'channel'] },
      { id: 'databases', aliases: ['db'], keywords: ['index', 'sharding'] },
    ]),
    clock,
    logger,
    defaultTimezone: opts.defaultTimezone ?? 'UTC',
    ...opts.deps,
  };
  const bot = createBot(deps);
  let seq = 0;

  const ctx = (who: Person, where: Partial<EventContext> = {}): EventContext => {
    const platform = who.platform ?? 'slack';
    const workspace = who.workspace ?? 'T1';
    return {
      platform,
      workspaceId: workspace,
      conversationId: `${platform}:${workspace}:C1`,
      isDirect: false,
      actor: { platform, id: `${platform}:${workspace}:${who.id}`, displayName: who.name },
      actorIsAdmin: false,
      deliveryId: `d${++seq}`,
      ...where,
    };
  };

  const h: Harness = {
    db,
    clock,
    bot,
    deps,
    ids,
    logs,
    async send(event, responder = new Recorder()) {
      await bot.handle(event, responder);
      return responder;
    },
    command(who, command, options = {}, where) {
      return h.send({ kind: 'command', ctx: ctx(who, where), command, options });
    },
    press(who, actionId, value, where, withForms = true) {
      return h.send({ kind: 'button', ctx: ctx(who, where), actionId, value }, new Recorder(withForms));
    },
    submit(who, value, text, where) {
      return h.send({ kind: 'form', ctx: ctx(who, where), formId: 'answer', value, text });
    },
    async practise(who, text, topic, where) {
      const ask = await h.command(who, 'ask', topic ? { topic } : {}, where);
      const question = ask.replies.find((r) => r.visibility === 'public' && r.message.actions?.some((a) => a.id === 'answer'));
      if (!question) throw new Error(`no question in reply: ${ask.texts().join(' | ')}`);
      const attemptId = question.message.actions!.find((a) => a.id === 'answer')!.value;
      const pressed = await h.press(who, 'answer', attemptId, where);
      const form = pressed.forms[0];
      if (!form) throw new Error(`no form opened: ${pressed.texts().join(' | ')}`);
      const result = await h.submit(who, form.value, text, where);
      return { ask, attemptId, prompt: plain(question.message), result };
    },
  };
  return h;
}

export const DAY = 86_400_000;
