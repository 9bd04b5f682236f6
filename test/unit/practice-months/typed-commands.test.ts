import { describe, expect, it } from 'vitest';
import { commandUsage, parseCommandText } from '../../../src/chat/parse-text.ts';
import { coreCommands } from '../../../src/core/commands.ts';
import { breakSpec } from '../../../src/core/breaks.ts';

/** How /break and /streak repair read when typed (console, Slack), with the specs as shipped. */
const specs = [...coreCommands, breakSpec];
const parse = (line: string) => {
  const r = parseCommandText(specs, line);
  if (!r.ok) throw new Error(r.error);
  return r.options;
};

describe('typed /streak and /break', () => {
  it('`/streak repair @person date reason` reads the verb as a flag and the reason as free text', () => {
    expect(parse('/streak repair <@U0ALICE|alice> 2026-12-12 Slack ate her answer')).toEqual({
      repair: true,
      person: 'U0ALICE',
      date: '2026-12-12',
      reason: 'Slack ate her answer',
    });
    expect(parse('/streak repair @amy 2026-12-12 "repair of the outage"')).toMatchObject({ person: 'amy', reason: 'repair of the outage' });
  });

  it('plain /streak is unchanged', () => {
    expect(parse('/streak')).toEqual({});
    expect(parse('/streak @alice')).toEqual({ person: 'alice' });
    expect(commandUsage(specs.find((s) => s.name === 'streak')!)).toBe('/streak [person:<@person>] [date:<date>] [reason:<reason>] [repair]');
  });

  it('/break takes a length, a last day, end, or nothing', () => {
    expect(parse('/break 7d')).toEqual({ length: '7d' });
    expect(parse('/break until:2027-01-10')).toEqual({ until: '2027-01-10' });
    expect(parse('/break 2027-01-10')).toEqual({ length: '2027-01-10' });
    expect(parse('/break end')).toEqual({ length: 'end' });
    expect(parse('/break')).toEqual({});
  });
});
