import { afterEach, describe, expect, it } from 'vitest';
import { ApplicationCommandOptionType, PermissionFlagsBits } from 'discord.js';
import type { CommandSpec } from '../../../src/chat/commands.ts';
import { commandToDiscordJson, commandsToDiscordJson, registerDiscordCommands } from '../../../src/adapters/discord/register.ts';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord/index.ts';

const ask: CommandSpec = {
  name: 'ask',
  description: 'Practise a question',
  permission: 'everyone',
  options: [
    { name: 'topic', description: 'Topic', type: 'string', autocomplete: true },
    { name: 'count', description: 'How many', type: 'integer', required: true },
  ],
};
const schedule: CommandSpec = {
  name: 'schedule',
  description: 'Daily questions',
  permission: 'admin',
  options: [],
  subcommands: [
    {
      name: 'set',
      description: 'Set the schedule',
      options: [
        { name: 'time', description: 'HH:MM', type: 'string', required: true, maxLength: 5 },
        { name: 'days', description: 'Days', type: 'string', choices: [{ name: 'weekdays', value: 'weekdays' }, { name: 'daily', value: 'daily' }] },
      ],
    },
    { name: 'list', description: 'Show schedules', options: [] },
  ],
};
const link: CommandSpec = {
  name: 'link',
  description: 'Link accounts',
  permission: 'everyone',
  options: [
    { name: 'who', description: 'Someone', type: 'user' },
    { name: 'public', description: 'Show publicly', type: 'boolean' },
  ],
};

describe('CommandSpec → Discord application command JSON', () => {
  it('types options, puts required ones first and keeps autocomplete', () => {
    const json = commandToDiscordJson(ask) as any;
    expect(json.name).toBe('ask');
    expect(json.options.map((o: any) => [o.name, o.type, o.required])).toEqual([
      ['count', ApplicationCommandOptionType.Integer, true],
      ['topic', ApplicationCommandOptionType.String, false],
    ]);
    expect(json.options[1].autocomplete).toBe(true);
    expect(json.default_member_permissions).toBeNull();
  });

  it('admin commands require Manage Server by default and are guild-only', () => {
    const json = commandToDiscordJson(schedule) as any;
    expect(json.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
    expect(json.contexts).toEqual([0]);
    expect(json.options.map((o: any) => [o.name, o.type])).toEqual([
      ['set', ApplicationCommandOptionType.Subcommand],
      ['list', ApplicationCommandOptionType.Subcommand],
    ]);
    const set = json.options[0];
    expect(set.options[0]).toMatchObject({ name: 'time', max_length: 5, required: true });
    expect(set.options[1].choices).toEqual([{ name: 'weekdays', value: 'weekdays' }, { name: 'daily', value: 'daily' }]);
  });

  it('passes an integer option’s range so Discord’s own form enforces it', () => {
    const json = commandToDiscordJson({ ...ask, options: [{ name: 'count', description: 'How many', type: 'integer', min: 1, max: 20 }] }) as any;
    expect(json.options[0]).toMatchObject({ name: 'count', type: ApplicationCommandOptionType.Integer, min_value: 1, max_value: 20 });
    const noRange = commandToDiscordJson(ask) as any;
    expect(noRange.options[1]).not.toHaveProperty('min_value');
  });

  it('maps user and boolean options', () => {
    const json = commandToDiscordJson(link) as any;
    expect(json.options.map((o: any) => o.type)).toEqual([ApplicationCommandOptionType.User, ApplicationCommandOptionType.Boolean]);
  });

  it('rejects what Discord would reject, with the command named', () => {
    expect(() => commandToDiscordJson({ ...ask, name: 'Ask Me' })).toThrow(/Ask Me/);
    expect(() => commandToDiscordJson({ ...ask, description: '' })).toThrow(/\/ask.*description/);
    expect(() =>
      commandToDiscordJson({ ...ask, options: [{ name: 'topic', description: 'T', type: 'string', autocomplete: true, choices: [{ name: 'a', value: 'a' }] }] }),
    ).toThrow(/choices or autocomplete/);
    expect(() => commandsToDiscordJson([ask, ask])).toThrow(/twice/);
  });
});

describe('registerDiscordCommands against the fake', () => {
  let fake: FakeDiscord;
  afterEach(async () => fake?.close());

  it('PUTs per guild and globally; Discord-side validation accepts the JSON; re-running keeps ids (idempotent)', async () => {
    fake = await startFakeDiscord();
    const base = { token: fake.token, applicationId: fake.applicationId, commands: [ask, schedule, link], restApi: fake.restUrl };
    const first = await registerDiscordCommands({ ...base, guildId: fake.guild.id });
    const again = await registerDiscordCommands({ ...base, guildId: fake.guild.id });
    expect(again).toEqual(first);
    expect(fake.guildCommands.get(fake.guild.id)?.map((c) => c.name)).toEqual(['ask', 'schedule', 'link']);
    expect(fake.globalCommands).toEqual([]);

    await registerDiscordCommands(base);
    expect(fake.globalCommands.map((c) => c.name)).toEqual(['ask', 'schedule', 'link']);
    const puts = fake.requests.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => [r.path, r.status, r.authorized])).toEqual([
      [`/applications/${fake.applicationId}/guilds/${fake.guild.id}/commands`, 200, true],
      [`/applications/${fake.applicationId}/guilds/${fake.guild.id}/commands`, 200, true],
      [`/applications/${fake.applicationId}/commands`, 200, true],
    ]);
  });

  it('a wrong token fails with a 401 error rather than hanging', async () => {
    fake = await startFakeDiscord();
    await expect(
      registerDiscordCommands({ token: 'nope', applicationId: fake.applicationId, commands: [ask], restApi: fake.restUrl }),
    ).rejects.toMatchObject({ status: 401 });
  });
});
