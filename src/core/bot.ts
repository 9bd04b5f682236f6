import type { CommandSpec } from '../chat/commands.ts';
import type { EventContext, EventHandler, InboundEvent, Responder } from '../chat/port.ts';
import type { TopicCatalog } from '../bank/topics.ts';
import type { AttemptSource, PracticeRepository } from '../store/practice-types.ts';
import type { BankRepository } from '../store/types.ts';
import type { Clock } from './clock.ts';
import { code } from '../chat/md.ts';
import { helpMessage, say } from './messages.ts';
import { silentLogger, type BotLogger, type BotServices, type CommandModule, type TypedAnswerHandler } from './module.ts';
import { practiceForms, practiceModules } from './practice.ts';
import { profileModules } from './profile.ts';
import { coreCommands } from './commands.ts';
import { topicTools } from './topic-tools.ts';
import { StoreUnavailableError } from '../store/errors.ts';
import { keyPointGrader, type Grader } from './grading.ts';
import { practiceDate } from '../time/local-time.ts';
import { streakDayFor } from './practice-days.ts';
import { daystartModule } from './daystart.ts';
import { breakModule } from './breaks.ts';
import { settingsModule } from './settings.ts';
import { wellFormedEvent } from '../chat/well-formed.ts';

/** Practice over months: day start, breaks, caps, repairs, settings (issue 14). */
const longTermModules: CommandModule[] = [daystartModule, breakModule, settingsModule];

const helpSpec = coreCommands.find((c) => c.name === 'help')!;

/** The commands every bot answers, before `extraCommands`: for tools that register them without a bot. */
export function builtInCommandSpecs(): CommandSpec[] {
  return [...practiceModules, ...profileModules, ...longTermModules].map((m) => m.spec).concat(helpSpec);
}

export interface BotDeps {
  practice: PracticeRepository;
  bank: BankRepository;
  catalog: TopicCatalog;
  clock: Clock;
  logger?: BotLogger;
  /** IANA zone for people and workspaces that chose none. */
  defaultTimezone: string;
  /** Grades answers; default: key-point matching with the catalog's synonyms. */
  grader?: Grader;
  /** More commands (e.g. /schedule); their specs join /help and every adapter's registration. */
  extraCommands?: CommandModule[];
}

export interface Bot {
  handle: EventHandler;
  /** Every command, core and extra, for adapters to register. */
  commands: CommandSpec[];
  /** For modules outside the core (scheduler) that need the same person/zone rules. */
  services: BotServices;
}

/** The store could not write: said plainly, without blaming the person, and nothing half-saved. */
const COULD_NOT_SAVE: Record<StoreUnavailableError['reason'], string> = {
  busy: 'I could not save that: the database is busy right now. Nothing was recorded; please try again in a moment.',
  'read-only': 'I could not save that: my database is read-only right now. Nothing was recorded; please try again later (the operator has been told in the logs).',
  full: 'I could not save that: my disk is full. Nothing was recorded; please try again later (the operator has been told in the logs).',
  io: 'I could not save that: the database could not be reached. Nothing was recorded; please try again in a moment.',
};

/** A delivery id is only unique within its platform. */
const PRUNE_EVERY = 500;
const deliveryKey = (ctx: EventContext) => `${ctx.platform}:${ctx.deliveryId}`;

export function createBot(deps: BotDeps): Bot {
  const logger = deps.logger ?? silentLogger;
  const typedAnswers = new Map<AttemptSource, TypedAnswerHandler>();
  const services: BotServices = {
    practice: deps.practice,
    bank: deps.bank,
    topics: topicTools(deps.catalog),
    grader: deps.grader ?? keyPointGrader(deps.catalog),
    clock: deps.clock,
    logger,
    defaultTimezone: deps.defaultTimezone,
    person: (ctx) =>
      deps.practice.ensureAccount(
        {
          accountId: ctx.actor.id,
          platform: ctx.platform,
          displayName: ctx.actor.displayName,
          workspaceKey: `${ctx.platform}:${ctx.workspaceId}`,
        },
        deps.clock.now(),
      ),
    zoneOf: (person) => person.timezone ?? person.workspaceTimezone ?? deps.defaultTimezone,
    typedAnswer: (source) => typedAnswers.get(source),
    dayStartOf: (person) => person.dayStartHour ?? person.workspaceDayStartHour ?? 0,
    dayOf: (person, now) => practiceDate(now, services.zoneOf(person), services.dayStartOf(person)),
    streakDay: (person, now) => streakDayFor(services, person, now),
  };

  const help: CommandModule = {
    spec: helpSpec,
    run: async (_event, respond) => respond.reply(helpMessage(modules.map((m) => m.spec)), 'private'),
  };
  const modules: CommandModule[] = [...practiceModules, ...profileModules, ...longTermModules, help, ...(deps.extraCommands ?? [])];
  const byName = new Map<string, CommandModule>();
  for (const m of modules) {
    if (byName.has(m.spec.name)) throw new Error(`two commands are named /${m.spec.name}; rename one`);
    byName.set(m.spec.name, m);
  }
  const buttons = new Map<string, NonNullable<CommandModule['buttons']>[string]>();
  const forms = new Map<string, NonNullable<CommandModule['forms']>[string]>(Object.entries(practiceForms));
  for (const m of modules) for (const [source, fn] of Object.entries(m.typedAnswers ?? {})) typedAnswers.set(source as AttemptSource, fn);
  for (const m of modules) {
    for (const [id, fn] of Object.entries(m.buttons ?? {})) {
      if (buttons.has(id)) throw new Error(`two modules handle the button ${id}; rename one`);
      buttons.set(id, fn);
    }
    for (const [id, fn] of Object.entries(m.forms ?? {})) {
      if (forms.has(id)) throw new Error(`two modules handle the form ${id}; rename one`);
      forms.set(id, fn);
    }
  }

  async function dispatch(event: InboundEvent, respond: Responder): Promise<void> {
    switch (event.kind) {
      case 'command': {
        const m = byName.get(event.command);
        if (!m) {
          await respond.reply(say(`There is no /${event.command} command. `, code('/help'), ' lists what I can do.'), 'private');
          return;
        }
        if (m.spec.permission === 'admin' && !event.ctx.actorIsAdmin) {
          await respond.reply(say(`Only workspace admins can use /${m.spec.name}.`), 'private');
          return;
        }
        for (const o of m.spec.options) {
          if (o.required && (event.options[o.name] === undefined || String(event.options[o.name]).trim() === '')) {
            await respond.reply(say(`/${m.spec.name} needs ${o.name}: ${o.description}. See `, code('/help'), '.'), 'private');
            return;
          }
        }
        await m.run(event, respond, services);
        return;
      }
      case 'button': {
        const fn = buttons.get(event.actionId);
        if (!fn) {
          logger.warn({ actionId: event.actionId }, 'button with no handler');
          await respond.reply(say('That button is out of date. ', code('/help'), ' lists what I can do.'), 'private');
          return;
        }
        await fn(event, respond, services);
        return;
      }
      case 'form': {
        const fn = forms.get(event.formId);
        if (!fn) {
          logger.warn({ formId: event.formId }, 'form with no handler');
          await respond.reply(say('That form is out of date; nothing was saved.'), 'private');
          return;
        }
        await fn(event, respond, services);
        return;
      }
      case 'autocomplete': {
        const m = byName.get(event.command);
        const choices = m?.autocomplete ? await m.autocomplete(event, services) : [];
        await respond.suggest?.(choices.slice(0, 25));
        return;
      }
    }
  }

  let deliveriesSincePrune = 0;
  const handle: EventHandler = async (arrived, respond) => {
    const event = wellFormedEvent(arrived);
    try {
      // Replays and platform retries carry the same delivery id: handle each once.
      // Autocomplete is read-only and cheap, so it is never deduplicated.
      if (event.kind !== 'autocomplete' && event.ctx.deliveryId) {
        const first = await deps.practice.markDelivery(deliveryKey(event.ctx), deps.clock.now());
        if (!first) {
          logger.info({ deliveryId: event.ctx.deliveryId, kind: event.kind }, 'duplicate delivery ignored');
          return;
        }
        // Platforms retry within minutes; a day of ids is plenty, pruned now and then.
        if (++deliveriesSincePrune >= PRUNE_EVERY) {
          deliveriesSincePrune = 0;
          await deps.practice.pruneDeliveries(new Date(deps.clock.now().getTime() - 86_400_000));
        }
      }
      await dispatch(event, respond);
    } catch (err) {
      const unavailable = err instanceof StoreUnavailableError;
      if (unavailable) logger.warn({ reason: err.reason, code: err.code, kind: event.kind }, 'could not save: the database is unavailable');
      else logger.error({ err, kind: event.kind, platform: event.ctx.platform }, 'event handler failed');
      try {
        if (event.kind === 'autocomplete') await respond.suggest?.([]);
        else if (unavailable) await respond.reply(say(COULD_NOT_SAVE[err.reason]), 'private');
        else await respond.reply(say('Something went wrong on my side; nothing was lost. Please try again in a moment.'), 'private');
      } catch (replyErr) {
        logger.error({ err: replyErr }, 'could not tell the user about the failure');
      }
    }
  };

  return { handle, commands: modules.map((m) => m.spec), services };
}
