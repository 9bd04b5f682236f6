import type { CommandSpec } from './chat/commands.ts';
import { coreCommands } from './core/commands.ts';
import { scheduleSpec } from './core/schedule/commands.ts';
import { forgetSpec } from './core/privacy/forget.ts';

/**
 * Every command the running bot answers, for tools that register them outside
 * the bot (`prepbot discord register`). createApp wires the same modules.
 */
export function allCommandSpecs(): CommandSpec[] {
  return [...coreCommands, scheduleSpec, forgetSpec];
}
