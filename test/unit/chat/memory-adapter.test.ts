import { describe, expect, it } from 'vitest';
import { createMemoryAdapter } from '../../../src/chat/memory-adapter.ts';
import { doc, p } from '../../../src/chat/md.ts';
import { ConversationUnavailableError, type InboundEvent } from '../../../src/chat/port.ts';

const say = (s: string) => ({ body: doc(p(s)) });

describe('memory adapter driver', () => {
  it('builds contexts from who: defaults, other channels, DMs, admins, delivery ids', async () => {
    const mem = createMemoryAdapter();
    const events: InboundEvent[] = [];
    await mem.start(async (e) => {
      events.push(e);
    });
    await mem.command('ask');
    await mem.command('ask', {}, { user: 'bob', name: 'Bob B', channel: 'C2', admin: true, deliveryId: 'd-1' });
    await mem.command('ask', {}, { user: 'bob', direct: true, workspace: 'W9' });
    expect(events.map((e) => e.ctx)).toEqual([
      {
        platform: 'memory',
        workspaceId: 'W1',
        conversationId: 'memory:W1:C1',
        isDirect: false,
        actor: { platform: 'memory', id: 'memory:W1:alice', displayName: 'alice' },
        actorIsAdmin: false,
      },
      {
        platform: 'memory',
        workspaceId: 'W1',
        conversationId: 'memory:W1:C2',
        isDirect: false,
        actor: { platform: 'memory', id: 'memory:W1:bob', displayName: 'Bob B' },
        actorIsAdmin: true,
        deliveryId: 'd-1',
      },
      {
        platform: 'memory',
        workspaceId: 'W9',
        conversationId: 'memory:W9:D-bob',
        isDirect: true,
        actor: { platform: 'memory', id: 'memory:W9:bob', displayName: 'bob' },
        actorIsAdmin: false,
      },
    ]);
  });

  it('returns what the bot did per event and keeps private replies private', async () => {
    const mem = createMemoryAdapter();
    await mem.start(async (e, r) => {
      if (e.kind === 'command') {
        await r.reply(say('the question'), 'public');
        await r.reply(say('only for you'), 'private');
      }
    });
    const out = await mem.command('ask', {}, { user: 'alice' });
    expect(out.replies.map((d) => [d.text, d.visibility, d.recipient])).toEqual([
      ['the question', 'public', undefined],
      ['only for you', 'private', 'alice'],
    ]);
    expect(mem.seenBy('bob').map((d) => d.text)).toEqual(['the question']);
    expect(mem.seenBy('alice').map((d) => d.text)).toEqual(['the question', 'only for you']);
  });

  it('presses buttons by label, submits the last form, and edits the source message', async () => {
    const mem = createMemoryAdapter();
    await mem.start(async (e, r) => {
      if (e.kind === 'command') {
        await r.reply({ body: doc(p('Q1')), actions: [{ kind: 'button', id: 'answer', label: 'Answer', value: 'att-9' }] }, 'public');
      } else if (e.kind === 'button') {
        await r.openForm!({ id: 'answer', value: e.value, title: 'Answer', label: 'Q1', maxLength: 4000 });
      } else if (e.kind === 'form') {
        await r.reply(say(`received ${e.value}: ${e.text}`), 'private');
      }
    });
    await mem.command('ask');
    const pressed = await mem.pressButton('answer');
    expect(pressed.forms).toEqual([{ id: 'answer', value: 'att-9', title: 'Answer', label: 'Q1', maxLength: 4000 }]);
    const submitted = await mem.submitLastForm('my answer');
    expect(submitted.replies[0]?.text).toBe('received att-9: my answer');
    await expect(mem.pressButton('Nope')).rejects.toThrow(/no button "Nope"/);
    await expect(mem.submitLastForm('x', { user: 'carol' })).rejects.toThrow(/no form/);
  });

  it('enforces platform rules: a form is the first response; at most 25 choices', async () => {
    const mem = createMemoryAdapter();
    await mem.start(async (e, r) => {
      if (e.kind === 'command') {
        await r.reply(say('deferred'), 'private');
        await r.openForm!({ id: 'a', value: '', title: 't', label: 'l', maxLength: 10 });
      }
      if (e.kind === 'autocomplete') await r.suggest!(Array.from({ length: 40 }, (_, k) => ({ name: `n${k}`, value: `v${k}` })));
      if (e.kind === 'form') expect(r.openForm).toBeUndefined();
    });
    await expect(mem.command('ask')).rejects.toThrow(/first and only response/);
    expect((await mem.autocomplete('ask', 'topic', '')).choices).toHaveLength(25);
    await mem.submitForm('a', '', 'text');
  });

  it('lets tests turn capabilities off to exercise core fallbacks', async () => {
    const mem = createMemoryAdapter({ capabilities: { openForm: false, update: false, startThread: false, updateSource: false } });
    const seen: boolean[] = [];
    await mem.start(async (_e, r) => {
      seen.push(r.openForm === undefined && r.updateSource === undefined);
    });
    await mem.press('x', 'y', { message: { conversationId: mem.conversationId, messageId: '1' } });
    expect(seen).toEqual([true]);
    expect(mem.update).toBeUndefined();
    expect(mem.startThread).toBeUndefined();
  });

  it('post, update, threads, unavailable conversations, and text commands', async () => {
    const mem = createMemoryAdapter({
      commands: [{ name: 'ask', description: 'Ask', permission: 'everyone', options: [{ name: 'topic', description: 't', type: 'string' }] }],
    });
    const got: InboundEvent[] = [];
    await mem.start(async (e) => {
      got.push(e);
    });
    const ref = await mem.post('memory:W1:C7', say('daily'));
    await mem.update!(ref, say('daily (closed)'));
    expect(mem.transcript[0]).toMatchObject({ text: 'daily (closed)', edits: 1, via: 'post', visibility: 'public' });
    const thread = await mem.startThread!(ref, 'Discuss');
    expect(thread).toMatch(/^memory:W1:T\d+$/);
    expect(mem.threads).toEqual([{ conversationId: thread, parent: ref, name: 'Discuss' }]);
    mem.makeUnavailable('memory:W1:gone', 'archived');
    await expect(mem.post('memory:W1:gone', say('x'))).rejects.toBeInstanceOf(ConversationUnavailableError);
    await mem.commandText('/ask "system design"');
    expect(got[0]).toMatchObject({ kind: 'command', command: 'ask', options: { topic: 'system design' } });
    await expect(mem.commandText('/aks')).rejects.toThrow('Did you mean /ask?');
    const dm = await mem.postDirect!('memory:W1:owner', say('your schedule failed'));
    expect(dm.conversationId).toBe('memory:W1:D-owner');
    expect(mem.seenBy('owner', dm.conversationId).map((d) => d.text)).toEqual(['your schedule failed']);
    expect(mem.seenBy('alice', dm.conversationId)).toEqual([]);
    await expect(mem.postDirect!('slack:T1:U1', say('x'))).rejects.toBeInstanceOf(ConversationUnavailableError);
  });

  it('renders user text safely in the transcript', async () => {
    const mem = createMemoryAdapter();
    await mem.start(async (_e, r) => r.reply({ body: doc(p('@everyone look')) }, 'public'));
    const out = await mem.command('x');
    expect(out.replies[0]?.text).not.toMatch(/@everyone/);
  });
});
