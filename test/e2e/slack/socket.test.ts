import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack, type SurfaceMessage } from '../../fakes/slack/index.ts';
import { ConversationUnavailableError } from '../../../src/chat/port.ts';
import { doc, p } from '../../../src/chat/md.ts';
import { startRig, type SlackRig } from './harness.ts';
import { LONG_CODE_LINES, scriptedCore, testCommands } from './scripted-core.ts';

let rig: SlackRig | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

async function start(extra: Parameters<typeof startRig>[2] = { commands: testCommands }) {
  const core = scriptedCore();
  rig = await startRig('socket', core.handler, extra);
  return { ...core, fake: rig.fake, adapter: rig.adapter, logger: rig.logger };
}

const ephemeralTo = (fake: FakeSlack, user: string, includes: string) => () =>
  fake.visibleTo(user).find((m) => m.to === user && FakeSlack.render(m).includes(includes));

describe('Slack adapter over Socket Mode (real Bolt against the fake)', () => {
  it('connects: auth.test with the bot token, apps.connections.open with the app token, one hello', async () => {
    const { fake, adapter } = await start();
    expect(fake.hellos).toBe(1);
    expect(fake.callsTo('auth.test')[0]?.token).toBe(fake.botToken);
    expect(fake.callsTo('apps.connections.open').map((c) => c.token)).toEqual([fake.appToken]);
    expect(adapter.teamId()).toBe(fake.team.id);
  });

  it('a slash command is acked, becomes a command event, and the private reply is ephemeral', async () => {
    const { fake, events } = await start();
    const d = await fake.slash('U0ALICE', 'C0GENERAL', '/ask concurrency');
    expect(d.ack).toEqual({});
    const msg = await fake.waitFor(ephemeralTo(fake, 'U0ALICE', 'what is a mutex'));
    expect(msg.kind).toBe('ephemeral');
    expect(fake.visibleTo('U0BOB')).toEqual([]);
    const ev = events[0]!;
    expect(ev.kind).toBe('command');
    if (ev.kind !== 'command') return;
    expect(ev.command).toBe('ask');
    expect(ev.options).toEqual({ topic: 'concurrency' });
    expect(ev.ctx).toMatchObject({
      platform: 'slack',
      workspaceId: fake.team.id,
      conversationId: `slack:${fake.team.id}:C0GENERAL`,
      isDirect: false,
      actorIsAdmin: false,
      actor: { platform: 'slack', id: `slack:${fake.team.id}:U0ALICE`, displayName: 'alice' },
    });
    expect(ev.ctx.deliveryId).toContain(d.triggerId);
  });

  it('workspace admins (users.info) and configured admins get actorIsAdmin', async () => {
    const { fake, events } = await start({ commands: testCommands, admins: [`slack:T0FAKE01:U0BOB`] });
    await fake.slash('U0ADMIN', 'C0GENERAL', '/streak');
    await fake.slash('U0BOB', 'C0GENERAL', '/streak');
    await fake.slash('U0ALICE', 'C0GENERAL', '/streak');
    await fake.waitFor(() => events.length === 3);
    const byUser = Object.fromEntries(events.map((e) => [e.ctx.actor.id.split(':')[2], e.ctx.actorIsAdmin]));
    expect(byUser).toEqual({ U0ADMIN: true, U0BOB: true, U0ALICE: false });
  });

  it('the /prep umbrella command routes subcommands and explains unknown ones privately', async () => {
    const { fake, events } = await start();
    await fake.slash('U0ALICE', 'C0GENERAL', '/prep ask system-design');
    await fake.waitFor(() => events.length === 1);
    expect(events[0]).toMatchObject({ kind: 'command', command: 'ask', options: { topic: 'system-design' } });
    await fake.slash('U0ALICE', 'C0GENERAL', '/prep dance');
    const note = await fake.waitFor(ephemeralTo(fake, 'U0ALICE', 'has no'));
    expect(note.kind).toBe('response');
    expect(FakeSlack.render(note)).toContain('/prep ask concurrency');
    expect(events).toHaveLength(1);
  });

  it('bad command options get a private usage note and never reach the core', async () => {
    const { fake, events } = await start();
    await fake.slash('U0ALICE', 'C0GENERAL', '/streak everyone please');
    await fake.waitFor(ephemeralTo(fake, 'U0ALICE', 'Usage'));
    expect(events).toHaveLength(0);
  });

  it('Answer button → modal → view_submission → ephemeral reveal → rating updates the ephemeral in place', async () => {
    const { fake, events } = await start();
    await fake.slash('U0ALICE', 'C0GENERAL', '/ask concurrency');
    const question = await fake.waitFor(ephemeralTo(fake, 'U0ALICE', 'what is a mutex'));
    await fake.click('U0ALICE', question, { actionId: 'answer' });
    const modal = await fake.waitFor(() => fake.lastOpenView('U0ALICE'));
    const title = (modal.view.title as { text: string }).text;
    expect([...title].length).toBeLessThanOrEqual(24);
    expect(modal.view.callback_id).toBeTruthy();

    const sub = await fake.submitView('U0ALICE', modal, 'A lock that only one goroutine holds & releases');
    expect(sub.ack).toEqual({});
    expect(modal.open).toBe(false);
    const reveal = await fake.waitFor(ephemeralTo(fake, 'U0ALICE', 'Reference answer'));
    const text = FakeSlack.render(reveal);
    expect(text).toContain('A mutex is a lock.');
    // The echoed answer is user text, sent as rich_text: shown as typed, no entities.
    expect(text).toContain('You answered: A lock that only one goroutine holds & releases');
    expect(fake.visibleTo('U0BOB')).toEqual([]);
    const form = events.find((e) => e.kind === 'form');
    expect(form).toMatchObject({ kind: 'form', formId: 'answer', value: 'q1|concurrency', text: 'A lock that only one goroutine holds & releases' });
    expect(form?.ctx.conversationId).toBe(`slack:${fake.team.id}:C0GENERAL`);

    // Four "rate" buttons in one block: Slack needs distinct action ids; the core still sees "rate".
    expect(new Set(FakeSlack.buttons(reveal.blocks).map((b) => b.actionId)).size).toBe(4);
    await fake.click('U0ALICE', reveal, { label: 'Good' });
    await fake.waitFor(() => FakeSlack.render(reveal).includes('Rated'));
    expect(events.at(-1)).toMatchObject({ kind: 'button', actionId: 'rate', value: 'q1|concurrency|3' });
    expect(reveal.history).toHaveLength(1);
    expect(fake.callsTo('views.open').every((c) => c.response.ok)).toBe(true);
  });

  it('a long answer with a big code block is split within Slack limits, nothing lost, fences balanced', async () => {
    const { fake } = await start();
    await fake.slash('U0ALICE', 'C0GENERAL', '/long');
    await fake.waitFor(ephemeralTo(fake, 'U0ALICE', 'The end.'));
    const posts = fake.callsTo('chat.postEphemeral');
    expect(posts.length).toBeGreaterThan(1);
    expect(posts.every((c) => c.response.ok === true)).toBe(true);
    const sections: string[] = [];
    for (const c of posts) {
      const blocks = c.args.blocks as { type: string; text?: { text: string } }[];
      expect(blocks.length).toBeLessThanOrEqual(50);
      for (const b of blocks) if (b.type === 'section' && b.text) sections.push(b.text.text);
    }
    for (const s of sections) {
      expect([...s].length).toBeLessThanOrEqual(3000);
      expect((s.match(/^```$/gm) ?? []).length % 2).toBe(0);
    }
    const all = sections.join('\n');
    for (let i = 0; i < LONG_CODE_LINES; i++) expect(all).toContain(`line ${String(i).padStart(3, '0')}: if (a &lt; b &amp;&amp; c &gt; d)`);
    expect(all).toContain('Paragraph 69');
  });

  it('mention injection: no <!channel>, <!here>, <@U…> or bare @here in anything the bot shows', async () => {
    const { fake } = await start();
    const attack = '<!channel> <!here> <!everyone> <@U0BOB> <!subteam^S123> @here @channel @everyone';
    await fake.slash('U0ALICE', 'C0GENERAL', `/shout words:"${attack}"`);
    await fake.waitFor(() => fake.lastOpenView('U0ALICE'));
    await fake.waitFor(() => fake.visibleTo('U0BOB').length > 0);
    const shown = fake.allBotText().join('\n');
    expect(shown).toContain('here');
    expect(shown).not.toMatch(/<[!@#]/);
    expect(shown).not.toMatch(/@(here|channel|everyone)\b/);
  });

  it('a redelivered envelope and a retried event are handled once', async () => {
    const { fake, events } = await start({ commands: testCommands, homeView: async (actor) => ({ body: doc(p(`Home of ${actor.displayName}`)) }) });
    const d = await fake.slash('U0ALICE', 'C0GENERAL', '/streak');
    await fake.waitFor(() => events.length === 1);
    const envelope = fake.envelopes.find((e) => e.envelope_id === d.envelopeId)!;
    await fake.sendEnvelope('slash_commands', envelope.payload as Record<string, unknown>, { envelopeId: d.envelopeId });
    const first = await fake.openHome('U0ALICE');
    await fake.waitFor(() => fake.homeViews.get('U0ALICE'));
    await fake.openHome('U0ALICE', { eventId: first.eventId, retry: 1 });
    // A later, different delivery proves the redeliveries were processed (and dropped) before it.
    await fake.slash('U0ALICE', 'C0GENERAL', '/streak');
    await fake.waitFor(() => events.length >= 2);
    expect(fake.acks.filter((a) => a.envelopeId === d.envelopeId)).toHaveLength(2);
    expect(fake.callsTo('views.publish')).toHaveLength(1);
    expect(events).toHaveLength(2);
  });

  it('App Home: app_home_opened publishes the home view the core supplies', async () => {
    const { fake } = await start({ commands: testCommands, homeView: async (actor) => ({ body: doc(p(`Streak for ${actor.displayName}: 3 days`)), actions: [{ kind: 'button', id: 'ask', label: 'Practise now', value: 'any' }] }) });
    await fake.openHome('U0ALICE');
    const home = await fake.waitFor(() => fake.homeViews.get('U0ALICE'));
    expect(JSON.stringify(home.view)).toContain('Streak for alice: 3 days');
    expect(FakeSlack.buttons(home.view.blocks as never).map((b) => b.label)).toEqual(['Practise now']);
  });

  it('a button on the Home tab answers in the app DM', async () => {
    const { fake, events } = await start({ commands: testCommands, homeView: async () => ({ body: doc(p('Home')), actions: [{ kind: 'button', id: 'answer', label: 'Answer', value: 'q5' }] }) });
    await fake.openHome('U0ALICE');
    const home = await fake.waitFor(() => fake.homeViews.get('U0ALICE'));
    await fake.click('U0ALICE', home, { actionId: 'answer' });
    const modal = await fake.waitFor(() => fake.lastOpenView('U0ALICE'));
    await fake.submitView('U0ALICE', modal, 'my answer');
    const dm = await fake.waitFor(() => fake.visibleTo('U0ALICE').find((m) => FakeSlack.render(m).includes('You answered')));
    expect(dm.channel).toBe(fake.appDm('U0ALICE').id);
    expect(events.at(-1)?.ctx.isDirect).toBe(true);
  });

  it('a command typed in a DM between two people is answered through response_url', async () => {
    const { fake, events } = await start();
    await fake.slash('U0ALICE', 'D0ALICEBOB', '/ask graphs');
    const q = await fake.waitFor(ephemeralTo(fake, 'U0ALICE', 'what is a mutex'));
    expect(q.kind).toBe('response');
    expect(q.responseType).toBe('ephemeral');
    expect(events[0]?.ctx.isDirect).toBe(true);
    expect(fake.visibleTo('U0BOB')).toEqual([]);
  });

  it('a handler failure becomes a polite private note, and the adapter keeps working', async () => {
    const { fake, logger } = await start();
    await fake.slash('U0ALICE', 'C0GENERAL', '/boom');
    await fake.waitFor(ephemeralTo(fake, 'U0ALICE', 'something went wrong'));
    expect(logger.lines.some((l) => l.level === 'error' && l.msg.includes('core exploded'))).toBe(true);
    await fake.slash('U0ALICE', 'C0GENERAL', '/streak');
    await fake.waitFor(ephemeralTo(fake, 'U0ALICE', 'Your streak'));
  });

  it('after a disconnect frame the client reconnects (new hello) and still serves commands', async () => {
    // The SDK waits clientPingTimeout before reconnecting; 2 s keeps the test short while staying far above
    // the event-loop stalls of a loaded machine (a late pong would drop the new socket too).
    const { fake } = await start({ commands: testCommands, clientPingTimeout: 2000 });
    fake.disconnectAll('refresh_requested');
    await fake.waitForHellos(2);
    expect(fake.callsTo('apps.connections.open')).toHaveLength(2);
    await fake.slash('U0ALICE', 'C0GENERAL', '/streak');
    await fake.waitFor(ephemeralTo(fake, 'U0ALICE', 'Your streak'));
  });

  it('post(): posts to a channel, joins a public channel when needed, and reports unavailable conversations', async () => {
    const { fake, adapter } = await start();
    fake.scopes.delete('chat:write.public');
    const ref = await adapter.post(`slack:${fake.team.id}:C0GENERAL`, { body: doc(p('Daily question')) });
    expect(ref.messageId).toBeTruthy();
    const joined = await adapter.post(`slack:${fake.team.id}:C0RANDOM`, { body: doc(p('Hello random')) });
    expect(fake.callsTo('conversations.join').map((c) => c.args.channel)).toEqual(['C0RANDOM']);
    expect(fake.visibleTo('U0BOB').map((m: SurfaceMessage) => m.ts)).toContain(joined.messageId);
    fake.channels.get('C0GENERAL')!.archived = true;
    await expect(adapter.post(`slack:${fake.team.id}:C0GENERAL`, { body: doc(p('x')) })).rejects.toBeInstanceOf(ConversationUnavailableError);
    await expect(adapter.post(`slack:${fake.team.id}:G0PRIVATE`, { body: doc(p('x')) })).rejects.toBeInstanceOf(ConversationUnavailableError);
    fake.channels.get('C0GENERAL')!.archived = false;
    await adapter.update!(ref, { body: doc(p('Daily question (closed)')) });
    const edited = fake.surfaces.find((m) => m.ts === ref.messageId)!;
    expect(FakeSlack.render(edited)).toContain('(closed)');
  });

  it('the web client waits out a 429 Retry-After and succeeds', async () => {
    const { fake, adapter } = await start();
    fake.rateLimitNext('chat.postMessage', 0);
    await adapter.post(`slack:${fake.team.id}:C0GENERAL`, { body: doc(p('after the rate limit')) });
    const calls = fake.callsTo('chat.postMessage');
    expect(calls.map((c) => c.response.ok)).toEqual([false, true]);
  });
});

describe('Slack adapter Socket Mode shutdown', () => {
  it('stop() while a reconnect is still waiting for hello resolves cleanly (no unhandled rejection)', async () => {
    const core = scriptedCore();
    // Short reconnect delay; a stall-triggered extra reconnect would not change what this test checks.
    rig = await startRig('socket', core.handler, { commands: testCommands, clientPingTimeout: 400 });
    const { fake, adapter } = rig;
    fake.holdHello = true;
    fake.disconnectAll('refresh_requested');
    await fake.waitFor(() => fake.connectsSeen >= 2);
    await adapter.stop();
    await fake.waitFor(() => fake.openSockets === 0);
  });
});
