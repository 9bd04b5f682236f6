import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../../src/cli.ts';
import { allCommandSpecs } from '../../../src/commands.ts';
import { createApp } from '../../../src/app.ts';
import { parseConfig } from '../../../src/config.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { createLogger } from '../../../src/logger.ts';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord/index.ts';

let fake: FakeDiscord | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function io(env: Record<string, string>): CliIo & { stdout: string; stderr: string } {
  const out = {
    stdout: '',
    stderr: '',
    out(t: string) {
      out.stdout += t;
    },
    err(t: string) {
      out.stderr += t;
    },
    env,
    cwd: process.cwd(),
    now: () => new Date(),
    exitCode: 0,
  };
  return out;
}

async function registeredNames(f: FakeDiscord, path: string): Promise<string[]> {
  const res = await fetch(`${f.restUrl}/v10/applications/${f.applicationId}${path}`, {
    headers: { authorization: `Bot ${f.token}` },
  });
  return ((await res.json()) as { name: string }[]).map((c) => c.name).sort();
}

describe('prepbot discord register (against the Discord fake)', () => {
  it('registers exactly the commands the running bot answers', async () => {
    const app = await createApp({
      config: parseConfig({ PREPBOT_DB: ':memory:' }),
      clock: new ManualClock('2026-12-01T09:00:00Z'),
      logger: createLogger('silent'),
      makeAdapters: () => [],
    });
    try {
      const names = (specs: readonly { name: string }[]) => specs.map((c) => c.name).sort();
      expect(names(allCommandSpecs())).toEqual(names(app.bot.commands));
    } finally {
      await app.stop();
    }
  });

  it('registers every command in a dev guild, idempotently', async () => {
    fake = await startFakeDiscord();
    const env = { DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_BASE: fake.restUrl };
    const expected = allCommandSpecs()
      .map((c) => c.name)
      .sort();

    for (let run = 0; run < 2; run++) {
      const first = io(env);
      expect(await runCli(['discord', 'register', '--guild', fake.guild.id], first)).toBe(0);
      expect(first.stdout).toMatch(new RegExp(`Registered ${expected.length} commands server ${fake.guild.id}`));
    }
    expect(await registeredNames(fake, `/guilds/${fake.guild.id}/commands`)).toEqual(expected);
    expect(await registeredNames(fake, '/commands')).toEqual([]);

    const global = io(env);
    expect(await runCli(['discord', 'register', '--global'], global)).toBe(0);
    expect(await registeredNames(fake, '/commands')).toEqual(expected);
  });

  it('says what to set when the token is missing, and reports a refused token without echoing it', async () => {
    const missing = io({});
    expect(await runCli(['discord', 'register'], missing)).toBe(1);
    expect(missing.stderr).toMatch(/DISCORD_TOKEN and DISCORD_APPLICATION_ID/);

    fake = await startFakeDiscord();
    const secret = 'definitely-wrong-token-123';
    const refused = io({ DISCORD_TOKEN: secret, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_BASE: fake.restUrl });
    expect(await runCli(['discord', 'register', '--guild', fake.guild.id], refused)).toBe(1);
    expect(refused.stderr).toMatch(/Discord refused the registration/);
    expect(refused.stderr).not.toContain(secret);
  });
});
