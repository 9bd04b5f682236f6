import type { types as SlackTypes } from '@slack/bolt';
import type { Account, EventContext } from '../../chat/port.ts';
import type { CommandSpec } from '../../chat/commands.ts';
import type { Message } from '../../chat/message.ts';
import type { Clock } from '../../core/clock.ts';

export type Block = SlackTypes.KnownBlock;
export type ModalView = SlackTypes.ModalView;
export type HomeView = SlackTypes.HomeView;

/** What one `chat.postMessage` carries: fallback text (notifications, screen readers) plus blocks. */
export interface SlackMessagePayload {
  text: string;
  blocks: Block[];
}

/** The subset of a pino-style logger the adapter uses. */
export interface AdapterLogger {
  debug(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface SlackAdapterConfig {
  /** Bot User OAuth Token (`xoxb-…`). */
  botToken: string;
  /** App-level token with `connections:write` (`xapp-…`); required in socket mode. */
  appToken?: string;
  /** Signing secret; required in http mode. */
  signingSecret?: string;
  mode: 'socket' | 'http';
  /** HTTP mode: port to listen on (0 = any free port, see `httpPort()`). */
  port?: number;
  /** HTTP mode: interface to bind (default all interfaces). */
  host?: string;
  commands: readonly CommandSpec[];
  /** One umbrella command for workspaces where `/ask` etc. collide with other apps: `/prep ask concurrency`. */
  prefixCommand?: string;
  /** Account ids (`slack:T…:U…`) treated as admins in addition to workspace admins/owners. */
  admins?: readonly string[];
  /** Web API base URL; tests point it at the in-repo fake. Never needed in production. */
  apiUrl?: string;
  logger?: AdapterLogger;
  /** Used for the users.info cache lifetime. */
  clock?: Clock;
  /** App Home tab content for a person, published on `app_home_opened`. */
  homeView?: (actor: Account, ctx: EventContext) => Promise<Message>;
  /** Socket Mode keepalive/reconnect base delay in ms (Slack SDK default 5000); tests shorten it. */
  clientPingTimeout?: number;
}

/** What the answer modal keeps in `private_metadata` so the submission can be routed and answered. */
export interface FormMetadata {
  /** form id */
  f: string;
  /** form value */
  v: string;
  /** channel the form was opened from, for the private reply */
  c?: string;
  /** response_url of the interaction that opened the form (fallback for private replies) */
  r?: string;
}
