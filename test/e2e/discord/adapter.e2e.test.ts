/**
 * The Discord adapter end to end: the real discord.js client inside the adapter,
 * the in-repo fake Discord on the other side, and a small stand-in handler that
 * uses the port the way the core does. Assertions are about what Discord users
 * would see, read from the fake's record.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandSpec } from '../../../src/chat/commands.ts';
import { doc, p, userText, codeBlock, strong, list } from '../../../src/chat/md.ts';
import { ConversationUnavailableError, type EventHandler, type InboundEvent } from '../../../src/chat/port.ts';
import { fencesBalanced } from '../../../src/chat/split.ts';
import { pingsAnyone } from '../../fakes/discord/index.ts';
import { startHarness, type Harness } from './harness.ts';

const TOPICS = Array.from({ length: 40 }, (_, i) => `topic-${String(i).padStart(2, '0')}`).concat(['concurrency', 'consistency']);
const QUESTION = 'Explain the difference between a mutex and a semaphore, and when you would prefer a channel in Go?';
const LONG_CODE = Array.from({ length: 150 }, (_, i) => `\tresult[${i}] = worker(${i}) // keep every line`).join('\n');

const commands: CommandSpec[] = [
  { name: 'ask', description: 'Practise a question', permission: 'everyone', options: [{ name: 'topic', description: 'Topic', type: 'string', autocomplete: true }] },
  { name: 'me', description: 'Private info', permission: 'everyone', options: [] },
  { name: 'echo', description: 'Say it', permission: 'everyone', options: [{ name: 'text', description: 'Text', type: 'string', required: true }] },
  { name: 'long', description: 'A long answer', permission: 'everyone', options: [] },
  { name: 'slow', description: 'Takes its time', permission: 'everyone', options: [] },
  { name: 'boom', description: 'Fails', permission: 'everyone', options: [] },
  {
    name: 'schedule',
    description: 'Admin',
    permission: 'admin',
    options: [],
    subcommands: [{ name: 'set', description: 'Set', options: [{ name: 'time', description: 'HH:MM', type: 'string', required: true }, { name: 'owner', description: 'Who', type: 'user' }] }],
  },
];

/** A stand-in for the core: same port, trivial rules. */
function standIn(seen: InboundEvent[], gate?: Promise<void>): EventHandler {
  return async (event, respond) => {
    seen.push(event);
    if (event.kind === 'autocomplete') {
      const matches = TOPICS.filter((t) => t.startsWith(event.partial)).map((t) => ({ name: t, value: t }));
      await respond.suggest!(matches);
      return;
    }
    if (event.kind === 'command') {
      switch (event.command) {
        case 'ask':
          await respond.reply(
            { body: doc(p(strong('Question'), ' (', String(event.options.topic ?? 'any'), ')'), p(QUESTION)), actions: [{ kind: 'button', id: 'answer', label: 'Answer', value: 'att-1', style: 'primary' }, { kind: 'button', id: 'giveup', label: 'Give up', value: 'att-1' }] },
            'public',
          );
          return;
        case 'me':
          await respond.reply({ body: doc(p('Your streak: 3 days')) }, 'private');
          return;
        case 'echo':
          await respond.reply({ body: doc(p('You said: ', userText(String(event.options.text)))) }, 'public');
          return;
        case 'long':
          await respond.reply({ body: doc(p('Reference:'), codeBlock(LONG_CODE, 'go')) }, 'private');
          return;
        case 'slow':
          await gate;
          await respond.reply({ body: doc(p('Done slowly')) }, 'private');
          return;
        case 'boom':
          throw new Error('core exploded');
        case 'schedule':
          await respond.reply({ body: doc(p('ok')) }, 'private');
          return;
      }
    }
    if (event.kind === 'button' && event.actionId === 'answer') {
      await respond.openForm!({ id: 'answer', value: event.value, title: 'Answer: concurrency', label: QUESTION, maxLength: 4000, placeholder: 'Type your answer' });
      return;
    }
    if (event.kind === 'form') {
      await respond.reply(
        {
          body: doc(p('Your answer: ', userText(event.text)), p('Coverage:'), list(['☑ mutual exclusion', '☐ counting'])),
          spoiler: doc(p('A mutex allows one holder; a semaphore allows N.')),
          actions: ['again', 'hard', 'good', 'easy'].map((r) => ({ kind: 'button' as const, id: 'rate', label: r, value: `${event.value}:${r}` })),
        },
        'private',
      );
      return;
    }
    if (event.kind === 'button' && event.actionId === 'rate') {
      await respond.updateSource!({ body: doc(p('Rated: ', event.value.split(':')[1] ?? '')) });
      await respond.reply({ body: doc(p('Next review scheduled.')) }, 'private');
      return;
    }
  };
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Every body the bot sent carried allowed_mentions parse [] and nothing it sent pings anyone. */
function expectNoPings(harness: Harness) {
  const bodies = harness.fake.sentMessageBodies();
  expect(bodies.length).toBeGreaterThan(0);
  for (const r of bodies) {
    const am = r.path.endsWith('/callback') ? r.body.data.allowed_mentions : r.body.allowed_mentions;
    expect(am, `${r.method} ${r.path}`).toEqual({ parse: [] });
  }
  for (const m of harness.fake.messages) expect(pingsAnyone(m.pings)).toBe(false);
}

describe('Discord adapter against the fake (real discord.js client)', () => {
  it('a slash command becomes a command event with Discord context; a private reply is seen only by the invoker', async () => {
    const seen: InboundEvent[] = [];
    h = await startHarness(commands, standIn(seen));
    const { fake } = h;
    const i = await fake.slash('me', {}, { user: fake.users.bob });
    await fake.waitForResponse(i.id);
    await h.adapter.idle();
    expect(seen).toHaveLength(1);
    const ev = seen[0]!;
    expect(ev).toMatchObject({ kind: 'command', command: 'me', options: {} });
    expect(ev.ctx).toEqual({
      platform: 'discord',
      workspaceId: fake.guild.id,
      conversationId: `discord:${fake.guild.id}:${fake.channels.general.id}`,
      isDirect: false,
      actor: { platform: 'discord', id: `discord:user:${fake.users.bob.id}`, displayName: 'bob' },
      actorIsAdmin: false,
      deliveryId: i.id,
    });
    expect(fake.interactions.get(i.id)?.responseType).toBe(4);
    expect(fake.messagesVisibleTo(fake.users.bob).map((m) => m.content)).toEqual(['Your streak: 3 days']);
    expect(fake.messagesVisibleTo(fake.users.alice)).toEqual([]);
    expectNoPings(h);
  });

  it('admin flag comes from Manage Server / Manage Channels; subcommands and user options translate', async () => {
    const seen: InboundEvent[] = [];
    h = await startHarness(commands, standIn(seen));
    const { fake } = h;
    const a = await fake.slash('schedule set', { time: '09:30', owner: fake.users.bob.id }, { user: fake.users.alice });
    await fake.waitForResponse(a.id);
    const b = await fake.slash('me', {}, { user: fake.users.bob });
    await fake.waitForResponse(b.id);
    await h.adapter.idle();
    expect(seen[0]).toMatchObject({
      kind: 'command',
      command: 'schedule',
      options: { subcommand: 'set', time: '09:30', owner: `discord:user:${fake.users.bob.id}` },
      ctx: { actorIsAdmin: true, actor: { displayName: 'Alice' } },
    });
    expect(seen[1]?.ctx.actorIsAdmin).toBe(false);
  });

  it('autocomplete answers with at most 25 choices matching what is typed', async () => {
    const seen: InboundEvent[] = [];
    h = await startHarness(commands, standIn(seen));
    const { fake } = h;
    const all = await fake.autocomplete('ask', { topic: '' }, 'topic');
    const con = await fake.autocomplete('ask', { topic: 'con' }, 'topic');
    await fake.waitForResponse(all.id);
    await fake.waitForResponse(con.id);
    expect(seen.filter((e) => e.kind === 'autocomplete').map((e) => (e as { partial: string }).partial).sort()).toEqual(['', 'con']);
    expect(fake.interactions.get(all.id)?.choices).toHaveLength(25);
    expect(fake.interactions.get(con.id)?.choices?.map((c) => c.value)).toEqual(['concurrency', 'consistency']);
  });

  it('question → Answer button → modal → submit → private reveal with spoiler → rating updates the reveal', async () => {
    const seen: InboundEvent[] = [];
    h = await startHarness(commands, standIn(seen));
    const { fake } = h;
    const { alice, bob } = fake.users;

    const ask = await fake.slash('ask', { topic: 'concurrency' }, { user: alice });
    await fake.waitForResponse(ask.id);
    const question = fake.publicMessages()[0]!;
    expect(fake.buttonsOn(question).map((b) => b.custom_id)).toEqual(['answer:att-1', 'giveup:att-1']);
    expect(fake.messagesVisibleTo(bob).map((m) => m.id)).toEqual([question.id]);

    const click = await fake.click('answer:att-1', question, { user: alice });
    await fake.waitForResponse(click.id);
    const modal = fake.modalsShownTo(alice)[0];
    expect(modal.custom_id).toBe('answer:att-1');
    expect(modal.title.length).toBeLessThanOrEqual(45);
    // The question is longer than a label may be, so it is shown whole above the input.
    const display = modal.components.find((c: any) => c.type === 10);
    expect(display.content.replace(/\\/g, '')).toBe(QUESTION);
    const input = modal.components.find((c: any) => c.type === 18).component;
    expect(input).toMatchObject({ style: 2, max_length: 4000, custom_id: 'answer' });

    const submit = await fake.submitModal('answer:att-1', { answer: 'one holder vs N holders @everyone' }, { user: alice });
    await fake.waitUntil(() => fake.messagesVisibleTo(alice).length >= 2 || undefined);
    await h.adapter.idle();
    const formEvent = seen.find((e) => e.kind === 'form');
    expect(formEvent).toMatchObject({ formId: 'answer', value: 'att-1', text: 'one holder vs N holders @everyone' });
    expect(formEvent?.ctx.deliveryId).toBe(submit.id);

    const reveal = fake.messagesVisibleTo(alice).at(-1)!;
    expect(reveal.ephemeralTo).toBe(alice.id);
    expect(reveal.content).toMatch(/\|\|\n[\s\S]*semaphore allows N[\s\S]*\n\|\|$/);
    expect(fake.buttonsOn(reveal).map((b) => b.label)).toEqual(['again', 'hard', 'good', 'easy']);
    // Bob (same channel) never sees the reveal.
    expect(fake.messagesVisibleTo(bob).map((m) => m.id)).toEqual([question.id]);

    const rate = await fake.click('rate:att-1:good', reveal, { user: alice });
    await fake.waitForResponse(rate.id);
    await h.adapter.idle();
    const updated = fake.messages.find((m) => m.id === reveal.id)!;
    expect(updated.content).toBe('Rated: good');
    expect(fake.buttonsOn(updated)).toEqual([]);
    expect(fake.messagesVisibleTo(alice).at(-1)?.content).toBe('Next review scheduled.');
    expect(fake.messagesVisibleTo(bob).map((m) => m.id)).toEqual([question.id]);
    expectNoPings(h);
  });

  it('a long answer is split into messages ≤ 2000 chars with code fences intact and nothing lost', async () => {
    h = await startHarness(commands, standIn([]));
    const { fake } = h;
    const i = await fake.slash('long', {}, { user: fake.users.alice });
    await fake.waitForResponse(i.id);
    await h.adapter.idle();
    const parts = fake.messagesVisibleTo(fake.users.alice);
    expect(parts.length).toBeGreaterThan(2);
    for (const m of parts) {
      expect([...m.content].length).toBeLessThanOrEqual(2000);
      expect(fencesBalanced(m.content)).toBe(true);
      expect(m.ephemeralTo).toBe(fake.users.alice.id);
    }
    const lines = parts.flatMap((m) => m.content.split('\n')).filter((l) => l.startsWith('\tresult['));
    expect(lines).toEqual(LONG_CODE.split('\n'));
    for (const m of parts.slice(1)) expect(m.content.startsWith('```go\n')).toBe(true);
    expectNoPings(h);
  });

  it('mention injection through a command option pings nobody', async () => {
    h = await startHarness(commands, standIn([]));
    const { fake } = h;
    const attack = `@everyone @here <@${fake.users.bob.id}> <@&${fake.roles.admin}> look`;
    const i = await fake.slash('echo', { text: attack }, { user: fake.users.mallory });
    await fake.waitForResponse(i.id);
    await h.adapter.idle();
    const [msg] = fake.publicMessages();
    expect(msg?.content).toContain('look');
    expectNoPings(h);
  });

  it('an interaction Discord has already expired is logged and ignored; the bot keeps working', async () => {
    const seen: InboundEvent[] = [];
    h = await startHarness(commands, standIn(seen));
    const { fake } = h;
    fake.expireOnDispatch = true;
    const late = await fake.slash('me', {}, { user: fake.users.bob });
    await fake.waitUntil(() => (fake.interactions.get(late.id)?.callbackAttempts.length ?? 0) > 0);
    await h.adapter.idle();
    expect(fake.interactions.get(late.id)?.responseType).toBeUndefined();
    expect(h.logger.entries.some((e) => e.level === 'warn' && /expired/.test(e.msg ?? ''))).toBe(true);

    fake.expireOnDispatch = false;
    const next = await fake.slash('me', {}, { user: fake.users.bob });
    await fake.waitForResponse(next.id);
    expect(fake.messagesVisibleTo(fake.users.bob).map((m) => m.content)).toEqual(['Your streak: 3 days']);
  });

  it('a slow handler is deferred before the deadline and its answer replaces the "thinking" message', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    h = await startHarness(commands, standIn([], gate), { deferAfterMs: 5 });
    const { fake } = h;
    const i = await fake.slash('slow', {}, { user: fake.users.alice });
    const acked = await fake.waitForResponse(i.id);
    expect(acked.responseType).toBe(5);
    release();
    await fake.waitUntil(() => fake.messagesVisibleTo(fake.users.alice).length === 1 || undefined);
    await h.adapter.idle();
    const [m] = fake.messagesVisibleTo(fake.users.alice);
    expect(m?.content).toBe('Done slowly');
    expect(m?.ephemeralTo).toBe(fake.users.alice.id);
    expect(fake.interactions.get(i.id)?.callbackAttempts).toEqual([5]);
  });

  it('a handler that throws gets the user a private apology; the bot keeps working', async () => {
    h = await startHarness(commands, standIn([]));
    const { fake } = h;
    const i = await fake.slash('boom', {}, { user: fake.users.bob });
    await fake.waitForResponse(i.id);
    await h.adapter.idle();
    expect(fake.messagesVisibleTo(fake.users.bob)[0]?.content).toMatch(/went wrong/);
    expect(h.logger.entries.some((e) => e.level === 'error' && JSON.stringify(e.obj).includes('core exploded'))).toBe(true);
  });

  it('a DM interaction has no guild: workspace @dm, isDirect, and the reply lands in the DM', async () => {
    const seen: InboundEvent[] = [];
    h = await startHarness(commands, standIn(seen), { global: true });
    const { fake } = h;
    const i = await fake.slash('me', {}, { user: fake.users.bob, dm: true });
    await fake.waitForResponse(i.id);
    await h.adapter.idle();
    const dm = fake.world.dmChannelFor(fake.users.bob.id);
    expect(seen[0]?.ctx).toMatchObject({ workspaceId: '@dm', isDirect: true, conversationId: `discord:@dm:${dm.id}`, actorIsAdmin: false });
    expect(fake.messagesVisibleTo(fake.users.bob, { channelId: dm.id }).map((m) => m.content)).toEqual(['Your streak: 3 days']);
  });

  it('an interaction replayed after a gateway RESUME is handled once', async () => {
    const seen: InboundEvent[] = [];
    h = await startHarness(commands, standIn(seen));
    const { fake } = h;
    const i = await fake.slash('me', {}, { user: fake.users.bob });
    await fake.waitForResponse(i.id);
    await h.adapter.idle();
    fake.replayOnNextResume(1);
    const resumed = new Promise<void>((resolve) => fake.once('resumed', () => resolve()));
    fake.requestReconnect();
    await resumed;
    // After the replay, a fresh interaction proves the client processed the replayed frame first.
    const after = await fake.slash('me', {}, { user: fake.users.alice });
    await fake.waitForResponse(after.id);
    await h.adapter.idle();
    expect(seen.map((e) => e.ctx.deliveryId)).toEqual([i.id, after.id]);
    expect(fake.interactions.get(i.id)?.callbackAttempts).toEqual([4]);
    expect(h.logger.entries.some((e) => /duplicate/.test(e.msg ?? ''))).toBe(true);
  });
});

describe('posting outside interactions', () => {
  it('post() sends to a channel, startThread() threads under it, postDirect() opens a DM', async () => {
    h = await startHarness(commands, standIn([]));
    const { fake, adapter } = h;
    const conv = `discord:${fake.guild.id}:${fake.channels.general.id}`;
    const ref = await adapter.post(conv, {
      body: doc(p('Daily question: ', userText('@everyone what is a mutex?'))),
      actions: [{ kind: 'button', id: 'answer', label: 'Answer', value: 'daily-1' }],
    });
    const [msg] = fake.publicMessages(fake.channels.general.id);
    expect(msg?.id).toBe(ref.messageId);
    expect(fake.buttonsOn(msg!).map((b) => b.custom_id)).toEqual(['answer:daily-1']);

    const thread = await adapter.startThread!(ref, 'Discuss: mutex');
    expect(thread).toBe(`discord:${fake.guild.id}:${msg!.id}`);
    await adapter.post(thread, { body: doc(p('Answers so far: 0')) });
    expect(fake.publicMessages(msg!.id).map((m) => m.content)).toEqual(['Answers so far: 0']);

    await adapter.update!(ref, { body: doc(p('Daily question (closed)')) });
    expect(fake.messages.find((m) => m.id === ref.messageId)?.content).toBe('Daily question (closed)');

    const dmRef = await adapter.postDirect!(`discord:user:${fake.users.owner.id}`, { body: doc(p('Your schedule could not post.')) });
    expect(dmRef.conversationId).toBe(`discord:@dm:${fake.world.dmChannelFor(fake.users.owner.id).id}`);
    expect(fake.messagesVisibleTo(fake.users.owner, { channelId: fake.world.dmChannelFor(fake.users.owner.id).id })).toHaveLength(1);
    expectNoPings(h);
  });

  it('a channel the bot lost access to, or that no longer exists, raises ConversationUnavailableError', async () => {
    h = await startHarness(commands, standIn([]));
    const { fake, adapter } = h;
    const secret = `discord:${fake.guild.id}:${fake.channels.secret.id}`;
    const gone = `discord:${fake.guild.id}:123456789012345678`;
    await expect(adapter.post(secret, { body: doc(p('hi')) })).rejects.toBeInstanceOf(ConversationUnavailableError);
    await expect(adapter.post(gone, { body: doc(p('hi')) })).rejects.toBeInstanceOf(ConversationUnavailableError);
    expect(fake.publicMessages()).toEqual([]);
  });
});
