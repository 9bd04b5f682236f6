/**
 * The Slack adapter: Bolt 5 in Socket Mode (default) or HTTP mode, translating
 * slash commands, button clicks, modal submissions and App Home opens into
 * InboundEvents, and Messages into Block Kit. It holds no practice rules.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createRequestGuard, type RefusalReason } from './request-guard.ts';
import { App, HTTPReceiver, LogLevel, SocketModeReceiver, webApi, type Logger as BoltLogger } from '@slack/bolt';
import type {
  Account,
  ChatAdapter,
  ConversationId,
  EventContext,
  EventHandler,
  InboundEvent,
  MessageRef,
  OptionValue,
  Responder,
  Visibility,
} from '../../chat/port.ts';
import { ConversationUnavailableError, conversationId, parseConversationId } from '../../chat/port.ts';
import type { CommandSpec } from '../../chat/commands.ts';
import type { AnswerForm, Message, MessageImage } from '../../chat/message.ts';
import { parseArgs } from '../../chat/parse-text.ts';
import { systemClock } from '../../core/clock.ts';
import {
  FORM_ACTION_ID,
  FORM_BLOCK_ID,
  FORM_CALLBACK_ID,
  answerModal,
  decodeActionId,
  homeTab,
  parseFormMetadata,
  renderMessage,
} from './cards.ts';
import { escapeMrkdwn } from './markdown.ts';
import type { AdapterLogger, SlackAdapterConfig, SlackMessagePayload } from './types.ts';

export type { SlackAdapterConfig } from './types.ts';

export interface SlackAdapter extends ChatAdapter {
  readonly platform: 'slack';
  /** HTTP mode: the port the receiver listens on once started (handy with `port: 0`). */
  httpPort(): number | undefined;
  /** The workspace (team) id the bot token belongs to, once started. */
  teamId(): string | undefined;
  /** HTTP mode: requests refused before Bolt saw them, by reason (bad signature, stale, replayed, …). */
  refusedRequests(): Record<RefusalReason, number>;
}

/** Where an interaction came from: enough to answer it privately, publicly, in a modal or in place. */
interface Origin {
  team: string;
  user: string;
  channel?: string;
  responseUrl?: string;
  triggerId?: string;
  source?: { channel: string; ts: string; ephemeral: boolean };
}

const USER_CACHE_MS = 10 * 60_000;
const RESPONSE_URL_ATTEMPTS = 3;
const RESPONSE_URL_BACKOFF_MS = 250;
const RECENT_DELIVERIES = 5000;
/** Errors after which a private reply goes through response_url (or a DM) instead of chat.postEphemeral. */
const EPHEMERAL_FALLBACK = new Set(['channel_not_found', 'not_in_channel', 'user_not_in_channel', 'is_archived', 'restricted_action']);
const UNAVAILABLE = new Set(['channel_not_found', 'is_archived', 'not_in_channel', 'method_not_supported_for_channel_type', 'restricted_action']);

/** files.getUploadURLExternal takes at most 1000 characters of alt text. */
const SLACK_ALT_TEXT_MAX = 1000;

/** The message with a short italic line after its body. */
function withNote(message: Message, note: string): Message {
  return {
    ...message,
    body: { ...message.body, children: [...message.body.children, { type: 'paragraph', children: [{ type: 'emphasis', children: [{ type: 'text', value: note }] }] }] },
  };
}

function slackError(e: unknown): string | undefined {
  const data = (e as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** Bounded memory of delivery ids, so a redelivered envelope or retried event runs once. */
class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly cap: number) {}
  /** True the first time an id is seen. */
  first(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.cap) this.ids.delete(this.ids.values().next().value as string);
    return true;
  }
}

function toBoltLogger(l: AdapterLogger | undefined): BoltLogger {
  let level = LogLevel.INFO;
  const line = (args: unknown[]): string => args.map((a) => (a instanceof Error ? a.stack ?? a.message : typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  return {
    debug: (...a: unknown[]) => l?.debug({ component: 'slack' }, line(a)),
    info: (...a: unknown[]) => l?.info({ component: 'slack' }, line(a)),
    warn: (...a: unknown[]) => (l ? l.warn({ component: 'slack' }, line(a)) : console.warn('[slack]', line(a))),
    error: (...a: unknown[]) => (l ? l.error({ component: 'slack' }, line(a)) : console.error('[slack]', line(a))),
    setLevel: (v: LogLevel) => {
      level = v;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** `user` options name a Slack user id (from `<@U123|name>`); the core knows people by account id. */
function userOptionsToAccounts(spec: CommandSpec, options: Record<string, OptionValue>, team: string): Record<string, OptionValue> {
  const sub = typeof options.subcommand === 'string' ? spec.subcommands?.find((s) => s.name === options.subcommand) : undefined;
  const out = { ...options };
  for (const o of sub ? sub.options : spec.options) {
    const v = out[o.name];
    if (o.type === 'user' && typeof v === 'string' && /^[UW][A-Z0-9]{2,}$/.test(v)) out[o.name] = `slack:${team}:${v}`;
  }
  return out;
}

/**
 * After acking, let the acks of envelopes that arrived in the same burst go out before this one's
 * work starts: otherwise, under a burst, the 200th ack waits for the 199 handlers ahead of it
 * (bench:ack). setImmediate runs after the pending I/O callbacks and promise chains of this turn.
 */
const afterAcks = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * @slack/socket-mode 3.x reconnects by calling `this.start` from a timer and
 * chains `.then()` without a catch; when the app is stopped while that new
 * socket still waits for `hello`, start() rejects (reason undefined) and the
 * process sees an unhandled rejection. During shutdown that rejection only
 * means "stopped on purpose", so swallow it there and nowhere else.
 */
function guardReconnectDuringShutdown(receiver: SocketModeReceiver): void {
  const client = receiver.client as unknown as { start: () => Promise<unknown>; shuttingDown?: boolean };
  const original = client.start;
  client.start = function guardedStart(this: typeof client) {
    return original.call(this).catch((e: unknown) => {
      if (this.shuttingDown) return undefined;
      throw e;
    });
  };
}

/** A conversation id's channel, and the parent ts when it names a thread (`slack:T1:C9:1700000000.000100`). */
function slackTarget(id: ConversationId): { channel: string; threadTs?: string } {
  const [channel, threadTs] = parseConversationId(id).channel.split(':');
  return threadTs ? { channel: channel!, threadTs } : { channel: channel! };
}

export function createSlackAdapter(config: SlackAdapterConfig): SlackAdapter {
  const clock = config.clock ?? systemClock;
  const boltLogger = toBoltLogger(config.logger);
  const log = config.logger;
  const admins = new Set(config.admins ?? []);
  const prefix = (config.prefixCommand ?? 'prep').replace(/^\//, '');
  const recent = new RecentIds(RECENT_DELIVERIES);
  const users = new Map<string, { name: string; admin: boolean; at: number }>();
  let app: App | undefined;
  let socket: SocketModeReceiver | undefined;
  let server: Server | undefined;
  let team: string | undefined;
  let handler: EventHandler | undefined;
  let refused: Record<RefusalReason, number> | undefined;

  const client = (): webApi.WebClient => {
    if (!app) throw new Error('the Slack adapter is not started: call start() first');
    return app.client;
  };

  async function userInfo(teamId: string, user: string, fallbackName: string): Promise<{ name: string; admin: boolean }> {
    const cached = users.get(user);
    const now = clock.now().getTime();
    if (cached && now - cached.at < USER_CACHE_MS) return cached;
    try {
      const res = await client().users.info({ user });
      const u = res.user;
      const entry = {
        name: u?.profile?.display_name || u?.real_name || u?.name || fallbackName,
        admin: Boolean(u?.is_admin || u?.is_owner),
        at: now,
      };
      users.set(user, entry);
      return entry;
    } catch (e) {
      // Without users:read the bot still works; only workspace admins lose their implicit admin rights.
      log?.warn({ err: slackError(e) ?? String(e), user }, 'users.info failed; add the users:read scope (see manifest.yml)');
      return { name: fallbackName, admin: admins.has(`slack:${teamId}:${user}`) };
    }
  }

  async function context(o: Origin, fallbackName: string, deliveryId: string): Promise<EventContext> {
    const info = await userInfo(o.team, o.user, fallbackName);
    const actorId = `slack:${o.team}:${o.user}`;
    const actor: Account = { platform: 'slack', id: actorId, displayName: info.name };
    // Without a channel (Home tab) the conversation is the app's DM, which chat.postMessage reaches by user id.
    const channel = o.channel ?? o.user;
    return {
      platform: 'slack',
      workspaceId: o.team,
      conversationId: conversationId('slack', o.team, channel),
      isDirect: channel.startsWith('D') || channel === o.user,
      actor,
      actorIsAdmin: info.admin || admins.has(actorId),
      deliveryId,
    };
  }

  /**
   * POST to a response_url. The WebClient retries its own calls; this plain POST would not, so a
   * 429 (after Retry-After), a 5xx or a dropped connection is tried again, at most 3 times in all.
   * Like the WebClient's retries, this prefers a private message shown twice (a 5xx that hid a
   * success) to one lost; 4xx answers (used or expired URL) are final.
   */
  async function toResponseUrl(url: string, body: Record<string, unknown>): Promise<void> {
    let last = '';
    for (let attempt = 1; attempt <= RESPONSE_URL_ATTEMPTS; attempt++) {
      let res: Response;
      try {
        res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) });
      } catch (e) {
        last = e instanceof Error ? e.message : String(e);
        await pause(attempt, undefined);
        continue;
      }
      if (res.ok) return;
      last = `${res.status}: ${await res.text()}`;
      if (res.status !== 429 && res.status < 500) break;
      if (attempt < RESPONSE_URL_ATTEMPTS) await pause(attempt, res.headers.get('retry-after'));
    }
    throw new Error(`Slack response_url answered ${last}`);
  }

  function pause(attempt: number, retryAfter: string | null | undefined): Promise<void> {
    const seconds = retryAfter !== null && retryAfter !== undefined && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
    const ms = seconds !== undefined ? seconds * 1000 : RESPONSE_URL_BACKOFF_MS * attempt;
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  async function postMessage(channel: string, part: SlackMessagePayload, threadTs?: string): Promise<string> {
    const args = {
      channel,
      text: part.text,
      blocks: part.blocks,
      unfurl_links: false,
      unfurl_media: false,
      ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
    };
    try {
      const res = await client().chat.postMessage(args);
      return String(res.ts);
    } catch (e) {
      if (slackError(e) !== 'not_in_channel') throw e;
      // Public channel without chat:write.public: join and try once more.
      await client().conversations.join({ channel });
      const res = await client().chat.postMessage(args);
      return String(res.ts);
    }
  }

  async function sendPrivate(o: Origin, part: SlackMessagePayload): Promise<void> {
    if (o.channel) {
      try {
        await client().chat.postEphemeral({ channel: o.channel, user: o.user, text: part.text, blocks: part.blocks });
        return;
      } catch (e) {
        const code = slackError(e);
        if (!code || !EPHEMERAL_FALLBACK.has(code)) throw e;
        // e.g. a DM between two people: the bot cannot post there, but response_url still reaches the invoker.
        if (o.responseUrl) return toResponseUrl(o.responseUrl, { response_type: 'ephemeral', replace_original: false, ...part });
      }
    }
    await postMessage(o.user, part);
  }

  async function sendPublic(o: Origin, part: SlackMessagePayload): Promise<void> {
    if (!o.channel) return void (await postMessage(o.user, part));
    try {
      await postMessage(o.channel, part);
    } catch (e) {
      const code = slackError(e);
      if (o.responseUrl && code && UNAVAILABLE.has(code)) {
        return toResponseUrl(o.responseUrl, { response_type: 'in_channel', replace_original: false, ...part });
      }
      throw e;
    }
  }

  /** Shares a picture as a file in a conversation (files.uploadV2: get an upload URL, upload, complete). */
  async function uploadPicture(channel: string, image: MessageImage, threadTs?: string): Promise<void> {
    const file = {
      file: Buffer.from(image.png.buffer, image.png.byteOffset, image.png.byteLength),
      filename: image.name,
      title: image.name,
      alt_text: image.alt.slice(0, SLACK_ALT_TEXT_MAX),
    };
    await client().files.uploadV2(threadTs !== undefined ? { ...file, channel_id: channel, thread_ts: threadTs } : { ...file, channel_id: channel });
  }

  /**
   * A picture for one person's eyes. Slack has no ephemeral files, so it goes to
   * the person's DM with the app; the caller then says so in the private text.
   * Returns the DM's id, or undefined when it could not be shared (the text stands alone).
   */
  async function sendPrivatePicture(o: Origin, image: MessageImage): Promise<string | undefined> {
    try {
      const opened = await client().conversations.open({ users: o.user });
      const dm = opened.channel?.id;
      if (!dm) throw new Error('conversations.open returned no channel');
      await uploadPicture(dm, image);
      return dm;
    } catch (e) {
      log?.warn({ err: slackError(e) ?? String(e), user: o.user }, 'could not share a picture in the app DM (needs im:write and files:write, see manifest.yml); sent the text only');
      return undefined;
    }
  }

  async function sendPublicPicture(channel: string, image: MessageImage, threadTs?: string): Promise<void> {
    try {
      await uploadPicture(channel, image, threadTs);
    } catch (e) {
      log?.warn({ err: slackError(e) ?? String(e), channel }, 'could not share a picture (needs files:write and the bot in the channel); the text was sent');
    }
  }

  function responder(o: Origin): Responder {
    const r: Responder = {
      async reply(message: Message, visibility: Visibility) {
        let text = message;
        if (message.image && visibility === 'private') {
          const dm = await sendPrivatePicture(o, message.image);
          // From the Home tab (no channel) the text goes to that DM too, so no pointer is needed.
          if (dm && o.channel !== undefined && dm !== o.channel) text = withNote(message, 'The chart is in your direct messages with the app.');
        }
        for (const part of renderMessage(text)) {
          await (visibility === 'private' ? sendPrivate(o, part) : sendPublic(o, part));
        }
        if (message.image && visibility === 'public') await sendPublicPicture(o.channel ?? o.user, message.image);
      },
      showsImages: true,
    };
    if (o.triggerId) {
      const triggerId = o.triggerId;
      r.openForm = async (form: AnswerForm) => {
        // A trigger_id works once: a second form for the same interaction is a core bug Slack would reject too.
        try {
          await client().views.open({ trigger_id: triggerId, view: answerModal(form, { f: form.id, v: form.value, c: o.channel, r: o.responseUrl }) });
        } catch (e) {
          // The WebClient retried a views.open whose first try had opened the form (a 5xx that hid a
          // success): the person has the form, so an apology would be wrong.
          if (slackError(e) !== 'exchanged_trigger_id') throw e;
          log?.warn({ err: 'exchanged_trigger_id' }, 'views.open: the trigger was already used (a retried call that had gone through); the form is open');
        }
      };
    }
    if (o.source) {
      const source = o.source;
      r.updateSource = async (message: Message) => {
        const [first, ...rest] = renderMessage(message);
        if (!first) return;
        if (rest.length > 0) log?.warn({ parts: rest.length + 1 }, 'updated message needs several Slack messages; only the first replaces the source');
        if (source.ephemeral || !o.channel) {
          if (!o.responseUrl) throw new Error('cannot update an ephemeral message without a response_url');
          await toResponseUrl(o.responseUrl, { replace_original: true, ...first });
        } else {
          await client().chat.update({ channel: source.channel, ts: source.ts, text: first.text, blocks: first.blocks });
        }
      };
    }
    return r;
  }

  /** Run the core; a failure becomes a polite private note instead of silence or a crash. */
  async function dispatch(event: InboundEvent, o: Origin): Promise<void> {
    if (!handler) return;
    const r = responder(o);
    try {
      await handler(event, r);
    } catch (e) {
      log?.error({ err: e instanceof Error ? e.stack : String(e), kind: event.kind }, 'handler failed for a Slack event');
      try {
        await r.reply(
          { body: { type: 'root', children: [{ type: 'paragraph', children: [{ type: 'text', value: 'Sorry, something went wrong on my side. Please try again in a moment.' }] }] } },
          'private',
        );
      } catch {
        // Nothing more to tell the user; the error is logged above.
      }
    }
  }

  async function privateNote(o: Origin, text: string): Promise<void> {
    const part = { text: escapeMrkdwn(text), blocks: [] };
    if (o.responseUrl) await toResponseUrl(o.responseUrl, { response_type: 'ephemeral', text: part.text });
    else await sendPrivate(o, part as SlackMessagePayload);
  }

  interface SlashBody {
    team_id: string;
    channel_id: string;
    user_id: string;
    user_name: string;
    text: string;
    trigger_id: string;
    response_url: string;
  }

  async function onCommand(spec: CommandSpec, text: string, body: SlashBody): Promise<void> {
    const o: Origin = { team: body.team_id, user: body.user_id, channel: body.channel_id, responseUrl: body.response_url, triggerId: body.trigger_id };
    if (!recent.first(`cmd:${body.trigger_id}`)) return;
    // Slack sends &, <, > as entities; mentions (with should_escape) arrive as <@U123|name>.
    const parsed = parseArgs(spec, decodeEntities(text));
    if (!parsed.ok) return privateNote(o, parsed.error);
    const options = userOptionsToAccounts(spec, parsed.options, body.team_id);
    const ctx = await context(o, body.user_name, `slack:cmd:${body.trigger_id}`);
    await dispatch({ kind: 'command', ctx, command: spec.name, options }, o);
  }

  function register(a: App): void {
    for (const spec of config.commands) {
      a.command(`/${spec.name}`, async ({ ack, command }) => {
        await ack();
        await afterAcks();
        await onCommand(spec, command.text, command);
      });
    }
    if (!config.commands.some((c) => c.name === prefix)) {
      a.command(`/${prefix}`, async ({ ack, command }) => {
        await ack();
        await afterAcks();
        const [word = '', ...rest] = command.text.trim().split(/\s+/);
        const name = word.toLowerCase() || 'help';
        const spec = config.commands.find((c) => c.name === name);
        if (!spec) {
          const o: Origin = { team: command.team_id, user: command.user_id, channel: command.channel_id, responseUrl: command.response_url };
          const names = config.commands.map((c) => c.name).join(', ');
          return privateNote(o, `/${prefix} has no "${word}". Use /${prefix} <command>, one of: ${names}. For example: /${prefix} ask concurrency`);
        }
        await onCommand(spec, rest.join(' '), command);
      });
    }

    a.action({ type: 'block_actions' }, async ({ ack, body, action }) => {
      await ack();
      await afterAcks();
      if (action.type !== 'button') return;
      const container = (body as { container?: { type?: string; message_ts?: string; channel_id?: string; is_ephemeral?: boolean } }).container;
      const channel = body.channel?.id ?? container?.channel_id;
      const teamId = body.team?.id ?? body.user.team_id ?? team ?? '';
      const ts = container?.type === 'message' ? container.message_ts : undefined;
      const o: Origin = {
        team: teamId,
        user: body.user.id,
        channel,
        responseUrl: (body as { response_url?: string }).response_url,
        triggerId: body.trigger_id,
        source: channel && ts ? { channel, ts, ephemeral: Boolean(container?.is_ephemeral) } : undefined,
      };
      if (!recent.first(`act:${body.trigger_id}`)) return;
      const ctx = await context(o, body.user.name ?? body.user.id, `slack:act:${body.trigger_id}`);
      const message: MessageRef | undefined = o.source && !o.source.ephemeral ? { conversationId: ctx.conversationId, messageId: o.source.ts } : undefined;
      await dispatch({ kind: 'button', ctx, actionId: decodeActionId(action.action_id), value: action.value ?? '', ...(message ? { message } : {}) }, o);
    });

    a.view(FORM_CALLBACK_ID, async ({ ack, body, view }) => {
      // An empty ack closes the modal; the answer's result arrives as a private message.
      await ack();
      await afterAcks();
      const meta = parseFormMetadata(view.private_metadata);
      if (!meta) {
        log?.warn({ view: view.id }, 'modal submission without prepbot metadata ignored');
        return;
      }
      const o: Origin = { team: body.team?.id ?? body.user.team_id ?? team ?? '', user: body.user.id, channel: meta.c, responseUrl: meta.r };
      if (!recent.first(`view:${view.id}`)) return;
      const text = view.state.values[FORM_BLOCK_ID]?.[FORM_ACTION_ID]?.value ?? '';
      const ctx = await context(o, body.user.name ?? body.user.id, `slack:view:${view.id}`);
      await dispatch({ kind: 'form', ctx, formId: meta.f, value: meta.v, text }, o);
    });

    a.event('app_home_opened', async ({ event, body }) => {
      if (event.tab !== 'home' || !config.homeView) return;
      const eventId = (body as { event_id?: string }).event_id ?? `${event.user}:${event.event_ts}`;
      if (!recent.first(`ev:${eventId}`)) return;
      const teamId = (body as { team_id?: string }).team_id ?? team ?? '';
      const ctx = await context({ team: teamId, user: event.user, channel: event.channel }, event.user, `slack:ev:${eventId}`);
      try {
        const view = homeTab(await config.homeView(ctx.actor, ctx));
        await client().views.publish({ user_id: event.user, view });
      } catch (e) {
        log?.error({ err: e instanceof Error ? e.stack : String(e) }, 'could not publish the App Home tab');
      }
    });

    a.error(async (e) => {
      log?.error({ err: e instanceof Error ? e.stack : String(e) }, 'Slack listener error');
    });
  }

  async function verifyToken(clientOptions: webApi.WebClientOptions): Promise<{ team: string; botUserId: string; botId: string }> {
    const probe = new webApi.WebClient(config.botToken, { ...clientOptions, logger: boltLogger, retryConfig: { retries: 2 } });
    try {
      const res = await probe.auth.test();
      return { team: String(res.team_id), botUserId: String(res.user_id), botId: String(res.bot_id) };
    } catch (e) {
      const code = slackError(e) ?? String(e);
      throw new Error(`Slack did not accept SLACK_BOT_TOKEN (${code}): copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions after installing the app.`);
    }
  }

  const adapter: SlackAdapter = {
    platform: 'slack',

    async start(h: EventHandler) {
      if (app) throw new Error('the Slack adapter is already started');
      handler = h;
      const clientOptions: webApi.WebClientOptions = config.apiUrl ? { slackApiUrl: config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/` } : {};
      const auth = await verifyToken(clientOptions);
      team = auth.team;
      let receiver: SocketModeReceiver | HTTPReceiver;
      if (config.mode === 'socket') {
        if (!config.appToken) throw new Error('Socket Mode needs SLACK_APP_TOKEN (an xapp- app-level token with connections:write), or set SLACK_MODE=http.');
        socket = new SocketModeReceiver({
          appToken: config.appToken,
          logger: boltLogger,
          clientPingTimeout: config.clientPingTimeout,
          // A copy: the socket client writes its long retry policy into the options it gets.
          installerOptions: { clientOptions: { ...clientOptions } },
        });
        receiver = socket;
        guardReconnectDuringShutdown(socket);
      } else {
        if (!config.signingSecret) throw new Error('HTTP mode needs SLACK_SIGNING_SECRET (Basic Information → App Credentials).');
        const http = new HTTPReceiver({ signingSecret: config.signingSecret, logger: boltLogger, port: config.port ?? 3000 });
        // Refuse future timestamps and replays too, which Bolt's own check lets through (request-guard.ts).
        const guard = createRequestGuard({
          signingSecret: config.signingSecret,
          onRefused: (reason) => log?.warn({ reason }, 'refused a Slack HTTP request that failed verification'),
        });
        refused = guard.refused;
        http.requestListener = guard.wrap(http.requestListener);
        receiver = http;
      }
      const a = new App({ token: config.botToken, botId: auth.botId, botUserId: auth.botUserId, receiver, clientOptions: { ...clientOptions }, logger: boltLogger });
      register(a);
      app = a;
      try {
        if (config.mode === 'socket') await a.start();
        else server = (await a.start({ port: config.port ?? 3000, host: config.host })) as unknown as Server;
      } catch (e) {
        app = undefined;
        socket = undefined;
        throw e;
      }
    },

    async stop() {
      const a = app;
      if (!a) return;
      app = undefined;
      if (socket) {
        // disconnect() resolves once the socket is closed, unlike receiver.stop().
        await socket.client.disconnect();
        socket = undefined;
      } else {
        await a.stop();
        server = undefined;
      }
    },

    async post(id: ConversationId, message: Message): Promise<MessageRef> {
      const { channel, threadTs } = slackTarget(id);
      let first: string | undefined;
      try {
        for (const part of renderMessage(message)) {
          const ts = await postMessage(channel, part, threadTs);
          first ??= ts;
        }
      } catch (e) {
        const code = slackError(e);
        if (code && UNAVAILABLE.has(code)) throw new ConversationUnavailableError(id, code);
        throw e;
      }
      if (message.image) await sendPublicPicture(channel, message.image, threadTs);
      return { conversationId: id, messageId: first ?? '' };
    },

    async update(ref: MessageRef, message: Message): Promise<void> {
      const { channel } = slackTarget(ref.conversationId);
      const [first] = renderMessage(message);
      if (!first) return;
      try {
        await client().chat.update({ channel, ts: ref.messageId, text: first.text, blocks: first.blocks });
      } catch (e) {
        const code = slackError(e);
        if (code && UNAVAILABLE.has(code)) throw new ConversationUnavailableError(ref.conversationId, code);
        throw e;
      }
    },

    async startThread(ref: MessageRef) {
      // A Slack thread needs no creating and has no name: replies carry the parent's ts.
      const { workspace } = parseConversationId(ref.conversationId);
      return conversationId('slack', workspace, `${slackTarget(ref.conversationId).channel}:${ref.messageId}`);
    },

    async postDirect(accountId: string, message: Message): Promise<MessageRef> {
      const { workspace, channel: user } = parseConversationId(accountId);
      return adapter.post(conversationId('slack', workspace, user), message);
    },

    httpPort() {
      const addr = server?.address();
      return addr && typeof addr === 'object' ? (addr as AddressInfo).port : undefined;
    },

    teamId() {
      return team;
    },

    refusedRequests() {
      return { ...(refused ?? { 'missing-headers': 0, 'bad-timestamp': 0, stale: 0, future: 0, 'bad-signature': 0, replayed: 0, 'too-large': 0 }) };
    },
  };
  return adapter;
}
