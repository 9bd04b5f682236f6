import type { CommandSpec } from '../../chat/commands.ts';
import type { ChatAdapter, Choice, InboundEvent } from '../../chat/port.ts';

export interface ConsoleAdapterOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** The local person's user id (actor id `console:{workspace}:{person}`). */
  person: string;
  /** ANSI colours; pass `output.isTTY` so piped output stays plain. */
  color: boolean;
  /** Default "local". */
  workspace?: string;
  /** Default "main". */
  channel?: string;
  /** Parsed from typed `/command …` lines. */
  commands: readonly CommandSpec[];
  /** Echo input lines as `> line` (default: when input is not a TTY, so piped transcripts read well). */
  echo?: boolean;
  /** Split each message into parts of at most this many characters (default: no splitting). */
  limit?: number;
  /** The console is the operator's own terminal, so the person may run admin commands (default true). */
  admin?: boolean;
  /** Where pictures (e.g. the /stats chart) are written as PNG files; default the OS temp dir's `prepbot/`. */
  imageDir?: string;
  /** Called once input has ended and the last event was handled. */
  onEnd?: () => void;
  /** A handler threw; the person was told to try again. Log it here (the adapter has no logger). */
  onError?: (err: unknown, event: InboundEvent) => void;
}

export interface ConsoleAdapter extends ChatAdapter {
  readonly platform: 'console';
  readonly conversationId: string;
  /** Resolves once input has ended (or stop() was called) and the last event was handled. */
  readonly done: Promise<void>;
  readonly running: boolean;
  /**
   * Autocomplete for a partly typed line (what Tab does on a TTY): asks the handler
   * for choices of the option being typed. Empty when nothing there autocompletes.
   */
  complete(line: string): Promise<Choice[]>;
}
