import type { CommandSpec } from './chat/commands.ts';
import { builtInCommandSpecs } from './core/bot.ts';
import { interviewSpec } from './core/interview/index.ts';
import { scheduleSpec } from './core/schedule/commands.ts';
import { forgetSpec } from './core/privacy/forget.ts';

/**
 * Every command the running bot answers, for tools that register them outside
 * the bot (`prepbot discord register`): the bot's own and the ones createApp
 * adds as `extraCommands` (a test checks the two lists agree).
 */
export function allCommandSpecs(): CommandSpec[] {
  return [...builtInCommandSpecs(), scheduleSpec, interviewSpec, forgetSpec];
}
