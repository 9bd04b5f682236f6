import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createConsoleAdapter, wantsColor } from '../../../src/adapters/console/index.ts';
import type { CommandSpec } from '../../../src/chat/commands.ts';
import { doc, p } from '../../../src/chat/md.ts';
import { ConversationUnavailableError, type EventHandler, type InboundEvent } from '../../../src/chat/port.ts';
import { readConsole } from '../../contract/console-output.ts';

const commands: CommandSpec[] = [
  { name: 'ask', description: 'Ask', permission: 'everyone', options: [{ name: 'topic', description: 't', type: 'string', autocomplete: true }] },
  { name: 'help', description: 'Help', permission: 'everyone', options: [] },
  {
    name: 'schedule',
    description: 'Schedule',
    permission: 'admin',
    options: [],
    subcommands: [
      {
        name: 'set',
        description: 'set',
        options: [
          { name: 'time', description: 't', type: 'string', required: true },
          { name: 'topic', description: 't', type: 'string', autocomplete: true },
        ],
      },
    ],
  },
];

const say = (s: string) => ({ body: doc(p(s)) });

/** Run a whole piped script through the console and return what happened. */
async function session(script: string, handler: EventHandler, extra: { onError?: (e: unknown) => void } = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = '';
  output.setEncoding('utf8');
  output.on('data', (c: string) => (screen += c));
  let ends = 0;
  const events: InboundEvent[] = [];
  const adapter = createConsoleAdapter({
    input,
    output,
    person: 'alice',
    color: false,
    commands,
    onEnd: () => ends++,
    ...(extra.onError ? { onError: extra.onError } : {}),
  });
  await adapter.start(async (e, r) => {
    events.push(e);
    await handler(e, r);
  });
  input.end(script);
  await adapter.done;
  await new Promise<void>((r) => setImmediate(r));
  return { adapter, events, screen, view: readConsole(screen, 'alice'), ends };
}

describe('console adapter', () => {
  it('handles piped lines one at a time, so a button typed after a command presses that reply', async () => {
    const { events, view, ends } = await session('/ask concurrency\n2\ngood\n', async (e, r) => {
      // An async gap inside the handler: the next line must still wait for it.
      await Promise.resolve();
      if (e.kind === 'command') {
        await r.reply(
          {
            body: doc(p('What is a goroutine?')),
            actions: [
              { kind: 'button', id: 'answer', label: 'Answer', value: 'q1' },
              { kind: 'button', id: 'giveup', label: 'Give up', value: 'q1' },
              { kind: 'button', id: 'rate', label: 'Good', value: 'q1:good' },
            ],
          },
          'public',
        );
      } else if (e.kind === 'button') await r.reply(say(`pressed ${e.actionId}`), 'private');
    });
    expect(events.map((e) => e.kind)).toEqual(['command', 'button', 'button']);
    expect(events[0]).toMatchObject({ command: 'ask', options: { topic: 'concurrency' } });
    expect(events[0]!.ctx.actor.id).toBe('console:local:alice');
    expect(events[0]!.ctx.actorIsAdmin).toBe(true);
    expect(events[1]).toMatchObject({ actionId: 'giveup', value: 'q1', message: { conversationId: 'console:local:main', messageId: '1' } });
    expect(events[2]).toMatchObject({ actionId: 'rate', value: 'q1:good' });
    expect(view.messages[0]?.buttons.map((b) => b.label)).toEqual(['Answer', 'Give up', 'Good']);
    expect(view.messages.filter((m) => m.visibility === 'private').map((m) => m.text)).toEqual(['pressed giveup', 'pressed rate']);
    expect(ends).toBe(1);
  });

  it('collects a multi-line answer until a lone "." and keeps it exactly as typed', async () => {
    const { events, view } = await session('/ask\nline one\n\n  indented *stars*\n.\n/help\n', async (e, r) => {
      if (e.kind === 'command' && e.command === 'ask') {
        await r.openForm!({ id: 'answer', value: 'att-1', title: 'Your answer', label: 'Explain channels', maxLength: 4000 });
      }
    });
    expect(view.forms).toEqual([{ title: 'Your answer', label: 'Explain channels' }]);
    expect(events[1]).toMatchObject({ kind: 'form', formId: 'answer', value: 'att-1', text: 'line one\n\n  indented *stars*' });
    expect(events[2]).toMatchObject({ kind: 'command', command: 'help' });
  });

  it('sends an unfinished answer at end of input, then finishes', async () => {
    const { events, ends } = await session('/ask\nno terminating dot', async (e, r) => {
      if (e.kind === 'command') await r.openForm!({ id: 'answer', value: 'v', title: 'T', label: 'L', maxLength: 100 });
    });
    expect(events.at(-1)).toMatchObject({ kind: 'form', text: 'no terminating dot' });
    expect(ends).toBe(1);
  });

  it('refuses an answer over the form limit and asks again', async () => {
    const { events, view } = await session(`/ask\n${'x'.repeat(50)}\n.\nshort\n.\n`, async (e, r) => {
      if (e.kind === 'command') await r.openForm!({ id: 'answer', value: 'v', title: 'T', label: 'L', maxLength: 10 });
    });
    expect(events.filter((e) => e.kind === 'form')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ kind: 'form', text: 'short' });
    expect(view.notices.some((n) => n.includes('50 characters') && n.includes('10'))).toBe(true);
  });

  it('explains bad input instead of delivering it', async () => {
    const { events, view } = await session('/aks\nhello\n1\n/ask topic:a topic:b\n', async () => {});
    expect(events).toHaveLength(0);
    expect(view.notices).toHaveLength(4);
    expect(view.notices[0]).toBe('Unknown command /aks. Did you mean /ask? Try /help.');
    expect(view.notices[1]).toMatch(/start with \//);
    expect(view.notices[3]).toMatch(/twice/);
  });

  it('survives a failing handler and reports it', async () => {
    const errors: unknown[] = [];
    const { events, view } = await session(
      '/ask\n/help\n',
      async (e, r) => {
        if (e.kind === 'command' && e.command === 'ask') throw new Error('database is locked');
        await r.reply(say('help text'), 'public');
      },
      { onError: (err) => errors.push(err) },
    );
    expect(events).toHaveLength(2);
    expect(errors).toHaveLength(1);
    expect(view.notices[0]).toContain('database is locked');
    expect(view.messages.at(-1)?.text).toBe('help text');
  });

  it('refuses a form opened after a reply, like Discord does', async () => {
    const { view } = await session('/ask\n', async (e, r) => {
      await r.reply(say('first'), 'private');
      await r.openForm!({ id: 'a', value: 'v', title: 'T', label: 'L', maxLength: 10 });
    });
    expect(view.forms).toHaveLength(0);
    expect(view.notices[0]).toMatch(/openForm must be the first/);
  });

  it('updates: an edit without buttons retires the numbered choices', async () => {
    const { events, view } = await session('/ask\n1\n1\n', async (e, r) => {
      if (e.kind === 'command') await r.reply({ body: doc(p('Q')), actions: [{ kind: 'button', id: 'go', label: 'Go', value: 'x' }] }, 'public');
      else if (e.kind === 'button') await r.updateSource!(say('Q (answered)'));
    });
    expect(events.map((e) => e.kind)).toEqual(['command', 'button']);
    expect(view.messages).toHaveLength(1);
    expect(view.messages[0]?.text).toBe('Q (answered)');
    expect(view.messages[0]?.buttons).toEqual([]);
    expect(view.notices.at(-1)).toMatch(/Commands start with \//);
  });

  it('posts to other console channels, refuses other platforms', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    output.setEncoding('utf8');
    let screen = '';
    output.on('data', (c: string) => (screen += c));
    const adapter = createConsoleAdapter({ input, output, person: 'alice', color: false, commands });
    await adapter.start(async () => {});
    const ref = await adapter.post('console:local:standup', say('Daily question'));
    await expect(adapter.post('slack:T1:C1', say('x'))).rejects.toBeInstanceOf(ConversationUnavailableError);
    await adapter.postDirect!('console:local:alice', say('Your schedule could not post'));
    // Everyone on the console sits at this terminal: a DM to another console account shows here, marked.
    await adapter.postDirect!('console:local:bob', say('Your scorecard'));
    await expect(adapter.postDirect!('slack:T1:bob', say('x'))).rejects.toBeInstanceOf(ConversationUnavailableError);
    await adapter.stop();
    await adapter.done;
    await new Promise<void>((r) => setImmediate(r));
    const m = readConsole(screen, 'alice').messages;
    expect(m).toHaveLength(3);
    expect(m[0]).toMatchObject({ conversationId: 'console:local:standup', messageId: ref.messageId, text: 'Daily question' });
    expect(m[1]).toMatchObject({ visibility: 'private', recipient: 'alice', text: 'Your schedule could not post' });
    expect(m[2]).toMatchObject({ visibility: 'private', recipient: 'bob', text: 'Your scorecard' });
  });

  it('completes the option being typed through the handler', async () => {
    const input = new PassThrough();
    const adapter = createConsoleAdapter({ input, output: new PassThrough(), person: 'alice', color: false, commands });
    const seen: InboundEvent[] = [];
    await adapter.start(async (e, r) => {
      seen.push(e);
      if (e.kind === 'autocomplete') await r.suggest!([{ name: 'Concurrency', value: 'concurrency' }]);
    });
    expect(await adapter.complete('/ask con')).toEqual([{ name: 'Concurrency', value: 'concurrency' }]);
    await adapter.complete('/schedule set 09:30 topic:sys');
    await adapter.complete('/schedule set time:');
    expect(await adapter.complete('/help x')).toEqual([]);
    expect(seen).toMatchObject([
      { kind: 'autocomplete', command: 'ask', option: 'topic', partial: 'con' },
      { kind: 'autocomplete', command: 'schedule', option: 'topic', partial: 'sys' },
    ]);
    await adapter.stop();
  });

  it('colours only terminals without NO_COLOR', () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true });
    expect(wantsColor(new PassThrough(), {})).toBe(false);
    expect(wantsColor(tty, {})).toBe(true);
    expect(wantsColor(tty, { NO_COLOR: '1' })).toBe(false);
  });
});
