/**
 * An in-memory ChatAdapter for tests: a driver sends events as a given person in
 * a given conversation and gets back what the bot did; a transcript records every
 * message (with who can see it), form and edit. It enforces the constraints real
 * platforms impose (a form only as the first response to a command or button,
 * ≤ 25 autocomplete choices) so core code that passes here works on Discord and Slack.
 */
import type { CommandSpec } from './commands.ts';
import type { Action, AnswerForm, Message } from './message.ts';
import { parseCommandText } from './parse-text.ts';
import {
  ConversationUnavailableError,
  conversationId as makeConversationId,
  type ChatAdapter,
  type Choice,
  type ConversationId,
  type EventContext,
  type EventHandler,
  type InboundEvent,
  type MessageRef,
  type OptionValue,
  type Responder,
  type Visibility,
} from './port.ts';
import { renderMarkdown } from './render-markdown.ts';
import { splitMarkdown } from './split.ts';

/** Who acts and where. Every field has a default so tests name only what matters. */
export interface MemoryWho {
  /** Platform user id, e.g. "alice" (actor id becomes `memory:{workspace}:alice`). Default "alice". */
  user?: string;
  /** Display name. Default: the user id. */
  name?: string;
  admin?: boolean;
  /** Default: the adapter's workspace ("W1"). */
  workspace?: string;
  /** Channel id. Default: the adapter's channel ("C1"). Ignored when `direct`. */
  channel?: string;
  /** A direct message with the bot: conversation `memory:{workspace}:D-{user}`. */
  direct?: boolean;
  /** Replays/retries: pass the same id twice to test idempotency. */
  deliveryId?: string;
}

export interface Delivered {
  /** Order of first delivery across the whole transcript. */
  seq: number;
  ref: MessageRef;
  conversationId: ConversationId;
  via: 'post' | 'reply';
  visibility: Visibility;
  /** Platform user id that can see a private message. */
  recipient?: string;
  /** Latest version (after updates). */
  message: Message;
  /** Latest version rendered as Markdown (body, then spoiler), mentions neutralised. */
  text: string;
  /** `text` split under the adapter's limit, as a platform would send it. */
  parts: string[];
  buttons: Action[];
  /** How many times it was edited (update() or updateSource()). */
  edits: number;
}

export interface OpenedForm {
  form: AnswerForm;
  user: string;
  conversationId: ConversationId;
}

/** What the bot did while handling one driven event. */
export interface Outcome {
  replies: Delivered[];
  forms: AnswerForm[];
  updated: Delivered[];
  /** Autocomplete events only. */
  choices?: Choice[];
}

export interface MemoryThread {
  conversationId: ConversationId;
  parent: MessageRef;
  name: string;
}

export interface MemoryAdapterOptions {
  workspace?: string;
  channel?: string;
  /** Characters per delivered part (default 2000, Discord's limit, the strictest). */
  limit?: number;
  /** Needed only for commandText(). */
  commands?: readonly CommandSpec[];
  /** Turn optional capabilities off to test the core's fallbacks. All on by default. */
  capabilities?: { openForm?: boolean; updateSource?: boolean; update?: boolean; startThread?: boolean; postDirect?: boolean; images?: boolean };
}

export interface MemoryAdapter extends ChatAdapter {
  readonly platform: 'memory';
  readonly workspace: string;
  readonly channel: string;
  /** Default conversation id, `memory:{workspace}:{channel}`. */
  readonly conversationId: ConversationId;
  command(command: string, options?: Record<string, OptionValue>, who?: MemoryWho): Promise<Outcome>;
  /** Type a command line (`/ask topic:concurrency`); throws the parser's message on bad input. */
  commandText(line: string, who?: MemoryWho): Promise<Outcome>;
  press(actionId: string, value: string, who?: MemoryWho & { message?: MessageRef }): Promise<Outcome>;
  /** Press the button labelled `label` (case-insensitive) on the latest message `who` can see in their conversation. */
  pressButton(label: string, who?: MemoryWho): Promise<Outcome>;
  submitForm(formId: string, value: string, text: string, who?: MemoryWho): Promise<Outcome>;
  /** Submit the latest form opened for `who`. */
  submitLastForm(text: string, who?: MemoryWho): Promise<Outcome>;
  autocomplete(command: string, option: string, partial: string, who?: MemoryWho): Promise<Outcome>;
  readonly transcript: readonly Delivered[];
  readonly forms: readonly OpenedForm[];
  readonly threads: readonly MemoryThread[];
  /** Public messages (in `conversationId` if given) plus those private to `user`, in delivery order. */
  seenBy(user: string, conversationId?: ConversationId): Delivered[];
  /** Make post() to this conversation fail as a removed/archived channel would. */
  makeUnavailable(conversationId: ConversationId, reason?: string): void;
  readonly running: boolean;
}

const MAX_CHOICES = 25;

export function createMemoryAdapter(opts: MemoryAdapterOptions = {}): MemoryAdapter {
  const workspace = opts.workspace ?? 'W1';
  const channel = opts.channel ?? 'C1';
  const limit = opts.limit ?? 2000;
  const caps = { openForm: true, updateSource: true, update: true, startThread: true, postDirect: true, images: true, ...opts.capabilities };
  const transcript: Delivered[] = [];
  const forms: OpenedForm[] = [];
  const threads: MemoryThread[] = [];
  const unavailable = new Map<ConversationId, string>();
  let handler: EventHandler | undefined;
  let nextId = 1;

  const render = (message: Message): { text: string; parts: string[] } => {
    const body = renderMarkdown(message.body);
    const text = message.spoiler ? `${body}\n\n${renderMarkdown(message.spoiler)}` : body;
    return { text, parts: text.length === 0 ? [''] : splitMarkdown(text, limit) };
  };

  const deliver = (
    conversationId: ConversationId,
    message: Message,
    via: Delivered['via'],
    visibility: Visibility,
    recipient?: string,
  ): Delivered => {
    const id = String(nextId++);
    const d: Delivered = {
      seq: transcript.length + 1,
      ref: { conversationId, messageId: id },
      conversationId,
      via,
      visibility,
      ...(recipient !== undefined ? { recipient } : {}),
      message,
      ...render(message),
      buttons: message.actions ?? [],
      edits: 0,
    };
    transcript.push(d);
    return d;
  };

  const edit = (ref: MessageRef, message: Message): Delivered => {
    const d = transcript.find((m) => m.ref.messageId === ref.messageId && m.conversationId === ref.conversationId);
    if (!d) throw new Error(`memory adapter: no message ${ref.messageId} in ${ref.conversationId} to update`);
    Object.assign(d, { message, ...render(message), buttons: message.actions ?? [], edits: d.edits + 1 });
    return d;
  };

  /** The event context for `who`, and their platform user id (the recipient of private replies). */
  const ctxFor = (who: MemoryWho = {}): { ctx: EventContext; user: string } => {
    const user = who.user ?? 'alice';
    const ws = who.workspace ?? workspace;
    const ctx: EventContext = {
      platform: 'memory',
      workspaceId: ws,
      conversationId: makeConversationId('memory', ws, who.direct ? `D-${user}` : (who.channel ?? channel)),
      isDirect: who.direct ?? false,
      actor: { platform: 'memory', id: `memory:${ws}:${user}`, displayName: who.name ?? user },
      actorIsAdmin: who.admin ?? false,
      ...(who.deliveryId !== undefined ? { deliveryId: who.deliveryId } : {}),
    };
    return { ctx, user };
  };

  const dispatch = async (event: InboundEvent, user: string): Promise<Outcome> => {
    if (!handler) throw new Error('memory adapter is not running: call start(handler) first');
    const outcome: Outcome = { replies: [], forms: [], updated: [] };
    let responded = false;
    const respond: Responder = {
      async reply(message, visibility) {
        responded = true;
        // Without the images capability the picture is dropped, as a text-only platform would.
        const shown = caps.images || !message.image ? message : { ...message, image: undefined };
        outcome.replies.push(deliver(event.ctx.conversationId, shown, 'reply', visibility, visibility === 'private' ? user : undefined));
      },
      ...(caps.images ? { showsImages: true } : {}),
    };
    if (caps.openForm && (event.kind === 'command' || event.kind === 'button')) {
      respond.openForm = async (form) => {
        // Discord shows a modal only as the first response to an interaction; Slack needs a fresh trigger_id.
        if (responded) throw new Error('openForm must be the first and only response to the event');
        responded = true;
        forms.push({ form, user, conversationId: event.ctx.conversationId });
        outcome.forms.push(form);
      };
    }
    if (caps.updateSource && event.kind === 'button' && event.message) {
      const source = event.message;
      respond.updateSource = async (message) => {
        responded = true;
        outcome.updated.push(edit(source, message));
      };
    }
    if (event.kind === 'autocomplete') {
      respond.suggest = async (choices) => {
        outcome.choices = choices.slice(0, MAX_CHOICES);
      };
    }
    await handler(event, respond);
    return outcome;
  };

  const adapter: MemoryAdapter = {
    platform: 'memory',
    workspace,
    channel,
    conversationId: makeConversationId('memory', workspace, channel),
    get running() {
      return handler !== undefined;
    },
    async start(h) {
      handler = h;
    },
    async stop() {
      handler = undefined;
    },
    async post(conversationId, message) {
      const why = unavailable.get(conversationId);
      if (why !== undefined) throw new ConversationUnavailableError(conversationId, why);
      return deliver(conversationId, message, 'post', 'public').ref;
    },
    command(command, options = {}, who) {
      const { ctx, user } = ctxFor(who);
      return dispatch({ kind: 'command', ctx, command, options }, user);
    },
    commandText(line, who) {
      const parsed = parseCommandText(opts.commands ?? [], line);
      if (!parsed.ok) return Promise.reject(new Error(parsed.error));
      return adapter.command(parsed.command, parsed.options, who);
    },
    press(actionId, value, who) {
      const { ctx, user } = ctxFor(who);
      return dispatch({ kind: 'button', ctx, actionId, value, ...(who?.message ? { message: who.message } : {}) }, user);
    },
    pressButton(label, who) {
      const { ctx, user } = ctxFor(who);
      const wanted = label.toLowerCase();
      const seen = adapter.seenBy(user, ctx.conversationId);
      for (let k = seen.length - 1; k >= 0; k--) {
        const m = seen[k]!;
        const b = m.buttons.find((x) => x.label.toLowerCase() === wanted);
        if (b) return adapter.press(b.id, b.value, { ...who, message: m.ref });
      }
      return Promise.reject(new Error(`no button "${label}" visible to ${user} in ${ctx.conversationId}`));
    },
    submitForm(formId, value, text, who) {
      const { ctx, user } = ctxFor(who);
      return dispatch({ kind: 'form', ctx, formId, value, text }, user);
    },
    submitLastForm(text, who) {
      const user = who?.user ?? 'alice';
      const f = [...forms].reverse().find((x) => x.user === user);
      if (!f) return Promise.reject(new Error(`no form was opened for ${user}`));
      return adapter.submitForm(f.form.id, f.form.value, text, who);
    },
    autocomplete(command, option, partial, who) {
      const { ctx, user } = ctxFor(who);
      return dispatch({ kind: 'autocomplete', ctx, command, option, partial }, user);
    },
    get transcript() {
      return transcript;
    },
    get forms() {
      return forms;
    },
    get threads() {
      return threads;
    },
    seenBy(user, conversationId) {
      return transcript.filter(
        (m) =>
          (conversationId === undefined || m.conversationId === conversationId) &&
          (m.visibility === 'public' || m.recipient === user),
      );
    },
    makeUnavailable(conversationId, reason = 'channel not found') {
      unavailable.set(conversationId, reason);
    },
  };
  if (caps.update) {
    adapter.update = async (ref, message) => {
      edit(ref, message);
    };
  }
  if (caps.startThread) {
    adapter.startThread = async (ref, name) => {
      const ws = ref.conversationId.split(':')[1] ?? workspace;
      const id = makeConversationId('memory', ws, `T${nextId++}`);
      threads.push({ conversationId: id, parent: ref, name });
      return id;
    };
  }
  if (caps.postDirect) {
    adapter.postDirect = async (accountId, message) => {
      const [platform, ws, ...user] = accountId.split(':');
      if (platform !== 'memory' || !ws || user.length === 0) {
        throw new ConversationUnavailableError(accountId, 'not a memory account id (memory:{workspace}:{user})');
      }
      const id = user.join(':');
      return deliver(makeConversationId('memory', ws, `D-${id}`), message, 'post', 'private', id).ref;
    };
  }
  return adapter;
}
