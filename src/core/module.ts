import type { CommandSpec } from '../chat/commands.ts';
import type { Choice, EventContext, InboundEvent, Responder } from '../chat/port.ts';
import type { AttemptRecord, AttemptSource, PersonRef, PracticeRepository, RecordAnswerInput } from '../store/practice-types.ts';
import type { BankRepository } from '../store/types.ts';
import type { Clock } from './clock.ts';
import type { Grader } from './grading.ts';
import type { TopicTools } from './topic-tools.ts';

export type CommandEvent = Extract<InboundEvent, { kind: 'command' }>;
export type ButtonEvent = Extract<InboundEvent, { kind: 'button' }>;
export type FormEvent = Extract<InboundEvent, { kind: 'form' }>;
export type AutocompleteEvent = Extract<InboundEvent, { kind: 'autocomplete' }>;

/** What the core logs through; a pino logger fits. */
export interface BotLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const silentLogger: BotLogger = { info() {}, warn() {}, error() {} };

/** What a person's day depends on; day-start fields missing = not chosen. */
export type PersonDayRef = Pick<PersonRef, 'timezone' | 'workspaceTimezone'> & Partial<Pick<PersonRef, 'dayStartHour' | 'workspaceDayStartHour'>>;

/** Everything a command handler may use. One set per bot. */
export interface BotServices {
  practice: PracticeRepository;
  bank: BankRepository;
  topics: TopicTools;
  /** Key-point coverage of an answer; a port, so a stronger grader can replace the matcher. */
  grader: Grader;
  clock: Clock;
  logger: BotLogger;
  /** Zone used when neither the person nor their workspace chose one. */
  defaultTimezone: string;
  /** The person behind an event; created on first contact. */
  person(ctx: EventContext): Promise<PersonRef>;
  /** The zone a person's days are counted in: theirs, else their workspace's, else the default. */
  zoneOf(person: Pick<PersonRef, 'timezone' | 'workspaceTimezone'>): string;
  /** The hour (0-23) a person's practice day starts: theirs, else their workspace's, else 0. */
  dayStartOf(person: PersonDayRef): number;
  /** The practice day `now` belongs to for this person: their zone's wall clock, shifted by their day start. */
  dayOf(person: PersonDayRef, now: Date): string;
  /**
   * What an answer (or a peer interviewer's practice) at `now` counts for: the
   * day, and the streak step that knows the person's excused days. The first
   * answer during a break ends the break. Every caller that records practice
   * uses this, so interviews and /ask count days the same way.
   */
  streakDay(person: PersonDayRef & { personId: string }, now: Date): Promise<{ localDate: string; applyActivity: RecordAnswerInput['applyActivity'] }>;
  /** Who takes `/answer` for an attempt of this source, when not the practice flow. */
  typedAnswer(source: AttemptSource): TypedAnswerHandler | undefined;
}

/**
 * A command with its handler beside it. Core commands are modules; other
 * features (e.g. /schedule) plug in the same way through createBot's
 * `extraCommands`. Permission from `spec.permission` is checked before `run`.
 */
export interface CommandModule {
  spec: CommandSpec;
  run(event: CommandEvent, respond: Responder, services: BotServices): Promise<void>;
  /** Choices for an option declared with `autocomplete: true`. */
  autocomplete?(event: AutocompleteEvent, services: BotServices): Promise<Choice[]>;
  /** Buttons this module puts on its messages, by action id. */
  buttons?: Record<string, (event: ButtonEvent, respond: Responder, services: BotServices) => Promise<void>>;
  /**
   * `/answer <text>` for an open attempt of a source this module owns (e.g.
   * 'interview'): the module takes the typed answer as its own form would.
   */
  typedAnswers?: Partial<Record<AttemptSource, TypedAnswerHandler>>;
  /** Forms this module opens, by form id. */
  forms?: Record<string, (event: FormEvent, respond: Responder, services: BotServices) => Promise<void>>;
}

export type TypedAnswerHandler = (
  ctx: EventContext,
  attempt: AttemptRecord,
  text: string,
  respond: Responder,
  services: BotServices,
) => Promise<void>;

/** Reads a string option as typed, trimmed; undefined when absent or blank. */
export function stringOption(event: CommandEvent, name: string): string | undefined {
  const v = event.options[name];
  if (v === undefined || v === null) return undefined;
  const s = String(v).trim();
  return s === '' ? undefined : s;
}
