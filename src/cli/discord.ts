import type { Command } from 'commander';
import { allCommandSpecs } from '../commands.ts';
import { UserError, type CliIo } from './context.ts';

/**
 * `prepbot discord register`: per guild while developing (appears instantly),
 * globally for production (Discord may take up to an hour to show changes).
 * One bulk overwrite, so running it again is harmless.
 */
export function registerDiscord(program: Command, io: CliIo): void {
  const discord = program.command('discord').description('Discord set-up tasks');
  discord
    .command('register')
    .description('Register prepbot’s slash commands with Discord (needs DISCORD_TOKEN and DISCORD_APPLICATION_ID)')
    .option('--guild <id>', 'register in one server only (instant; default: $DISCORD_DEV_GUILD_ID if set)')
    .option('--global', 'register globally even when DISCORD_DEV_GUILD_ID is set')
    .action(async (flags: { guild?: string; global?: boolean }) => {
      const token = io.env.DISCORD_TOKEN?.trim();
      const applicationId = io.env.DISCORD_APPLICATION_ID?.trim();
      if (!token || !applicationId) {
        throw new UserError(
          'set DISCORD_TOKEN and DISCORD_APPLICATION_ID (environment or .env) first; README "Discord" shows where to find them',
        );
      }
      const guildId = flags.global ? undefined : flags.guild?.trim() || io.env.DISCORD_DEV_GUILD_ID?.trim() || undefined;
      if (guildId !== undefined && !/^\d{15,22}$/.test(guildId)) {
        throw new UserError(`"${guildId}" is not a server id; in Discord enable Developer Mode, right-click the server, Copy Server ID`);
      }
      // Loaded here, not at the top: discord.js takes most of a second to load, and every other
      // prepbot command (import, bank, topics) would pay for it.
      const { registerDiscordCommands } = await import('../adapters/discord/register.ts');
      let registered;
      try {
        registered = await registerDiscordCommands({
          token,
          applicationId,
          guildId,
          commands: allCommandSpecs(),
          restApi: io.env.DISCORD_API_BASE?.trim() || undefined,
        });
      } catch (err) {
        // discord.js errors name the HTTP status and Discord's reason; the token never appears in them.
        throw new UserError(`Discord refused the registration: ${(err as Error).message}. Check the token and application id.`);
      }
      const where = guildId ? `server ${guildId}` : 'globally (may take up to an hour to appear)';
      io.out(`Registered ${registered.length} commands ${where}: ${registered.map((c) => `/${c.name}`).join(' ')}\n`);
    });
}
