/**
 * CommandSpec → Discord application command JSON, and the bulk overwrite that
 * registers them: per guild while developing (instant), globally in
 * production. A PUT replaces the whole set, so running it twice is harmless.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  PermissionFlagsBits,
  REST,
  Routes,
  type RESTPutAPIApplicationCommandsJSONBody,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
} from 'discord.js';
import type { CommandSpec, OptionSpec, OptionType } from '../../chat/commands.ts';

type CommandJson = RESTPutAPIApplicationCommandsJSONBody[number];

const OPTION_TYPE: Record<OptionType, ApplicationCommandOptionType> = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  boolean: ApplicationCommandOptionType.Boolean,
  user: ApplicationCommandOptionType.User,
};

const NAME = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;

function checkName(name: string, where: string): void {
  if (!NAME.test(name)) {
    throw new Error(`${where}: "${name}" is not a valid Discord command name (lowercase, 1-32 letters, digits, - or _)`);
  }
}

function checkDescription(description: string, where: string): void {
  if (description.length < 1 || description.length > 100) {
    throw new Error(`${where}: description must be 1-100 characters (has ${description.length})`);
  }
}

function optionJson(o: OptionSpec, where: string): APIApplicationCommandBasicOption {
  checkName(o.name, where);
  checkDescription(o.description, `${where} ${o.name}`);
  if (o.autocomplete && o.choices?.length) throw new Error(`${where} ${o.name}: use choices or autocomplete, not both`);
  const json: Record<string, unknown> = {
    type: OPTION_TYPE[o.type],
    name: o.name,
    description: o.description,
    required: o.required ?? false,
  };
  if (o.choices?.length) json.choices = o.choices.map((c) => ({ name: c.name, value: c.value }));
  if (o.autocomplete) json.autocomplete = true;
  if (o.maxLength !== undefined && o.type === 'string') json.max_length = o.maxLength;
  if (o.type === 'integer' && o.min !== undefined) json.min_value = o.min;
  if (o.type === 'integer' && o.max !== undefined) json.max_value = o.max;
  return json as unknown as APIApplicationCommandBasicOption;
}

/** Discord requires required options first; keep the declared order otherwise. */
function optionsJson(options: readonly OptionSpec[], where: string): APIApplicationCommandBasicOption[] {
  const sorted = [...options.filter((o) => o.required), ...options.filter((o) => !o.required)];
  return sorted.map((o) => optionJson(o, where));
}

export function commandToDiscordJson(spec: CommandSpec): CommandJson {
  const where = `/${spec.name}`;
  checkName(spec.name, 'command');
  checkDescription(spec.description, where);
  let options: (APIApplicationCommandBasicOption | APIApplicationCommandSubcommandOption)[];
  if (spec.subcommands?.length) {
    if (spec.options.length) throw new Error(`${where}: a command with subcommands takes its options per subcommand`);
    options = spec.subcommands.map((sub) => {
      checkName(sub.name, where);
      checkDescription(sub.description, `${where} ${sub.name}`);
      return {
        type: ApplicationCommandOptionType.Subcommand,
        name: sub.name,
        description: sub.description,
        options: optionsJson(sub.options, `${where} ${sub.name}`),
      };
    });
  } else options = optionsJson(spec.options, where);
  return {
    type: ApplicationCommandType.ChatInput,
    name: spec.name,
    description: spec.description,
    options,
    // Admin commands are hidden from members without Manage Server; server admins can change this per role.
    default_member_permissions: spec.permission === 'admin' ? PermissionFlagsBits.ManageGuild.toString() : null,
    // Practice works in servers and in DMs with the bot; admin commands only make sense in a server.
    contexts:
      spec.permission === 'admin'
        ? [InteractionContextType.Guild]
        : [InteractionContextType.Guild, InteractionContextType.BotDM],
  };
}

export function commandsToDiscordJson(specs: readonly CommandSpec[]): CommandJson[] {
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.name)) throw new Error(`command /${s.name} is declared twice`);
    seen.add(s.name);
  }
  if (specs.length > 100) throw new Error(`Discord allows 100 chat commands, got ${specs.length}`);
  return specs.map(commandToDiscordJson);
}

export interface RegisterOptions {
  token: string;
  applicationId: string;
  /** Register in this guild only (instant; for development). Omit for global commands. */
  guildId?: string;
  commands: readonly CommandSpec[];
  /** REST base without version, e.g. a test fake's `http://127.0.0.1:PORT/api`. */
  restApi?: string;
}

export interface RegisteredCommand {
  id: string;
  name: string;
}

/** PUT the full command set (idempotent). Resolves with what Discord stored. */
export async function registerDiscordCommands(opts: RegisterOptions): Promise<RegisteredCommand[]> {
  const body = commandsToDiscordJson(opts.commands);
  const rest = new REST(opts.restApi ? { api: opts.restApi } : {}).setToken(opts.token);
  const route = opts.guildId
    ? Routes.applicationGuildCommands(opts.applicationId, opts.guildId)
    : Routes.applicationCommands(opts.applicationId);
  const result = (await rest.put(route, { body })) as { id: string; name: string }[];
  return result.map((c) => ({ id: c.id, name: c.name }));
}
