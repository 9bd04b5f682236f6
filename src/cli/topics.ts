import type { Command } from 'commander';
import { json, locations, openCliStores, type CliIo } from './context.ts';
import { loadCatalog } from './catalog.ts';

export function registerTopics(program: Command, io: CliIo): void {
  program
    .command('topics')
    .description('List topics, their aliases, and how many askable questions each has')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }, command: Command) => {
      const where = locations(command, io);
      const { catalog } = loadCatalog(where.topics, io);
      const { db, bank } = await openCliStores(where, io);
      try {
        const counts = new Map((await bank.listTopics()).map((t) => [t.id, t]));
        // The catalog is the taxonomy people edit; the bank adds topics it only knows from imports.
        const rows = catalog.topics.map((t) => ({
          id: t.id,
          name: t.name,
          aliases: t.aliases,
          questionCount: counts.get(t.id)?.questionCount ?? 0,
        }));
        for (const [id, t] of counts) {
          if (!rows.some((r) => r.id === id)) rows.push({ id, name: t.name, aliases: [], questionCount: t.questionCount });
        }
        if (flags.json) return json(io, rows);
        if (rows.length === 0) {
          io.out(`No topics: ${where.topics} has none and nothing is imported yet.\n`);
          return;
        }
        const width = Math.max(...rows.map((r) => r.id.length));
        for (const r of rows) {
          const aliases = r.aliases.length > 0 ? `  (also: ${r.aliases.join(', ')})` : '';
          io.out(`${r.id.padEnd(width)}  ${String(r.questionCount).padStart(4)}  ${r.name}${aliases}\n`);
        }
      } finally {
        await db.close();
      }
    });
}
