import { Command, CommanderError } from 'commander';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadDotenvFile } from './config.ts';
import { registerBank } from './cli/bank.ts';
import { registerDiscord } from './cli/discord.ts';
import { UserError, type CliIo } from './cli/context.ts';
import { registerImport } from './cli/import.ts';
import { registerTopics } from './cli/topics.ts';
import { registerPeople } from './cli/people.ts';
import { registerMigrate } from './cli/migrate.ts';

export { UserError, type CliIo } from './cli/context.ts';

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
    exitCode: 0,
  };
}

/**
 * The `prepbot` command tree. Each command family registers itself from src/cli/,
 * so a new one (e.g. `discord register`) is one more `registerX(program, io)`.
 */
export function buildProgram(io: CliIo = processIo()): Command {
  const program = new Command('prepbot')
    .description('prepbot: Markdown interview notes → question bank → practice on Discord, Slack or a console')
    .option('--db <path>', 'SQLite database (default: $PREPBOT_DB or data/prepbot.db)')
    .option('--topics <path>', 'topic taxonomy (default: $PREPBOT_TOPICS or notes/topics.yml)')
    .option('--root <dir>', 'notes root; question ids are keyed relative to it (default: $PREPBOT_NOTES or notes)')
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();
  registerImport(program, io);
  registerBank(program, io);
  registerTopics(program, io);
  registerDiscord(program, io);
  registerPeople(program, io);
  registerMigrate(program, io);
  // Sub-commands inherit the output and exit handling, so `prepbot bank --help` behaves like the rest.
  const inherit = (cmd: Command) => {
    for (const sub of cmd.commands) {
      sub.configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) }).exitOverride();
      sub.showHelpAfterError('(run with --help for usage)');
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}

/** Runs one command line (without the `node script` prefix) and returns the exit code; never throws for bad input. */
export async function runCli(args: string[], io: CliIo = processIo(), program = buildProgram(io)): Promise<number> {
  try {
    await program.parseAsync(args, { from: 'user' });
    return io.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version arrive here as "errors" with exit code 0; commander already printed the message.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof UserError) {
      io.err(`prepbot: ${err.message}\n`);
      return err.exitCode;
    }
    // A bug, not bad input: say so plainly; the stack is there for whoever asks for it.
    io.err(`prepbot: unexpected error: ${(err as Error)?.message ?? String(err)}\n`);
    if (io.env.PREPBOT_DEBUG) io.err(`${(err as Error)?.stack ?? ''}\n`);
    else io.err('Set PREPBOT_DEBUG=1 to see the stack trace, and please report it.\n');
    return 1;
  }
}

/** True when this module is what node was asked to run (tsx src/cli.ts), or bin/prepbot.js launched it. */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    const real = realpathSync(script);
    return real === fileURLToPath(import.meta.url) || real === fileURLToPath(new URL('../bin/prepbot.js', import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // `prepbot bank list | head` closes the pipe early: that is the reader being done, not a crash.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  loadDotenvFile();
  process.exitCode = await runCli(process.argv.slice(2));
}
