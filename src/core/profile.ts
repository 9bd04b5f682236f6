import type { Responder } from '../chat/port.ts';
import { code, emph, list, p, strong, text, userText } from '../chat/md.ts';
import type { BoardQuery, LeaderboardRow, PersonRef } from '../store/practice-types.ts';
import { coreCommands } from './commands.ts';
import { statsCommand } from './stats/command.ts';
import { boardPeriod, type LeaderboardPeriod, type LeaderboardScope } from './leaderboard.ts';
import { readBoard } from './board-read.ts';
import { generateLinkCode, LINK_ATTEMPT_LIMIT, linkCodeExpiry, LINK_CODE_TTL_MS, normaliseLinkCode } from './link-codes.ts';
import { info, say } from './messages.ts';
import { stringOption, type BotServices, type CommandEvent, type CommandModule } from './module.ts';
import { addDays, canonicalTimeZone, isValidTimeZone, localDate, streakFromDays, streakView } from './streaks.ts';
import { currentBreak, excusedRuns, excusesOf, shortDate } from './excuses.ts';
import { repairStreak } from './streak-repair.ts';
import { z } from 'zod';

/** Streaks, boards, stats, time zone and account linking: everything about a person rather than a question. */

function spec(name: string) {
  const s = coreCommands.find((c) => c.name === name);
  if (!s) throw new Error(`no command spec named ${name}`);
  return s;
}

const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;

async function streak(event: CommandEvent, respond: Responder, s: BotServices): Promise<void> {
  const me = await s.person(event.ctx);
  if (event.options.repair === true || stringOption(event, 'date') !== undefined || stringOption(event, 'reason') !== undefined) {
    await repairStreak(event, respond, s, me);
    return;
  }
  const other = stringOption(event, 'person');
  let target: PersonRef = me;
  // Adapters pass a full account id; a bare platform user id is taken to be in this workspace.
  const otherId = other === undefined || other.includes(':') ? other : `${event.ctx.platform}:${event.ctx.workspaceId}:${other}`;
  if (otherId !== undefined && otherId !== event.ctx.actor.id) {
    const found = await s.practice.findAccount(otherId);
    if (!found) {
      await respond.reply(say('They have not practised with prepbot yet.'), 'private');
      return;
    }
    target = found;
  }
  const now = s.clock.now();
  const [state, excuses] = await Promise.all([s.practice.getStreak(target.personId), excusesOf(s, target)]);
  const today = s.dayOf(target, now);
  const view = streakView(state, today, excuses.excused);
  const away = currentBreak(excuses.records, now);
  const owner = target === me ? [text('Your')] : [userText(target.displayName), text('’s')];
  const status = away
    ? text(`🏖 On a break until ${shortDate(away.untilDay, today)}: the streak is safe.`)
    : view.todayDone
      ? text('Today is done ✓')
      : emph('Not answered today yet.');
  const runs = excusedRuns(excuses.excused, addDays(today, -EXCUSES_SHOWN_DAYS), today).slice(-EXCUSE_LINES);
  const repairs = excuses.records.repairs.slice(-EXCUSE_LINES);
  await respond.reply(
    info(
      p(
        ...owner,
        ' streak: ',
        strong(`🔥 ${days(view.current)}`),
        ` (longest ${days(state.longest)}).`,
      ),
      p(
        `Freezes held: ${view.freezes} (one earned per 7-day run, at most 2; each covers one missed day)`,
        view.frozenDay ? `; one was used for ${view.frozenDay}. ` : '. ',
        status,
      ),
      ...(runs.length > 0
        ? [list(runs.map((r) => [`${r.first === r.last ? shortDate(r.first, today) : `${shortDate(r.first, today)}–${shortDate(r.last, today)}`} excused: `, userText(r.reason)]))]
        : []),
      ...(repairs.length > 0
        ? [
            p(strong('Repairs'), ' (by admins, audited):'),
            list(
              repairs.map((r) => [
                `${r.localDate} repaired by `,
                userText(r.repairedByName ?? 'an admin (since deleted)'),
                ` on ${r.repairedAt.slice(0, 10)}: `,
                userText(r.reason),
              ]),
            ),
          ]
        : []),
    ),
    'public',
  );
}

/** /streak lists the excused days of the last month, a few lines at most. */
const EXCUSES_SHOWN_DAYS = 30;
const EXCUSE_LINES = 5;

const scopeSchema = z.enum(['channel', 'workspace', 'global']);
const periodSchema = z.enum(['week', 'month', 'all']);
const SCOPE_TEXT: Record<LeaderboardScope, string> = { channel: 'this channel', workspace: 'this workspace', global: 'everyone (opted in)' };
const BOARD_SIZE = 10;

async function leaderboard(event: CommandEvent, respond: Responder, s: BotServices): Promise<void> {
  const me = await s.person(event.ctx);
  const scopeIn = stringOption(event, 'scope') ?? (event.ctx.isDirect ? 'workspace' : 'channel');
  const periodIn = stringOption(event, 'period') ?? 'week';
  const scope = scopeSchema.safeParse(scopeIn);
  const period = periodSchema.safeParse(periodIn);
  if (!scope.success || !period.success) {
    await respond.reply(
      say('Use scope channel, workspace or global, and period week, month or all; e.g. ', code('/leaderboard workspace month'), '.'),
      'private',
    );
    return;
  }
  const now = s.clock.now();
  // Channel and workspace boards follow the workspace's calendar; the global one, spanning workspaces, UTC's.
  const zone = scope.data === 'global' ? 'UTC' : s.zoneOf({ timezone: null, workspaceTimezone: me.workspaceTimezone });
  const current = boardPeriod(period.data, now, zone);
  const query: BoardQuery = {
    scope: scope.data,
    conversationId: event.ctx.conversationId,
    workspaceKey: `${event.ctx.platform}:${event.ctx.workspaceId}`,
    period: period.data,
    ...(current ? { periodKey: current.key } : {}),
  };
  const { top, visible, excuses, entry } = await readBoard(s, query, now, BOARD_SIZE);
  const awayUntil = (r: LeaderboardRow): string[] => {
    const away = currentBreak(excuses.get(r.personId)?.records ?? { breaks: [] }, now);
    return away ? [`🏖 on a break until ${shortDate(away.untilDay, s.dayOf(r, now))}`] : [];
  };
  const title = p(strong(`Leaderboard: ${SCOPE_TEXT[scope.data]}, ${periodText(period.data, current?.start, zone)}`));
  const lines: BoardLine[] = top.map((r) => ({ rank: r.rank, displayName: r.displayName, streak: r.streak, answers: r.answers, notes: awayUntil(r.row) }));
  const mine = await ownLine(query, me, top.some((r) => r.personId === me.personId), visible, entry);
  if (lines.length === 0) {
    const empty =
      scope.data === 'global'
        ? p('Nobody is on the global board yet: it is opt-in. ', code('/settings global-board:on'), ' puts you on it.')
        : p('No answers here yet. ', code('/ask'), ' to be the first.');
    await respond.reply(info(title, empty, ...(mine && scope.data !== 'global' ? [mine] : [])), 'public');
    return;
  }
  // Plain paragraphs, not an ordered list: ties share a rank, which Markdown numbering cannot show.
  await respond.reply(info(title, ...lines.map((l) => p(...boardLine(l))), ...(mine ? [mine] : [])), 'public');
}

function periodText(period: LeaderboardPeriod, start: Date | undefined, zone: string): string {
  if (!start) return 'all time';
  const first = localDate(start, zone);
  return period === 'week' ? `week from Monday ${first} (${zone})` : `month of ${first.slice(0, 7)} (${zone})`;
}

/** One person on a rendered board; `notes` are shown after the counts (e.g. "on a break"). */
export interface BoardLine {
  rank: number;
  displayName: string;
  streak: number;
  answers: number;
  notes: string[];
}

/** Display names, streak and answer count only: never what anyone answered. */
export function boardLine(l: BoardLine) {
  return [
    `${l.rank}. `,
    userText(l.displayName),
    ` · 🔥 ${l.streak} · ${l.answers} ${l.answers === 1 ? 'answer' : 'answers'}`,
    ...l.notes.map((n) => ` · ${n}`),
  ];
}

/**
 * The asker's own line under the top 10: where they stand without a rank (an exact rank
 * would mean ranking every member, up to everyone, on each call), or why they are not listed.
 */
async function ownLine(
  query: BoardQuery,
  me: PersonRef,
  inTop: boolean,
  visible: (r: LeaderboardRow) => number,
  entryOf: (personId: string) => Promise<LeaderboardRow | undefined>,
) {
  if (me.boardsHidden) return p(emph('You are hidden from all boards'), ' (your streak still counts). ', code('/settings boards:on'), ' shows you again.');
  if (query.scope === 'global' && !me.globalBoard) return p(emph('You are not on the global board'), ': it is opt-in. ', code('/settings global-board:on'), ' to join.');
  if (inTop) return null;
  const entry = await entryOf(me.personId);
  if (!entry) return null;
  return p(emph('You: '), `🔥 ${visible(entry)} · ${entry.answers} ${entry.answers === 1 ? 'answer' : 'answers'} (outside the top ${BOARD_SIZE})`);
}

async function topicsCommand(_event: CommandEvent, respond: Responder, s: BotServices): Promise<void> {
  const topics = (await s.bank.listTopics()).filter((t) => t.questionCount > 0);
  if (topics.length === 0) {
    await respond.reply(say('No topics yet: add notes and run ', code('prepbot import notes'), '.'), 'private');
    return;
  }
  await respond.reply(
    info(
      p(strong('Topics'), ' (use with ', code('/ask <topic>'), ')'),
      list(topics.map((t) => [code(t.id), ` ${t.name} · ${t.questionCount} ${t.questionCount === 1 ? 'question' : 'questions'}`])),
    ),
    'private',
  );
}

async function timezone(event: CommandEvent, respond: Responder, s: BotServices): Promise<void> {
  const me = await s.person(event.ctx);
  const zone = stringOption(event, 'zone');
  if (zone === undefined || !isValidTimeZone(zone)) {
    await respond.reply(
      say(
        zone === undefined ? 'Give a time zone' : 'I don’t know the time zone “',
        ...(zone === undefined ? [] : [userText(zone), '”']),
        '. Use an IANA name, e.g. ',
        code('/timezone Europe/Berlin'),
        ' or ',
        code('/timezone Asia/Kolkata'),
        '.',
      ),
      'private',
    );
    return;
  }
  const canonical = canonicalTimeZone(zone)!;
  await s.practice.setTimezone(me.personId, canonical);
  const today = localDate(s.clock.now(), canonical);
  await respond.reply(say(`Your streak days now follow ${canonical} (today there is ${today}).`), 'private');
}

async function link(event: CommandEvent, respond: Responder, s: BotServices): Promise<void> {
  const me = await s.person(event.ctx);
  const typed = stringOption(event, 'code');
  const now = s.clock.now();
  if (typed === undefined) {
    let code_: string | undefined;
    for (let tries = 0; tries < 5 && code_ === undefined; tries++) {
      const candidate = generateLinkCode();
      try {
        await s.practice.createLinkCode(me.personId, candidate, now, linkCodeExpiry(now));
        code_ = candidate;
      } catch (err) {
        // A collision with a live code: draw another.
        s.logger.warn({ err }, 'link code collision');
      }
    }
    if (code_ === undefined) throw new Error('could not issue a link code after 5 tries');
    await respond.reply(
      info(
        p('Your link code: ', strong(code_)),
        p(
          'On your other platform run ',
          code(`/link ${code_}`),
          ` within ${LINK_CODE_TTL_MS / 60_000} minutes. It works once; afterwards both accounts share streaks, reviews and history.`,
        ),
      ),
      'private',
    );
    return;
  }
  const normal = normaliseLinkCode(typed);
  if (!normal) {
    await respond.reply(say('That is not a link code: codes are 6 letters and digits, e.g. ', code('/link K7QX2M'), '.'), 'private');
    return;
  }
  const result = await s.practice.redeemLinkCode(normal, me.accountId, now, streakFromDays, LINK_ATTEMPT_LIMIT);
  if (!result.ok && result.reason === 'too-many-attempts') {
    const minutes = Math.max(1, Math.ceil((result.retryAt.getTime() - now.getTime()) / 60_000));
    const who = result.scope === 'account' ? 'from this account' : 'in this workspace';
    await respond.reply(
      say(
        `Too many wrong link codes ${who} recently, so linking is paused for safety. ` +
          `Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}; if your code has expired by then, run /link on your other platform for a new one.`,
      ),
      'private',
    );
    return;
  }
  if (!result.ok) {
    const why = {
      unknown: 'That code is not valid. Check it, or run /link on your other platform for a new one.',
      expired: 'That code has expired (codes last 10 minutes). Run /link on your other platform for a new one.',
      used: 'That code was already used. Run /link on your other platform for a new one.',
      'own-code': 'This account is already part of the same person as that code; nothing to link.',
    }[result.reason];
    await respond.reply(say(why), 'private');
    return;
  }
  // The merge replayed the streak from the joined days; replay again with the joined excused days too.
  const merged = await s.practice.findAccount(me.accountId);
  if (merged) {
    const { excused } = await excusesOf(s, merged);
    await s.practice.replayStreak(merged.personId, now, (active) => streakFromDays(active, excused));
  }
  const accounts = await s.practice.accountsOf(result.personId);
  await respond.reply(
    say(`Linked. ${accounts.map((a) => a.platform).join(' and ')} accounts now share one streak, reviews and history.`),
    'private',
  );
}

async function unlink(event: CommandEvent, respond: Responder, s: BotServices): Promise<void> {
  const me = await s.person(event.ctx);
  const done = await s.practice.unlinkAccount(me.accountId, event.ctx.actor.displayName, s.clock.now());
  await respond.reply(
    done
      ? say('Unlinked. This account starts fresh; your history stays with your other accounts.')
      : say('This account is not linked to any other.'),
    'private',
  );
}

export const profileModules: CommandModule[] = [
  { spec: spec('streak'), run: streak },
  { spec: spec('leaderboard'), run: leaderboard },
  { spec: spec('topics'), run: topicsCommand },
  { spec: spec('stats'), run: statsCommand },
  { spec: spec('timezone'), run: timezone },
  { spec: spec('link'), run: link },
  { spec: spec('unlink'), run: unlink },
];
