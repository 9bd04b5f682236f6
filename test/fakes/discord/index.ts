/**
 * An in-repo Discord (API v10) that the real discord.js client logs in to:
 * REST under /api/v10 and the gateway WebSocket, on 127.0.0.1. It keeps
 * messages, interactions and commands in memory, enforces the limits and
 * error codes a bot meets on real Discord, and records every request so
 * tests assert what a user would see.
 *
 * Wire details follow /work/shared/platform-notes/discord.md.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, WebSocket } from 'ws';
import { ManualClock } from '../../../src/core/clock.ts';
import { SnowflakeSource, shardOfGuild } from './snowflake.ts';
import { World, userJson, DM_APP_PERMS, Perm, type FakeChannel, type FakeGuild, type FakeUser } from './world.ts';
import { formBodyError, validateCommands, validateMessage, validateModal, type FieldErrors } from './validate.ts';
import { pingsOf, type Pings } from './mentions.ts';

export { Perm } from './world.ts';
export type { FakeUser, FakeChannel, FakeGuild } from './world.ts';
export { pingsAnyone, type Pings } from './mentions.ts';
export { shardOfGuild } from './snowflake.ts';

export const INTERACTION_DEADLINE_MS = 3000;
export const INTERACTION_TOKEN_TTL_MS = 15 * 60 * 1000;
const PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15);
const INTENT_GUILDS = 1 << 0;
const INTENT_GUILD_MESSAGES = 1 << 9;
const INTENT_DIRECT_MESSAGES = 1 << 12;
const FLAG_EPHEMERAL = 64;
const FLAG_LOADING = 128;

export interface RecordedRequest {
  seq: number;
  method: string;
  /** Path after /api/v10, percent-decoded (`/webhooks/…/messages/@original`). */
  path: string;
  query: Record<string, string>;
  body: any;
  /** Sent with `Authorization: Bot <token>` matching the fake's token. */
  authorized: boolean;
  status: number;
  response: any;
}

/** A file uploaded with a message (multipart `files[n]`), as Discord keeps it. */
export interface FakeAttachment {
  id: string;
  filename: string;
  description?: string;
  contentType: string;
  size: number;
  bytes: Buffer;
  /** Read from the PNG header, as Discord reports image sizes. */
  width?: number;
  height?: number;
}

/** One `files[n]` part of a multipart request. */
interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface FakeMessage {
  id: string;
  channelId: string;
  guildId?: string;
  authorId: string;
  content: string;
  components: any[];
  embeds: any[];
  /** Files sent with the message, in order. */
  attachments: FakeAttachment[];
  flags: number;
  /** `allowed_mentions` exactly as the bot sent it (undefined when absent). */
  allowedMentions: unknown;
  /** Who would be pinged on real Discord. */
  pings: Pings;
  /** Ephemeral: only this user sees it. */
  ephemeralTo?: string;
  interactionId?: string;
  via: 'channel' | 'callback' | 'followup';
  /** A deferred reply still showing "thinking…". */
  loading: boolean;
  deleted: boolean;
  edits: number;
  threadId?: string;
  createdSeq: number;
  /** When it was created, on the fake's clock. */
  createdAt: number;
  /** The `nonce` it was sent with, if any. */
  nonce?: string;
}

export type InteractionKind = 'command' | 'autocomplete' | 'component' | 'modal';
const INTERACTION_TYPE: Record<InteractionKind, number> = { command: 2, component: 3, autocomplete: 4, modal: 5 };

export interface FakeInteraction {
  id: string;
  token: string;
  kind: InteractionKind;
  type: number;
  userId: string;
  guildId?: string;
  channelId: string;
  data: any;
  sourceMessageId?: string;
  createdAt: number;
  expired: boolean;
  /** The first accepted callback type (4 reply, 5 defer, 6 deferUpdate, 7 update, 8 choices, 9 modal). */
  responseType?: number;
  /** Callback types attempted, accepted or not, in order. */
  callbackAttempts: number[];
  originalMessageId?: string;
  modal?: any;
  choices?: { name: string; value: string | number }[];
  payload: any;
  /**
   * The gateway sessions INTERACTION_CREATE went to: the one holding the guild's shard (shard 0 for
   * DMs). Only a client on one of these sessions saw the token, so only it can have answered.
   */
  deliveredTo: GatewaySession[];
}

/** One IDENTIFYed gateway session, as tests see it. */
export interface GatewaySession {
  id: string;
  /** [shard id, shard count] from IDENTIFY ([0, 1] when the client sent none). */
  shard: [number, number];
  /** 1 for the first IDENTIFY the fake accepted, 2 for the next… */
  connection: number;
}

export interface Where {
  user?: FakeUser | string;
  channel?: FakeChannel | string;
  /** Send from the user's DM with the bot (no guild). */
  dm?: boolean;
}

interface Session {
  id: string;
  shard: [number, number];
  connection: number;
  seq: number;
  log: { s: number; t: string; d: unknown }[];
  socket: WebSocket | null;
  intents: number;
  forceReplay: number;
}

export interface FakeDiscordOptions {
  token?: string;
  /** Time for snowflakes and the 3-second/15-minute deadlines; it only moves when the test moves it. */
  clock?: ManualClock;
  /** Allow privileged intents (GuildMembers, GuildPresences, MessageContent); off like a fresh app. */
  privilegedIntents?: boolean;
  heartbeatIntervalMs?: number;
  /** How long `enforce_nonce` deduplicates (Discord: "the past few minutes"; 5 min here). */
  nonceWindowMs?: number;
  /** `shards` in GET /gateway/bot: what discord.js's `shards: 'auto'` opens. Default 1. */
  recommendedShards?: number;
  /**
   * `session_start_limit.max_concurrency`: shards that may IDENTIFY in the same 5 s. discord.js waits
   * 5 s between IDENTIFYs of one bucket, so a test with several shards in one process raises it. Default 1.
   */
  maxConcurrency?: number;
}

class HttpError {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers?: Record<string, string>,
  ) {}
}
const notFound = () => new HttpError(404, { message: '404: Not Found', code: 0 });
const unauthorized = () => new HttpError(401, { message: '401: Unauthorized', code: 0 });
const unknownChannel = () => new HttpError(404, { message: 'Unknown Channel', code: 10003 });
const unknownMessage = () => new HttpError(404, { message: 'Unknown Message', code: 10008 });
const unknownWebhook = () => new HttpError(404, { message: 'Unknown Webhook', code: 10015 });
const unknownInteraction = () => new HttpError(404, { message: 'Unknown interaction', code: 10062 });
const alreadyAcked = () => new HttpError(400, { message: 'Interaction has already been acknowledged.', code: 40060 });
const missingAccess = () => new HttpError(403, { message: 'Missing Access', code: 50001 });
const invalid = (errors: FieldErrors) => {
  if (errors._empty) return new HttpError(400, { message: 'Cannot send an empty message', code: 50006 });
  return new HttpError(400, formBodyError(errors));
};
const hasErrors = (e: FieldErrors) => Object.keys(e).length > 0;

export class FakeDiscord extends EventEmitter {
  readonly token: string;
  readonly clock: ManualClock;
  readonly world: World;
  readonly requests: RecordedRequest[] = [];
  readonly messages: FakeMessage[] = [];
  readonly interactions = new Map<string, FakeInteraction>();
  readonly globalCommands: any[] = [];
  readonly guildCommands = new Map<string, any[]>();
  /** Gateway frames received from clients, for tests about the handshake. */
  readonly gatewayLog: { direction: 'in' | 'out'; op: number; t?: string | null; d?: any }[] = [];

  /** The default world: one guild, a few people and channels. */
  readonly guild: FakeGuild;
  readonly users: { owner: FakeUser; alice: FakeUser; bob: FakeUser; mallory: FakeUser };
  readonly channels: { general: FakeChannel; secret: FakeChannel };
  readonly roles: { admin: string; moderator: string };

  port = 0;
  private readonly ids: SnowflakeSource;
  private readonly server: http.Server;
  private readonly wss: WebSocketServer;
  private readonly sessions = new Map<string, Session>();
  private current: Session | null = null;
  /**
   * The newest session per shard ("id/count"): Discord routes a guild's events to shard
   * (guild_id >> 22) % count. A second IDENTIFY for a shard that is still connected is not refused
   * (what real Discord then delivers where is undocumented); here the newer session gets the events.
   */
  private readonly shardHolders = new Map<string, Session>();
  private readonly recommendedShards: number;
  private readonly maxConcurrency: number;
  private seqCounter = 0;
  private readonly privileged: boolean;
  private readonly heartbeatInterval: number;
  private readonly nonceWindowMs: number;

  constructor(opts: FakeDiscordOptions = {}) {
    super();
    this.setMaxListeners(100);
    this.token = opts.token ?? 'fake-bot-token';
    this.clock = opts.clock ?? new ManualClock('2025-03-03T09:00:00Z');
    this.privileged = opts.privilegedIntents ?? false;
    this.heartbeatInterval = opts.heartbeatIntervalMs ?? 41_250;
    this.nonceWindowMs = opts.nonceWindowMs ?? 5 * 60_000;
    this.recommendedShards = opts.recommendedShards ?? 1;
    this.maxConcurrency = opts.maxConcurrency ?? 1;
    this.ids = new SnowflakeSource(() => this.clock.now().getTime());
    this.world = new World(this.ids);

    const owner = this.world.addUser('olivia', 'Olivia');
    const alice = this.world.addUser('alice', 'Alice');
    const bob = this.world.addUser('bob', null);
    const mallory = this.world.addUser('mallory', 'Mallory');
    this.users = { owner, alice, bob, mallory };
    this.guild = this.world.addGuild('Prep Guild', owner.id);
    const admin = this.world.addRole(this.guild, 'Admin', Perm.ManageGuild);
    const moderator = this.world.addRole(this.guild, 'Moderator', Perm.ManageChannels);
    this.roles = { admin: admin.id, moderator: moderator.id };
    this.world.addMember(this.guild, owner);
    this.world.addMember(this.guild, alice, [admin.id]);
    this.world.addMember(this.guild, bob);
    this.world.addMember(this.guild, mallory);
    this.world.addChannel(this.guild, 'Study', { type: 4 });
    this.channels = {
      general: this.world.addChannel(this.guild, 'general'),
      secret: this.world.addChannel(this.guild, 'secret', { botHasNoAccess: true }),
    };

    this.server = http.createServer((req, res) => void this.onHttp(req, res));
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== '/gateway' && url.pathname !== '/resume') {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws, url));
    });
  }

  get restUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }
  get resumeUrl(): string {
    return `ws://127.0.0.1:${this.port}/resume`;
  }
  get applicationId(): string {
    return this.world.applicationId;
  }
  get botUser(): FakeUser {
    return this.world.botUser;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private readonly failures: {
    match: (method: string, path: string, body: any) => boolean;
    status: number;
    body: unknown;
    headers?: Record<string, string>;
    remaining: number;
    afterHandling: boolean;
  }[] = [];

  /**
   * Answer the next `times` REST requests matching `match` (path without /api/v10; the parsed body) with `status` and
   * `body` instead of handling them, as Discord does for a revoked token (401), an outage (5xx) or a
   * rate limit (429 with `headers: { 'retry-after': … }`).
   * `afterHandling`: do the work first (store the message, accept the callback…) and only then answer
   * with the failure, as when Discord's edge times out after the API already acted: a client that
   * retries such a request sends it a second time.
   */
  failRequests(
    match: (method: string, path: string, body: any) => boolean,
    status: number,
    body: unknown = { message: status === 401 ? '401: Unauthorized' : 'fake failure', code: 0 },
    opts: { times?: number; headers?: Record<string, string>; afterHandling?: boolean } = {},
  ): void {
    this.failures.push({
      match,
      status,
      body,
      remaining: opts.times ?? 1,
      afterHandling: opts.afterHandling ?? false,
      ...(opts.headers ? { headers: opts.headers } : {}),
    });
  }

  /** How many armed failRequests answers have not been given yet. */
  get pendingFailures(): number {
    return this.failures.reduce((n, f) => n + f.remaining, 0);
  }

  /** Every gateway connection that closed, with how many REST requests had been answered by then. */
  readonly gatewayCloses: { afterRequest: number }[] = [];

  private readonly holds: {
    match: (method: string, path: string) => boolean;
    arrived: () => void;
    released: Promise<void>;
    dropped: boolean;
  }[] = [];

  /**
   * Keep REST requests matching `match` (path without /api/v10) waiting, unanswered, until `release()`:
   * a slow network or a slow Discord, so a test can catch the bot with work in flight.
   * `arrived` resolves when the first matching request is being held. `release()` lets the held
   * requests through (Discord acts on them); `drop()` ends them unanswered and unhandled (they never
   * reached Discord).
   */
  holdRequests(match: (method: string, path: string) => boolean): { arrived: Promise<void>; release(): void; drop(): void } {
    let arrived!: () => void;
    let release!: () => void;
    const arrivedP = new Promise<void>((r) => (arrived = r));
    const released = new Promise<void>((r) => (release = r));
    const hold = { match, arrived, released, dropped: false };
    this.holds.push(hold);
    const end = (dropped: boolean) => {
      const at = this.holds.indexOf(hold);
      if (at >= 0) this.holds.splice(at, 1);
      hold.dropped = dropped;
      release();
    };
    return { arrived: arrivedP, release: () => end(false), drop: () => end(true) };
  }

  // ───────────────────────────── waiting ─────────────────────────────

  /** Resolves once `condition()` holds, re-checked after every request and gateway event (no timers). */
  waitUntil<T>(condition: () => T | undefined | null | false): Promise<T> {
    const now = condition();
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => {
      const check = () => {
        const v = condition();
        if (v) {
          this.off('change', check);
          resolve(v);
        }
      };
      this.on('change', check);
    });
  }

  /** Resolves with the interaction once it has a first accepted callback. */
  waitForResponse(interactionId: string): Promise<FakeInteraction> {
    return this.waitUntil(() => {
      const i = this.interactions.get(interactionId);
      return i?.responseType !== undefined ? i : undefined;
    });
  }

  private changed() {
    this.emit('change');
  }

  // ───────────────────────────── what users see ─────────────────────────────

  /** Public messages in channels the user can see, plus ephemeral messages for them; in order. */
  messagesVisibleTo(user: FakeUser | string, opts: { channelId?: string; includeLoading?: boolean } = {}): FakeMessage[] {
    const userId = typeof user === 'string' ? user : user.id;
    return this.messages.filter((m) => {
      if (m.deleted || (m.loading && !opts.includeLoading)) return false;
      if (opts.channelId && m.channelId !== opts.channelId) return false;
      if (m.ephemeralTo !== undefined) return m.ephemeralTo === userId;
      const channel = this.world.channels.get(m.channelId);
      if (!channel) return false;
      if (channel.type === 1) return channel.recipientId === userId;
      return !!(channel.guildId && this.world.member(channel.guildId, userId));
    });
  }

  /** Messages every member of the channel sees (no ephemerals). */
  publicMessages(channelId?: string): FakeMessage[] {
    return this.messages.filter(
      (m) => !m.deleted && !m.loading && m.ephemeralTo === undefined && (!channelId || m.channelId === channelId),
    );
  }

  /** Every message body the bot sent or edited, with the allowed_mentions it carried. */
  sentMessageBodies(): RecordedRequest[] {
    return this.requests.filter(
      (r) =>
        r.status < 300 &&
        ((r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path)) ||
          (r.method === 'PATCH' && /\/messages\//.test(r.path)) ||
          (r.method === 'POST' && /^\/webhooks\//.test(r.path)) ||
          (r.method === 'POST' && /\/callback$/.test(r.path) && [4, 7].includes(r.body?.type))),
    );
  }

  modalsShownTo(user: FakeUser | string): any[] {
    const userId = typeof user === 'string' ? user : user.id;
    return [...this.interactions.values()].filter((i) => i.userId === userId && i.modal).map((i) => i.modal);
  }

  buttonsOn(message: FakeMessage): { custom_id: string; label?: string; style: number }[] {
    return message.components.flatMap((row: any) => row.components ?? []).filter((c: any) => c.type === 2);
  }

  // ───────────────────────────── driver: users act ─────────────────────────────

  /** A user runs `/name` (or `/name sub` for a subcommand) with options typed by the registered command. */
  slash(name: string, options: Record<string, string | number | boolean> = {}, where: Where = {}): Promise<FakeInteraction> {
    const ctx = this.resolveWhere(where);
    const data = this.commandData(name, options, ctx.guildId, null);
    return this.dispatchInteraction('command', ctx, data);
  }

  /** The user is typing option `focused` of `/name`; `options` holds what is typed so far (incl. the focused one). */
  autocomplete(
    name: string,
    options: Record<string, string | number | boolean>,
    focused: string,
    where: Where = {},
  ): Promise<FakeInteraction> {
    const ctx = this.resolveWhere(where);
    const data = this.commandData(name, options, ctx.guildId, focused);
    return this.dispatchInteraction('autocomplete', ctx, data);
  }

  /** The user presses the button with `customId` on `message` (which must carry that button and be visible to them). */
  click(customId: string, message: FakeMessage | string, where: Pick<Where, 'user'> = {}): Promise<FakeInteraction> {
    const msg = typeof message === 'string' ? this.messages.find((m) => m.id === message) : message;
    if (!msg) throw new Error(`fake discord: no message ${String(message)}`);
    const userId = this.userId(where.user) ?? msg.ephemeralTo ?? this.users.alice.id;
    if (!this.messagesVisibleTo(userId).some((m) => m.id === msg.id)) {
      throw new Error(`fake discord: user ${userId} cannot see message ${msg.id}`);
    }
    if (!this.buttonsOn(msg).some((b) => b.custom_id === customId)) {
      const ids = this.buttonsOn(msg).map((b) => b.custom_id);
      throw new Error(`fake discord: message ${msg.id} has no button ${customId} (has: ${ids.join(', ') || 'none'})`);
    }
    const channel = this.world.channels.get(msg.channelId)!;
    const ctx = { userId, channelId: channel.id, guildId: channel.guildId };
    return this.dispatchInteraction('component', ctx, { custom_id: customId, component_type: 2 }, msg.id);
  }

  /** The user submits the modal `customId` last shown to them, with text input values by custom id. */
  submitModal(customId: string, fields: Record<string, string>, where: Pick<Where, 'user'> = {}): Promise<FakeInteraction> {
    const userId = this.userId(where.user) ?? this.users.alice.id;
    const opener = [...this.interactions.values()]
      .reverse()
      .find((i) => i.userId === userId && i.modal?.custom_id === customId);
    if (!opener) throw new Error(`fake discord: no modal ${customId} was shown to ${userId}`);
    const components = (opener.modal.components as any[]).flatMap((c: any): any[] => {
      if (c.type === 10) return [];
      const input = c.type === 18 ? c.component : c.components[0];
      const value = fields[input.custom_id] ?? '';
      if (input.required !== false && value.length === 0) {
        throw new Error(`fake discord: field ${input.custom_id} is required`);
      }
      if (input.max_length !== undefined && [...value].length > input.max_length) {
        throw new Error(`fake discord: field ${input.custom_id} allows at most ${input.max_length} characters`);
      }
      const submitted = { type: 4, id: 0, custom_id: input.custom_id, value };
      return c.type === 18 ? [{ type: 18, id: 0, component: submitted }] : [{ type: 1, id: 0, components: [submitted] }];
    });
    const ctx = { userId, channelId: opener.channelId, guildId: opener.guildId };
    return this.dispatchInteraction('modal', ctx, { custom_id: customId, components }, opener.sourceMessageId);
  }

  /**
   * A modified client: sends a button press with any `customId`, whether or not such a button was
   * ever shown to `user` (Discord relays whatever custom_id a client sends for a message it can see).
   */
  forgeClick(customId: string, message: FakeMessage | string, where: Pick<Where, 'user'> = {}): Promise<FakeInteraction> {
    const msg = typeof message === 'string' ? this.messages.find((m) => m.id === message) : message;
    if (!msg) throw new Error(`fake discord: no message ${String(message)}`);
    const userId = this.userId(where.user) ?? this.users.alice.id;
    const channel = this.world.channels.get(msg.channelId)!;
    return this.dispatchInteraction('component', { userId, channelId: channel.id, guildId: channel.guildId }, { custom_id: customId, component_type: 2 }, msg.id);
  }

  /** A modified client: submits a modal with any `customId` and text field `fieldId`, shown to `user` or not. */
  forgeModalSubmit(customId: string, fieldId: string, value: string, where: Where = {}): Promise<FakeInteraction> {
    const ctx = this.resolveWhere(where);
    const components = [{ type: 18, id: 0, component: { type: 4, id: 0, custom_id: fieldId, value } }];
    return this.dispatchInteraction('modal', ctx, { custom_id: customId, components });
  }

  /** Make the interaction's 3-second window pass (its next first callback gets 10062). */
  expire(interactionId: string): void {
    const i = this.interactions.get(interactionId);
    if (!i) throw new Error(`fake discord: no interaction ${interactionId}`);
    i.expired = true;
  }

  /**
   * Expire every interaction created from now on as soon as it is dispatched,
   * as if the gateway delivered it late: the bot's first callback gets 10062.
   */
  expireOnDispatch = false;

  // ───────────────────────────── driver: gateway control ─────────────────────────────

  /** Send op 7 RECONNECT: discord.js closes and RESUMEs on resume_gateway_url. */
  requestReconnect(): void {
    const s = this.current?.socket;
    if (!s) throw new Error('fake discord: no connected gateway session');
    this.sendFrame(s, { op: 7, d: null, s: null, t: null });
  }

  /**
   * Close the session's WebSocket from Discord's side with `code` (default 4000 "Unknown error", which
   * a client may resume after), as when Discord restarts a gateway node mid-session. The session stays
   * resumable; dispatches made while no socket is connected are replayed on RESUME.
   */
  closeGateway(code = 4000): void {
    const s = this.current?.socket;
    if (!s) throw new Error('fake discord: no connected gateway session');
    s.close(code, 'fake gateway restart');
  }

  /** On the next RESUME, also re-deliver the last `n` dispatches the client already had (duplicates). */
  replayOnNextResume(n: number): void {
    if (!this.current) throw new Error('fake discord: no gateway session');
    this.current.forceReplay = n;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Every session that IDENTIFYed, oldest first. */
  get gatewaySessions(): GatewaySession[] {
    return [...this.sessions.values()].map((s) => this.sessionInfo(s));
  }

  /** The sessions that receive a guild's events (`undefined`: DMs, which go to shard 0). */
  private sessionsFor(guildId: string | undefined): Session[] {
    return [...this.shardHolders.values()].filter((s) => s.shard[0] === (guildId ? shardOfGuild(guildId, s.shard[1]) : 0));
  }

  private sessionInfo(s: Session): GatewaySession {
    return { id: s.id, shard: [...s.shard], connection: s.connection };
  }

  /**
   * A guild whose id Discord routes to `shard` of `count` (with the default owner as owner and
   * member), a #general channel, and `members` joined. The bot is in it from the start.
   */
  addGuildOnShard(name: string, [shard, count]: [number, number], members: FakeUser[] = []): { guild: FakeGuild; general: FakeChannel } {
    if (!Number.isInteger(count) || count < 1 || !Number.isInteger(shard) || shard < 0 || shard >= count) {
      throw new Error(`fake discord: no shard ${shard} of ${count}`);
    }
    const guild = this.world.addGuild(name, this.users.owner.id, { id: this.ids.nextOnShard(shard, count) });
    this.world.addMember(guild, this.users.owner);
    for (const u of members) if (u.id !== this.users.owner.id) this.world.addMember(guild, u);
    const general = this.world.addChannel(guild, 'general');
    return { guild, general };
  }

  get connected(): boolean {
    return this.current?.socket?.readyState === WebSocket.OPEN;
  }

  // ───────────────────────────── internals: interactions ─────────────────────────────

  private userId(u: FakeUser | string | undefined): string | undefined {
    return typeof u === 'string' ? u : u?.id;
  }

  private resolveWhere(where: Where): { userId: string; channelId: string; guildId?: string } {
    const userId = this.userId(where.user) ?? this.users.alice.id;
    if (where.dm) return { userId, channelId: this.world.dmChannelFor(userId).id };
    const channelId = (typeof where.channel === 'string' ? where.channel : where.channel?.id) ?? this.channels.general.id;
    const channel = this.world.channels.get(channelId);
    if (!channel) throw new Error(`fake discord: no channel ${channelId}`);
    if (channel.type === 1) return { userId, channelId };
    if (!this.world.member(channel.guildId!, userId)) throw new Error(`fake discord: ${userId} is not in that guild`);
    return { userId, channelId, guildId: channel.guildId };
  }

  private commandData(
    fullName: string,
    options: Record<string, string | number | boolean>,
    guildId: string | undefined,
    focused: string | null,
  ) {
    const [name, sub] = fullName.trim().split(/\s+/);
    const scoped = guildId ? (this.guildCommands.get(guildId) ?? []) : [];
    const cmd = scoped.find((c) => c.name === name) ?? this.globalCommands.find((c) => c.name === name);
    if (!cmd) throw new Error(`fake discord: /${name} is not registered (globally or in this guild); register commands first`);
    let defs: any[] = cmd.options ?? [];
    if (sub) {
      const subDef = defs.find((o) => o.type === 1 && o.name === sub);
      if (!subDef) throw new Error(`fake discord: /${name} has no subcommand ${sub}`);
      defs = subDef.options ?? [];
    } else if (defs.some((o) => o.type === 1)) {
      throw new Error(`fake discord: /${name} needs a subcommand`);
    }
    const resolvedUsers: Record<string, unknown> = {};
    const resolvedMembers: Record<string, unknown> = {};
    const opts = Object.entries(options).map(([optName, value]) => {
      const def = defs.find((o) => o.name === optName);
      if (!def) throw new Error(`fake discord: /${fullName} has no option ${optName}`);
      if (focused === null && def.choices && !def.choices.some((c: any) => c.value === value)) {
        throw new Error(`fake discord: ${optName} must be one of its choices`);
      }
      if (def.type === 6) {
        const u = this.world.users.get(String(value));
        if (!u) throw new Error(`fake discord: no user ${value}`);
        resolvedUsers[u.id] = userJson(u);
        const m = guildId ? this.world.member(guildId, u.id) : undefined;
        if (m) {
          const { user: _u, ...rest } = this.world.memberJson(guildId!, m);
          resolvedMembers[u.id] = { ...rest, permissions: this.world.memberPermissions(guildId!, u.id).toString() };
        }
      }
      const typed = focused === optName ? String(value) : def.type === 4 || def.type === 10 ? Number(value) : value;
      return { name: optName, type: def.type, value: typed, ...(focused === optName ? { focused: true } : {}) };
    });
    if (focused === null) {
      for (const def of defs) {
        if (def.required && !(def.name in options)) throw new Error(`fake discord: ${def.name} is required`);
      }
    } else if (!(focused in options)) {
      throw new Error(`fake discord: focused option ${focused} must be in options`);
    }
    const data: any = {
      id: cmd.id,
      name,
      type: 1,
      options: sub ? [{ name: sub, type: 1, options: opts }] : opts,
    };
    if (cmd.guild_id) data.guild_id = cmd.guild_id;
    if (Object.keys(resolvedUsers).length) {
      data.resolved = { users: resolvedUsers, ...(Object.keys(resolvedMembers).length ? { members: resolvedMembers } : {}) };
    }
    return data;
  }

  private async dispatchInteraction(
    kind: InteractionKind,
    ctx: { userId: string; channelId: string; guildId?: string },
    data: any,
    sourceMessageId?: string,
  ): Promise<FakeInteraction> {
    const sessions = this.sessionsFor(ctx.guildId);
    if (sessions.length === 0) {
      const where = ctx.guildId ? `guild ${ctx.guildId}'s shard` : 'shard 0 (DMs)';
      throw new Error(`fake discord: no gateway session holds ${where}; log a client in first`);
    }
    const interaction: FakeInteraction = {
      id: this.ids.next(),
      token: `itoken-${randomBytes(12).toString('hex')}`,
      kind,
      type: INTERACTION_TYPE[kind],
      userId: ctx.userId,
      channelId: ctx.channelId,
      ...(ctx.guildId ? { guildId: ctx.guildId } : {}),
      data,
      ...(sourceMessageId ? { sourceMessageId } : {}),
      createdAt: this.clock.now().getTime(),
      expired: this.expireOnDispatch,
      callbackAttempts: [],
      payload: undefined,
      deliveredTo: sessions.map((s) => this.sessionInfo(s)),
    };
    interaction.payload = this.interactionJson(interaction);
    this.interactions.set(interaction.id, interaction);
    for (const session of sessions) this.dispatch(session, 'INTERACTION_CREATE', interaction.payload);
    return interaction;
  }

  private interactionJson(i: FakeInteraction) {
    const channel = this.world.channels.get(i.channelId)!;
    const user = this.world.users.get(i.userId)!;
    const json: any = {
      id: i.id,
      application_id: this.applicationId,
      type: i.type,
      data: i.data,
      token: i.token,
      version: 1,
      locale: 'en-US',
      entitlements: [],
      attachment_size_limit: 10 * 1024 * 1024,
      channel: this.world.channelJson(channel),
      channel_id: channel.id,
    };
    if (i.guildId) {
      const member = this.world.member(i.guildId, i.userId)!;
      json.guild_id = i.guildId;
      json.guild = { id: i.guildId, locale: 'en-US', features: [] };
      json.guild_locale = 'en-US';
      json.member = {
        ...this.world.memberJson(i.guildId, member),
        permissions: this.world.memberPermissions(i.guildId, i.userId).toString(),
      };
      json.app_permissions = this.world.memberPermissions(i.guildId, this.botUser.id).toString();
      json.authorizing_integration_owners = { '0': i.guildId };
      json.context = 0;
    } else {
      json.user = userJson(user);
      json.app_permissions = DM_APP_PERMS.toString();
      json.authorizing_integration_owners = { '0': '0' };
      json.context = 1;
    }
    if (i.sourceMessageId) {
      const msg = this.messages.find((m) => m.id === i.sourceMessageId);
      if (msg) json.message = this.messageJson(msg);
    }
    return json;
  }

  private interactionByToken(appId: string, token: string): FakeInteraction {
    if (appId !== this.applicationId) throw unknownWebhook();
    for (const i of this.interactions.values()) if (i.token === token) return i;
    throw unknownWebhook();
  }

  private callback(id: string, token: string, body: any, withResponse: boolean, files: UploadedFile[]): { status: number; body?: unknown } {
    const i = this.interactions.get(id);
    if (!i || i.token !== token) throw unknownInteraction();
    const type = body?.type;
    i.callbackAttempts.push(type);
    if (i.responseType !== undefined) throw alreadyAcked();
    if (i.expired || this.clock.now().getTime() - i.createdAt > INTERACTION_DEADLINE_MS) throw unknownInteraction();

    const valid: Record<InteractionKind, number[]> = {
      command: [4, 5, 9],
      autocomplete: [8],
      component: [4, 5, 6, 7, 9],
      modal: i.sourceMessageId ? [4, 5, 6, 7] : [4, 5],
    };
    if (!valid[i.kind].includes(type)) {
      throw new HttpError(
        400,
        formBodyError({ type: `Value must be one of {${valid[i.kind].join(', ')}}.` }),
      );
    }
    const data = body.data ?? {};
    let message: FakeMessage | undefined;
    if (type === 4) {
      const errors = validateMessage(data);
      if (hasErrors(errors)) throw invalid(errors);
      message = this.storeMessage(i.channelId, data, { via: 'callback', interaction: i, files });
      i.originalMessageId = message.id;
    } else if (type === 5) {
      message = this.storeMessage(i.channelId, { content: '', flags: (data.flags ?? 0) | FLAG_LOADING }, {
        via: 'callback',
        interaction: i,
        loading: true,
      });
      i.originalMessageId = message.id;
    } else if (type === 6) {
      i.originalMessageId = i.sourceMessageId;
    } else if (type === 7) {
      const errors = validateMessage(data, { partial: true });
      if (hasErrors(errors)) throw invalid(errors);
      const source = this.messages.find((m) => m.id === i.sourceMessageId);
      if (!source) throw unknownMessage();
      this.editMessage(source, data, files);
      i.originalMessageId = source.id;
      message = source;
    } else if (type === 8) {
      const choices = data.choices;
      if (!Array.isArray(choices) || choices.length > 25) {
        throw new HttpError(400, formBodyError({ 'data.choices': 'Must be 25 or fewer in length.' }));
      }
      for (const [n, c] of choices.entries()) {
        if (typeof c?.name !== 'string' || c.name.length < 1 || c.name.length > 100) {
          throw new HttpError(400, formBodyError({ [`data.choices.${n}.name`]: 'Must be between 1 and 100 in length.' }));
        }
      }
      i.choices = choices;
    } else if (type === 9) {
      const errors = validateModal(data);
      if (hasErrors(errors)) throw new HttpError(400, formBodyError(errors));
      i.modal = data;
    }
    i.responseType = type;
    if (!withResponse) return { status: 204 };
    return {
      status: 200,
      body: {
        interaction: {
          id: i.id,
          type: i.type,
          activity_instance_id: undefined,
          response_message_id: message?.id,
          response_message_loading: type === 5,
          response_message_ephemeral: message ? !!(message.flags & FLAG_EPHEMERAL) : undefined,
        },
        resource: message ? { type, message: this.messageJson(message) } : { type },
      },
    };
  }

  // ───────────────────────────── internals: messages ─────────────────────────────

  private storeMessage(
    channelId: string,
    body: any,
    opts: { via: FakeMessage['via']; interaction?: FakeInteraction; loading?: boolean; files?: UploadedFile[] },
  ): FakeMessage {
    const channel = this.world.channels.get(channelId)!;
    const flags = (body.flags ?? 0) & (FLAG_EPHEMERAL | FLAG_LOADING | 4 | 4096);
    const content = body.content ?? '';
    const message: FakeMessage = {
      id: this.ids.next(),
      channelId,
      ...(channel.guildId ? { guildId: channel.guildId } : {}),
      authorId: this.botUser.id,
      content,
      components: body.components ?? [],
      embeds: body.embeds ?? [],
      attachments: this.attachmentsOf(body, opts.files ?? []),
      flags,
      allowedMentions: body.allowed_mentions,
      pings: pingsOf(content, body.allowed_mentions),
      ...(opts.interaction && flags & FLAG_EPHEMERAL ? { ephemeralTo: opts.interaction.userId } : {}),
      ...(opts.interaction ? { interactionId: opts.interaction.id } : {}),
      via: opts.via,
      loading: opts.loading ?? false,
      deleted: false,
      edits: 0,
      createdSeq: ++this.seqCounter,
      createdAt: this.clock.now().getTime(),
    };
    this.messages.push(message);
    if (message.ephemeralTo === undefined && !message.loading) this.dispatchMessageCreate(message);
    return message;
  }

  /**
   * Files of a multipart request, described by the payload's `attachments`
   * entries whose `id` is the file's index (`files[0]` ↔ id 0), as discord.js sends them.
   */
  private attachmentsOf(body: any, files: UploadedFile[]): FakeAttachment[] {
    const described: any[] = Array.isArray(body?.attachments) ? body.attachments : [];
    return files.map((f) => {
      const index = /^files\[(\d+)\]$/.exec(f.field)?.[1];
      const meta = described.find((a) => index !== undefined && String(a?.id) === index);
      const size = pngSize(f.bytes);
      return {
        id: this.ids.next(),
        filename: meta?.filename ?? f.filename,
        ...(typeof meta?.description === 'string' ? { description: meta.description } : {}),
        contentType: f.contentType,
        size: f.bytes.length,
        bytes: f.bytes,
        ...(size ?? {}),
      };
    });
  }

  private editMessage(m: FakeMessage, body: any, files: UploadedFile[] = []) {
    // An edit keeps the attachments its `attachments` list names (all, when it has none) and adds new files.
    if (Array.isArray(body.attachments) || files.length > 0) {
      const keep = Array.isArray(body.attachments) ? new Set(body.attachments.map((a: any) => String(a?.id))) : null;
      m.attachments = [...m.attachments.filter((a) => keep === null || keep.has(a.id)), ...this.attachmentsOf(body, files)];
    }
    if (body.content !== undefined) m.content = body.content ?? '';
    if (body.components !== undefined) m.components = body.components ?? [];
    if (body.embeds !== undefined) m.embeds = body.embeds ?? [];
    if (body.allowed_mentions !== undefined) m.allowedMentions = body.allowed_mentions;
    m.pings = pingsOf(m.content, m.allowedMentions);
    if (m.loading) {
      m.loading = false;
      m.flags &= ~FLAG_LOADING;
    } else m.edits++;
  }

  private dispatchMessageCreate(m: FakeMessage) {
    const channel = this.world.channels.get(m.channelId);
    const wanted = channel?.type === 1 ? INTENT_DIRECT_MESSAGES : INTENT_GUILD_MESSAGES;
    for (const s of this.sessionsFor(m.guildId)) {
      if (s.intents & wanted) this.dispatch(s, 'MESSAGE_CREATE', { ...this.messageJson(m), ...(m.guildId ? { guild_id: m.guildId } : {}) });
    }
  }

  messageJson(m: FakeMessage) {
    const bot = { ...userJson(this.botUser), bot: true };
    return {
      id: m.id,
      channel_id: m.channelId,
      author: bot,
      content: m.content,
      timestamp: this.clock.now().toISOString(),
      edited_timestamp: m.edits ? this.clock.now().toISOString() : null,
      tts: false,
      mention_everyone: m.pings.everyone,
      mentions: m.pings.users.flatMap((id) => {
        const u = this.world.users.get(id);
        return u ? [userJson(u)] : [];
      }),
      mention_roles: m.pings.roles,
      attachments: m.attachments.map((a) => ({
        id: a.id,
        filename: a.filename,
        ...(a.description !== undefined ? { description: a.description } : {}),
        content_type: a.contentType,
        size: a.size,
        url: `http://127.0.0.1:${this.port}/attachments/${m.channelId}/${a.id}/${a.filename}`,
        proxy_url: `http://127.0.0.1:${this.port}/attachments/${m.channelId}/${a.id}/${a.filename}`,
        ...(a.width !== undefined ? { width: a.width, height: a.height } : {}),
        ...(m.flags & FLAG_EPHEMERAL ? { ephemeral: true } : {}),
      })),
      embeds: m.embeds,
      pinned: false,
      type: m.interactionId ? 20 : 0,
      flags: m.flags,
      components: m.components,
      ...(m.interactionId ? { webhook_id: this.applicationId, application_id: this.applicationId } : {}),
      ...(m.threadId ? { thread: this.world.channelJson(this.world.channels.get(m.threadId)!) } : {}),
    };
  }

  private botChannel(id: string): FakeChannel {
    const c = this.world.channels.get(id);
    if (!c) throw unknownChannel();
    if (c.botHasNoAccess) throw missingAccess();
    if (c.type === 4) throw new HttpError(400, { message: 'Cannot send messages in a non-text channel', code: 50008 });
    return c;
  }

  // ───────────────────────────── REST ─────────────────────────────

  private async onHttp(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x');
    const raw = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
    });
    let body: any = undefined;
    let files: UploadedFile[] = [];
    const ctype = req.headers['content-type'] ?? '';
    if (raw.length && ctype.includes('application/json')) body = JSON.parse(raw.toString('utf8'));
    else if (raw.length && ctype.includes('multipart/form-data')) ({ body, files } = await parseMultipart(raw, ctype));
    else if (raw.length) body = raw.toString('utf8');
    // Discord's default upload limit (the interactions' attachment_size_limit).
    const tooLarge = files.reduce((n, f) => n + f.bytes.length, 0) > 10 * 1024 * 1024;
    const authorized = req.headers.authorization === `Bot ${this.token}`;
    const method = req.method ?? 'GET';
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      path = url.pathname;
    }
    const query = Object.fromEntries(url.searchParams);
    const hold = this.holds.find((h) => h.match(method, path.replace(/^\/api\/v10/, '')));
    if (hold) {
      hold.arrived();
      await hold.released;
      if (hold.dropped) {
        req.socket.destroy();
        this.changed();
        return;
      }
    }
    let status = 200;
    let response: unknown;
    let extraHeaders: Record<string, string> = {};
    const failure = this.failures.find((f) => f.remaining > 0 && f.match(method, path.replace(/^\/api\/v10/, ''), body));
    try {
      if (failure && !failure.afterHandling) {
        failure.remaining--;
        throw new HttpError(failure.status, failure.body, failure.headers);
      }
      if (tooLarge) throw new HttpError(413, { message: 'Request entity too large', code: 40005 });
      if (!path.startsWith('/api/v10/')) throw notFound();
      const out = this.route(method, path.slice('/api/v10'.length), query, body, authorized, files);
      status = out.status ?? 200;
      response = out.body;
      if (failure) {
        failure.remaining--;
        throw new HttpError(failure.status, failure.body, failure.headers);
      }
    } catch (e) {
      if (e instanceof HttpError) {
        status = e.status;
        response = e.body;
        extraHeaders = e.headers ?? {};
      } else {
        status = 500;
        response = { message: `fake discord bug: ${(e as Error).stack}`, code: 0 };
      }
    }
    this.requests.push({
      seq: this.requests.length + 1,
      method,
      path: path.replace(/^\/api\/v10/, ''),
      query,
      body,
      authorized,
      status,
      response,
    });
    if (status === 204 || response === undefined) {
      res.writeHead(status === 200 ? 204 : status).end();
    } else {
      res.writeHead(status, { 'content-type': 'application/json', ...extraHeaders }).end(JSON.stringify(response));
    }
    this.changed();
  }

  private route(
    method: string,
    path: string,
    query: Record<string, string>,
    body: any,
    authorized: boolean,
    files: UploadedFile[] = [],
  ): { status?: number; body?: unknown } {
    const parts = path.split('/').filter(Boolean);
    const is = (m: string, pattern: string) => {
      if (m !== method) return false;
      const p = pattern.split('/').filter(Boolean);
      return p.length === parts.length && p.every((seg, k) => seg.startsWith(':') || seg === parts[k]);
    };
    const bot = () => {
      if (!authorized) throw unauthorized();
    };

    // Interaction callbacks and webhooks carry no bot auth; the token in the path is the credential.
    if (is('POST', '/interactions/:id/:token/callback')) {
      return this.callback(parts[1]!, parts[2]!, body, query.with_response === 'true', files);
    }
    if (parts[0] === 'webhooks') return this.webhook(method, parts, query, body, files);

    bot();
    if (is('GET', '/gateway/bot')) {
      return {
        body: {
          url: this.gatewayUrl,
          shards: this.recommendedShards,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: this.maxConcurrency },
        },
      };
    }
    if (is('GET', '/users/@me')) return { body: { ...userJson(this.botUser), bot: true, verified: true, mfa_enabled: false } };
    if (is('GET', '/applications/@me')) {
      return {
        body: {
          id: this.applicationId,
          name: this.botUser.username,
          icon: null,
          description: '',
          bot_public: true,
          bot_require_code_grant: false,
          verify_key: 'fake',
          flags: 0,
          owner: userJson(this.users.owner),
          team: null,
          bot: userJson(this.botUser),
        },
      };
    }
    if (parts[0] === 'applications') {
      if (parts[1] !== this.applicationId) throw new HttpError(403, { message: 'Missing Access', code: 50001 });
      if (is('PUT', '/applications/:app/commands')) return { body: this.putCommands(this.globalCommands, body, undefined) };
      if (is('GET', '/applications/:app/commands')) return { body: this.globalCommands };
      if (is('POST', '/applications/:app/commands')) return this.upsertCommand(this.globalCommands, body, undefined);
      const gid = parts[3]!;
      if (parts[2] === 'guilds' && !this.world.guilds.has(gid)) throw new HttpError(404, { message: 'Unknown Guild', code: 10004 });
      if (!this.guildCommands.has(gid)) this.guildCommands.set(gid, []);
      const list = this.guildCommands.get(gid)!;
      if (is('PUT', '/applications/:app/guilds/:gid/commands')) return { body: this.putCommands(list, body, gid) };
      if (is('GET', '/applications/:app/guilds/:gid/commands')) return { body: list };
      if (is('POST', '/applications/:app/guilds/:gid/commands')) return this.upsertCommand(list, body, gid);
      throw notFound();
    }
    if (is('POST', '/users/@me/channels')) {
      const u = this.world.users.get(String(body?.recipient_id));
      if (!u) throw new HttpError(400, formBodyError({ recipient_id: 'Unknown user.' }));
      return { body: this.world.channelJson(this.world.dmChannelFor(u.id)) };
    }
    if (is('GET', '/channels/:id')) {
      return { body: this.world.channelJson(this.botChannel(parts[1]!)) };
    }
    if (is('POST', '/channels/:id/messages')) {
      const channel = this.botChannel(parts[1]!);
      const errors = validateMessage(body ?? {});
      if (hasErrors(errors)) throw invalid(errors);
      const nonce = body?.nonce === undefined || body?.nonce === null ? undefined : String(body.nonce);
      if (nonce !== undefined && nonce.length > 25) throw new HttpError(400, formBodyError({ nonce: 'Must be 25 or fewer in length.' }));
      if (nonce !== undefined && body.enforce_nonce === true) {
        // Discord: the same author and nonce within the last few minutes returns that message instead of a new one.
        const since = this.clock.now().getTime() - this.nonceWindowMs;
        const earlier = this.messages.find((m) => m.channelId === channel.id && m.nonce === nonce && m.createdAt >= since && !m.deleted);
        if (earlier) return { body: this.messageJson(earlier) };
      }
      const m = this.storeMessage(channel.id, { ...body, flags: (body.flags ?? 0) & ~FLAG_EPHEMERAL }, { via: 'channel', files });
      if (nonce !== undefined) m.nonce = nonce;
      return { body: this.messageJson(m) };
    }
    if (is('GET', '/channels/:id/messages/:mid') || is('PATCH', '/channels/:id/messages/:mid')) {
      const channel = this.botChannel(parts[1]!);
      const m = this.messages.find((x) => x.id === parts[3] && x.channelId === channel.id && !x.deleted && !x.ephemeralTo);
      if (!m) throw unknownMessage();
      if (method === 'PATCH') {
        const errors = validateMessage(body ?? {}, { partial: true });
        if (hasErrors(errors)) throw invalid(errors);
        this.editMessage(m, body ?? {}, files);
      }
      return { body: this.messageJson(m) };
    }
    if (is('POST', '/channels/:id/messages/:mid/threads')) {
      const channel = this.botChannel(parts[1]!);
      const m = this.messages.find((x) => x.id === parts[3] && x.channelId === channel.id && !x.ephemeralTo);
      if (!m) throw unknownMessage();
      if (channel.type !== 0) throw new HttpError(400, { message: 'Cannot execute action on this channel type', code: 50024 });
      if (m.threadId) throw new HttpError(400, { message: 'A thread has already been created for this message', code: 160004 });
      return { status: 201, body: this.createThread(channel, body, m) };
    }
    if (is('POST', '/channels/:id/threads')) {
      const channel = this.botChannel(parts[1]!);
      if (channel.type !== 0) throw new HttpError(400, { message: 'Cannot execute action on this channel type', code: 50024 });
      return { status: 201, body: this.createThread(channel, body) };
    }
    throw notFound();
  }

  private createThread(parent: FakeChannel, body: any, from?: FakeMessage) {
    const name = String(body?.name ?? '');
    if (name.length < 1 || name.length > 100) throw new HttpError(400, formBodyError({ name: 'Must be between 1 and 100 in length.' }));
    const thread: FakeChannel = {
      // A thread started from a message has the message's id.
      id: from ? from.id : this.ids.next(),
      type: from ? 11 : (body?.type ?? 12),
      name,
      guildId: parent.guildId!,
      parentId: parent.id,
    };
    this.world.channels.set(thread.id, thread);
    if (from) from.threadId = thread.id;
    const json = this.world.channelJson(thread);
    for (const session of this.sessionsFor(parent.guildId)) {
      if (session.intents & INTENT_GUILDS) this.dispatch(session, 'THREAD_CREATE', { ...json, newly_created: true });
    }
    return json;
  }

  private webhook(method: string, parts: string[], query: Record<string, string>, body: any, files: UploadedFile[]) {
    const i = this.interactionByToken(parts[1]!, parts[2]!);
    if (this.clock.now().getTime() - i.createdAt > INTERACTION_TOKEN_TTL_MS) throw new HttpError(401, { message: 'Invalid Webhook Token', code: 50027 });
    // Follow-ups and edits exist only once the interaction has been acknowledged.
    if (i.responseType === undefined || i.responseType === 8 || i.responseType === 9) throw unknownWebhook();
    if (parts.length === 3 && method === 'POST') {
      const errors = validateMessage(body ?? {});
      if (hasErrors(errors)) throw invalid(errors);
      const original = this.messages.find((m) => m.id === i.originalMessageId);
      // The first follow-up after a deferred reply replaces the "thinking…" message.
      if (original?.loading && !original.deleted) {
        this.editMessage(original, body, files);
        return { body: this.messageJson(original) };
      }
      const m = this.storeMessage(i.channelId, body, { via: 'followup', interaction: i, files });
      return { body: query.wait === 'true' ? this.messageJson(m) : undefined, status: query.wait === 'true' ? 200 : 204 };
    }
    if (parts.length === 5 && parts[3] === 'messages') {
      const target =
        parts[4] === '@original'
          ? this.messages.find((m) => m.id === i.originalMessageId)
          : this.messages.find((m) => m.id === parts[4] && m.interactionId === i.id);
      if (!target || target.deleted) throw unknownMessage();
      if (method === 'GET') return { body: this.messageJson(target) };
      if (method === 'DELETE') {
        target.deleted = true;
        return { status: 204 };
      }
      if (method === 'PATCH') {
        const errors = validateMessage(body ?? {}, { partial: true });
        if (hasErrors(errors)) throw invalid(errors);
        this.editMessage(target, body ?? {}, files);
        return { body: this.messageJson(target) };
      }
    }
    throw notFound();
  }

  private putCommands(list: any[], body: unknown, guildId: string | undefined) {
    const errors = validateCommands(body);
    if (hasErrors(errors)) throw new HttpError(400, formBodyError(errors));
    const next = (body as any[]).map((c) => this.commandRecord(list, c, guildId));
    list.splice(0, list.length, ...next);
    return list;
  }

  private upsertCommand(list: any[], body: unknown, guildId: string | undefined) {
    const errors = validateCommands([body]);
    if (hasErrors(errors)) throw new HttpError(400, formBodyError(errors));
    const rec = this.commandRecord(list, body, guildId);
    const at = list.findIndex((c) => c.id === rec.id);
    if (at >= 0) list[at] = rec;
    else list.push(rec);
    return { status: at >= 0 ? 200 : 201, body: rec };
  }

  private commandRecord(list: any[], c: any, guildId: string | undefined) {
    const existing = list.find((x) => x.name === c.name && x.type === (c.type ?? 1));
    const same = existing && JSON.stringify(strip(existing)) === JSON.stringify(strip({ ...c, type: c.type ?? 1 }));
    return {
      ...c,
      type: c.type ?? 1,
      id: existing?.id ?? this.ids.next(),
      application_id: this.applicationId,
      version: same ? existing.version : this.ids.next(),
      default_member_permissions: c.default_member_permissions ?? null,
      nsfw: c.nsfw ?? false,
      ...(guildId ? { guild_id: guildId } : {}),
    };
  }

  // ───────────────────────────── gateway ─────────────────────────────

  private sendFrame(ws: WebSocket, frame: { op: number; d: unknown; s: number | null; t: string | null }) {
    this.gatewayLog.push({ direction: 'out', op: frame.op, t: frame.t, d: frame.d });
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  }

  private dispatch(session: Session, t: string, d: unknown) {
    const s = ++session.seq;
    session.log.push({ s, t, d });
    if (session.socket) this.sendFrame(session.socket, { op: 0, t, s, d });
    this.changed();
  }

  private onSocket(ws: WebSocket, url: URL) {
    if (url.searchParams.get('v') !== '10' || url.searchParams.has('compress') || (url.searchParams.get('encoding') ?? 'json') !== 'json') {
      ws.close(4012, 'Invalid API version');
      return;
    }
    let session: Session | null = null;
    this.sendFrame(ws, { op: 10, d: { heartbeat_interval: this.heartbeatInterval, _trace: [] }, s: null, t: null });
    ws.on('message', (raw) => {
      let frame: any;
      try {
        frame = JSON.parse(String(raw));
      } catch {
        ws.close(4002, 'Error while decoding payload.');
        return;
      }
      this.gatewayLog.push({ direction: 'in', op: frame.op, d: frame.op === 2 || frame.op === 6 ? { ...frame.d, token: '…' } : frame.d });
      switch (frame.op) {
        case 1:
          this.sendFrame(ws, { op: 11, d: null, s: null, t: null });
          this.emit('heartbeat');
          break;
        case 2:
          session = this.identify(ws, frame.d, session);
          break;
        case 6:
          session = this.resume(ws, frame.d);
          break;
        default:
          break;
      }
      this.changed();
    });
    ws.on('close', () => {
      if (session && session.socket === ws) session.socket = null;
      this.gatewayCloses.push({ afterRequest: this.requests.length });
      this.changed();
    });
  }

  private identify(ws: WebSocket, d: any, existing: Session | null): Session | null {
    if (existing) {
      ws.close(4005, 'Already authenticated.');
      return existing;
    }
    if (d?.token !== this.token) {
      ws.close(4004, 'Authentication failed.');
      return null;
    }
    const intents = Number(d.intents);
    if (!Number.isInteger(intents) || intents < 0) {
      ws.close(4013, 'Invalid intent(s).');
      return null;
    }
    if (intents & PRIVILEGED_INTENTS && !this.privileged) {
      ws.close(4014, 'Disallowed intent(s).');
      return null;
    }
    const shard: unknown = d.shard ?? [0, 1];
    if (
      !Array.isArray(shard) ||
      shard.length !== 2 ||
      !shard.every((n) => Number.isInteger(n)) ||
      shard[1] < 1 ||
      shard[0] < 0 ||
      shard[0] >= shard[1]
    ) {
      ws.close(4010, 'Invalid shard.');
      return null;
    }
    const [shardId, shardCount] = shard as [number, number];
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      shard: [shardId, shardCount],
      connection: this.sessions.size + 1,
      seq: 0,
      log: [],
      socket: ws,
      intents,
      forceReplay: 0,
    };
    this.sessions.set(session.id, session);
    this.current = session;
    this.shardHolders.set(`${shardId}/${shardCount}`, session);
    const guilds = [...this.world.guilds.values()].filter(
      (g) => g.members.some((m) => m.userId === this.botUser.id) && shardOfGuild(g.id, shardCount) === shardId,
    );
    this.dispatch(session, 'READY', {
      v: 10,
      user: { ...userJson(this.botUser), bot: true, verified: true, mfa_enabled: false, email: null },
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.resumeUrl,
      shard: [shardId, shardCount],
      application: { id: this.applicationId, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      user_settings: {},
      _trace: ['fake-discord'],
    });
    if (intents & INTENT_GUILDS) {
      for (const g of guilds) this.dispatch(session, 'GUILD_CREATE', this.world.guildCreateJson(g));
    }
    this.emit('identify', session.id);
    return session;
  }

  private resume(ws: WebSocket, d: any): Session | null {
    const session = this.sessions.get(String(d?.session_id));
    if (!session || d?.token !== this.token) {
      this.sendFrame(ws, { op: 9, d: false, s: null, t: null });
      return null;
    }
    if (session.socket && session.socket !== ws) session.socket.terminate();
    session.socket = ws;
    this.current = session;
    this.shardHolders.set(`${session.shard[0]}/${session.shard[1]}`, session);
    const from = Number(d.seq ?? 0);
    const missed = session.log.filter((e) => e.s > from);
    const dupes = session.forceReplay > 0 ? session.log.filter((e) => e.s <= from).slice(-session.forceReplay) : [];
    session.forceReplay = 0;
    for (const e of [...dupes, ...missed]) this.sendFrame(ws, { op: 0, t: e.t, s: e.s, d: e.d });
    this.dispatch(session, 'RESUMED', { _trace: ['fake-discord'] });
    this.emit('resumed', session.id);
    return session;
  }
}

/** A multipart body: `payload_json` as the JSON body, every other part with a filename as an uploaded file. */
async function parseMultipart(raw: Buffer, contentType: string): Promise<{ body: any; files: UploadedFile[] }> {
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const payload = form.get('payload_json');
  const files: UploadedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') continue;
    files.push({ field, filename: value.name, contentType: value.type || 'application/octet-stream', bytes: Buffer.from(await value.arrayBuffer()) });
  }
  return { body: typeof payload === 'string' ? JSON.parse(payload) : {}, files };
}

/** Width and height from a PNG's IHDR chunk; undefined for anything else. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || signature.some((b, k) => bytes[k] !== b)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return undefined;
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function strip(c: any) {
  const { id: _i, version: _v, application_id: _a, guild_id: _g, ...rest } = c;
  return rest;
}

export async function startFakeDiscord(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = new FakeDiscord(opts);
  await fake.listen();
  return fake;
}
