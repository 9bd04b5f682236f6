import type { FakeDiscord } from '../fakes/discord/index.ts';
import type { FakeSlack } from '../fakes/slack/index.ts';

/** The environment an operator would set to run prepbot on both platforms, pointed at the fakes. */
export function bothFakesEnv(discord: FakeDiscord, slack: FakeSlack, db = ':memory:'): Record<string, string> {
  return {
    PREPBOT_ADAPTERS: 'slack,discord',
    PREPBOT_DB: db,
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_API_BASE: discord.restUrl,
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_APP_TOKEN: slack.appToken,
    SLACK_API_URL: slack.apiUrl,
  };
}
