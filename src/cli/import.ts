import type { Command } from 'commander';
import { importNotes, nothingImported } from '../bank/import.ts';
import { formatImport } from './format.ts';
import { json, locations, openCliStores, type CliIo } from './context.ts';
import { loadCatalog } from './catalog.ts';
import { explainNotes } from './explain.ts';

interface ImportFlags {
  json?: boolean;
  dryRun?: boolean;
  explain?: string;
}

export function registerImport(program: Command, io: CliIo): void {
  program
    .command('import')
    .description('Import Markdown notes into the question bank (idempotent; removed questions are retired, not deleted)')
    .argument('[paths...]', 'notes files or folders (default: the notes folder, notes/)')
    .option('--json', 'print the report as JSON')
    .option('--dry-run', 'show what would change without writing anything')
    .option('--explain <file[:line]>', 'show how a notes file is read (rule, stem and answer lines per question; or the one at LINE) and import nothing')
    .addHelpText(
      'after',
      '\nExamples:\n  prepbot import\n  prepbot import notes/go.md --dry-run\n  prepbot import ~/interview-notes --json\n  prepbot import --explain notes/quiz.md:120',
    )
    .action(async (paths: string[], flags: ImportFlags, command: Command) => {
      const where = locations(command, io);
      if (flags.explain !== undefined) return explainNotes(flags.explain, where, io);
      const targets = paths.length > 0 ? paths : [where.notes];
      const { catalog, problems } = loadCatalog(where.topics, io);
      const { db, bank } = await openCliStores(where, io);
      try {
        const report = await importNotes({
          paths: targets,
          root: where.notes,
          cwd: io.cwd,
          catalog,
          repo: bank,
          dryRun: flags.dryRun ?? false,
          now: io.now(),
          // Topic file mistakes do not stop an import, but the person must see them.
          warnings: problems,
        });
        if (flags.json) json(io, report);
        else io.out(formatImport(report, { paths: targets, db: where.db }));
        if (nothingImported(report)) {
          io.err('prepbot: nothing could be imported; see the skipped list above for what to fix\n');
          io.exitCode = 1;
        }
      } finally {
        await db.close();
      }
    });
}
