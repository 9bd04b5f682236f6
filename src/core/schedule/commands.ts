import type { CommandSpec } from '../../chat/commands.ts';
import type { Message } from '../../chat/message.ts';
import type { EventContext, Responder } from '../../chat/port.ts';
import { parseConversationId } from '../../chat/port.ts';
import { code, doc, emph, list, p, strong, text, userText } from '../../chat/md.ts';
import { stringOption, type BotServices, type CommandEvent, type CommandModule } from '../module.ts';
import {
  canonicalTimeZone,
  describeWeekdays,
  localDateOf,
  nextOccurrence,
  parseLocalTime,
  parseWeekdays,
} from '../../scheduler/times.ts';
import { dailyQuestionMessage } from './pick.ts';
import type { DailyComposer } from './daily.ts';
import type { Schedule, SchedulePost, ScheduleRepository } from './types.ts';

/**
 * /schedule set|list|pause|resume|delete|preview. One live schedule per channel:
 * `set` creates it or changes it. Who may change it: platform admins (the
 * adapter sets ctx.actorIsAdmin: Discord Manage Server/Channels, Slack
 * workspace admins), accounts in PREPBOT_ADMINS, and the schedule's creator.
 * `list` is open to everyone (it shows nothing secret).
 */

export const SET_EXAMPLE = '/schedule set time:09:30 timezone:Asia/Kolkata days:mon-fri';

export const scheduleSpec: CommandSpec = {
  name: 'schedule',
  description: 'A daily interview question in this channel: set, list, pause, resume, delete, preview',
  options: [],
  subcommands: [
    {
      name: 'set',
      description: 'Post a daily question in this channel at a local time (changes it if one exists)',
      options: [
        { name: 'time', description: 'Local time, 24-hour HH:MM, e.g. 09:30', type: 'string', required: true, maxLength: 16 },
        { name: 'timezone', description: 'IANA time zone, e.g. Asia/Kolkata (default: yours)', type: 'string', maxLength: 64 },
        { name: 'days', description: 'mon-fri, weekdays, daily or mon,wed,fri (default: mon-fri)', type: 'string', maxLength: 64 },
        { name: 'topic', description: 'Only questions on this topic, e.g. concurrency (default: any)', type: 'string', autocomplete: true, maxLength: 100 },
        { name: 'reveal', description: 'Local time to post the answer, e.g. 17:00 (default: with the next question)', type: 'string', maxLength: 16 },
      ],
    },
    { name: 'list', description: 'Daily question schedules in this workspace', options: [] },
    { name: 'pause', description: 'Pause the daily question in this channel', options: [] },
    { name: 'resume', description: 'Resume the daily question in this channel', options: [] },
    { name: 'delete', description: 'Stop the daily question in this channel for good', options: [] },
    { name: 'preview', description: 'Show only me the question this channel gets next', options: [] },
  ],
  permission: 'everyone',
};

export interface ScheduleCommandDeps {
  schedules: ScheduleRepository;
  composer: Pick<DailyComposer, 'pick'>;
  /** Account ids allowed to manage any schedule (PREPBOT_ADMINS). */
  admins?: readonly string[];
}

const msg = (...parts: Parameters<typeof p>): Message => ({ body: doc(p(...parts)) });

function describe(s: Schedule): string {
  const parts = [`${s.localTime} ${s.timezone}`, describeWeekdays(s.weekdays)];
  if (s.topic) parts.push(`topic ${s.topic}`);
  parts.push(s.revealTime ? `answer at ${s.revealTime}` : 'answer with the next question');
  return parts.join(', ');
}

function nextPostText(s: Schedule, now: Date): string {
  const next = nextOccurrence(s, now);
  if (!next) return 'no upcoming day';
  const hours = (next.at.getTime() - now.getTime()) / 3600_000;
  const inText = hours < 1 ? `in ${Math.max(1, Math.round(hours * 60))} min` : hours < 48 ? `in ${Math.round(hours)} h` : `in ${Math.round(hours / 24)} days`;
  return `${next.localDate} ${s.localTime} (${inText})`;
}

function lastPostText(post: SchedulePost | undefined): string | undefined {
  if (!post) return undefined;
  if (post.status === 'sent') return `last posted ${post.localDate}`;
  if (post.status === 'claimed') return `posting ${post.localDate}`;
  return `${post.localDate} ${post.status}${post.error ? `: ${post.error}` : ''}`;
}

export function createScheduleCommands(deps: ScheduleCommandDeps): CommandModule[] {
  const { schedules, composer } = deps;
  const admins = new Set(deps.admins ?? []);

  const isAdmin = (ctx: EventContext) => ctx.actorIsAdmin || admins.has(ctx.actor.id);
  const mayManage = (ctx: EventContext, s: Schedule | undefined) => isAdmin(ctx) || (s !== undefined && s.createdBy === ctx.actor.id);

  const refuse = (respond: Responder, what: string) =>
    respond.reply(
      msg(
        `Sorry, only channel admins and whoever set up this channel’s daily question can ${what}. `,
        'Ask one of them, or ask the bot operator to add you to PREPBOT_ADMINS.',
      ),
      'private',
    );

  const noSchedule = (respond: Responder) =>
    respond.reply(msg('There is no daily question in this channel yet. Set one with ', code(SET_EXAMPLE), '.'), 'private');

  const invalid = (respond: Responder, problem: string) =>
    respond.reply(msg(text(problem), text('. Example: '), code(SET_EXAMPLE), text('.')), 'private');

  async function set(event: CommandEvent, respond: Responder, services: BotServices): Promise<void> {
    const { ctx } = event;
    if (ctx.isDirect) {
      await respond.reply(msg('Run ', code('/schedule set'), ' in the channel where the daily question should appear.'), 'private');
      return;
    }
    const existing = await schedules.scheduleFor(ctx.conversationId);
    if (!mayManage(ctx, existing)) {
      await refuse(respond, 'schedule the daily question');
      return;
    }

    const time = parseLocalTime(stringOption(event, 'time') ?? '');
    if (!time.ok) return invalid(respond, `time: ${time.error}`);

    const zoneInput = stringOption(event, 'timezone');
    let timezone: string;
    if (zoneInput) {
      const zone = canonicalTimeZone(zoneInput);
      if (!zone) {
        return invalid(respond, `timezone: "${zoneInput}" is not a time zone I know; use an IANA name such as Asia/Kolkata, Europe/Berlin or America/New_York`);
      }
      timezone = zone;
    } else {
      timezone = services.zoneOf(await services.person(ctx));
    }

    const days = parseWeekdays(stringOption(event, 'days') ?? 'mon-fri');
    if (!days.ok) return invalid(respond, `days: ${days.error}`);

    let topic: string | null = null;
    const topicInput = stringOption(event, 'topic');
    if (topicInput && !['any', 'all', '*'].includes(topicInput.toLowerCase())) {
      const resolved = services.topics.resolve(topicInput);
      if (!resolved.ok) {
        const hint = resolved.suggestions.length > 0 ? `; did you mean ${resolved.suggestions.slice(0, 3).join(', ')}?` : '; /topics lists them';
        return invalid(respond, `topic: no topic matches "${topicInput}"${hint}`);
      }
      topic = resolved.id;
      const count = await services.bank.countQuestions({ topic, servable: true });
      if (count === 0) return invalid(respond, `topic: ${resolved.name} has no questions with answers yet; import notes for it or pick another topic`);
    }

    let revealTime: string | null = null;
    const revealInput = stringOption(event, 'reveal');
    if (revealInput) {
      const reveal = parseLocalTime(revealInput);
      if (!reveal.ok) return invalid(respond, `reveal: ${reveal.error.replace('time:09:30', 'reveal:17:00')}`);
      if (reveal.value <= time.value) {
        return invalid(respond, `reveal: ${reveal.value} must be later the same day than time ${time.value}; leave reveal out to post the answer with the next question`);
      }
      revealTime = reveal.value;
    }

    const now = services.clock.now();
    const { schedule, created } = await schedules.upsertSchedule(
      {
        conversationId: ctx.conversationId,
        platform: ctx.platform,
        workspaceId: ctx.workspaceId,
        localTime: time.value,
        timezone,
        weekdays: days.value,
        topic,
        revealTime,
        createdBy: ctx.actor.id,
      },
      now,
    );
    await respond.reply(
      {
        body: doc(
          p(strong(created ? 'Daily question scheduled for this channel' : 'Daily question updated for this channel'), text(`: ${describe(schedule)}.`)),
          p(text(`Next: ${nextPostText(schedule, now)}. `), emph('Pause, resume or delete it with /schedule.')),
        ),
      },
      'public',
    );
  }

  async function listAll(event: CommandEvent, respond: Responder, services: BotServices): Promise<void> {
    const now = services.clock.now();
    const all = await schedules.listSchedules({ platform: event.ctx.platform, workspaceId: event.ctx.workspaceId });
    if (all.length === 0) {
      await respond.reply(msg('No daily questions are scheduled in this workspace. Start one with ', code(SET_EXAMPLE), '.'), 'private');
      return;
    }
    const items = await Promise.all(
      all.map(async (s) => {
        const posts = await schedules.listPosts(s.id);
        const last = lastPostText(posts[posts.length - 1]);
        const channel = parseConversationId(s.conversationId).channel;
        const status =
          s.status === 'paused' ? `paused${s.pausedReason ? ` (${s.pausedReason})` : ''}` : `next ${nextPostText(s, now)}`;
        return [
          p(
            strong(s.conversationId === event.ctx.conversationId ? 'this channel' : `#${channel}`),
            text(`: ${describe(s)}; ${status}${last ? `; ${last}` : ''}.`),
          ),
        ];
      }),
    );
    await respond.reply({ body: doc(p(strong('Daily questions in this workspace')), list(items)) }, 'private');
  }

  async function changeStatus(
    action: 'pause' | 'resume' | 'delete',
    event: CommandEvent,
    respond: Responder,
    services: BotServices,
  ): Promise<void> {
    const { ctx } = event;
    const schedule = await schedules.scheduleFor(ctx.conversationId);
    if (!schedule) return noSchedule(respond);
    if (!mayManage(ctx, schedule)) return refuse(respond, `${action} the daily question`);
    const now = services.clock.now();
    if (action === 'pause') {
      if (!(await schedules.pauseSchedule(schedule.id, `paused by ${ctx.actor.displayName}`, now))) {
        await respond.reply(msg('The daily question here is already paused. ', code('/schedule resume'), ' starts it again.'), 'private');
        return;
      }
      await respond.reply(
        { body: doc(p(text('Daily question paused by '), userText(ctx.actor.displayName), text('. '), code('/schedule resume'), text(' starts it again.'))) },
        'public',
      );
    } else if (action === 'resume') {
      if (!(await schedules.resumeSchedule(schedule.id, now))) {
        await respond.reply(msg(`The daily question here is already running: ${describe(schedule)}.`), 'private');
        return;
      }
      await respond.reply(msg(`Daily question resumed: ${describe(schedule)}. Next: ${nextPostText(schedule, now)}.`), 'public');
    } else {
      await schedules.deleteSchedule(schedule.id, now);
      await respond.reply(
        { body: doc(p(text('Daily question removed from this channel by '), userText(ctx.actor.displayName), text('.'))) },
        'public',
      );
    }
  }

  async function preview(event: CommandEvent, respond: Responder, services: BotServices): Promise<void> {
    const { ctx } = event;
    const schedule = await schedules.scheduleFor(ctx.conversationId);
    if (!schedule) return noSchedule(respond);
    if (!mayManage(ctx, schedule)) return refuse(respond, 'preview the daily question');
    const now = services.clock.now();
    const next = nextOccurrence(schedule, now);
    const localDate = next?.localDate ?? localDateOf(now, schedule.timezone);
    const question = await composer.pick(schedule, localDate);
    if (!question) {
      await respond.reply(msg('There is no question to post: the topic has no questions with answers. Import notes or change the topic with ', code('/schedule set'), '.'), 'private');
      return;
    }
    const posted = dailyQuestionMessage(question, schedule, localDate);
    // Shown to the admin only, without buttons: answering a preview would not count as the daily.
    await respond.reply(
      {
        body: doc(
          p(emph(`Preview, only you see this. Unless the notes or answers change, this is what the channel gets on ${localDate} at ${schedule.localTime}:`)),
          ...posted.body.children,
        ),
      },
      'private',
    );
  }

  const module: CommandModule = {
    spec: scheduleSpec,
    async run(event, respond, services) {
      const sub = stringOption(event, 'subcommand');
      switch (sub) {
        case 'set':
          return set(event, respond, services);
        case 'list':
          return listAll(event, respond, services);
        case 'pause':
        case 'resume':
        case 'delete':
          return changeStatus(sub, event, respond, services);
        case 'preview':
          return preview(event, respond, services);
        default:
          await respond.reply(
            msg('Use ', code('/schedule set'), ', ', code('list'), ', ', code('pause'), ', ', code('resume'), ', ', code('delete'), ' or ', code('preview'), '. Example: ', code(SET_EXAMPLE), '.'),
            'private',
          );
      }
    },
    async autocomplete(event, services) {
      if (event.option !== 'topic') return [];
      return services.topics.rank(event.partial, 25).map((t) => ({ name: t.name, value: t.id }));
    },
  };
  return [module];
}
