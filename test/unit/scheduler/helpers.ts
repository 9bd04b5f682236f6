import type { ChatAdapter, ConversationId, MessageRef, Platform, PostOptions } from '../../../src/chat/port.ts';
import type { Message } from '../../../src/chat/message.ts';
import type { Clock } from '../../../src/core/clock.ts';
import type { ScheduleInput } from '../../../src/core/schedule/types.ts';

export interface Recorded {
  conversationId: ConversationId;
  message: Message;
  at: Date;
  messageId: string;
}

/**
 * A small recording ChatAdapter for scheduler tests: every post is kept with the
 * clock's time; scripted failures are thrown per conversation, in order.
 */
export class RecordingAdapter implements ChatAdapter {
  readonly posts: Recorded[] = [];
  readonly directs: { accountId: string; message: Message }[] = [];
  readonly threads: { ref: MessageRef; name: string }[] = [];
  /** The idempotency key of every post() call, failed ones included, in order. */
  readonly keys: (string | undefined)[] = [];
  private readonly failures = new Map<ConversationId, unknown[]>();
  private seq = 0;

  constructor(
    readonly platform: Platform,
    private readonly clock: Clock,
    private readonly opts: { threads?: boolean; idPrefix?: string; log?: Recorded[] } = {},
  ) {
    if (opts.threads) {
      this.startThread = async (ref: MessageRef, name: string) => {
        this.threads.push({ ref, name });
        return `${ref.conversationId}/t${ref.messageId}`;
      };
    }
  }

  startThread?: (ref: MessageRef, name: string) => Promise<ConversationId>;

  failNext(conversationId: ConversationId, ...errors: unknown[]): void {
    this.failures.set(conversationId, [...(this.failures.get(conversationId) ?? []), ...errors]);
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async post(conversationId: ConversationId, message: Message, options?: PostOptions): Promise<MessageRef> {
    this.keys.push(options?.idempotencyKey);
    const queued = this.failures.get(conversationId);
    if (queued && queued.length > 0) throw queued.shift();
    const messageId = `${this.opts.idPrefix ?? 'm'}${++this.seq}`;
    const rec = { conversationId, message, at: this.clock.now(), messageId };
    this.posts.push(rec);
    this.opts.log?.push(rec);
    return { conversationId, messageId };
  }

  async postDirect(accountId: string, message: Message): Promise<MessageRef> {
    this.directs.push({ accountId, message });
    return { conversationId: `${this.platform}:dm:${accountId}`, messageId: `d${++this.seq}` };
  }
}

/** The text of an mdast tree, for assertions on what a user would read. */
export function plain(node: unknown): string {
  if (!node || typeof node !== 'object') return '';
  const n = node as { value?: unknown; children?: unknown[] };
  const own = typeof n.value === 'string' ? n.value : '';
  return own + (n.children ?? []).map(plain).join(n.children && (node as { type?: string }).type === 'root' ? '\n' : '');
}

export function messageText(m: Message): string {
  return [plain(m.body), m.spoiler ? plain(m.spoiler) : ''].join('\n');
}

export function scheduleInput(over: Partial<ScheduleInput> = {}): ScheduleInput {
  return {
    conversationId: 'memory:w1:general',
    platform: 'memory',
    workspaceId: 'w1',
    localTime: '09:30',
    timezone: 'Asia/Kolkata',
    weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
    topic: null,
    revealTime: null,
    createdBy: 'memory:w1:lead',
    ...over,
  };
}
