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

  it('refuses DATABASE_URL while some repositories have no PostgreSQL store, naming them and never the URL', () => {
    const url = 'postgres://prepbot:hunter2-secret@db.internal:5432/prepbot';
    let error: unknown;
    try {
      parseConfig({ DATABASE_URL: url });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/cannot run on PostgreSQL yet/);
    expect(message).toMatch(/practice.*interviews.*still SQLite-only/s);
    // Ported repositories are named as ready, so an operator sees how far the move is.
    expect(message).toMatch(/\(ready: .*schedules/);
    expect(message).toMatch(/Unset DATABASE_URL/);
    expect(message).not.toContain('hunter2-secret');
    // Empty is unset, as for every other variable.
    expect(parseConfig({ DATABASE_URL: '  ' }).dbPath).toBe('data/prepbot.db');
  });

  it('reads a clock override for simulations', () => {
    expect(parseConfig({ PREPBOT_NOW: '2026-11-26T09:00:00Z' }).startAt?.toISOString()).toBe('2026-11-26T09:00:00.000Z');
    expect(() => parseConfig({ PREPBOT_NOW: 'tomorrow' })).toThrow(/PREPBOT_NOW/);
  });

  describe('PostgreSQL (DATABASE_URL), with the readiness check passed in', () => {
    const ready = () => undefined;
    const url = 'postgres://prepbot:hunter2-secret@db.internal:5432/prepbot';

    const problems = (env: Record<string, string>): string => {
      try {
        parseConfig(env, ready);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
      throw new Error('parseConfig accepted it');
    };

    it('selects PostgreSQL with a pool of 10 by default, and both URL schemes', () => {
      expect(parseConfig({ DATABASE_URL: url }, ready).database).toEqual({ url, poolMax: 10 });
      const other = 'postgresql://u:p@127.0.0.1/db?sslmode=require';
      expect(parseConfig({ DATABASE_URL: other, DATABASE_POOL_MAX: '3' }, ready).database).toEqual({ url: other, poolMax: 3 });
      expect(parseConfig({}, ready).database).toBeUndefined();
    });

    it('the readiness refusal comes from the injected check, and only when DATABASE_URL is set', () => {
      const notReady = () => 'not yet: practice is SQLite-only';
      expect(() => parseConfig({ DATABASE_URL: url }, notReady)).toThrow(/not yet: practice/);
      expect(parseConfig({}, notReady).database).toBeUndefined();
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
