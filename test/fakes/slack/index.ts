/**
 * An in-repo Slack for tests: Web API + Socket Mode WebSocket + response_url
 * endpoints + a signed-HTTP driver, on 127.0.0.1. It speaks the wire format
 * described in shared/platform-notes/slack.md so the real Bolt App runs against
 * it unchanged (via `clientOptions.slackApiUrl`), and it records everything the
 * bot shows so tests assert what a user would see.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Clock } from '../../../src/core/clock.ts';
import { validateBlocks, validateView } from './validate.ts';
import { signedHeaders, type SignOptions } from './signing.ts';

export { slackSignature, signedHeaders, type SignOptions } from './signing.ts';
export { validateBlocks, validateView } from './validate.ts';

type Json = Record<string, unknown>;

export interface FakeUser {
  id: string;
  name: string;
  realName?: string;
  isAdmin?: boolean;
  isOwner?: boolean;
  tz?: string;
}

export interface FakeChannel {
  id: string;
  name: string;
  kind: 'public' | 'private' | 'im' | 'mpim';
  members: Set<string>;
  botIsMember: boolean;
  archived: boolean;
}

export interface ApiCall {
  seq: number;
  method: string;
  args: Json;
  token?: string;
  contentType: string;
  response: Json;
}

/** A file the bot uploaded (files.getUploadURLExternal + upload + files.completeUploadExternal). */
export interface FakeFile {
  id: string;
  name: string;
  title: string;
  altText?: string;
  /** Declared in files.getUploadURLExternal. */
  length: number;
  /** What reached the upload URL; undefined until then. */
  bytes?: Buffer;
  /** Channels it was shared to by files.completeUploadExternal. */
  sharedTo: string[];
}

/** One thing the bot put on screen: a channel message, an ephemeral, or a response_url answer. */
export interface SurfaceMessage {
  seq: number;
  kind: 'message' | 'ephemeral' | 'response';
  channel: string;
  ts: string;
  /** Recipient of an ephemeral (chat.postEphemeral or response_type ephemeral). */
  to?: string;
  responseType?: 'ephemeral' | 'in_channel';
  text: string;
  blocks: Json[];
  deleted: boolean;
  /** Earlier versions, oldest first (chat.update / replace_original). */
  history: { text: string; blocks: Json[] }[];
  /** A reply in a thread: the parent message's ts. */
  threadTs?: string;
  /** Files shared with this message (files.completeUploadExternal). */
  files?: FakeFile[];
}

export interface FakeView {
  id: string;
  user: string;
  hash: string;
  view: Json;
  open: boolean;
  /** The channel of the interaction whose trigger opened it (what Slack shows the modal over). */
  triggerChannel?: string;
}

export interface Ack {
  envelopeId: string;
  type: string;
  payload: unknown;
}

export interface Delivery {
  /** Socket Mode: the ack payload. HTTP: the response body (parsed when JSON). */
  ack: unknown;
  /** HTTP status (Socket Mode: 200 once acked). */
  status: number;
  envelopeId?: string;
}

export interface Interaction extends Delivery {
  triggerId: string;
  responseUrl?: string;
}

export type Transport = { kind: 'socket' } | { kind: 'http'; url: string; sign?: SignOptions };

export interface FakeSlackOptions {
  /** Enforce trigger_id (3 s) and response_url (30 min) expiry against this clock; unenforced without one. */
  clock?: Clock;
  /** Bot scopes; drop `chat:write.public` to make posting to channels the bot is not in fail. */
  scopes?: string[];
}

interface Trigger {
  user: string;
  channel?: string;
  used: boolean;
  issuedAt: number;
}

interface ResponseUrl {
  id: string;
  user: string;
  channel: string;
  source?: SurfaceMessage;
  uses: number;
  issuedAt: number;
}

type Injection =
  | { kind: 'error'; error: string }
  | { kind: 'ratelimit'; retryAfter: number }
  | { kind: 'server'; status: number; afterHandling: boolean };

const TEAM = { id: 'T0FAKE01', domain: 'prepbot-test', name: 'Prepbot Test' };
const BOT = { userId: 'U0BOT', botId: 'B0BOT', appId: 'A0FAKEAPP' };
const BOT_METHODS_FORM_ONLY = new Set(['users.info', 'conversations.info']);

export class FakeSlack {
  readonly team = TEAM;
  readonly bot = BOT;
  readonly botToken = 'xoxb-0000-fake-bot-token';
  readonly appToken = 'xapp-1-A0FAKEAPP-fake-app-token';
  readonly signingSecret = randomBytes(16).toString('hex');
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly calls: ApiCall[] = [];
  readonly surfaces: SurfaceMessage[] = [];
  /** Every file the bot started uploading, by id. */
  readonly files = new Map<string, FakeFile>();
  readonly views = new Map<string, FakeView>();
  readonly homeViews = new Map<string, FakeView>();
  readonly acks: Ack[] = [];
  /** Every envelope sent over Socket Mode, in order. */
  readonly envelopes: Json[] = [];
  /** Number of hello frames sent (one per successful Socket Mode connection). */
  hellos = 0;
  scopes: Set<string>;
  transport: Transport = { kind: 'socket' };

  private seq = 0;
  private tsCounter = 0;
  private readonly changes = new EventEmitter();
  private readonly triggers = new Map<string, Trigger>();
  private readonly responseUrls = new Map<string, ResponseUrl>();
  private readonly tickets = new Set<string>();
  /** Upload URL token → file id. */
  private readonly uploadUrls = new Map<string, string>();
  private readonly sockets = new Set<WebSocket>();
  private readonly pendingAcks = new Map<string, (payload: unknown) => void>();
  private readonly injected = new Map<string, Injection[]>();
  private readonly responseUrlFaults: { status: number; afterHandling: boolean }[] = [];
  private readonly tcp = new Set<Socket>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private server!: Server;
  baseUrl = '';

  constructor(private readonly options: FakeSlackOptions = {}) {
    this.scopes = new Set(options.scopes ?? ['commands', 'chat:write', 'chat:write.public', 'users:read', 'im:write', 'channels:join', 'files:write']);
    this.changes.setMaxListeners(0);
    for (const u of [
      { id: 'U0ALICE', name: 'alice', realName: 'Alice A' },
      { id: 'U0BOB', name: 'bob', realName: 'Bob B' },
      { id: 'U0ADMIN', name: 'admin', realName: 'Ada Admin', isAdmin: true },
    ]) {
      this.users.set(u.id, u);
    }
    const everyone = ['U0ALICE', 'U0BOB', 'U0ADMIN'];
    this.addChannel({ id: 'C0GENERAL', name: 'general', kind: 'public', members: everyone, botIsMember: true });
    this.addChannel({ id: 'C0RANDOM', name: 'random', kind: 'public', members: everyone, botIsMember: false });
    this.addChannel({ id: 'G0PRIVATE', name: 'secret', kind: 'private', members: everyone, botIsMember: false });
    // A DM between two people: slash commands arrive from here, but the bot cannot post into it.
    this.addChannel({ id: 'D0ALICEBOB', name: 'alice-bob', kind: 'im', members: ['U0ALICE', 'U0BOB'], botIsMember: false });
  }

  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  addUser(user: FakeUser): void {
    this.users.set(user.id, user);
  }

  addChannel(c: { id: string; name: string; kind: FakeChannel['kind']; members: string[]; botIsMember: boolean; archived?: boolean }): FakeChannel {
    const channel: FakeChannel = { ...c, members: new Set(c.members), archived: c.archived ?? false };
    this.channels.set(c.id, channel);
    return channel;
  }

  /** The app's DM with a user (what `chat.postMessage channel=<user id>` posts into). */
  appDm(user: string): FakeChannel {
    const id = `D0APP${user}`;
    return this.channels.get(id) ?? this.addChannel({ id, name: `app-${user}`, kind: 'im', members: [user], botIsMember: true });
  }

  /** The next call to `method` answers `{ok:false, error}`. */
  failNext(method: string, error: string): void {
    this.queueInjection(method, { kind: 'error', error });
  }

  /** The next call to `method` gets HTTP 429 with `Retry-After: seconds`. */
  rateLimitNext(method: string, retryAfter: number): void {
    this.queueInjection(method, { kind: 'ratelimit', retryAfter });
  }

  /**
   * The next call to `method` gets an HTTP 5xx (an outage). `afterHandling`: Slack carries the call out
   * first and only the answer is lost (a timeout at Slack's edge), so a client retry repeats a done call.
   */
  serverErrorNext(method: string, opts: { status?: number; afterHandling?: boolean } = {}): void {
    this.queueInjection(method, { kind: 'server', status: opts.status ?? 500, afterHandling: opts.afterHandling ?? false });
  }

  /** The next response_url POST gets HTTP `status` (429 comes with Retry-After: 0), optionally after acting on it. */
  failResponseUrlNext(status: number, opts: { afterHandling?: boolean } = {}): void {
    this.responseUrlFaults.push({ status, afterHandling: opts.afterHandling ?? false });
  }

  private readonly holds: { method: string; arrived: () => void; released: Promise<void>; dropped: boolean }[] = [];

  /**
   * Keep calls to `method` waiting, unanswered, until `release()` (Slack then carries them out) or
   * `drop()` (they end unanswered and never reached Slack). `arrived` resolves when the first is held.
   */
  holdCalls(method: string): { arrived: Promise<void>; release(): void; drop(): void } {
    let arrived!: () => void;
    let release!: () => void;
    const arrivedP = new Promise<void>((r) => (arrived = r));
    const released = new Promise<void>((r) => (release = r));
    const hold = { method, arrived, released, dropped: false };
    this.holds.push(hold);
    const end = (dropped: boolean) => {
      const at = this.holds.indexOf(hold);
      if (at >= 0) this.holds.splice(at, 1);
      hold.dropped = dropped;
      release();
    };
    return { arrived: arrivedP, release: () => end(false), drop: () => end(true) };
  }

  /** Injected answers (errors, rate limits, 5xx) not given yet, response_url ones included. */
  get pendingInjections(): number {
    let n = this.responseUrlFaults.length;
    for (const list of this.injected.values()) n += list.length;
    return n;
  }

  private queueInjection(method: string, what: Injection): void {
    const list = this.injected.get(method) ?? [];
    list.push(what);
    this.injected.set(method, list);
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves once `probe` returns something truthy; re-checked after every recorded change. */
  waitFor<T>(probe: () => T | undefined | null | false): Promise<T> {
    return new Promise((resolve) => {
      const check = (): boolean => {
        const v = probe();
        if (v) {
          this.changes.off('change', check);
          resolve(v);
          return true;
        }
        return false;
      };
      if (!check()) this.changes.on('change', check);
    });
  }

  private changed(): void {
    this.changes.emit('change');
  }

  // ---------------------------------------------------------------- what users see

  /** Current (latest version, not deleted) messages a user can see, in posting order. */
  visibleTo(user: string): SurfaceMessage[] {
    return this.surfaces.filter((m) => {
      if (m.deleted) return false;
      if (m.kind === 'message' || (m.kind === 'response' && m.responseType === 'in_channel')) {
        return this.channels.get(m.channel)?.members.has(user) ?? false;
      }
      return m.to === user;
    });
  }

  /** Everything the bot ever rendered (all versions, views, home tabs) as plain strings, for mention checks. */
  allBotText(): string[] {
    const out: string[] = [];
    for (const m of this.surfaces) {
      for (const v of [...m.history, m]) out.push(v.text, ...blockStrings(v.blocks));
    }
    for (const v of [...this.views.values(), ...this.homeViews.values()]) out.push(...viewStrings(v.view));
    return out.filter(Boolean);
  }

  /** A message's visible text: its blocks' text (or `text` when it has no blocks). */
  static render(m: { text: string; blocks: Json[] }): string {
    return m.blocks.length > 0 ? blockStrings(m.blocks).join('\n') : m.text;
  }

  /** Buttons on a message or view: `{actionId, value, label, blockId}`. */
  static buttons(blocks: Json[]): { actionId: string; value: string; label: string; blockId: string }[] {
    const out: { actionId: string; value: string; label: string; blockId: string }[] = [];
    for (const b of blocks) {
      if (b.type !== 'actions' || !Array.isArray(b.elements)) continue;
      for (const e of b.elements as Json[]) {
        if (e.type !== 'button') continue;
        out.push({
          actionId: String(e.action_id),
          value: String(e.value ?? ''),
          label: String((e.text as Json | undefined)?.text ?? ''),
          blockId: String(b.block_id ?? ''),
        });
      }
    }
    return out;
  }

  lastOpenView(user: string): FakeView | undefined {
    return [...this.views.values()].filter((v) => v.user === user && v.open).at(-1);
  }

  // ---------------------------------------------------------------- server

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.route(req, res).catch((e: unknown) => {
        // A fake bug must not look like a Slack outage (the client would retry for minutes).
        sendJson(res, 200, { ok: false, error: 'fatal_error', detail: String(e) });
      });
    });
    this.server.on('connection', (s) => {
      this.tcp.add(s);
      s.on('close', () => this.tcp.delete(s));
    });
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket as Socket, head));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
    this.wss.close();
    for (const s of this.tcp) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const bytes = await readBody(req);
    if (req.method === 'POST' && url.pathname.startsWith('/upload/v1/')) {
      return this.upload(url.pathname.slice('/upload/v1/'.length), req, bytes, res);
    }
    const raw = bytes.toString('utf8');
    if (req.method === 'POST' && url.pathname.startsWith('/api/')) {
      return this.api(url.pathname.slice('/api/'.length), req, raw, res);
    }
    if (req.method === 'POST' && url.pathname.startsWith('/respond/')) {
      return this.respondUrl(url.pathname.slice('/respond/'.length), raw, res);
    }
    res.writeHead(404).end();
  }

  // ---------------------------------------------------------------- Web API

  private async api(method: string, req: IncomingMessage, raw: string, res: ServerResponse): Promise<void> {
    const hold = this.holds.find((h) => h.method === method);
    if (hold) {
      hold.arrived();
      await hold.released;
      if (hold.dropped) {
        req.socket.destroy();
        this.changed();
        return;
      }
    }
    const contentType = String(req.headers['content-type'] ?? '');
    const isJson = contentType.startsWith('application/json');
    let args: Json = {};
    const warnings: string[] = [];
    if (isJson) {
      if (!contentType.includes('charset')) warnings.push('missing_charset');
      if (!BOT_METHODS_FORM_ONLY.has(method)) {
        try {
          args = raw ? (JSON.parse(raw) as Json) : {};
        } catch {
          return this.reply(res, method, {}, undefined, contentType, { ok: false, error: 'invalid_json' });
        }
        // Slack does not read a token from a JSON body.
        delete args.token;
      }
    } else {
      for (const [k, v] of new URLSearchParams(raw)) args[k] = parseFormValue(k, v);
    }
    const header = String(req.headers.authorization ?? '');
    const token = header.startsWith('Bearer ') ? header.slice(7) : typeof args.token === 'string' ? args.token : undefined;

    const injected = this.injected.get(method)?.shift();
    if (injected?.kind === 'ratelimit') {
      this.record(method, args, token, contentType, { ok: false, error: 'ratelimited' });
      res.writeHead(429, { 'retry-after': String(injected.retryAfter), 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    if (injected?.kind === 'server') {
      if (injected.afterHandling) this.method(method, args);
      this.record(method, args, token, contentType, { ok: false, error: `http_${injected.status}` });
      res.writeHead(injected.status, { 'content-type': 'text/html' }).end('<html>Service Unavailable</html>');
      return;
    }
    let body: Json;
    if (!token) body = { ok: false, error: 'not_authed' };
    else if (token !== this.botToken && token !== this.appToken) body = { ok: false, error: 'invalid_auth' };
    else if (method === 'apps.connections.open' ? token !== this.appToken : token === this.appToken && method !== 'auth.test') {
      body = { ok: false, error: 'not_allowed_token_type' };
    } else if (injected?.kind === 'error') body = { ok: false, error: injected.error };
    else body = this.method(method, args);
    if (warnings.length > 0) body.warning = warnings.join(',');
    this.reply(res, method, args, token, contentType, body);
  }

  private reply(res: ServerResponse, method: string, args: Json, token: string | undefined, contentType: string, body: Json): void {
    this.record(method, args, token, contentType, body);
    sendJson(res, 200, body);
  }

  private record(method: string, args: Json, token: string | undefined, contentType: string, response: Json): void {
    this.calls.push({ seq: ++this.seq, method, args, token, contentType, response });
    this.changed();
  }

  private method(method: string, a: Json): Json {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: `https://${TEAM.domain}.slack.com/`,
          team: TEAM.name,
          user: 'prepbot',
          team_id: TEAM.id,
          user_id: BOT.userId,
          bot_id: BOT.botId,
          is_enterprise_install: false,
        };
      case 'apps.connections.open': {
        const ticket = randomUUID();
        this.tickets.add(ticket);
        return { ok: true, url: `${this.baseUrl.replace('http', 'ws')}/link/?ticket=${ticket}&app_id=${BOT.appId}` };
      }
      case 'chat.postMessage':
        return this.postMessage(a);
      case 'chat.postEphemeral':
        return this.postEphemeral(a);
      case 'chat.update':
        return this.chatUpdate(a);
      case 'views.open':
        return this.viewsOpen(a);
      case 'views.update':
        return this.viewsUpdate(a);
      case 'views.publish':
        return this.viewsPublish(a);
      case 'conversations.open':
        return this.conversationsOpen(a);
      case 'files.getUploadURLExternal':
        return this.getUploadUrl(a);
      case 'files.completeUploadExternal':
        return this.completeUpload(a);
      case 'conversations.info': {
        const c = this.channels.get(String(a.channel ?? ''));
        if (!c || (c.kind !== 'public' && !c.botIsMember)) return { ok: false, error: 'channel_not_found' };
        return {
          ok: true,
          channel: {
            id: c.id,
            name: c.name,
            is_channel: c.kind === 'public',
            is_group: c.kind === 'private',
            is_im: c.kind === 'im',
            is_mpim: c.kind === 'mpim',
            is_private: c.kind !== 'public',
            is_archived: c.archived,
            is_member: c.botIsMember,
          },
        };
      }
      case 'conversations.join': {
        const c = this.channels.get(String(a.channel ?? ''));
        if (!c || (c.kind !== 'public' && !c.botIsMember)) return { ok: false, error: 'channel_not_found' };
        if (c.kind !== 'public') return { ok: false, error: 'method_not_supported_for_channel_type' };
        if (c.archived) return { ok: false, error: 'is_archived' };
        if (!this.scopes.has('channels:join')) return { ok: false, error: 'missing_scope', needed: 'channels:join' };
        const already = c.botIsMember;
        c.botIsMember = true;
        return { ok: true, channel: { id: c.id, name: c.name }, ...(already ? { warning: 'already_in_channel' } : {}) };
      }
      case 'users.info': {
        const u = this.users.get(String(a.user ?? ''));
        if (!u) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: {
            id: u.id,
            team_id: TEAM.id,
            name: u.name,
            real_name: u.realName ?? u.name,
            deleted: false,
            is_admin: u.isAdmin ?? false,
            is_owner: u.isOwner ?? false,
            is_bot: false,
            tz: u.tz ?? 'Asia/Kolkata',
            profile: { display_name: u.name, real_name: u.realName ?? u.name },
          },
        };
      }
      default:
        return { ok: false, error: 'unknown_method', req_method: method };
    }
  }

  /** Slack's rules for whether the bot may post into a channel. */
  private postable(channelArg: unknown): { channel: FakeChannel } | { error: string } {
    let id = String(channelArg ?? '');
    if (!id) return { error: 'channel_not_found' };
    if (id.startsWith('U') || id.startsWith('W')) {
      if (!this.users.has(id)) return { error: 'channel_not_found' };
      id = this.appDm(id).id;
    }
    const c = this.channels.get(id);
    if (!c) return { error: 'channel_not_found' };
    if (!c.botIsMember) {
      if (c.kind !== 'public') return { error: 'channel_not_found' };
      if (!this.scopes.has('chat:write.public')) return { error: 'not_in_channel' };
    }
    if (c.archived) return { error: 'is_archived' };
    return { channel: c };
  }

  private messageContent(a: Json): { text: string; blocks: Json[] } | Json {
    const text = typeof a.text === 'string' ? a.text : '';
    if (a.blocks !== undefined) {
      const problems = validateBlocks(a.blocks, 'message');
      if (problems.length > 0) return { ok: false, error: 'invalid_blocks', response_metadata: { messages: problems } };
    }
    const blocks = Array.isArray(a.blocks) ? (a.blocks as Json[]) : [];
    if (!text && blocks.length === 0) return { ok: false, error: 'no_text' };
    if ([...text].length > 40_000) return { ok: false, error: 'msg_too_long' };
    return { text, blocks };
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `1700000000.${String(this.tsCounter).padStart(6, '0')}`;
  }

  private postMessage(a: Json): Json {
    const where = this.postable(a.channel);
    if ('error' in where) return { ok: false, error: where.error };
    const content = this.messageContent(a);
    if ('ok' in content) return content;
    const { text, blocks } = content as { text: string; blocks: Json[] };
    const threadTs = a.thread_ts === undefined ? undefined : String(a.thread_ts);
    // What Slack answers for an unknown parent is not verified here; refusing it makes an adapter bug visible.
    if (threadTs !== undefined && !this.surfaces.some((m) => m.kind === 'message' && m.channel === where.channel.id && m.ts === threadTs && !m.threadTs)) {
      return { ok: false, error: 'thread_not_found' };
    }
    const ts = this.nextTs();
    this.surfaces.push({
      seq: ++this.seq,
      kind: 'message',
      channel: where.channel.id,
      ts,
      text,
      blocks,
      deleted: false,
      history: [],
      ...(threadTs !== undefined ? { threadTs } : {}),
    });
    return {
      ok: true,
      channel: where.channel.id,
      ts,
      message: {
        type: 'message',
        user: BOT.userId,
        bot_id: BOT.botId,
        app_id: BOT.appId,
        text,
        blocks,
        ts,
        team: TEAM.id,
        ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
      },
    };
  }

  private postEphemeral(a: Json): Json {
    const where = this.postable(a.channel);
    if ('error' in where) return { ok: false, error: where.error };
    const user = String(a.user ?? '');
    if (!this.users.has(user)) return { ok: false, error: 'user_not_found' };
    if (!where.channel.members.has(user)) return { ok: false, error: 'user_not_in_channel' };
    const content = this.messageContent(a);
    if ('ok' in content) return content;
    const { text, blocks } = content as { text: string; blocks: Json[] };
    const ts = this.nextTs();
    this.surfaces.push({ seq: ++this.seq, kind: 'ephemeral', channel: where.channel.id, ts, to: user, text, blocks, deleted: false, history: [] });
    return { ok: true, message_ts: ts };
  }

  private chatUpdate(a: Json): Json {
    const m = this.surfaces.find((s) => s.kind === 'message' && s.channel === a.channel && s.ts === a.ts && !s.deleted);
    if (!m) {
      // Ephemeral messages cannot be edited with chat.update (only via response_url).
      return { ok: false, error: 'message_not_found' };
    }
    const content = this.messageContent({ text: a.text ?? (a.blocks === undefined ? m.text : ''), blocks: a.blocks ?? m.blocks });
    if ('ok' in content) return content;
    const { text, blocks } = content as { text: string; blocks: Json[] };
    m.history.push({ text: m.text, blocks: m.blocks });
    m.text = text;
    m.blocks = blocks;
    return { ok: true, channel: m.channel, ts: m.ts, text };
  }

  /** The app's DM with one person (what the bot needs to share a file privately). */
  private conversationsOpen(a: Json): Json {
    if (!this.scopes.has('im:write')) return { ok: false, error: 'missing_scope', needed: 'im:write' };
    const users = String(a.users ?? '').split(',').filter(Boolean);
    if (users.length !== 1) return { ok: false, error: users.length === 0 ? 'users_list_not_supplied' : 'not_supported_by_this_fake' };
    if (!this.users.has(users[0]!)) return { ok: false, error: 'user_not_found' };
    return { ok: true, channel: { id: this.appDm(users[0]!).id } };
  }

  // The error names below for bad upload arguments are Slack's documented ones where known;
  // the ones marked "unverified" are this fake's guess, chosen only to make a bug visible.

  private getUploadUrl(a: Json): Json {
    if (!this.scopes.has('files:write')) return { ok: false, error: 'missing_scope', needed: 'files:write' };
    const filename = typeof a.filename === 'string' ? a.filename : '';
    const length = Number(a.length);
    if (!filename || !Number.isInteger(length) || length <= 0) return { ok: false, error: 'invalid_arguments' };
    const id = `F${randomBytes(5).toString('hex').toUpperCase()}`;
    const token = randomBytes(12).toString('hex');
    this.files.set(id, {
      id,
      name: filename,
      title: filename,
      ...(typeof a.alt_text === 'string' ? { altText: a.alt_text } : {}),
      length,
      sharedTo: [],
    });
    this.uploadUrls.set(token, id);
    return { ok: true, upload_url: `${this.baseUrl}/upload/v1/${token}`, file_id: id };
  }

  /** The upload URL takes the bytes raw or as the one file of a multipart form (what the SDK sends). */
  private async upload(token: string, req: IncomingMessage, bytes: Buffer, res: ServerResponse): Promise<void> {
    const file = this.files.get(this.uploadUrls.get(token) ?? '');
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not_found');
      return;
    }
    let data = bytes;
    const contentType = String(req.headers['content-type'] ?? '');
    if (contentType.startsWith('multipart/form-data')) {
      const form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
      const part = [...form.values()].find((v) => typeof v !== 'string');
      data = part && typeof part !== 'string' ? Buffer.from(await part.arrayBuffer()) : Buffer.alloc(0);
    }
    file.bytes = data;
    this.uploadUrls.delete(token);
    this.calls.push({ seq: ++this.seq, method: 'upload', args: { file_id: file.id, bytes: data.length }, contentType, response: {} });
    this.changed();
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${data.length}`);
  }

  private completeUpload(a: Json): Json {
    if (!this.scopes.has('files:write')) return { ok: false, error: 'missing_scope', needed: 'files:write' };
    const list = Array.isArray(a.files) ? (a.files as Json[]) : [];
    if (list.length === 0) return { ok: false, error: 'invalid_arguments' };
    const files: FakeFile[] = [];
    for (const entry of list) {
      const f = this.files.get(String(entry.id ?? ''));
      if (!f) return { ok: false, error: 'file_not_found' };
      // Unverified: Slack refuses a completion whose upload never arrived or came short.
      if (!f.bytes || f.bytes.length !== f.length) return { ok: false, error: 'file_upload_size_mismatch' };
      if (typeof entry.title === 'string') f.title = entry.title;
      files.push(f);
    }
    const channelArg = a.channel_id ?? a.channels;
    if (channelArg !== undefined) {
      const where = this.postable(channelArg);
      if ('error' in where) return { ok: false, error: where.error };
      const threadTs = a.thread_ts === undefined ? undefined : String(a.thread_ts);
      for (const f of files) f.sharedTo.push(where.channel.id);
      this.surfaces.push({
        seq: ++this.seq,
        kind: 'message',
        channel: where.channel.id,
        ts: this.nextTs(),
        text: typeof a.initial_comment === 'string' ? a.initial_comment : '',
        blocks: [],
        deleted: false,
        history: [],
        files,
        ...(threadTs !== undefined ? { threadTs } : {}),
      });
    }
    return {
      ok: true,
      files: files.map((f) => ({ id: f.id, name: f.name, title: f.title, mimetype: f.name.endsWith('.png') ? 'image/png' : 'application/octet-stream', size: f.length })),
    };
  }

  private takeTrigger(triggerId: unknown): Trigger | { error: string } {
    const t = this.triggers.get(String(triggerId ?? ''));
    if (!t) return { error: 'invalid_trigger_id' };
    if (t.used) return { error: 'exchanged_trigger_id' };
    if (this.options.clock && this.options.clock.now().getTime() - t.issuedAt > 3000) return { error: 'expired_trigger_id' };
    t.used = true;
    return t;
  }

  private viewsOpen(a: Json): Json {
    const problems = validateView(a.view);
    if (problems.length > 0) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems } };
    const t = this.takeTrigger(a.trigger_id);
    if ('error' in t) return { ok: false, error: t.error };
    const id = `V${randomBytes(5).toString('hex').toUpperCase()}`;
    const v: FakeView = { id, user: t.user, hash: randomUUID(), view: a.view as Json, open: true, triggerChannel: t.channel };
    this.views.set(id, v);
    return { ok: true, view: this.viewPayload(v) };
  }

  private viewsUpdate(a: Json): Json {
    const v = this.views.get(String(a.view_id ?? '')) ?? [...this.homeViews.values()].find((h) => h.id === a.view_id);
    if (!v) return { ok: false, error: 'not_found' };
    if (a.hash !== undefined && a.hash !== v.hash) return { ok: false, error: 'hash_conflict' };
    const problems = validateView(a.view);
    if (problems.length > 0) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems } };
    v.view = a.view as Json;
    v.hash = randomUUID();
    return { ok: true, view: this.viewPayload(v) };
  }

  private viewsPublish(a: Json): Json {
    const user = String(a.user_id ?? '');
    if (!this.users.has(user)) return { ok: false, error: 'user_not_found' };
    const problems = validateView(a.view);
    if ((a.view as Json | undefined)?.type !== 'home') problems.push('[ERROR] views.publish needs a home view [json-pointer:/view/type]');
    if (problems.length > 0) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems } };
    const existing = this.homeViews.get(user);
    if (existing && a.hash !== undefined && a.hash !== existing.hash) return { ok: false, error: 'hash_conflict' };
    const v: FakeView = existing ?? { id: `V${randomBytes(5).toString('hex').toUpperCase()}`, user, hash: '', view: {}, open: true };
    v.view = a.view as Json;
    v.hash = randomUUID();
    this.homeViews.set(user, v);
    return { ok: true, view: this.viewPayload(v) };
  }

  private viewPayload(v: FakeView, values: Json = {}): Json {
    return {
      id: v.id,
      team_id: TEAM.id,
      type: v.view.type,
      blocks: v.view.blocks ?? [],
      private_metadata: v.view.private_metadata ?? '',
      callback_id: v.view.callback_id ?? '',
      state: { values },
      hash: v.hash,
      title: v.view.title,
      clear_on_close: false,
      notify_on_close: false,
      close: v.view.close ?? null,
      submit: v.view.submit ?? null,
      previous_view_id: null,
      root_view_id: v.id,
      app_id: BOT.appId,
      external_id: '',
      app_installed_team_id: TEAM.id,
      bot_id: BOT.botId,
    };
  }

  // ---------------------------------------------------------------- response_url

  private issueResponseUrl(user: string, channel: string, source?: SurfaceMessage): string {
    const id = randomBytes(8).toString('hex');
    this.responseUrls.set(id, { id, user, channel, source, uses: 0, issuedAt: this.options.clock?.now().getTime() ?? 0 });
    return `${this.baseUrl}/respond/${id}`;
  }

  private respondUrl(id: string, raw: string, res: ServerResponse): void {
    const fault = this.responseUrlFaults.shift();
    if (fault) {
      if (fault.afterHandling) this.respondUrlHandled(id, raw, { writeHead: () => ({ end: () => undefined }) } as unknown as ServerResponse);
      this.calls.push({ seq: ++this.seq, method: 'response_url', args: { fault: fault.status }, contentType: 'application/json', response: { ok: false, error: `http_${fault.status}` } });
      res.writeHead(fault.status, { 'content-type': 'text/plain', ...(fault.status === 429 ? { 'retry-after': '0' } : {}) }).end('fault');
      this.changed();
      return;
    }
    this.respondUrlHandled(id, raw, res);
  }

  private respondUrlHandled(id: string, raw: string, res: ServerResponse): void {
    const r = this.responseUrls.get(id);
    const expired = r && this.options.clock && this.options.clock.now().getTime() - r.issuedAt > 30 * 60_000;
    if (!r || expired || r.uses >= 5) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(r ? 'used_url' : 'no_such_url');
      return;
    }
    let body: Json;
    try {
      body = JSON.parse(raw) as Json;
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
      return;
    }
    r.uses += 1;
    this.calls.push({ seq: ++this.seq, method: 'response_url', args: body, contentType: 'application/json', response: {} });
    if (body.delete_original === true && r.source) {
      r.source.deleted = true;
      this.changed();
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    }
    const content = this.messageContent(body);
    if ('ok' in content) {
      this.changed();
      res.writeHead(400, { 'content-type': 'text/plain' }).end(String((content as Json).error));
      return;
    }
    const { text, blocks } = content as { text: string; blocks: Json[] };
    if (body.replace_original === true && r.source) {
      r.source.history.push({ text: r.source.text, blocks: r.source.blocks });
      r.source.text = text;
      r.source.blocks = blocks;
    } else {
      const responseType = body.response_type === 'in_channel' ? 'in_channel' : 'ephemeral';
      this.surfaces.push({
        seq: ++this.seq,
        kind: 'response',
        channel: r.channel,
        ts: this.nextTs(),
        to: responseType === 'ephemeral' ? r.user : undefined,
        responseType,
        text,
        blocks,
        deleted: false,
        history: [],
      });
    }
    this.changed();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  }

  // ---------------------------------------------------------------- Socket Mode

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/link/' || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.sockets.add(ws);
      ws.on('close', () => {
        this.sockets.delete(ws);
        this.changed();
      });
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        let msg: Json;
        try {
          msg = JSON.parse(data.toString()) as Json;
        } catch {
          return;
        }
        const envelopeId = String(msg.envelope_id ?? '');
        const env = this.envelopes.find((e) => e.envelope_id === envelopeId);
        this.acks.push({ envelopeId, type: String(env?.type ?? 'unknown'), payload: msg.payload });
        this.pendingAcks.get(envelopeId)?.(msg.payload);
        this.pendingAcks.delete(envelopeId);
        this.changed();
      });
      this.connectsSeen += 1;
      if (this.holdHello) this.heldSockets.push(ws);
      else this.sendHello(ws);
      this.changed();
    });
  }

  /** Open WebSocket connections so far (hello sent or held). */
  connectsSeen = 0;
  /** While true, new Socket Mode connections get no hello (the client stays "connecting"). */
  holdHello = false;
  private readonly heldSockets: WebSocket[] = [];

  /** Send the held hello frames. */
  releaseHello(): void {
    this.holdHello = false;
    for (const ws of this.heldSockets.splice(0)) if (ws.readyState === ws.OPEN) this.sendHello(ws);
  }

  private sendHello(ws: WebSocket): void {
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.size,
        debug_info: { host: 'applink-fake-1', build_number: 105, approximate_connection_time: 18060 },
        connection_info: { app_id: BOT.appId },
      }),
    );
    this.hellos += 1;
    this.changed();
  }

  get openSockets(): number {
    return this.sockets.size;
  }

  /** Resolves once `n` hello frames have been sent in total. */
  waitForHellos(n: number): Promise<number> {
    return this.waitFor(() => (this.hellos >= n && this.sockets.size > 0 ? this.hellos : false));
  }

  /** Ask every connected client to reconnect, as Slack does when it recycles a host. */
  disconnectAll(reason: 'refresh_requested' | 'warning' | 'link_disabled' = 'refresh_requested'): void {
    for (const ws of this.sockets) ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake-1' } }));
  }

  /**
   * Socket Mode: which open connection gets the next envelopes. 'last' (the newest, the default);
   * an index into the open connections in the order they connected (several bot processes, one
   * connection each: Slack spreads envelopes over an app's connections); or 'all', the same envelope
   * to every connection, as when Slack redelivers an envelope one connection was slow to ack to
   * another. With 'all' the delivery resolves with the first ack; later acks are in `acks`.
   */
  socketDelivery: 'last' | 'all' | number = 'last';

  /** Send one envelope and resolve with its ack payload. */
  async sendEnvelope(type: 'slash_commands' | 'interactive' | 'events_api', payload: Json, opts: { envelopeId?: string; retryAttempt?: number; retryReason?: string } = {}): Promise<Delivery> {
    const target = this.socketDelivery;
    const targets = await this.waitFor(() => {
      const open = [...this.sockets];
      const chosen = target === 'all' ? open : target === 'last' ? open.slice(-1) : open.slice(target, target + 1);
      return chosen.length > 0 ? chosen : undefined;
    });
    const envelopeId = opts.envelopeId ?? randomUUID();
    const envelope: Json = {
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: type === 'slash_commands' || (type === 'interactive' && payload.type === 'view_submission'),
    };
    if (type === 'events_api') {
      envelope.retry_attempt = opts.retryAttempt ?? 0;
      envelope.retry_reason = opts.retryReason ?? '';
    }
    const acked = new Promise<unknown>((resolve) => this.pendingAcks.set(envelopeId, resolve));
    this.envelopes.push(envelope);
    for (const ws of targets) ws.send(JSON.stringify(envelope));
    return { ack: await acked, status: 200, envelopeId };
  }

  // ---------------------------------------------------------------- delivery (Socket Mode or signed HTTP)

  private async deliver(type: 'slash_commands' | 'interactive' | 'events_api', payload: Json, opts: { retry?: number; envelopeId?: string } = {}): Promise<Delivery> {
    if (this.transport.kind === 'socket') {
      return this.sendEnvelope(type, payload, { envelopeId: opts.envelopeId, retryAttempt: opts.retry, retryReason: opts.retry ? 'timeout' : '' });
    }
    let body: string;
    let contentType: string;
    if (type === 'slash_commands') {
      body = new URLSearchParams(payload as Record<string, string>).toString();
      contentType = 'application/x-www-form-urlencoded';
    } else if (type === 'interactive') {
      body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      contentType = 'application/x-www-form-urlencoded';
    } else {
      body = JSON.stringify(payload);
      contentType = 'application/json';
    }
    const sign: SignOptions = { ...this.transport.sign, ...(opts.retry ? { retryNum: opts.retry, retryReason: 'http_timeout' } : {}) };
    return this.postSigned(this.transport.url, body, contentType, sign);
  }

  /** POST a (possibly tampered or stale) signed request to an HTTP-mode app. */
  async postSigned(url: string, body: string, contentType: string, sign: SignOptions = {}): Promise<Delivery> {
    const res = await fetch(url, { method: 'POST', headers: signedHeaders(this.signingSecret, body, contentType, sign), body });
    const text = await res.text();
    let ack: unknown = text;
    try {
      ack = text ? JSON.parse(text) : '';
    } catch {
      // plain-text ack bodies stay strings
    }
    return { ack, status: res.status };
  }

  private newTrigger(user: string, channel?: string): string {
    const id = `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, { user, channel, used: false, issuedAt: this.options.clock?.now().getTime() ?? 0 });
    return id;
  }

  private userObj(user: string): Json {
    const u = this.users.get(user);
    return { id: user, username: u?.name ?? user, name: u?.name ?? user, team_id: TEAM.id };
  }

  /** A user types a slash command, e.g. `slash('U0ALICE', 'C0GENERAL', '/ask concurrency')`. */
  async slash(user: string, channel: string, line: string): Promise<Interaction> {
    const [command = ''] = line.trim().split(/\s+/);
    const c = this.channels.get(channel);
    const triggerId = this.newTrigger(user, channel);
    const responseUrl = this.issueResponseUrl(user, channel);
    // Every field is a string, exactly as Slack sends it.
    const payload: Record<string, string> = {
      token: 'verification-token-unused',
      team_id: TEAM.id,
      team_domain: TEAM.domain,
      channel_id: channel,
      channel_name: c ? (c.kind === 'im' ? 'directmessage' : c.name) : 'unknown',
      user_id: user,
      user_name: this.users.get(user)?.name ?? user,
      command,
      text: line.trim().slice(command.length).trim(),
      api_app_id: BOT.appId,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: triggerId,
    };
    return { ...(await this.deliver('slash_commands', payload)), triggerId, responseUrl };
  }

  /** A user clicks a button (found by action id prefix, optionally by value) on a message or a Home tab. */
  async click(user: string, on: SurfaceMessage | FakeView, find: { actionId: string; value?: string } | { label: string }): Promise<Interaction> {
    const isView = 'view' in on;
    const blocks = (isView ? (on.view.blocks as Json[]) : on.blocks) ?? [];
    const button = FakeSlack.buttons(blocks).find((b) =>
      'label' in find ? b.label === find.label : (b.actionId === find.actionId || b.actionId.startsWith(`${find.actionId}~`)) && (find.value === undefined || b.value === find.value),
    );
    if (!button) throw new Error(`no button ${JSON.stringify(find)} on ${JSON.stringify(FakeSlack.buttons(blocks))}`);
    const channel = isView ? undefined : on.channel;
    const triggerId = this.newTrigger(user, channel);
    const payload: Json = {
      type: 'block_actions',
      user: this.userObj(user),
      api_app_id: BOT.appId,
      token: 'verification-token-unused',
      trigger_id: triggerId,
      team: { id: TEAM.id, domain: TEAM.domain },
      enterprise: null,
      is_enterprise_install: false,
      state: { values: {} },
      actions: [
        {
          action_id: button.actionId,
          block_id: button.blockId,
          text: { type: 'plain_text', text: button.label, emoji: true },
          value: button.value,
          type: 'button',
          action_ts: `${Math.floor(Date.now() / 1000)}.${String(++this.tsCounter).padStart(6, '0')}`,
        },
      ],
    };
    let responseUrl: string | undefined;
    if (isView) {
      payload.container = { type: 'view', view_id: on.id };
      payload.view = this.viewPayload(on);
    } else {
      const ephemeral = on.kind !== 'message';
      responseUrl = this.issueResponseUrl(user, on.channel, on);
      payload.container = { type: 'message', message_ts: on.ts, channel_id: on.channel, is_ephemeral: ephemeral };
      payload.channel = { id: on.channel, name: this.channels.get(on.channel)?.name ?? 'unknown' };
      payload.response_url = responseUrl;
      // Slack leaves the message out for ephemeral sources.
      if (!ephemeral) {
        payload.message = { type: 'message', user: BOT.userId, bot_id: BOT.botId, app_id: BOT.appId, text: on.text, blocks: on.blocks, ts: on.ts, team: TEAM.id };
      }
    }
    return { ...(await this.deliver('interactive', payload)), triggerId, responseUrl };
  }

  /** A user types `text` into every text input of an open modal and presses Submit. */
  async submitView(user: string, view: FakeView, text: string): Promise<Delivery> {
    const values: Json = {};
    for (const b of (view.view.blocks as Json[]) ?? []) {
      const el = b.element as Json | undefined;
      if (b.type === 'input' && el?.type === 'plain_text_input') {
        values[String(b.block_id)] = { [String(el.action_id)]: { type: 'plain_text_input', value: text } };
      }
    }
    const payload: Json = {
      type: 'view_submission',
      team: { id: TEAM.id, domain: TEAM.domain },
      user: this.userObj(user),
      api_app_id: BOT.appId,
      token: 'verification-token-unused',
      trigger_id: this.newTrigger(user),
      view: this.viewPayload(view, values),
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    const d = await this.deliver('interactive', payload);
    const ack = d.ack as Json | string | undefined;
    const action = typeof ack === 'object' && ack !== null ? ack.response_action : undefined;
    if (d.status === 200 && (action === undefined || action === 'clear')) view.open = false;
    this.changed();
    return d;
  }

  /** Events API delivery (e.g. app_home_opened); pass the same `eventId` with `retry` > 0 for a redelivery. */
  async event(event: Json, opts: { eventId?: string; retry?: number } = {}): Promise<Delivery & { eventId: string }> {
    const eventId = opts.eventId ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`;
    const payload: Json = {
      token: 'verification-token-unused',
      team_id: TEAM.id,
      context_team_id: TEAM.id,
      api_app_id: BOT.appId,
      event: { event_ts: `${Math.floor(Date.now() / 1000)}.000100`, ...event },
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: TEAM.id, user_id: BOT.userId, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
      event_context: `4-${randomBytes(8).toString('hex')}`,
    };
    return { ...(await this.deliver('events_api', payload, { retry: opts.retry })), eventId };
  }

  /** A user opens the app's Home tab. */
  openHome(user: string, opts: { eventId?: string; retry?: number } = {}): Promise<Delivery & { eventId: string }> {
    return this.event({ type: 'app_home_opened', user, channel: this.appDm(user).id, tab: 'home' }, opts);
  }
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const fake = new FakeSlack(options);
  await fake.start();
  return fake;
}

function parseFormValue(key: string, v: string): unknown {
  // The SDK JSON-encodes object and array arguments inside the form.
  if (['blocks', 'view', 'attachments', 'metadata', 'files'].includes(key)) {
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }
  return v;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function textOf(t: unknown): string[] {
  if (typeof t === 'object' && t !== null && typeof (t as Json).text === 'string') return [(t as Json).text as string];
  return [];
}

/** How a rich_text inline element reads; pings are shown as Slack markup so mention checks still catch them. */
function richInlineText(e: Json): string {
  switch (e.type) {
    case 'text':
      return typeof e.text === 'string' ? e.text : '';
    case 'link':
      return typeof e.text === 'string' ? e.text : String(e.url ?? '');
    case 'broadcast':
      return `<!${String(e.range)}>`;
    case 'user':
      return `<@${String(e.user_id)}>`;
    case 'usergroup':
      return `<!subteam^${String(e.usergroup_id)}>`;
    case 'channel':
      return `<#${String(e.channel_id)}>`;
    case 'emoji':
      return `:${String(e.name)}:`;
    default:
      return '';
  }
}

const inlineRun = (els: unknown): string => (Array.isArray(els) ? (els as Json[]).map(richInlineText).join('') : '');

/**
 * A rich_text block as a reader sees it: text as sent (styles are not marked,
 * so `*x*` here is literal asterisks), quotes as "> " lines, lists with bullets
 * or numbers, preformatted text between ``` lines.
 */
export function richTextString(block: Json): string {
  const parts: string[] = [];
  for (const e of (Array.isArray(block.elements) ? block.elements : []) as Json[]) {
    if (e.type === 'rich_text_quote') parts.push(inlineRun(e.elements).split('\n').map((l) => `> ${l}`).join('\n'));
    else if (e.type === 'rich_text_preformatted') parts.push(`\`\`\`\n${inlineRun(e.elements)}\n\`\`\``);
    else if (e.type === 'rich_text_list') {
      const pad = '    '.repeat(typeof e.indent === 'number' ? e.indent : 0);
      const items = (Array.isArray(e.elements) ? e.elements : []) as Json[];
      parts.push(items.map((item, i) => `${pad}${e.style === 'ordered' ? `${i + 1}. ` : '• '}${inlineRun(item.elements)}`).join('\n'));
    } else parts.push(inlineRun(e.elements));
  }
  return parts.join('\n');
}

export function blockStrings(blocks: Json[]): string[] {
  const out: string[] = [];
  for (const b of blocks ?? []) {
    if (b.type === 'rich_text') {
      out.push(richTextString(b));
      continue;
    }
    out.push(...textOf(b.text), ...textOf(b.label), ...textOf(b.hint));
    if (Array.isArray(b.fields)) for (const f of b.fields) out.push(...textOf(f));
    const els = [...(Array.isArray(b.elements) ? (b.elements as Json[]) : []), ...(b.accessory ? [b.accessory as Json] : []), ...(b.element ? [b.element as Json] : [])];
    for (const e of els) out.push(...textOf(e), ...textOf(e.text), ...textOf(e.placeholder));
  }
  return out;
}

function viewStrings(view: Json): string[] {
  return [...textOf(view.title), ...textOf(view.submit), ...textOf(view.close), ...blockStrings((view.blocks as Json[]) ?? [])];
}
