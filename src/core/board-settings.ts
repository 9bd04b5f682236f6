import type { OptionSpec } from '../chat/commands.ts';
import type { BoardVisibility } from '../store/practice-types.ts';
import type { SettingsSection } from './settings.ts';

/**
 * `/settings boards:on|off global-board:on|off`: whether a person appears on
 * the leaderboards. Visible on channel and workspace boards by default; the
 * global board (across workspaces) is opt-in. Hiding keeps the streak: only
 * the boards leave you out. Per person only: a workspace cannot opt its people
 * in to the global board, nor hide them from their own team's boards.
 */

const onOff = [
  { name: 'on', value: 'on' },
  { name: 'off', value: 'off' },
];

const boardOptions: OptionSpec[] = [
  { name: 'boards', description: 'Show me on leaderboards (off: hidden from all, streak kept)', type: 'string', choices: onOff },
  { name: 'global-board', description: 'Show me on the global board across workspaces (opt-in)', type: 'string', choices: onOff },
];

/** 'on' → true, 'off' → false; also yes/no, true/false, typed on the console or Slack. */
function readSwitch(raw: unknown): boolean | undefined {
  const v = String(raw).trim().toLowerCase();
  if (['on', 'yes', 'true', '1'].includes(v)) return true;
  if (['off', 'no', 'false', '0'].includes(v)) return false;
  return undefined;
}

const given = (raw: unknown) => raw !== undefined && raw !== null && String(raw).trim() !== '';

export const boardsSection: SettingsSection = {
  options: boardOptions,
  async show(c) {
    if (c.scope === 'workspace') return [];
    return [
      `boards: ${c.me.boardsHidden ? 'off (yours): hidden from every board, your streak still counts' : 'on: channel and workspace boards show your name and counts, never your answers'}`,
      `global-board: ${c.me.globalBoard ? 'on (yours)' : 'off (built-in default: the global board is opt-in)'}`,
    ];
  },
  async check(c) {
    const rawBoards = c.event.options['boards'];
    const rawGlobal = c.event.options['global-board'];
    if (!given(rawBoards) && !given(rawGlobal)) return undefined;
    const problems: string[] = [];
    if (c.scope === 'workspace') problems.push('boards and global-board are each person’s own choice: leave out scope:workspace.');
    const change: BoardVisibility = {};
    for (const [name, raw, key] of [
      ['boards', rawBoards, 'boards'],
      ['global-board', rawGlobal, 'globalBoard'],
    ] as const) {
      if (!given(raw)) continue;
      const v = readSwitch(raw);
      if (v === undefined) problems.push(`${name} takes on or off, not “${String(raw).slice(0, 20)}”; e.g. /settings ${name}:off.`);
      else change[key] = v;
    }
    if (problems.length > 0) return { problems };
    return {
      async apply() {
        await c.s.practice.setBoardVisibility(c.me.personId, change);
        const out: string[] = [];
        if (change.boards === false) out.push('boards: off: you are hidden from every board; your streak still counts');
        if (change.boards === true) out.push('boards: on: channel and workspace boards show your name and counts');
        if (change.globalBoard === true) out.push('global-board: on: you are on the global board across workspaces');
        if (change.globalBoard === false) out.push('global-board: off: you are not on the global board');
        if (change.globalBoard === true && (change.boards === false || (change.boards === undefined && c.me.boardsHidden))) {
          out.push('note: boards is off, which hides you from the global board too');
        }
        return out;
      },
    };
  },
};
