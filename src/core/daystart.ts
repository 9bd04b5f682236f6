import type { Responder } from '../chat/port.ts';
import { code } from '../chat/md.ts';
import type { CommandSpec } from '../chat/commands.ts';
import { say } from './messages.ts';
import { stringOption, type BotServices, type CommandEvent, type CommandModule } from './module.ts';

/**
 * `/daystart 4`: when a person's practice day starts (Anki's "next day starts
 * at 4 AM"). An answer at 01:30 then counts for the day before, so a late
 * night does not break or double a streak. Admins set the workspace default
 * with `scope:workspace`; a person's own choice wins.
 */
export const daystartSpec: CommandSpec = {
  name: 'daystart',
  description: 'When your practice day starts, e.g. 4 = answers before 04:00 count for the day before',
  options: [
    { name: 'hour', description: 'Hour 0-23 on your local clock (empty: show the current one)', type: 'string', maxLength: 8 },
    {
      name: 'scope',
      description: 'Yours (default) or the workspace default (admins)',
      type: 'string',
      choices: [
        { name: 'me', value: 'me' },
        { name: 'workspace', value: 'workspace' },
      ],
    },
  ],
  permission: 'everyone',
};

/** '4', '04', '4:00', '04:00', '4am', '16h' → 4 … ; undefined when not an hour 0-23. */
export function parseDayStartHour(input: string): number | undefined {
  const m = /^(\d{1,2})(?::00|h|am)?$/i.exec(input.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  if (/am$/i.test(input.trim()) && (h < 1 || h > 12)) return undefined;
  const hour = /am$/i.test(input.trim()) ? h % 12 : h;
  return hour >= 0 && hour <= 23 ? hour : undefined;
}

const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;

async function daystart(event: CommandEvent, respond: Responder, s: BotServices): Promise<void> {
  const me = await s.person(event.ctx);
  const hourIn = stringOption(event, 'hour');
  const scope = stringOption(event, 'scope') ?? 'me';
  const now = s.clock.now();
  if (hourIn === undefined) {
    const own = me.dayStartHour === null ? ' (the workspace default)' : '';
    await respond.reply(
      say(`Your practice day starts at ${hh(s.dayStartOf(me))}${own}, ${s.zoneOf(me)} time; today counts as ${s.dayOf(me, now)}. Change it with `, code('/daystart 4'), '.'),
      'private',
    );
    return;
  }
  const hour = parseDayStartHour(hourIn);
  if (hour === undefined) {
    await respond.reply(
      say(`“${hourIn.slice(0, 8)}” is not an hour. Give a whole hour from 0 to 23 on your local clock, e.g. `, code('/daystart 4'), ' (the day then starts at 04:00).'),
      'private',
    );
    return;
  }
  if (scope === 'workspace') {
    if (!event.ctx.actorIsAdmin) {
      await respond.reply(say('Only workspace admins can set the workspace default. Use ', code(`/daystart ${hour}`), ' for your own day.'), 'private');
      return;
    }
    await s.practice.setWorkspaceDayStart(`${event.ctx.platform}:${event.ctx.workspaceId}`, hour);
    await respond.reply(
      say(`The workspace's practice day now starts at ${hh(hour)} local time, for everyone who has not chosen their own with /daystart.`),
      'private',
    );
    return;
  }
  await s.practice.setDayStart(me.personId, hour);
  const updated = { ...me, dayStartHour: hour };
  const before = hour === 0 ? '' : ` An answer before ${hh(hour)} counts for the day before.`;
  await respond.reply(
    say(`Your practice day now starts at ${hh(hour)} (${s.zoneOf(me)} time).${before} Today counts as ${s.dayOf(updated, now)}.`),
    'private',
  );
}

export const daystartModule: CommandModule = { spec: daystartSpec, run: daystart };
