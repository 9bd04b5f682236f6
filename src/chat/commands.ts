/**
 * Commands are declared once as data; each adapter registers them in its
 * platform's form (Discord application commands, Slack slash commands and
 * manifest, console parser) from these declarations.
 */
export type OptionType = 'string' | 'integer' | 'boolean' | 'user';

export interface OptionSpec {
  name: string;
  /** 1–100 chars (Discord's limit). */
  description: string;
  type: OptionType;
  required?: boolean;
  choices?: readonly { name: string; value: string }[];
  /** The core answers autocomplete events for this option. */
  autocomplete?: boolean;
  /** For strings: max length accepted. */
  maxLength?: number;
  /**
   * For integers: the range accepted. Platforms that can enforce it in their UI
   * (Discord) do; the core still checks, for those that cannot.
   */
  min?: number;
  max?: number;
  /**
   * Free text that takes the rest of a typed line exactly as typed (an answer):
   * no word splitting, quote removal or `key:` detection. Only for a command's
   * single string option; platforms with typed options (Discord) are unaffected.
   */
  rest?: boolean;
  /**
   * For booleans on typed platforms (console, Slack): the bare option name sets
   * it, like a verb (`/streak repair @bob 2026-12-12 laptop died`). Platforms with
   * typed options (Discord) show it as an ordinary yes/no option.
   */
  flag?: boolean;
}

export type Permission = 'everyone' | 'admin';

export interface SubcommandSpec {
  name: string;
  description: string;
  options: readonly OptionSpec[];
}

export interface CommandSpec {
  /** Lowercase, 1–32 chars, no spaces (Discord's rule, the strictest). */
  name: string;
  /** 1–100 chars (Discord's limit). */
  description: string;
  options: readonly OptionSpec[];
  /**
   * `/schedule set|list|…`: when present, `options` must be empty and the
   * inbound command event carries the chosen one as `options.subcommand`.
   */
  subcommands?: readonly SubcommandSpec[];
  permission: Permission;
}
