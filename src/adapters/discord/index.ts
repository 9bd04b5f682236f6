/**
 * The Discord adapter: discord.js 14 on one side, the ChatAdapter port on the
 * other. It translates interactions into InboundEvents and Messages into
 * Discord messages, components and modals; it holds no practice rules.
 *
 * Identity: a Discord account is global (the same user id in every guild and
 * in DMs), so an actor's account id is `discord:user:{userId}`, whatever guild
 * the event came from. Conversations are `discord:{guildId|@dm}:{channelId}`.
 *
 * Deadline: Discord drops an interaction not acknowledged within 3 s. If the
 * handler has not answered after `deferAfterMs` (2 s), the adapter defers
 * (commands: a private "thinking…"; buttons/forms: a silent deferUpdate) and
 * later answers go through the interaction webhook.
 */
import {
  Client,
  DiscordAPIError,
  DiscordjsError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  PermissionFlagsBits,
  RESTEvents,
  Routes,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Interaction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  type MessageCreateOptions,
  type ModalSubmitInteraction,
} from 'discord.js';
import { createHash } from 'node:crypto';
import type { Message } from '../../chat/message.ts';
import {
  ConversationUnavailableError,
  conversationId as makeConversationId,
  parseConversationId,
  type ChatAdapter,
  type Choice,
  type ConversationId,
  type EventContext,
  type EventHandler,
  type InboundEvent,
  type MessageRef,
  type OptionValue,
  type PostOptions,
  type Responder,
  type Visibility,
} from '../../chat/port.ts';
import { createLogger } from '../../logger.ts';
import { ANSWER_INPUT_ID, actionRows, answerModal, clip, decodeCustomId } from './cards.ts';
import { renderMessageContents } from './markdown.ts';
import { DISCORD_LIMITS, type DiscordAdapterConfig, type DiscordLogger } from './types.ts';

export type { DiscordAdapterConfig, DiscordLogger } from './types.ts';
export { registerDiscordCommands, commandsToDiscordJson } from './register.ts';

/** Every message the bot sends: no @everyone, no roles, no users, whatever the text says. */
const NO_PINGS = { parse: [] as [] } as const;

/** Codes that mean "this interaction is gone or already answered": log and move on. */
const GONE_CODES = new Set([10062, 40060, 10015, 10008]);
/** Codes that mean "the bot can no longer post here". */
const UNAVAILABLE_CODES = new Set([10003, 50001, 50013, 10004, 50024, 50083]);

const SEEN_LIMIT = 10_000;

export function accountIdFor(userId: string): string {
  return `discord:user:${userId}`;
}

export function userIdFromAccountId(accountId: string): string | null {
  const m = /^discord:user:(\d+)$/.exec(accountId);
  return m ? m[1]! : null;
}

/** Discord's answer to a second first-callback of an interaction. */
const ALREADY_ACKNOWLEDGED = 40060;

/** Discord's answer when a thread already exists for the message (its id is the message's id). */
const THREAD_ALREADY_CREATED = 160004;

/**
 * A Discord message nonce (at most 25 characters) for part `part` of the post with `key`: the same
 * key gives the same nonces, so Discord returns the earlier message instead of posting it again.
 */
export function nonceFor(key: string, part: number): string {
  return createHash('sha256').update(`${key}#${part}`).digest('base64url').slice(0, 25);
}

function isGone(e: unknown): boolean {
  if (e instanceof DiscordAPIError) return typeof e.code === 'number' && GONE_CODES.has(e.code);
  // discord.js refuses a second reply on the same object itself.
  return e instanceof DiscordjsError && (e.code === 'InteractionAlreadyReplied' || e.code === 'InteractionNotReplied');
}

function describe(e: unknown): object {
  if (e instanceof DiscordAPIError) return { code: e.code, status: e.status, method: e.method, url: e.url, err: e.message };
  return { err: e instanceof Error ? e.message : String(e) };
}

interface Payload {
  content?: string;
  components: ReturnType<typeof actionRows>;
  /** The message's picture as an attachment (multipart upload); alt text as its description. */
  files?: { attachment: Buffer; name: string; description: string }[];
}

/** Rendered message → one payload per Discord message (≤ 2000 chars), buttons and picture on the last. */
function payloads(message: Message): Payload[] {
  const contents = renderMessageContents(message, DISCORD_LIMITS.messageChars);
  const rows = actionRows(message.actions);
  const img = message.image;
  const files = img
    ? [{ attachment: Buffer.from(img.png.buffer, img.png.byteOffset, img.png.byteLength), name: img.name, description: clip(img.alt, DISCORD_LIMITS.attachmentDescription) }]
    : undefined;
  const last = { components: rows, ...(files ? { files } : {}) };
  if (contents.length === 0) return rows.length || files ? [last] : [];
  return contents.map((content, i) => (i === contents.length - 1 ? { content, ...last } : { content, components: [] }));
}

/** Codes after which a message with a picture is sent again without it: no Attach Files permission, file too large. */
const FILE_REFUSED_CODES = new Set([50013, 40005]);

/** Sends a payload; if Discord refuses only because of its picture, sends the text without it (the text says it all). */
async function sendingFiles<T>(p: Payload, send: (p: Payload) => Promise<T>, log: DiscordLogger): Promise<T> {
  try {
    return await send(p);
  } catch (e) {
    if (!p.files || !(e instanceof DiscordAPIError && typeof e.code === 'number' && FILE_REFUSED_CODES.has(e.code))) throw e;
    log.warn(describe(e), 'discord: the picture was refused (grant the bot Attach Files); sent the text without it');
    return send(withoutFiles(p));
  }
}

/** The fields an edit of an existing message takes: Discord keeps the old attachments unless told, so pictures are not edited. */
function withoutFiles(p: Payload): Payload {
  return { ...(p.content !== undefined ? { content: p.content } : {}), components: p.components };
}

type Kind = 'command' | 'autocomplete' | 'button' | 'form';
type State = 'fresh' | 'deferredReply' | 'deferredUpdate' | 'answered';
type Answerable = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

/**
 * Answers one interaction. Calls are serialised so the defer timer and the
 * handler never race into two first callbacks.
 */
class InteractionResponder {
  private state: State = 'fresh';
  private queue: Promise<unknown> = Promise.resolve();
  private acted = false;

  constructor(
    private readonly interaction: Answerable | AutocompleteInteraction,
    private readonly kind: Kind,
    private readonly log: DiscordLogger,
    /** Whether a callback of this interaction got a 5xx (which discord.js then retried). */
    private readonly callbackFailed: (interactionId: string) => boolean,
  ) {}

  /** The Responder the core sees: only the capabilities this interaction has. */
  responder(): Responder {
    // Attachments work on every reply, ephemeral ones included.
    const r: Responder = { reply: (m, v) => this.run(() => this.reply(m, v)), showsImages: this.kind !== 'autocomplete' };
    if (this.kind === 'command' || this.kind === 'button') r.openForm = (f) => this.run(() => this.openForm(f));
    if (this.kind === 'button' || (this.kind === 'form' && (this.interaction as ModalSubmitInteraction).message)) {
      r.updateSource = (m) => this.run(() => this.updateSource(m));
    }
    if (this.kind === 'autocomplete') r.suggest = (c) => this.run(() => this.suggest(c));
    return r;
  }

  private run(op: () => Promise<void>): Promise<void> {
    this.acted = true;
    const next = this.queue.then(op).catch((e: unknown) => {
      if (isGone(e)) {
        this.log.warn({ interactionId: this.interaction.id, ...describe(e) }, 'discord: interaction expired or already answered; ignored');
        return;
      }
      throw e;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Called by the timer: acknowledge before Discord's 3-second deadline. */
  deferIfUnanswered(): Promise<void> {
    return this.run(async () => {
      if (this.state !== 'fresh' || this.kind === 'autocomplete') return;
      const i = this.interaction as Answerable;
      if (this.kind === 'command' || !this.hasSourceMessage()) {
        // Private: most answers to a command are for the invoker only; a public one gets a note here.
        await this.acknowledge(() => i.deferReply({ flags: MessageFlags.Ephemeral }), 'deferred');
        this.state = 'deferredReply';
      } else {
        await this.acknowledge(() => (i as ButtonInteraction | ModalSubmitInteraction).deferUpdate(), 'deferred');
        this.state = 'deferredUpdate';
      }
      this.log.debug({ interactionId: i.id }, 'discord: deferred a slow interaction');
    });
  }

  /** After the handler: make sure Discord never shows "The application did not respond". */
  finish(failed: boolean): Promise<void> {
    return this.run(async () => {
      if (this.kind === 'autocomplete') {
        if (this.state === 'fresh') await (this.interaction as AutocompleteInteraction).respond([]);
        return;
      }
      if (failed) {
        await this.reply(
          { body: { type: 'root', children: [{ type: 'paragraph', children: [{ type: 'text', value: 'Sorry, something went wrong on our side. Please try again in a moment.' }] }] } },
          'private',
        );
        return;
      }
      const i = this.interaction as Answerable;
      if (this.state === 'fresh' && this.hasSourceMessage()) {
        await this.acknowledge(() => (i as ButtonInteraction | ModalSubmitInteraction).deferUpdate(), 'deferred');
        this.state = 'answered';
      } else if (this.state === 'fresh' || this.state === 'deferredReply') {
        this.log.warn({ interactionId: i.id, kind: this.kind }, 'discord: handler sent no answer to an interaction');
        if (this.state === 'deferredReply') await i.deleteReply();
      }
    });
  }

  /**
   * Sends the interaction's first callback. Discord's 40060 ("already acknowledged") here means the
   * callback went through although its response was lost: discord.js retried it after a 5xx. The
   * person saw it, so carry on as if
   * it had succeeded (discord.js only marks the interaction on success; follow-ups need the mark),
   * rather than dropping the rest of the answer.
   */
  private async acknowledge(call: () => Promise<unknown>, as: 'deferred' | 'replied'): Promise<void> {
    try {
      await call();
    } catch (e) {
      // Without a 5xx on this interaction's callback first, 40060 means someone else answered it
      // (another process on the same token): stay quiet, as before.
      if (!(e instanceof DiscordAPIError && e.code === ALREADY_ACKNOWLEDGED && this.callbackFailed(this.interaction.id))) throw e;
      const i = this.interaction as Answerable;
      if (as === 'deferred') i.deferred = true;
      else i.replied = true;
      this.log.warn({ interactionId: i.id }, 'discord: a retried callback found the interaction already acknowledged; continuing');
    }
  }

  get answered(): boolean {
    return this.acted;
  }

  private hasSourceMessage(): boolean {
    return this.kind === 'button' || (this.kind === 'form' && !!(this.interaction as ModalSubmitInteraction).message);
  }

  private async reply(message: Message, visibility: Visibility): Promise<void> {
    if (this.kind === 'autocomplete') {
      this.log.warn({ interactionId: this.interaction.id }, 'discord: an autocomplete request cannot be replied to; use suggest');
      return;
    }
    const i = this.interaction as Answerable;
    const parts = payloads(message);
    if (parts.length === 0) return;
    const flags = visibility === 'private' ? MessageFlags.Ephemeral : undefined;
    const asReply = (p: Payload): InteractionReplyOptions => ({
      ...(p.content !== undefined ? { content: p.content } : {}),
      components: p.components,
      ...(p.files ? { files: p.files } : {}),
      allowedMentions: NO_PINGS,
      ...(flags ? { flags } : {}),
    });
    let rest = parts;
    if (this.state === 'fresh') {
      if (this.hasSourceMessage()) {
        // Acknowledge silently so a later updateSource can still edit the message the button sits on.
        await this.acknowledge(() => (i as ButtonInteraction | ModalSubmitInteraction).deferUpdate(), 'deferred');
        this.state = 'deferredUpdate';
      } else {
        await this.acknowledge(() => sendingFiles(parts[0]!, (q) => i.reply(asReply(q)), this.log), 'replied');
        this.state = 'answered';
        rest = parts.slice(1);
      }
    } else if (this.state === 'deferredReply') {
      if (visibility === 'private') {
        await sendingFiles(parts[0]!, (q) => i.editReply(asEdit(q)), this.log);
        rest = parts.slice(1);
      } else {
        // The deferred "thinking…" is private; replace it with a pointer and post publicly below.
        await i.editReply({ content: 'Posted in the channel.', components: [], allowedMentions: NO_PINGS });
      }
      this.state = 'answered';
    }
    for (const p of rest) await sendingFiles(p, (q) => i.followUp(asReply(q)), this.log);
  }

  private async updateSource(message: Message): Promise<void> {
    const i = this.interaction as ButtonInteraction | ModalSubmitInteraction;
    const [first, ...more] = payloads(message).map(withoutFiles);
    const edit = first ?? { content: '', components: [] };
    if (this.state === 'fresh') {
      // A modal submit opened from a message has update() too (ModalMessageModalSubmitInteraction).
      await this.acknowledge(() => (i as ButtonInteraction).update({ content: edit.content ?? '', components: edit.components, allowedMentions: NO_PINGS }), 'replied');
      this.state = 'deferredUpdate';
    } else if (this.state === 'deferredUpdate') {
      await i.editReply(asEdit(edit));
    } else {
      // The reply already took @original; a public source message can still be edited as the bot.
      const source = i.message;
      if (!source || source.flags.has(MessageFlags.Ephemeral)) {
        this.log.warn({ interactionId: i.id }, 'discord: cannot update a private message after replying; update it first');
        return;
      }
      await source.edit({ content: edit.content ?? '', components: edit.components, allowedMentions: NO_PINGS });
    }
    const ephemeral = i.message?.flags.has(MessageFlags.Ephemeral);
    for (const p of more) {
      await i.followUp({
        ...(p.content !== undefined ? { content: p.content } : {}),
        components: p.components,
        allowedMentions: NO_PINGS,
        ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
      });
    }
  }

  private async openForm(form: Parameters<NonNullable<Responder['openForm']>>[0]): Promise<void> {
    const i = this.interaction as ChatInputCommandInteraction | ButtonInteraction;
    if (this.state !== 'fresh') {
      // A modal must be the first answer; the handler was too slow or answered first.
      this.log.warn({ interactionId: i.id }, 'discord: could not open the form after the interaction was acknowledged');
      await this.reply(
        { body: { type: 'root', children: [{ type: 'paragraph', children: [{ type: 'text', value: 'That took too long to open the form. Please press the button again.' }] }] } },
        'private',
      );
      return;
    }
    await this.acknowledge(() => i.showModal(answerModal(form)), 'replied');
    this.state = 'answered';
  }

  private async suggest(choices: Choice[]): Promise<void> {
    const i = this.interaction as AutocompleteInteraction;
    if (this.state !== 'fresh') return;
    await i.respond(
      choices.slice(0, DISCORD_LIMITS.choices).map((c) => ({
        name: clip(c.name, DISCORD_LIMITS.choiceName),
        value: clip(c.value, DISCORD_LIMITS.choiceName),
      })),
    );
    this.state = 'answered';
  }
}

function asEdit(p: Payload): InteractionEditReplyOptions {
  return { ...(p.content !== undefined ? { content: p.content } : {}), components: p.components, ...(p.files ? { files: p.files } : {}), allowedMentions: NO_PINGS };
}

function optionValue(o: CommandInteractionOption): OptionValue | undefined {
  if (o.user) return accountIdFor(o.user.id);
  if (o.value === undefined || o.value === null) return undefined;
  return o.value;
}

function commandOptions(data: readonly CommandInteractionOption[]): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  let list = data;
  const sub = data[0];
  if (sub && (sub.type === 1 || sub.type === 2)) {
    out.subcommand = sub.name;
    list = sub.options ?? [];
  }
  for (const o of list) {
    const v = optionValue(o);
    if (v !== undefined) out[o.name] = v;
  }
  return out;
}

export interface DiscordAdapter extends ChatAdapter {
  /** The discord.js client once started (for diagnostics and tests). */
  readonly client: Client | null;
  /** Resolves when every interaction handled so far has been fully answered. */
  idle(): Promise<void>;
}

export function createDiscordAdapter(config: DiscordAdapterConfig): DiscordAdapter {
  const log: DiscordLogger = config.logger ?? createLogger(process.env.LOG_LEVEL ?? 'info');
  const deferAfterMs = config.deferAfterMs ?? 2000;
  let client: Client | null = null;
  const seen = new Set<string>();
  /** Interactions whose callback got a 5xx from Discord (bounded like `seen`). */
  const failedCallbacks = new Set<string>();
  const inflight = new Set<Promise<void>>();

  function context(i: Interaction): EventContext {
    const workspaceId = i.guildId ?? '@dm';
    const channelId = i.channelId ?? 'unknown';
    return {
      platform: 'discord',
      workspaceId,
      conversationId: makeConversationId('discord', workspaceId, channelId),
      isDirect: !i.guildId,
      actor: {
        platform: 'discord',
        id: accountIdFor(i.user.id),
        displayName:
          (i.member && 'displayName' in i.member ? i.member.displayName : null) ??
          (i.member && 'nick' in i.member ? i.member.nick : null) ??
          i.user.globalName ??
          i.user.username,
      },
      actorIsAdmin: i.memberPermissions?.any([PermissionFlagsBits.ManageGuild, PermissionFlagsBits.ManageChannels]) ?? false,
      deliveryId: i.id,
    };
  }

  function toEvent(i: Interaction, ctx: EventContext): { event: InboundEvent; kind: Kind } | null {
    if (i.isChatInputCommand()) {
      return { kind: 'command', event: { kind: 'command', ctx, command: i.commandName, options: commandOptions(i.options.data) } };
    }
    if (i.isAutocomplete()) {
      const focused = i.options.getFocused(true);
      return {
        kind: 'autocomplete',
        event: { kind: 'autocomplete', ctx, command: i.commandName, option: focused.name, partial: String(focused.value ?? '') },
      };
    }
    if (i.isButton()) {
      const { actionId, value } = decodeCustomId(i.customId);
      return {
        kind: 'button',
        event: {
          kind: 'button',
          ctx,
          actionId,
          value,
          message: { conversationId: ctx.conversationId, messageId: i.message.id },
        },
      };
    }
    if (i.isModalSubmit()) {
      const { actionId, value } = decodeCustomId(i.customId);
      let text = '';
      try {
        text = i.fields.getTextInputValue(ANSWER_INPUT_ID);
      } catch {
        const first = i.fields.fields.first();
        text = first && 'value' in first && typeof first.value === 'string' ? first.value : '';
      }
      return { kind: 'form', event: { kind: 'form', ctx, formId: actionId, value, text } };
    }
    return null;
  }

  async function handle(i: Interaction, handler: EventHandler): Promise<void> {
    // A resumed gateway may deliver an interaction again: handle each id once.
    if (seen.has(i.id)) {
      log.info({ interactionId: i.id }, 'discord: duplicate interaction delivery ignored');
      return;
    }
    seen.add(i.id);
    if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value!);

    const ctx = context(i);
    const translated = toEvent(i, ctx);
    if (!translated) return;
    const answerer = new InteractionResponder(i as Answerable | AutocompleteInteraction, translated.kind, log, (id) => failedCallbacks.has(id));
    const timer =
      translated.kind === 'autocomplete'
        ? null
        : setTimeout(() => {
            answerer.deferIfUnanswered().catch((e: unknown) => log.error(describe(e), 'discord: could not defer'));
          }, deferAfterMs);
    let failed = false;
    try {
      await handler(translated.event, answerer.responder());
    } catch (e) {
      failed = true;
      log.error({ interactionId: i.id, kind: translated.kind, ...describe(e) }, 'discord: handler failed');
    } finally {
      if (timer) clearTimeout(timer);
    }
    await answerer.finish(failed).catch((e: unknown) => log.error({ interactionId: i.id, ...describe(e) }, 'discord: could not finish the interaction'));
  }

  async function sendable(id: ConversationId) {
    const { platform, channel } = parseConversationId(id);
    if (platform !== 'discord') throw new Error(`not a Discord conversation: ${id}`);
    if (!client) throw new Error('the Discord adapter is not started');
    let ch;
    try {
      // A daily post may go to a guild on a shard another process holds (docs/sharding.md): without
      // allowUnknownGuild discord.js returns null for a channel whose guild is not in this client's cache.
      ch = await client.channels.fetch(channel, { allowUnknownGuild: true });
    } catch (e) {
      throw unavailable(id, e);
    }
    if (!ch || !ch.isSendable()) throw new ConversationUnavailableError(id, 'not a channel the bot can post in');
    return ch;
  }

  function unavailable(id: ConversationId, e: unknown): Error {
    if (e instanceof DiscordAPIError && typeof e.code === 'number' && UNAVAILABLE_CODES.has(e.code)) {
      return new ConversationUnavailableError(id, `${e.message} (Discord ${e.code})`);
    }
    return e instanceof Error ? e : new Error(String(e));
  }

  async function sendAll(id: ConversationId, send: (o: MessageCreateOptions) => Promise<{ id: string }>, message: Message, key?: string) {
    const parts = payloads(message);
    if (parts.length === 0) throw new Error('refusing to send an empty message');
    let last: { id: string } | undefined;
    for (const [n, p] of parts.entries()) {
      try {
        last = await sendingFiles(
          p,
          (q) =>
            send({
              ...(q.content !== undefined ? { content: q.content } : {}),
              components: q.components,
              ...(q.files ? { files: q.files } : {}),
              allowedMentions: NO_PINGS,
              // Without a key the client's enforceNonce option still gives each send its own nonce, which
              // covers discord.js's own retries of a 5xx; a key also covers our retries and a restart.
              ...(key !== undefined ? { nonce: nonceFor(key, n), enforceNonce: true } : {}),
            }),
          log,
        );
      } catch (e) {
        throw unavailable(id, e);
      }
    }
    return last!;
  }

  const adapter: DiscordAdapter = {
    platform: 'discord',
    get client() {
      return client;
    },

    async start(handler) {
      if (client) throw new Error('the Discord adapter is already started');
      const c = new Client({
        // Interactions arrive whatever the intents; Guilds gives the channel cache. No privileged intents.
        intents: [GatewayIntentBits.Guilds],
        allowedMentions: NO_PINGS,
        // Every channel message gets a nonce Discord enforces: when discord.js retries a send after a
        // 5xx that Discord had in fact carried out, Discord returns that message instead of a second one.
        enforceNonce: true,
        ...(config.restApi ? { rest: { api: config.restApi } } : {}),
        // Several processes each hold some shards (docs/sharding.md): no ShardingManager child processes.
        ...(config.sharding ?? {}),
      });
      c.rest.on(RESTEvents.Response, (request, response) => {
        const m = /^\/interactions\/(\d+)\//.exec(request.path);
        if (!m || response.status < 500) return;
        failedCallbacks.add(m[1]!);
        if (failedCallbacks.size > SEEN_LIMIT) failedCallbacks.delete(failedCallbacks.values().next().value!);
      });
      c.on(Events.Error, (e) => log.error(describe(e), 'discord: client error'));
      c.on(Events.Warn, (m) => log.warn({ detail: m }, 'discord: client warning'));
      c.on(Events.ShardResume, (id, replayed) => log.info({ shard: id, replayed }, 'discord: gateway session resumed'));
      c.on(Events.InteractionCreate, (i) => {
        const p = handle(i, handler)
          .catch((e: unknown) => log.error(describe(e), 'discord: interaction handling failed'))
          .finally(() => inflight.delete(p));
        inflight.add(p);
      });
      const ready = new Promise<void>((resolve) => c.once(Events.ClientReady, () => resolve()));
      client = c;
      try {
        await c.login(config.token);
        await ready;
      } catch (e) {
        client = null;
        await c.destroy().catch(() => undefined);
        const why = e instanceof Error ? e.message : String(e);
        throw new Error(
          `Discord login failed (${why}). Check DISCORD_TOKEN: Developer Portal → your app → Bot → Reset Token, and that no privileged intents are required.`,
        );
      }
      if (c.application && c.application.id !== config.applicationId) {
        log.warn(
          { expected: config.applicationId, actual: c.application.id },
          'discord: DISCORD_APPLICATION_ID does not match the token’s application; commands may be registered to the wrong app',
        );
      }
      log.info({ user: c.user?.tag, guilds: c.guilds.cache.size, shards: c.ws.shards.map((s) => s.id), shardCount: c.options.shardCount }, 'discord: connected');
    },

    async stop() {
      const c = client;
      if (!c) return;
      await adapter.idle();
      client = null;
      await c.destroy();
    },

    async idle() {
      while (inflight.size) await Promise.all([...inflight]);
    },

    async post(id, message, options?: PostOptions) {
      const channel = await sendable(id);
      const sent = await sendAll(id, (o) => channel.send(o), message, options?.idempotencyKey);
      return { conversationId: id, messageId: sent.id };
    },

    async update(ref: MessageRef, message: Message) {
      const channel = await sendable(ref.conversationId);
      const [first] = payloads(message).map(withoutFiles);
      try {
        await channel.messages.edit(ref.messageId, {
          content: first?.content ?? '',
          components: first?.components ?? [],
          allowedMentions: NO_PINGS,
        });
      } catch (e) {
        throw unavailable(ref.conversationId, e);
      }
    },

    async startThread(ref: MessageRef, name: string) {
      const channel = await sendable(ref.conversationId);
      if (!('threads' in channel)) throw new ConversationUnavailableError(ref.conversationId, 'threads are not available here');
      const { workspace } = parseConversationId(ref.conversationId);
      try {
        // The route itself, not channel.threads.create: discord.js builds the thread object from its guild
        // cache, which has no entry when the guild is on a shard another process holds (docs/sharding.md).
        const thread = (await client!.rest.post(Routes.threads(channel.id, ref.messageId), {
          body: { name: clip(name.trim() || 'Discussion', 100) },
        })) as { id: string };
        return makeConversationId('discord', workspace, thread.id);
      } catch (e) {
        // A retried create whose first try went through (or a second process): the thread is there.
        if (e instanceof DiscordAPIError && e.code === THREAD_ALREADY_CREATED) return makeConversationId('discord', workspace, ref.messageId);
        throw unavailable(ref.conversationId, e);
      }
    },

    async postDirect(accountId: string, message: Message) {
      const userId = userIdFromAccountId(accountId);
      if (!userId) throw new Error(`not a Discord account id: ${accountId} (expected discord:user:ID)`);
      if (!client) throw new Error('the Discord adapter is not started');
      const dm = await client.users.createDM(userId);
      const id = makeConversationId('discord', '@dm', dm.id);
      const sent = await sendAll(id, (o) => dm.send(o), message);
      return { conversationId: id, messageId: sent.id };
    },
  };
  return adapter;
}
