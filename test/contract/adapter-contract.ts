/**
 * The adapter contract: the same scenarios, run against every ChatAdapter.
 *
 * HOW TO RUN IT FOR YOUR ADAPTER (Discord, Slack, …)
 *
 *   // test/contract/discord.contract.test.ts
 *   import { describeAdapterContract } from './adapter-contract.ts';
 *   describeAdapterContract('discord', async (commands) => { ...; return harness; });
 *
 * `makeHarness(commands)` is called before EVERY scenario and must return a fresh,
 * NOT yet started adapter plus the means to act as users and to read what users see.
 * The suite calls `adapter.start(handler)` itself with a scripted handler (below), so
 * it knows exactly what the bot did and when each event finished. Register `commands`
 * with the platform (fake) the way production registers the real command table.
 *
 * Observations must come from what a user would see (the fake's recorded wire calls,
 * the console's output), never from the adapter's internals. That is the point.
 *
 * Timing: after a driver call the suite awaits the handler finishing that event (the
 * suite's own handler resolves a promise), then asks `seenBy`/`formsOpenedFor`. If your
 * platform records output asynchronously after the handler returns (e.g. a deferred
 * reply flushed later), make `seenBy` await that (by awaiting the fake's events, not a sleep).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandSpec } from '../../src/chat/commands.ts';
import { codeBlock, doc, fromMarkdown, p, userText } from '../../src/chat/md.ts';
import type { Message } from '../../src/chat/message.ts';
import {
  conversationId,
  parseConversationId,
  type ChatAdapter,
  type Choice,
  type ConversationId,
  type InboundEvent,
  type OptionValue,
  type Platform,
  type Responder,
  type Visibility,
} from '../../src/chat/port.ts';
import { fencesBalanced } from '../../src/chat/split.ts';

/** A button as a user sees it. */
export interface SeenButton {
  label: string;
  /** Harness-specific data needed to press it (Discord custom_id, Slack action_id+value, console number). */
  handle?: unknown;
}

/** One bot message as a user sees it, with edits applied (latest version only). */
export interface SeenMessage {
  conversationId: ConversationId;
  visibility: Visibility;
  /** Platform user id of the only person who sees a private message. */
  recipient?: string;
  /**
   * What was delivered, in order: one string per platform message or section when the
   * adapter split a long message (each must be ≤ `messageLimit`). One entry otherwise.
   */
  parts: string[];
  /** `parts.join('\n')`. */
  text: string;
  buttons: SeenButton[];
  /** The platform message id, to match a `post()` ref (`ref.messageId`). Omit if unknown. */
  messageId?: string;
  /** True if the wire payload would let mentions ping (e.g. Discord `allowed_mentions` missing or permissive). */
  allowsPings?: boolean;
  /** Harness-specific (e.g. the recorded payload). */
  handle?: unknown;
}

/** A picture as a user can open it: an attachment, a shared file, a saved PNG. */
export interface SeenImage {
  /** Where it shows (a private picture may land in the person's DM with the bot). */
  conversationId: ConversationId;
  visibility: Visibility;
  name: string;
  bytes: Uint8Array;
  alt?: string;
}

/** An answer form as the user sees it (Discord/Slack modal, console prompt). */
export interface SeenForm {
  title: string;
  /** The field label (the question). Platforms may cut it. */
  label: string;
  handle?: unknown;
}

export interface AdapterHarness {
  /** Not started; the suite starts it. */
  adapter: ChatAdapter;
  /** Workspace/guild/team id as it appears in `ctx.workspaceId` and in actor ids. */
  workspace: string;
  /** Channel id of the conversation the users act in (`{platform}:{workspace}:{channel}`). */
  channel: string;
  /**
   * Platform user ids. users[0] invokes every scenario. A second user, if the platform can
   * have one, is a bystander in the same channel (used to check private replies stay private).
   */
  users: readonly string[];
  /**
   * The account id the adapter gives `user`. Default `{platform}:{workspace}:{user}`.
   * Discord overrides it: a Discord account is global, so its id is `discord:user:{user}`.
   */
  actorId?(user: string): string;
  /** Max characters per delivered part (Discord 2000, Slack 3000 per section, console: the limit it was given). */
  messageLimit: number;
  driver: {
    /** Invoke `/command` with typed options, as `user`, in the harness channel. */
    command(user: string, command: string, options: Record<string, OptionValue>): Promise<void>;
    /** Press the button labelled `label` on `message` (from `seenBy`). */
    press(user: string, message: SeenMessage, label: string): Promise<void>;
    /** Fill in and submit `form` (from `formsOpenedFor`) with `text` (may contain newlines). */
    submitForm(user: string, form: SeenForm, text: string): Promise<void>;
    /** Type `partial` into `option` of `command` and return the choices the user is offered (see ContractOptions.autocomplete). */
    autocomplete?(user: string, command: string, option: string, partial: string): Promise<Choice[]>;
  };
  /** Bot messages `user` can see in the harness channel: public ones plus those private to them. */
  seenBy(user: string): Promise<SeenMessage[]>;
  /** Bot messages `user` can see in another conversation: a thread from startThread(), a DM from postDirect(). */
  seenIn(user: string, conversationId: ConversationId): Promise<SeenMessage[]>;
  /** Forms opened for `user`, oldest first. */
  formsOpenedFor(user: string): Promise<SeenForm[]>;
  /** Pictures `user` can see anywhere (the channel, their DM with the bot), oldest first. */
  imagesSeenBy(user: string): Promise<SeenImage[]>;
  /** Throw unless the adapter released its resources (sockets closed, input listeners removed…). Called after stop(). */
  assertStopped(): Promise<void>;
  /** Stop everything the harness started (fakes, servers). Called after every scenario; must tolerate a stopped adapter. */
  close(): Promise<void>;
}

export interface ContractOptions {
  /** Set false for adapters with no `update()` (the suite then checks it is absent, not faked). */
  update?: boolean;
  /**
   * Set false for platforms without option autocomplete (Slack slash commands are free text):
   * the suite then checks that the option's typed value arrives as a normal command option.
   */
  autocomplete?: boolean;
}

/** The commands the scripted handler understands. Register them like the production table. */
export const CONTRACT_COMMANDS: CommandSpec[] = [
  {
    name: 'ping',
    description: 'Reply pong with the word',
    permission: 'everyone',
    options: [
      { name: 'word', description: 'Word to echo', type: 'string', required: true },
      { name: 'count', description: 'A number', type: 'integer' },
    ],
  },
  { name: 'secret', description: 'Private reply', permission: 'everyone', options: [] },
  { name: 'announce', description: 'Public reply', permission: 'everyone', options: [] },
  { name: 'answer', description: 'Open an answer form', permission: 'everyone', options: [] },
  { name: 'choose', description: 'Show buttons', permission: 'everyone', options: [] },
  { name: 'mentions', description: 'Echo hostile user text', permission: 'everyone', options: [] },
  { name: 'long', description: 'A very long reply', permission: 'everyone', options: [] },
  { name: 'chart', description: 'Public reply with a picture', permission: 'everyone', options: [] },
  { name: 'mychart', description: 'Private reply with a picture', permission: 'everyone', options: [] },
  {
    name: 'pick',
    description: 'Autocomplete a topic',
    permission: 'everyone',
    options: [{ name: 'topic', description: 'Topic', type: 'string', autocomplete: true }],
  },
];

/** User text that would ping everyone on Discord or Slack if sent verbatim. */
export const HOSTILE_TEXT =
  'hi @everyone and @here, <@123456789012345678> <@!42> <@&987> <#555> <!channel> <!here> <!everyone> <@U024BE7LH> <!subteam^S012AB3CD> done';
const PING = /@(everyone|here|channel)\b|<[@#!]/i;

/** About 10,000 characters: paragraphs, a list, and long code fences, every line numbered. */
export function longMarkdown(): string {
  const out: string[] = [];
  for (let b = 0; b < 12; b++) {
    out.push(`Paragraph ${b}: ${'lorem ipsum dolor sit amet '.repeat(6).trim()} end-${b}.`);
    out.push(['```ts', ...Array.from({ length: 18 }, (_, k) => `const line_${b}_${k} = ${k}; // code`), '```'].join('\n'));
    out.push(Array.from({ length: 4 }, (_, k) => `- item ${b}.${k}`).join('\n'));
  }
  return out.join('\n\n');
}

const LABEL = 'What is a goroutine?';

/** A valid 1×1 PNG: adapters carry bytes, they do not draw. */
export const TINY_PNG = Uint8Array.from(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'),
);
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, k) => v === b[k]);

interface Recorder {
  events: InboundEvent[];
  /** Resolves when the handler has finished `n` events in total. */
  handled(n: number): Promise<void>;
  handler(event: InboundEvent, respond: Responder): Promise<void>;
  capabilities: { updateSource: boolean[]; showsImages: boolean[] };
}

function recorder(): Recorder {
  const events: InboundEvent[] = [];
  let finished = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const caps = { updateSource: [] as boolean[], showsImages: [] as boolean[] };
  const script = async (event: InboundEvent, respond: Responder): Promise<void> => {
    const say = (text: string): Message => ({ body: doc(p(text)) });
    switch (event.kind) {
      case 'command':
        switch (event.command) {
          case 'ping':
            return respond.reply(say(`pong ${String(event.options.word)}`), 'public');
          case 'secret':
            return respond.reply(say(`secret for ${event.ctx.actor.displayName}`), 'private');
          case 'announce':
            return respond.reply(say('hello channel'), 'public');
          case 'answer':
            if (!respond.openForm) return respond.reply(say('forms unsupported'), 'private');
            return respond.openForm({ id: 'answer', value: 'attempt-7', title: 'Your answer', label: LABEL, maxLength: 4000 });
          case 'choose':
            return respond.reply(
              {
                body: doc(p('Pick one')),
                actions: [
                  { kind: 'button', id: 'pick', label: 'Answer', value: 'v-1', style: 'primary' },
                  { kind: 'button', id: 'pick', label: 'Give up', value: 'v-2' },
                ],
              },
              'public',
            );
          case 'mentions':
            return respond.reply({ body: doc(p(userText(HOSTILE_TEXT))) }, 'public');
          case 'long':
            return respond.reply({ body: fromMarkdown(longMarkdown()) }, 'public');
          case 'chart':
          case 'mychart':
            caps.showsImages.push(respond.showsImages === true);
            return respond.reply(
              { body: doc(p(`${event.command}: three bars, 1 2 3`)), image: { name: 'chart.png', png: TINY_PNG, alt: 'Three bars of height 1, 2 and 3' } },
              event.command === 'chart' ? 'public' : 'private',
            );
        }
        return;
      case 'button':
        caps.updateSource.push(respond.updateSource !== undefined);
        if (respond.updateSource) await respond.updateSource(say(`picked ${event.value}`));
        return respond.reply(say(`you picked ${event.value}`), 'private');
      case 'form':
        return respond.reply({ body: doc(p('got:'), codeBlock(event.text)) }, 'private');
      case 'autocomplete':
        // 30 offered; platforms take at most 25, so the adapter must cut, not fail.
        return respond.suggest?.(
          Array.from({ length: 30 }, (_, k) => ({ name: `Topic ${k}`, value: `topic-${k}` })).filter((c) =>
            c.value.startsWith(event.partial.toLowerCase()),
          ),
        );
    }
  };
  return {
    events,
    capabilities: caps,
    handled(n) {
      if (finished >= n) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    async handler(event, respond) {
      events.push(event);
      try {
        await script(event, respond);
      } finally {
        finished++;
        for (const w of waiters.filter((x) => finished >= x.n)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    },
  };
}

export function describeAdapterContract(
  name: string,
  makeHarness: (commands: CommandSpec[]) => Promise<AdapterHarness>,
  options: ContractOptions = {},
): void {
  describe(`ChatAdapter contract: ${name}`, () => {
    let h: AdapterHarness;
    let rec: Recorder;
    let conv: ConversationId;
    let alice: string;
    let platform: Platform;

    beforeEach(async () => {
      h = await makeHarness(CONTRACT_COMMANDS);
      rec = recorder();
      platform = h.adapter.platform;
      conv = conversationId(platform, h.workspace, h.channel);
      alice = h.users[0]!;
      await h.adapter.start((e, r) => rec.handler(e, r));
    });

    afterEach(async () => {
      await h.close();
    });

    /** Run a driver action and wait until the handler finished the event it caused. */
    const act = async (run: () => Promise<unknown>): Promise<InboundEvent> => {
      const n = rec.events.length + 1;
      await run();
      await rec.handled(n);
      return rec.events[n - 1]!;
    };
    const find = async (user: string, needle: string): Promise<SeenMessage | undefined> =>
      (await h.seenBy(user)).find((m) => m.text.includes(needle));

    it('delivers a command with typed options and a context naming platform, conversation and actor', async () => {
      const e = await act(() => h.driver.command(alice, 'ping', { word: 'hello', count: 3 }));
      expect(e.kind).toBe('command');
      if (e.kind !== 'command') return;
      expect(e.command).toBe('ping');
      expect(e.options).toEqual({ word: 'hello', count: 3 });
      expect(e.ctx.platform).toBe(platform);
      expect(e.ctx.workspaceId).toBe(h.workspace);
      expect(e.ctx.conversationId).toBe(conv);
      expect(parseConversationId(e.ctx.conversationId)).toEqual({ platform, workspace: h.workspace, channel: h.channel });
      expect(e.ctx.isDirect).toBe(false);
      expect(e.ctx.actor.platform).toBe(platform);
      expect(e.ctx.actor.id).toBe(h.actorId ? h.actorId(alice) : `${platform}:${h.workspace}:${alice}`);
      expect(e.ctx.actor.displayName.length).toBeGreaterThan(0);
      expect(await find(alice, 'pong hello')).toBeDefined();
    });

    it('shows a private reply only to the invoker', async () => {
      await act(() => h.driver.command(alice, 'secret', {}));
      const seen = await find(alice, 'secret for');
      expect(seen?.visibility).toBe('private');
      expect(seen?.recipient).toBe(alice);
      for (const other of h.users.slice(1)) expect(await find(other, 'secret for')).toBeUndefined();
    });

    it('shows a public reply to everyone in the channel', async () => {
      await act(() => h.driver.command(alice, 'announce', {}));
      for (const user of h.users) {
        const seen = await find(user, 'hello channel');
        expect(seen?.visibility).toBe('public');
        expect(seen?.conversationId).toBe(conv);
      }
    });

    it('opens an answer form and delivers the submitted text unchanged', async () => {
      await act(() => h.driver.command(alice, 'answer', {}));
      const forms = await h.formsOpenedFor(alice);
      const form = forms.at(-1);
      expect(form?.title).toBe('Your answer');
      expect(form?.label).toContain('goroutine');
      const answer = 'Goroutines are lightweight threads\nscheduled by the Go runtime.';
      const e = await act(() => h.driver.submitForm(alice, form!, answer));
      expect(e).toMatchObject({ kind: 'form', formId: 'answer', value: 'attempt-7', text: answer });
      expect(e.ctx.actor.id).toBe(h.actorId ? h.actorId(alice) : `${platform}:${h.workspace}:${alice}`);
      const got = await find(alice, 'scheduled by the Go runtime');
      expect(got?.visibility).toBe('private');
    });

    it('round-trips a button press with its value, and updates the source where supported', async () => {
      await act(() => h.driver.command(alice, 'choose', {}));
      const msg = await find(alice, 'Pick one');
      expect(msg?.buttons.map((b) => b.label)).toEqual(['Answer', 'Give up']);
      const e = await act(() => h.driver.press(alice, msg!, 'Give up'));
      expect(e).toMatchObject({ kind: 'button', actionId: 'pick', value: 'v-2' });
      if (e.kind === 'button' && e.message) expect(e.message.conversationId).toBe(conv);
      expect((await find(alice, 'you picked v-2'))?.visibility).toBe('private');
      if (rec.capabilities.updateSource[0]) {
        const seen = await h.seenBy(alice);
        expect(seen.some((m) => m.text.includes('picked v-2') && !m.text.includes('you picked'))).toBe(true);
        // The edited message replaced the original: the question with its buttons is gone.
        expect(seen.some((m) => m.text.includes('Pick one'))).toBe(false);
      }
    });

    it('answers autocomplete with at most 25 choices (without autocomplete: takes the typed value)', async () => {
      if (options.autocomplete === false) {
        const e = await act(() => h.driver.command(alice, 'pick', { topic: 'top' }));
        expect(e).toMatchObject({ kind: 'command', command: 'pick', options: { topic: 'top' } });
        return;
      }
      expect(h.driver.autocomplete, 'implement driver.autocomplete or pass { autocomplete: false }').toBeDefined();
      const n = rec.events.length + 1;
      const choices = await h.driver.autocomplete!(alice, 'pick', 'topic', 'top');
      await rec.handled(n);
      const e = rec.events[n - 1]!;
      expect(e).toMatchObject({ kind: 'autocomplete', command: 'pick', option: 'topic', partial: 'top' });
      expect(choices.length).toBeGreaterThan(0);
      expect(choices.length).toBeLessThanOrEqual(25);
      expect(choices[0]).toEqual({ name: 'Topic 0', value: 'topic-0' });
    });

    it('post() returns a ref in the conversation and update() edits that message', async () => {
      const ref = await h.adapter.post(conv, { body: doc(p('scheduled question of the day')) });
      expect(ref.conversationId).toBe(conv);
      expect(ref.messageId.length).toBeGreaterThan(0);
      const seen = await find(alice, 'scheduled question of the day');
      expect(seen?.visibility).toBe('public');
      if (seen?.messageId !== undefined) expect(seen.messageId).toBe(ref.messageId);
      if (options.update === false) {
        expect(h.adapter.update).toBeUndefined();
        return;
      }
      expect(h.adapter.update).toBeDefined();
      await h.adapter.update!(ref, { body: doc(p('answers are closed')) });
      const after = await h.seenBy(alice);
      expect(after.some((m) => m.text.includes('answers are closed'))).toBe(true);
      expect(after.some((m) => m.text.includes('scheduled question of the day'))).toBe(false);
    });

    it('startThread() opens a thread under a posted message, and post() into it lands in the thread', async () => {
      expect(h.adapter.startThread).toBeDefined();
      const ref = await h.adapter.post(conv, { body: doc(p('Alice is interviewing Bob')) });
      const thread = await h.adapter.startThread!(ref, 'Mock interview: Alice ↔ Bob');
      expect(thread).not.toBe(conv);
      expect(parseConversationId(thread)).toMatchObject({ platform, workspace: h.workspace });
      const posted = await h.adapter.post(thread, { body: doc(p('Question 1/2: what is a mutex?')) });
      expect(posted.conversationId).toBe(thread);
      const inThread = await h.seenIn(alice, thread);
      expect(inThread.map((m) => m.text)).toEqual([expect.stringContaining('Question 1/2: what is a mutex?')]);
      expect(inThread[0]!.visibility).toBe('public');
    });

    it('postDirect() reaches the account privately', async () => {
      expect(h.adapter.postDirect).toBeDefined();
      const accountId = h.actorId ? h.actorId(alice) : `${platform}:${h.workspace}:${alice}`;
      const ref = await h.adapter.postDirect!(accountId, { body: doc(p('Your scorecard: 2 of 2 answered')) });
      const direct = await h.seenIn(alice, ref.conversationId);
      expect(direct.some((m) => m.text.includes('Your scorecard'))).toBe(true);
      const bystander = h.users[1];
      if (bystander !== undefined) {
        expect((await h.seenIn(bystander, ref.conversationId)).some((m) => m.text.includes('Your scorecard'))).toBe(false);
        expect((await h.seenBy(bystander)).some((m) => m.text.includes('Your scorecard'))).toBe(false);
      }
    });

    it('renders user text with mentions so that nobody is pinged', async () => {
      await act(() => h.driver.command(alice, 'mentions', {}));
      const seen = await find(alice, 'done');
      expect(seen).toBeDefined();
      expect(seen!.text).not.toMatch(PING);
      expect(seen!.text).toMatch(/everyone/);
      expect(seen!.allowsPings).not.toBe(true);
    });

    it('splits a 10,000-character message under the limit with every code fence intact', async () => {
      const md = longMarkdown();
      expect(md.length).toBeGreaterThan(9000);
      await act(() => h.driver.command(alice, 'long', {}));
      const seen = (await h.seenBy(alice)).filter((m) => /Paragraph \d+|line_\d+_\d+|item \d+\.\d+/.test(m.text));
      const parts = seen.flatMap((m) => m.parts);
      expect(parts.length).toBeGreaterThan(1);
      for (const part of parts) {
        expect(part.length).toBeLessThanOrEqual(h.messageLimit);
        expect(fencesBalanced(part)).toBe(true);
      }
      // Nothing lost or reordered: every numbered line appears, in order.
      const all = parts.join('\n');
      let at = -1;
      for (let b = 0; b < 12; b++) {
        for (const needle of [`end-${b}.`, ...Array.from({ length: 18 }, (_, k) => `line_${b}_${k} =`), `item ${b}.3`]) {
          const found = all.indexOf(needle, at + 1);
          expect(found, `missing or out of order: ${needle}`).toBeGreaterThan(at);
          at = found;
        }
      }
    });

    it('shows a picture with a public reply where the platform can, and always its text', async () => {
      await act(() => h.driver.command(alice, 'chart', {}));
      for (const user of h.users) expect((await find(user, 'chart: three bars'))?.visibility).toBe('public');
      if (!rec.capabilities.showsImages[0]) {
        // Text-only: the picture is left out, not faked.
        expect(await h.imagesSeenBy(alice)).toEqual([]);
        return;
      }
      for (const user of h.users) {
        const images = await h.imagesSeenBy(user);
        expect(images).toHaveLength(1);
        expect(images[0]!.name).toBe('chart.png');
        expect(sameBytes(images[0]!.bytes, TINY_PNG)).toBe(true);
        expect(images[0]!.visibility).toBe('public');
        expect(images[0]!.conversationId).toBe(conv);
      }
    });

    it('keeps a private reply’s picture private to the invoker', async () => {
      await act(() => h.driver.command(alice, 'mychart', {}));
      const seen = await find(alice, 'mychart: three bars');
      expect(seen?.visibility).toBe('private');
      for (const other of h.users.slice(1)) {
        expect(await find(other, 'mychart: three bars')).toBeUndefined();
        expect(await h.imagesSeenBy(other)).toEqual([]);
      }
      const images = await h.imagesSeenBy(alice);
      if (!rec.capabilities.showsImages[0]) {
        expect(images).toEqual([]);
        return;
      }
      expect(images).toHaveLength(1);
      expect(sameBytes(images[0]!.bytes, TINY_PNG)).toBe(true);
      expect(images[0]!.visibility).toBe('private');
    });

    it('stop() releases resources and is safe to call twice', async () => {
      await h.adapter.stop();
      await h.adapter.stop();
      await h.assertStopped();
    });
  });
}
