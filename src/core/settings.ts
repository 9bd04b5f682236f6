import { z } from 'zod';
import type { CommandSpec, OptionSpec } from '../chat/commands.ts';
import type { Responder } from '../chat/port.ts';
import { code, doc, emph, list, p, strong } from '../chat/md.ts';
import type { PersonRef } from '../store/practice-types.ts';
import type { SettingsChange } from '../store/settings-types.ts';
import { today } from './daily-queue.ts';
import { spreadBacklog } from './load.ts';
import { say } from './messages.ts';
import { stringOption, type BotServices, type CommandEvent, type CommandModule } from './module.ts';
import { resolveSettings, SETTING_BOUNDS, type EffectiveSettings } from './practice-settings.ts';
import { boardsSection } from './board-settings.ts';

/**
 * `/settings`: one place to see and change a person's practice settings.
 * `/settings` alone lists each value and where it comes from (yours,
 * workspace default, built-in default); `/settings reviews:50 new:5` changes
 * them; admins set the workspace defaults with `scope:workspace`, as with
 * /daystart (a person's own choice wins).
 *
 * The command is made of sections, each owning some options. A change is
 * checked by every section first; if any option is wrong nothing is changed
 * and every problem is listed. A setting group (e.g. the boards' visibility,
 * src/core/board-settings.ts) is a SettingsSection in its own module, listed in
 * SETTINGS_SECTIONS below; its options join the command's spec, /help and
 * every platform's registration by themselves.
 */

export interface SettingsCall {
  event: CommandEvent;
  s: BotServices;
  me: PersonRef;
  /** `{platform}:{workspace}` the command came from. */
  workspaceKey: string;
  /** `me`, or `workspace` for the workspace defaults (the caller has checked the person is an admin before `apply`). */
  scope: 'me' | 'workspace';
}

export type SettingsCheck =
  | { problems: string[] }
  /** Applies the change; returns one line per setting changed, as the person should read it. */
  | { apply(): Promise<string[]> };

export interface SettingsSection {
  /** The options this section reads; they become options of /settings. */
  options: readonly OptionSpec[];
  /** Lines for `/settings` alone: each value and where it comes from. */
  show(c: SettingsCall): Promise<string[]>;
  /** undefined: none of this section's options were given. */
  check(c: SettingsCall): Promise<SettingsCheck | undefined>;
}

// ---- Daily load: reviews and new questions a day -------------------------------------------------

const REVIEWS = SETTING_BOUNDS.reviewsPerDay;
const NEW = SETTING_BOUNDS.newPerDay;

const countInput = z.union([z.number(), z.string().trim().regex(/^[+-]?\d+$/).transform(Number)]);

const loadOptions: OptionSpec[] = [
  { name: 'reviews', description: `Most due reviews a day, ${REVIEWS.min}-${REVIEWS.max} (default 50)`, type: 'integer', min: REVIEWS.min, max: REVIEWS.max },
  { name: 'new', description: `Most new questions a day, ${NEW.min}-${NEW.max} (default 5)`, type: 'integer', min: NEW.min, max: NEW.max },
  {
    name: 'reset',
    description: 'Back to the default: reviews, new, or both',
    type: 'string',
    choices: [
      { name: 'reviews', value: 'reviews' },
      { name: 'new', value: 'new' },
      { name: 'both', value: 'all' },
    ],
  },
];

const perDay = (n: number, what: 'reviews' | 'new') => `${n} ${what === 'reviews' && n === 1 ? 'review' : what} a day`;

/** Reads `name` as a whole number within bounds; a problem says what to type instead. */
function readCount(c: SettingsCall, name: string, bounds: { min: number; max: number }, example: number): number | string | undefined {
  const raw = c.event.options[name];
  if (raw === undefined || raw === '') return undefined;
  const parsed = countInput.safeParse(raw);
  const where = c.scope === 'workspace' ? ' scope:workspace' : '';
  if (!parsed.success) return `${name} must be a whole number from ${bounds.min} to ${bounds.max}, e.g. /settings ${name}:${example}${where}.`;
  const v = parsed.data;
  if (v < bounds.min || v > bounds.max) {
    return `${name} must be from ${bounds.min} to ${bounds.max} a day; ${v} is out of range. For example /settings ${name}:${example}${where}.`;
  }
  return v;
}

async function effective(c: SettingsCall): Promise<EffectiveSettings> {
  const stored = await c.s.practice.practiceSettings(c.me.personId, c.workspaceKey);
  return resolveSettings(c.scope === 'workspace' ? undefined : stored.own, stored.workspace);
}

export const loadSection: SettingsSection = {
  options: loadOptions,
  async show(c) {
    const e = await effective(c);
    const lines = [
      `reviews: ${perDay(e.reviewsPerDay.value, 'reviews')} (${e.reviewsPerDay.from})`,
      `new: ${perDay(e.newPerDay.value, 'new')} (${e.newPerDay.from})`,
    ];
    if (c.scope === 'workspace') return lines;
    const candidates = (await c.s.bank.listQuestions({ servable: true })).map((q) => q.id);
    const t = await today(c.s, c.me, c.workspaceKey, candidates);
    const q = t.queue;
    const spread = spreadBacklog(q.dueToday, q.reviewsLeft, t.caps.reviewsPerDay);
    const later = spread.length > 1 ? `; the other ${q.backlog} over the next ${spread.length - 1} day${spread.length === 2 ? '' : 's'}` : '';
    lines.push(
      `today (${t.date}): ${t.done.review} of ${t.caps.reviewsPerDay} reviews and ${t.done.new} of ${t.caps.newPerDay} new rated; ` +
        `${q.reviewsLeft} ${q.reviewsLeft === 1 ? 'review' : 'reviews'} due and ${q.newLeft} new left${later}`,
    );
    return lines;
  },
  async check(c) {
    const reviews = readCount(c, 'reviews', REVIEWS, 50);
    const fresh = readCount(c, 'new', NEW, 5);
    const reset = stringOption(c.event, 'reset');
    if (reviews === undefined && fresh === undefined && reset === undefined) return undefined;
    const problems = [reviews, fresh].filter((x): x is string => typeof x === 'string');
    const resetsReviews = reset === 'reviews' || reset === 'all';
    const resetsNew = reset === 'new' || reset === 'all';
    if (reset !== undefined && !resetsReviews && !resetsNew) problems.push(`reset takes reviews, new or all, not “${reset.slice(0, 20)}”.`);
    if (resetsReviews && reviews !== undefined) problems.push('Give reviews:N or reset:reviews, not both.');
    if (resetsNew && fresh !== undefined) problems.push('Give new:N or reset:new, not both.');
    if (problems.length > 0) return { problems };
    const change: SettingsChange = {};
    if (typeof reviews === 'number') change.reviewsPerDay = reviews;
    if (typeof fresh === 'number') change.newPerDay = fresh;
    if (resetsReviews) change.reviewsPerDay = null;
    if (resetsNew) change.newPerDay = null;
    return {
      async apply() {
        const now = c.s.clock.now();
        if (c.scope === 'workspace') await c.s.practice.changeWorkspaceSettings(c.workspaceKey, change, now);
        else await c.s.practice.changeSettings(c.me.personId, change, now);
        const e = await effective(c);
        const out: string[] = [];
        if ('reviewsPerDay' in change) out.push(`reviews: ${perDay(e.reviewsPerDay.value, 'reviews')} (${e.reviewsPerDay.from})`);
        if ('newPerDay' in change) out.push(`new: ${perDay(e.newPerDay.value, 'new')} (${e.newPerDay.from})`);
        if (e.newPerDay.value > e.reviewsPerDay.value) {
          out.push(`note: the review cap is the day's total, so at most ${e.reviewsPerDay.value} questions a day come from the queue, new ones included`);
        }
        return out;
      },
    };
  },
};

/** Every group of settings, in the order /settings lists them. */
export const SETTINGS_SECTIONS: readonly SettingsSection[] = [loadSection, boardsSection];

// ---- The command ----------------------------------------------------------------------------------

export function settingsSpecOf(sections: readonly SettingsSection[]): CommandSpec {
  return {
    name: 'settings',
    description: 'See and change your practice settings, e.g. reviews:50 new:5 (a day)',
    options: [
      ...sections.flatMap((sec) => sec.options),
      {
        name: 'scope',
        description: 'Yours (default) or the workspace defaults (admins)',
        type: 'string',
        choices: [
          { name: 'me', value: 'me' },
          { name: 'workspace', value: 'workspace' },
        ],
      },
    ],
    permission: 'everyone',
  };
}

export const settingsSpec = settingsSpecOf(SETTINGS_SECTIONS);

export function settingsModuleOf(sections: readonly SettingsSection[]): CommandModule {
  const spec = settingsSpecOf(sections);
  async function run(event: CommandEvent, respond: Responder, s: BotServices): Promise<void> {
    const me = await s.person(event.ctx);
    const scope = stringOption(event, 'scope') === 'workspace' ? 'workspace' : 'me';
    const c: SettingsCall = { event, s, me, workspaceKey: `${event.ctx.platform}:${event.ctx.workspaceId}`, scope };
    const checks: SettingsCheck[] = [];
    for (const sec of sections) {
      const r = await sec.check(c);
      if (r) checks.push(r);
    }
    if (checks.length === 0) {
      const lines = (await Promise.all(sections.map((sec) => sec.show(c)))).flat();
      const title =
        scope === 'workspace'
          ? 'Workspace defaults (for everyone who has not chosen their own):'
          : `Your practice settings (your day starts at ${String(s.dayStartOf(me)).padStart(2, '0')}:00, ${s.zoneOf(me)} time):`;
      await respond.reply(
        {
          body: doc(
            p(strong(title)),
            list(lines),
            p(emph('Change with '), code('/settings reviews:50 new:5'), emph(', back to the defaults with '), code('/settings reset:all'), emph(scope === 'workspace' ? ' (add ' : '. Admins add '), code('scope:workspace'), emph(scope === 'workspace' ? ').' : ' for the workspace defaults.')),
          ),
        },
        'private',
      );
      return;
    }
    if (scope === 'workspace' && !event.ctx.actorIsAdmin) {
      await respond.reply(say('Only workspace admins can change the workspace defaults. Leave out ', code('scope:workspace'), ' to change your own.'), 'private');
      return;
    }
    const problems = checks.flatMap((ch) => ('problems' in ch ? ch.problems : []));
    if (problems.length > 0) {
      await respond.reply({ body: doc(p('Nothing was changed:'), list(problems), p(emph('See them all with '), code('/settings'), emph('.'))) }, 'private');
      return;
    }
    const changed: string[] = [];
    for (const ch of checks) if ('apply' in ch) changed.push(...(await ch.apply()));
    const whose = scope === 'workspace' ? 'Workspace defaults saved' : 'Saved';
    await respond.reply({ body: doc(p(strong(`${whose}:`)), list(changed)) }, 'private');
  }
  return { spec, run };
}

export const settingsModule = settingsModuleOf(SETTINGS_SECTIONS);
