import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../src/config.ts';

describe('parseConfig', () => {
  it('runs the console adapter with no tokens at all', () => {
    const config = parseConfig({});
    expect(config.adapters).toEqual(['console']);
    expect(config.dbPath).toBe('data/prepbot.db');
    expect(config.skipped).toEqual([]);
  });

  it('skips an unconfigured platform with one line naming what to set, keeping the others', () => {
    const config = parseConfig({ PREPBOT_ADAPTERS: 'console, slack,discord' });
    expect(config.adapters).toEqual(['console', 'slack', 'discord']);
    expect(config.discord).toBeUndefined();
    expect(config.slack).toBeUndefined();
    expect(config.skipped).toHaveLength(2);
    expect(config.skipped.join('\n')).toMatch(/DISCORD_TOKEN/);
    expect(config.skipped.join('\n')).toMatch(/SLACK_BOT_TOKEN/);
  });

  it('accepts a complete Slack HTTP-mode configuration', () => {
    const config = parseConfig({
      PREPBOT_ADAPTERS: 'slack',
      SLACK_MODE: 'http',
      SLACK_BOT_TOKEN: 'xoxb-1-abc',
      SLACK_SIGNING_SECRET: 'shh',
      SLACK_PORT: '4000',
    });
    expect(config.slack).toMatchObject({ mode: 'http', port: 4000, prefixCommand: 'prep' });
    expect(config.skipped).toEqual([]);
  });

  it('rejects malformed values with the variable name and never the secret value', () => {
    const secret = 'not-a-bot-token-4242';
    let error: unknown;
    try {
      parseConfig({ SLACK_BOT_TOKEN: secret, PREPBOT_TIMEZONE: 'Mars/Olympus', PREPBOT_ADAPTERS: 'console,irc' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/SLACK_BOT_TOKEN/);
    expect(message).toMatch(/PREPBOT_TIMEZONE/);
    expect(message).toMatch(/irc/);
    expect(message).not.toContain(secret);
  });

  it('reads a clock override for simulations', () => {
    expect(parseConfig({ PREPBOT_NOW: '2026-11-26T09:00:00Z' }).startAt?.toISOString()).toBe('2026-11-26T09:00:00.000Z');
    expect(() => parseConfig({ PREPBOT_NOW: 'tomorrow' })).toThrow(/PREPBOT_NOW/);
  });

  describe('PostgreSQL (DATABASE_URL)', () => {
    const url = 'postgres://prepbot:hunter2-secret@db.internal:5432/prepbot';

    const problems = (env: Record<string, string>): string => {
      try {
        parseConfig(env);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
      throw new Error('parseConfig accepted it');
    };

    it('selects PostgreSQL with a pool of 10 by default, and both URL schemes', () => {
      expect(parseConfig({ DATABASE_URL: url }).database).toEqual({ url, poolMax: 10 });
      const other = 'postgresql://u:p@127.0.0.1/db?sslmode=require';
      expect(parseConfig({ DATABASE_URL: other, DATABASE_POOL_MAX: '3' }).database).toEqual({ url: other, poolMax: 3 });
      expect(parseConfig({}).database).toBeUndefined();
    });

    it.each([
      ['mysql://root:hunter2-secret@db/prepbot'],
      ['db.internal:5432/prepbot'],
      ['postgres:///prepbot'],
      ['hunter2-secret'],
    ])('refuses %s with the shape to use and never the value', (value) => {
      const message = problems({ DATABASE_URL: value });
      expect(message).toMatch(/DATABASE_URL: must be a PostgreSQL connection URL, postgres:\/\/USER:PASSWORD@HOST:5432\/DATABASE/);
      expect(message).not.toContain('hunter2-secret');
    });

    it.each([['0'], ['-1'], ['2.5'], ['ten'], ['5000']])('refuses DATABASE_POOL_MAX=%s', (value) => {
      expect(problems({ DATABASE_URL: url, DATABASE_POOL_MAX: value })).toMatch(/DATABASE_POOL_MAX: must be/);
    });
  });

  it('SLACK_PORT=0 asks for any free port; SLACK_HOST picks the address to bind', () => {
    const base = { PREPBOT_ADAPTERS: 'slack', SLACK_MODE: 'http', SLACK_BOT_TOKEN: 'xoxb-1-abc', SLACK_SIGNING_SECRET: 'shh' };
    expect(parseConfig({ ...base, SLACK_PORT: '0', SLACK_HOST: '127.0.0.1' }).slack).toMatchObject({ port: 0, host: '127.0.0.1' });
    expect(parseConfig(base).slack).toMatchObject({ port: 3000, host: undefined });
    expect(() => parseConfig({ ...base, SLACK_PORT: '-1' })).toThrow(/SLACK_PORT/);
    expect(() => parseConfig({ ...base, SLACK_PORT: '70000' })).toThrow(/SLACK_PORT/);
  });
});

describe('parseConfig: Discord sharding', () => {
  const discord = { PREPBOT_ADAPTERS: 'discord', DISCORD_TOKEN: 't0ken', DISCORD_APPLICATION_ID: '123456789012345678' };
  const problems = (env: Record<string, string>): string => {
    try {
      parseConfig({ ...discord, ...env });
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it('leaves sharding to discord.js when nothing is set', () => {
    expect(parseConfig(discord).discord?.sharding).toBeUndefined();
  });

  it('DISCORD_SHARDS=auto or N: one process holds every shard', () => {
    expect(parseConfig({ ...discord, DISCORD_SHARDS: 'auto' }).discord?.sharding).toEqual({ shards: 'auto' });
    expect(parseConfig({ ...discord, DISCORD_SHARDS: ' AUTO ' }).discord?.sharding).toEqual({ shards: 'auto' });
    expect(parseConfig({ ...discord, DISCORD_SHARDS: '3' }).discord?.sharding).toEqual({ shards: [0, 1, 2], shardCount: 3 });
  });

  it('DISCORD_SHARD_IDS with DISCORD_SHARD_COUNT: this process holds some shards of the total', () => {
    expect(parseConfig({ ...discord, DISCORD_SHARD_IDS: '3, 1', DISCORD_SHARD_COUNT: '4' }).discord?.sharding).toEqual({
      shards: [1, 3],
      shardCount: 4,
    });
    expect(parseConfig({ ...discord, DISCORD_SHARD_IDS: '0', DISCORD_SHARD_COUNT: '1' }).discord?.sharding).toEqual({ shards: [0], shardCount: 1 });
  });

  it('rejects a shard count that is not a whole number ≥ 1', () => {
    for (const bad of ['0', '-1', 'two', '1.5']) expect(problems({ DISCORD_SHARDS: bad })).toMatch(/DISCORD_SHARDS: use auto or a whole number/);
    expect(problems({ DISCORD_SHARD_IDS: '0', DISCORD_SHARD_COUNT: '0' })).toMatch(/DISCORD_SHARD_COUNT: must be at least 1/);
    expect(problems({ DISCORD_SHARD_IDS: '0', DISCORD_SHARD_COUNT: 'many' })).toMatch(/DISCORD_SHARD_COUNT: the total number of shards/);
  });

  it('rejects shard ids outside the count, naming the valid range', () => {
    expect(problems({ DISCORD_SHARD_IDS: '1,2', DISCORD_SHARD_COUNT: '2' })).toMatch(/DISCORD_SHARD_IDS: shard 2 is outside DISCORD_SHARD_COUNT=2; shards are numbered 0 to 1/);
  });

  it('rejects malformed or repeated shard ids', () => {
    expect(problems({ DISCORD_SHARD_IDS: '0,x', DISCORD_SHARD_COUNT: '2' })).toMatch(/DISCORD_SHARD_IDS: a comma list of shard numbers/);
    expect(problems({ DISCORD_SHARD_IDS: '0,,1', DISCORD_SHARD_COUNT: '2' })).toMatch(/DISCORD_SHARD_IDS: a comma list/);
    expect(problems({ DISCORD_SHARD_IDS: '1,1', DISCORD_SHARD_COUNT: '2' })).toMatch(/DISCORD_SHARD_IDS: names a shard twice/);
  });

  it('DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT and the other way round', () => {
    expect(problems({ DISCORD_SHARD_IDS: '0,3' })).toMatch(/DISCORD_SHARD_IDS: needs DISCORD_SHARD_COUNT.*DISCORD_SHARD_COUNT=4 or more/);
    expect(problems({ DISCORD_SHARD_COUNT: '2' })).toMatch(/DISCORD_SHARD_COUNT: needs DISCORD_SHARD_IDS.*use DISCORD_SHARDS=2 instead/);
  });

  it('refuses DISCORD_SHARDS together with the per-process variables', () => {
    expect(problems({ DISCORD_SHARDS: 'auto', DISCORD_SHARD_IDS: '0', DISCORD_SHARD_COUNT: '2' })).toMatch(/DISCORD_SHARDS: set either DISCORD_SHARDS.*not both/);
  });
});
