import type { AnswerForm, Message } from './message.ts';

export type Platform = 'console' | 'discord' | 'slack' | 'memory';

/**
 * Conversation ids are one reversible string `{platform}:{workspace}:{channel}`
 * (e.g. `slack:T1:C9`, `discord:G1:C7`, `console:local:main`) so the core stores
 * and compares them without knowing their parts.
 */
export type ConversationId = string;

/** An account on one platform. `id` is globally unique: `{platform}:{workspace}:{user}`. */
export interface Account {
  platform: Platform;
  id: string;
  displayName: string;
}

/** Where an event happened and who did it. */
export interface EventContext {
  platform: Platform;
  /** Platform workspace / guild id ("local" for the console; "@dm" for a Discord DM without guild). */
  workspaceId: string;
  conversationId: ConversationId;
  isDirect: boolean;
  actor: Account;
  /** Platform-provided permission facts used by core permission checks. */
  actorIsAdmin: boolean;
  /** The platform's id for this delivery, so a replayed/retried delivery is handled once. */
  deliveryId?: string;
}

export type OptionValue = string | number | boolean;

export type InboundEvent =
  | { kind: 'command'; ctx: EventContext; command: string; options: Record<string, OptionValue> }
  | { kind: 'button'; ctx: EventContext; actionId: string; value: string; message?: MessageRef }
  | { kind: 'form'; ctx: EventContext; formId: string; value: string; text: string }
  | { kind: 'autocomplete'; ctx: EventContext; command: string; option: string; partial: string };

/** A message the bot posted, enough to edit it or thread under it later. */
export interface MessageRef {
  conversationId: ConversationId;
  messageId: string;
}

export interface Choice {
  name: string;
  value: string;
}

export type Visibility = 'public' | 'private';

/**
 * How the core answers the event it is handling. Optional capabilities are
 * checked by the core, which falls back (e.g. a private reply when a form
 * cannot be opened) instead of each adapter faking what its platform lacks.
 */
export interface Responder {
  /** Reply to the invoker. `private` = only they see it (Discord/Slack ephemeral). */
  reply(message: Message, visibility: Visibility): Promise<void>;
  /** Open an answer form for the invoker (button and command events only). */
  openForm?(form: AnswerForm): Promise<void>;
  /** Replace the message the pressed button sits on. */
  updateSource?(message: Message): Promise<void>;
  /** Answer an autocomplete request (autocomplete events only; ≤ 25 choices). */
  suggest?(choices: Choice[]): Promise<void>;
  /**
   * True when `reply` shows a message's `image` (Discord attachment, Slack file,
   * console file path). Absent: only the text is shown, so the core need not draw one.
   */
  readonly showsImages?: boolean;
}

export type EventHandler = (event: InboundEvent, respond: Responder) => Promise<void>;

/** Every platform implements this port. Adapters translate; they hold no rules. */
export interface PostOptions {
  /**
   * The same key for the same logical post (e.g. one schedule's question for one day). A platform
   * that can deduplicate sends (Discord: `nonce` + `enforce_nonce`) returns the message already
   * posted with this key instead of posting it again, so a retry after a lost response or a crash
   * does not duplicate it. Platforms without such a key ignore it.
   */
  idempotencyKey?: string;
}

export interface ChatAdapter {
  readonly platform: Platform;
  /** Connect and start delivering events to `handler`. Resolves once ready. */
  start(handler: EventHandler): Promise<void>;
  stop(): Promise<void>;
  /** Post to a conversation (scheduled questions, summaries). */
  post(conversationId: ConversationId, message: Message, options?: PostOptions): Promise<MessageRef>;
  /** Edit a message the bot posted. */
  update?(ref: MessageRef, message: Message): Promise<void>;
  /** Start a discussion thread under a posted message; returns the thread's conversation id. */
  startThread?(ref: MessageRef, name: string): Promise<ConversationId>;
  /**
   * Send a direct (private) message to an account, by its account id
   * `{platform}:{workspace}:{user}`. Optional: used for owner notices such as
   * "your daily question could not be posted"; callers fall back to logging.
   */
  postDirect?(accountId: string, message: Message): Promise<MessageRef>;
}

/** Raised by adapters when a conversation can no longer be posted to (removed, archived, no permission). */
export class ConversationUnavailableError extends Error {
  constructor(
    readonly conversationId: ConversationId,
    readonly reason: string,
  ) {
    super(`cannot post to ${conversationId}: ${reason}`);
    this.name = 'ConversationUnavailableError';
  }
}

export function conversationId(platform: Platform, workspace: string, channel: string): ConversationId {
  return `${platform}:${workspace}:${channel}`;
}

export function parseConversationId(id: ConversationId): { platform: Platform; workspace: string; channel: string } {
  const [platform, workspace, ...rest] = id.split(':');
  if (!platform || workspace === undefined || rest.length === 0) {
    throw new Error(`not a conversation id: ${id} (expected platform:workspace:channel)`);
  }
  return { platform: platform as Platform, workspace, channel: rest.join(':') };
}
