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
});
