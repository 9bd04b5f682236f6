import { describe, expect, it } from 'vitest';
import type { CommandSpec } from '../../../src/chat/commands.ts';
import { commandUsage, parseArgs, parseCommandText, tokenize } from '../../../src/chat/parse-text.ts';

const specs: CommandSpec[] = [
  {
    name: 'ask',
    description: 'Ask a question',
    permission: 'everyone',
    options: [{ name: 'topic', description: 'Topic', type: 'string', autocomplete: true }],
  },
  {
    name: 'leaderboard',
    description: 'Leaderboard',
    permission: 'everyone',
    options: [
      { name: 'scope', description: 'Scope', type: 'string', choices: [{ name: 'Channel', value: 'channel' }, { name: 'Workspace', value: 'workspace' }, { name: 'Global', value: 'global' }] },
      { name: 'period', description: 'Period', type: 'string', choices: [{ name: 'Week', value: 'week' }, { name: 'Month', value: 'month' }, { name: 'All time', value: 'all' }] },
    ],
  },
  {
    name: 'schedule',
    description: 'Daily question',
    permission: 'admin',
    options: [],
    subcommands: [
      {
        name: 'set',
        description: 'Set',
        options: [
          { name: 'time', description: 'HH:MM', type: 'string', required: true },
          { name: 'timezone', description: 'IANA zone', type: 'string', required: true },
          { name: 'days', description: 'Days', type: 'string' },
          { name: 'topic', description: 'Topic', type: 'string' },
        ],
      },
      { name: 'list', description: 'List', options: [] },
    ],
  },
  {
    name: 'stats',
    description: 'Stats',
    permission: 'everyone',
    options: [
      { name: 'days', description: 'Days', type: 'integer' },
      { name: 'public', description: 'Show to all', type: 'boolean' },
    ],
  },
  { name: 'streak', description: 'Streak', permission: 'everyone', options: [{ name: 'person', description: 'Who', type: 'user' }] },
  { name: 'help', description: 'Help', permission: 'everyone', options: [] },
];

const ok = (line: string) => {
  const r = parseCommandText(specs, line);
  if (!r.ok) throw new Error(`expected ok for ${line}: ${r.error}`);
  return r;
};
const err = (line: string) => {
  const r = parseCommandText(specs, line);
  if (r.ok) throw new Error(`expected an error for ${line}`);
  return r.error;
};

describe('parseCommandText', () => {
  it('fills options positionally and by name', () => {
    expect(ok('/ask concurrency')).toEqual({ ok: true, command: 'ask', options: { topic: 'concurrency' } });
    expect(ok('/ask topic:concurrency').options).toEqual({ topic: 'concurrency' });
    expect(ok('/ask').options).toEqual({});
    expect(ok('  /ASK   Concurrency  ').options).toEqual({ topic: 'Concurrency' });
  });

  it('keeps quoted values and joins trailing words into the last text option', () => {
    expect(ok('/ask topic:"system design"').options).toEqual({ topic: 'system design' });
    expect(ok('/ask “system design”').options).toEqual({ topic: 'system design' });
    expect(ok('/ask system design').options).toEqual({ topic: 'system design' });
    expect(ok('/ask topic:"unclosed quote').options).toEqual({ topic: 'unclosed quote' });
  });

  it('validates choices by value or name, case-insensitively', () => {
    expect(ok('/leaderboard scope:global period:week').options).toEqual({ scope: 'global', period: 'week' });
    expect(ok('/leaderboard Workspace "all time"').options).toEqual({ scope: 'workspace', period: 'all' });
    const e = err('/leaderboard scope:globl');
    expect(e).toContain('channel, workspace, global');
    expect(e).toContain('scope:global');
  });

  it('routes subcommands into options.subcommand, values with colons stay whole', () => {
    expect(ok('/schedule set time:09:30 timezone:Asia/Kolkata days:mon-fri').options).toEqual({
      subcommand: 'set',
      time: '09:30',
      timezone: 'Asia/Kolkata',
      days: 'mon-fri',
    });
    expect(ok('/schedule set 09:30 Asia/Kolkata topic:system-design weekdays').options).toEqual({
      subcommand: 'set',
      time: '09:30',
      timezone: 'Asia/Kolkata',
      days: 'weekdays',
      topic: 'system-design',
    });
    expect(ok('/schedule list').options).toEqual({ subcommand: 'list' });
  });

  it('coerces integers, booleans and user mentions', () => {
    expect(ok('/stats 7 yes').options).toEqual({ days: 7, public: true });
    expect(ok('/stats public:off').options).toEqual({ public: false });
    expect(ok('/streak @alice').options).toEqual({ person: 'alice' });
    expect(ok('/streak <@U024BE7LH|bob>').options).toEqual({ person: 'U024BE7LH' });
    expect(ok('/streak <@!123>').options).toEqual({ person: '123' });
  });

  it('explains what to type instead', () => {
    expect(err('/aks concurrency')).toBe('Unknown command /aks. Did you mean /ask? Try /help.');
    expect(err('/frobnicate')).toBe('Unknown command /frobnicate. Try /help.');
    expect(err('ask')).toMatch(/start with \//);
    expect(err('/')).toMatch(/command name/);
    expect(err('/schedule set time:09:30')).toContain('needs timezone');
    expect(err('/schedule set time:09:30')).toContain('Usage: /schedule set time:<time> timezone:<timezone>');
    expect(err('/schedule')).toContain('set, list');
    expect(err('/schedule sett')).toContain('Did you mean /schedule set?');
    expect(err('/stats days:week')).toContain('whole number');
    expect(err('/stats public:maybe')).toContain('yes or no');
    expect(err('/ask topik:x')).toContain('Did you mean topic:?');
    expect(err('/ask topic:a topic:b')).toContain('twice');
    expect(err('/help me')).toContain('does not take "me"');
    expect(err('/ask topic:')).toContain('topic needs a value');
  });
});

describe('parseArgs (Slack gives the command name separately)', () => {
  it('parses the text after the name', () => {
    const schedule = specs.find((s) => s.name === 'schedule')!;
    expect(parseArgs(schedule, 'set 09:30 Europe/Berlin')).toEqual({
      ok: true,
      command: 'schedule',
      options: { subcommand: 'set', time: '09:30', timezone: 'Europe/Berlin' },
    });
  });
});

describe('helpers', () => {
  it('usage lists required and optional options', () => {
    expect(commandUsage(specs[1]!)).toBe('/leaderboard [scope:channel|workspace|global] [period:week|month|all]');
  });
  it('tokenize records key colons typed before quotes only', () => {
    expect(tokenize('a:b "c:d" e')).toEqual([
      { value: 'a:b', colon: 1 },
      { value: 'c:d', colon: -1 },
      { value: 'e', colon: -1 },
    ]);
  });
});

describe('a lone `rest` option (free-text answers)', () => {
  const answer: CommandSpec = {
    name: 'answer',
    description: 'Answer',
    options: [{ name: 'text', description: 'Your answer', type: 'string', required: true, maxLength: 40, rest: true }],
    permission: 'everyone',
  };
  const value = (text: string) => {
    const r = parseArgs(answer, text);
    return r.ok ? r.options.text : `error: ${r.error}`;
  };
  it('keeps words, spacing, quotes, line breaks and colons exactly as typed', () => {
    for (const typed of ['test: a "lock"  that\nserialises', 'topic:x y', "it's 'quoted'", 'a:b c:d']) {
      expect(value(typed)).toBe(typed);
    }
  });
  it('drops `text:` typed as in the usage line, and quotes around the whole value after it', () => {
    expect(value('text: a lock')).toBe(' a lock');
    expect(value('text:"a lock"')).toBe('a lock');
    expect(value('TEXT:"a "big" lock"')).toBe('a "big" lock');
  });
  it('still refuses blank and over-long text, saying what to type', () => {
    expect(value('')).toMatch(/^error: .*needs text.*Usage: \/answer text:/);
    expect(value('   ')).toMatch(/needs text/);
    expect(value('text:')).toMatch(/needs text/);
    expect(value('x'.repeat(41))).toMatch(/41 characters; at most 40/);
  });
});
