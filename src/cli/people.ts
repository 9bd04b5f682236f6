import type { Command } from 'commander';
import { json, locations, openCliStores, UserError, type CliIo } from './context.ts';

/**
 * Operators' side of data requests, by platform account id (`slack:T1:U1`, `discord:user:42`, as
 * the bot logs them and PREPBOT_ADMINS names them): `prepbot export` prints everything stored about
 * the person behind the account (every linked account included); `prepbot forget` deletes it.
 */
export function registerPeople(program: Command, io: CliIo): void {
  const personOf = async (command: Command, accountId: string) => {
    const where = locations(command, io);
    const { db, stores } = await openCliStores(where, io);
    const practice = stores.practice;
    const account = await practice.findAccount(accountId);
    if (!account) {
      await db.close();
      throw new UserError(`no account ${accountId} in ${where.db}; account ids look like slack:T0123:U0456 or discord:user:123456789`);
    }
    return { db, practice, personId: account.personId };
  };

  program
    .command('export')
    .description('Print everything stored about the person behind an account id (all their linked accounts)')
    .argument('<account-id>', 'e.g. slack:T0123:U0456 or discord:user:123456789')
    .option('--json', 'print JSON (the only format)')
    .action(async (accountId: string, _flags: { json?: boolean }, command: Command) => {
      const { db, practice, personId } = await personOf(command, accountId);
      try {
        const data = await practice.exportPerson(personId);
        json(io, { accountId, exportedAt: io.now().toISOString(), ...data });
      } finally {
        await db.close();
      }
    });

  program
    .command('forget')
    .description('Delete everything stored about the person behind an account id (all their linked accounts)')
    .argument('<account-id>', 'e.g. slack:T0123:U0456 or discord:user:123456789')
    .option('--json', 'print what was deleted as JSON')
    .action(async (accountId: string, flags: { json?: boolean }, command: Command) => {
      const { db, practice, personId } = await personOf(command, accountId);
      try {
        const report = await practice.forgetPerson(personId);
        if (flags.json) return json(io, { accountId, ...report });
        io.out(`Deleted everything stored about ${accountId} (person ${personId}):\n`);
        for (const [table, n] of Object.entries(report.deleted)) io.out(`  ${String(n).padStart(6)}  ${report.labels[table] ?? table}\n`);
      } finally {
        await db.close();
      }
    });
}
