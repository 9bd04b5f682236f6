import type { Command } from 'commander';
import { formatQuestion, formatQuestionLine } from './format.ts';
import { json, locations, openCliStores, UserError, type CliIo } from './context.ts';
import { loadCatalog, resolveTopicOrFail } from './catalog.ts';
import type { BankRepository, StoredQuestion } from '../store/types.ts';

interface ListFlags {
  topic?: string;
  json?: boolean;
  all?: boolean;
  unanswered?: boolean;
}

/** Exact id, else a unique prefix: ids are hex and people copy the first few characters. */
async function findQuestion(bank: BankRepository, id: string): Promise<StoredQuestion> {
  const wanted = id.trim().toLowerCase();
  const exact = await bank.getQuestion(wanted);
  if (exact) return exact;
  const matches =
    wanted.length >= 4
      ? (await bank.listQuestions({ includeRetired: true })).filter((q) => q.id.startsWith(wanted))
      : [];
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new UserError(`"${id}" matches ${matches.length} questions (${matches.slice(0, 5).map((q) => q.id).join(', ')}…); type more of the id`);
  }
  throw new UserError(`no question with id "${id}"; find ids with \`prepbot bank list\` or \`prepbot bank search TEXT\``);
}

export function registerBank(program: Command, io: CliIo): void {
  const bankCommand = program.command('bank').description('Look at the question bank');

  bankCommand
    .command('list')
    .description('List questions, optionally on one topic; follow-ups are marked ↳ under their question')
    .option('-t, --topic <topic>', 'only this topic (id, alias, or a close spelling: "concurency", "db")')
    .option('--all', 'include retired questions (removed from the notes)')
    .option('--unanswered', 'only questions without a reference answer in the notes (to fill in)')
    .option('--json', 'print JSON')
    .action(async (flags: ListFlags, command: Command) => {
      const where = locations(command, io);
      let topic: string | undefined;
      if (flags.topic !== undefined) {
        const { catalog } = loadCatalog(where.topics, io);
        topic = resolveTopicOrFail(flags.topic, catalog);
      }
      const { db, bank } = await openCliStores(where, io);
      try {
        const questions = await bank.listQuestions({ topic, includeRetired: flags.all ?? false, unanswered: flags.unanswered ?? false });
        if (flags.json) return json(io, questions);
        if (questions.length === 0) {
          const total = await bank.countQuestions();
          io.out(
            total === 0
              ? 'The bank is empty; run `prepbot import` to load your notes.\n'
              : flags.unanswered
                ? `Every question${topic ? ` on ${topic}` : ''} has a reference answer.\n`
                : `No questions${topic ? ` on ${topic}` : ''}. See \`prepbot topics\`.\n`,
          );
          return;
        }
        io.out(`${questions.map(formatQuestionLine).join('\n')}\n`);
        const followUps = questions.filter((q) => q.parentId !== null).length;
        const top = questions.length - followUps;
        const extra = followUps > 0 ? ` and ${followUps} follow-up${followUps === 1 ? '' : 's'} (↳, asked after their question)` : '';
        const what = flags.unanswered ? ' without a reference answer' : '';
        io.out(`\n${top} question${top === 1 ? '' : 's'}${what}${extra}${topic ? ` on ${topic}` : ''}. Show one with \`prepbot bank show ID\`.\n`);
      } finally {
        await db.close();
      }
    });

  bankCommand
    .command('show')
    .description('Show one question with its reference answer, key points and follow-ups')
    .argument('<id>', 'question id (or its first characters)')
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { json?: boolean }, command: Command) => {
      const { db, bank } = await openCliStores(locations(command, io), io);
      try {
        const question = await findQuestion(bank, id);
        const followUps = await bank.listFollowUps(question.id);
        if (flags.json) json(io, { ...question, followUps });
        else io.out(formatQuestion(question, followUps));
      } finally {
        await db.close();
      }
    });

  bankCommand
    .command('search')
    .description('Full-text search over questions and answers, best matches first')
    .argument('<text...>', 'words to look for (all of them, else any)')
    .option('-n, --limit <n>', 'at most this many results', '20')
    .option('--json', 'print JSON')
    .action(async (words: string[], flags: { json?: boolean; limit: string }, command: Command) => {
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        throw new UserError(`--limit must be a whole number from 1 to 1000, not "${flags.limit}"`, 2);
      }
      const { db, bank } = await openCliStores(locations(command, io), io);
      try {
        const text = words.join(' ');
        const found = await bank.searchQuestions(text, limit);
        if (flags.json) return json(io, found);
        if (found.length === 0) {
          io.out(`Nothing matches "${text}". Try fewer or different words.\n`);
          return;
        }
        io.out(`${found.map(formatQuestionLine).join('\n')}\n`);
      } finally {
        await db.close();
      }
    });
}
