import { afterEach, describe, expect, it } from 'vitest';
import { Client, Events, GatewayIntentBits, MessageFlags, type Interaction } from 'discord.js';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord/index.ts';

/** These prove the fake is good enough for the REAL discord.js client, independent of our adapter. */
let fake: FakeDiscord;
let client: Client | undefined;

afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await fake?.close();
});

async function login(intents: number[] = [GatewayIntentBits.Guilds]): Promise<Client> {
  const c = new Client({ intents, rest: { api: fake.restUrl } });
  client = c;
  const ready = new Promise<void>((resolve) => c.once(Events.ClientReady, () => resolve()));
  await c.login(fake.token);
  await ready;
  return c;
}

function nextInteraction(c: Client): Promise<Interaction> {
  return new Promise((resolve) => c.once(Events.InteractionCreate, resolve));
}

describe('fake Discord with the real discord.js client', () => {
  it('logs in: gateway/bot, HELLO, IDENTIFY, READY, GUILD_CREATE with channels and the bot member', async () => {
    fake = await startFakeDiscord();
    const c = await login();
    expect(c.user?.id).toBe(fake.botUser.id);
    expect(c.application?.id).toBe(fake.applicationId);
    const guild = c.guilds.cache.get(fake.guild.id);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.get(fake.channels.general.id)?.isTextBased()).toBe(true);
    expect(guild?.members.me?.id).toBe(fake.botUser.id);
    expect(fake.requests.some((r) => r.method === 'GET' && r.path === '/gateway/bot' && r.authorized)).toBe(true);
    const identify = fake.gatewayLog.find((f) => f.direction === 'in' && f.op === 2);
    expect(identify?.d.intents).toBe(GatewayIntentBits.Guilds);
  });

  it('acknowledges heartbeats (op 1 → op 11) so the client stays connected', async () => {
    // discord.js calls a connection a zombie when the next beat is due before the last ack was read, so a
    // 20 ms interval could fail on an event-loop stall over 20 ms; 250 ms keeps this under a second.
    fake = await startFakeDiscord({ heartbeatIntervalMs: 250 });
    const c = await login();
    let beats = 0;
    await new Promise<void>((resolve) =>
      fake.on('heartbeat', () => {
        if (++beats === 3) resolve();
      }),
    );
    const acks = fake.gatewayLog.filter((f) => f.direction === 'out' && f.op === 11).length;
    expect(acks).toBeGreaterThanOrEqual(3);
    expect(c.ws.status).toBe(0); // Status.Ready: no zombie-connection reconnects
    expect(fake.sessionCount).toBe(1);
  });

  it('rejects a wrong token with 401 so login fails', async () => {
    fake = await startFakeDiscord();
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.restUrl } });
    await expect(client.login('not-the-token')).rejects.toThrow();
  });

  it('closes with 4014 on privileged intents the app was not granted', async () => {
    fake = await startFakeDiscord();
    client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.MessageContent], rest: { api: fake.restUrl } });
    await expect(client.login(fake.token)).rejects.toThrow(/intent/i);
  });

  it('delivers a slash command the client can reply to; the reply is recorded as ephemeral', async () => {
    fake = await startFakeDiscord();
    const c = await login();
    await c.application!.commands.set([{ name: 'ping', description: 'Ping' }], fake.guild.id);
    const got = nextInteraction(c);
    const sent = await fake.slash('ping', {}, { user: fake.users.bob });
    const interaction = await got;
    expect(interaction.isChatInputCommand()).toBe(true);
    if (!interaction.isChatInputCommand()) return;
    expect(interaction.user.id).toBe(fake.users.bob.id);
    expect(interaction.channel?.id).toBe(fake.channels.general.id);
    expect(interaction.guildId).toBe(fake.guild.id);
    await interaction.reply({ content: 'pong', flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    expect(fake.interactions.get(sent.id)?.responseType).toBe(4);
    expect(fake.messagesVisibleTo(fake.users.bob).map((m) => m.content)).toEqual(['pong']);
    expect(fake.messagesVisibleTo(fake.users.alice)).toEqual([]);
    const cb = fake.requests.find((r) => r.path === `/interactions/${sent.id}/${sent.token}/callback`);
    expect(cb?.authorized).toBe(false);
    expect(cb?.body.data.allowed_mentions).toEqual({ parse: [] });
  });

  it('answers a second callback with 40060 and an expired one with 10062', async () => {
    fake = await startFakeDiscord();
    const c = await login();
    await c.application!.commands.set([{ name: 'ping', description: 'Ping' }]);

    let got = nextInteraction(c);
    const late = await fake.slash('ping');
    let i = await got;
    fake.expire(late.id);
    if (!i.isChatInputCommand()) throw new Error('expected a command');
    await expect(i.reply('pong')).rejects.toMatchObject({ code: 10062, status: 404 });

    got = nextInteraction(c);
    const twice = await fake.slash('ping');
    i = await got;
    if (!i.isChatInputCommand()) throw new Error('expected a command');
    await i.reply('pong');
    // A second process answering the same interaction: raw REST, since discord.js guards its own object.
    await expect(
      c.rest.post(`/interactions/${twice.id}/${twice.token}/callback`, { body: { type: 4, data: { content: 'again' } }, auth: false }),
    ).rejects.toMatchObject({ code: 40060 });
  });

  it('moves time with its clock: a callback after 3 s is too late', async () => {
    fake = await startFakeDiscord();
    const c = await login();
    await c.application!.commands.set([{ name: 'ping', description: 'Ping' }]);
    const got = nextInteraction(c);
    await fake.slash('ping');
    const i = await got;
    fake.clock.advance(3001);
    if (!i.isChatInputCommand()) throw new Error('expected a command');
    await expect(i.deferReply()).rejects.toMatchObject({ code: 10062 });
  });

  it('defer then editReply and followUp go through the interaction webhook', async () => {
    fake = await startFakeDiscord();
    const c = await login();
    await c.application!.commands.set([{ name: 'ping', description: 'Ping' }]);
    const got = nextInteraction(c);
    const sent = await fake.slash('ping');
    const i = await got;
    if (!i.isChatInputCommand()) throw new Error('expected a command');
    await i.deferReply({ flags: MessageFlags.Ephemeral });
    expect(fake.messagesVisibleTo(fake.users.alice, { includeLoading: true })[0]?.loading).toBe(true);
    await i.editReply({ content: 'first' });
    await i.followUp({ content: 'second', flags: MessageFlags.Ephemeral });
    await i.followUp({ content: 'for everyone' });
    expect(fake.messagesVisibleTo(fake.users.alice).map((m) => m.content)).toEqual(['first', 'second', 'for everyone']);
    expect(fake.messagesVisibleTo(fake.users.bob).map((m) => m.content)).toEqual(['for everyone']);
    expect(fake.requests.some((r) => r.method === 'PATCH' && r.path === `/webhooks/${fake.applicationId}/${sent.token}/messages/@original`)).toBe(true);
  });

  it('rejects a 2001-character message with 50035', async () => {
    fake = await startFakeDiscord();
    const c = await login();
    const channel = await c.channels.fetch(fake.channels.general.id);
    if (!channel?.isSendable()) throw new Error('expected a text channel');
    await expect(channel.send('x'.repeat(2001))).rejects.toMatchObject({ code: 50035 });
    await channel.send('x'.repeat(2000));
    expect(fake.publicMessages().length).toBe(1);
  });

  it('button → modal → modal submit round trip with text input values', async () => {
    fake = await startFakeDiscord();
    const c = await login();
    const channel = await c.channels.fetch(fake.channels.general.id);
    if (!channel?.isSendable()) throw new Error('expected a text channel');
    const msg = await channel.send({
      content: 'Q?',
      components: [{ type: 1, components: [{ type: 2, style: 1, custom_id: 'answer:1', label: 'Answer' }] }],
    });
    let got = nextInteraction(c);
    await fake.click('answer:1', msg.id, { user: fake.users.bob });
    const click = await got;
    if (!click.isButton()) throw new Error('expected a button');
    expect(click.message.id).toBe(msg.id);
    await click.showModal({
      custom_id: 'form:1',
      title: 'Answer',
      components: [{ type: 18, label: 'Your answer', component: { type: 4, custom_id: 'text', style: 2 } }],
    });
    got = nextInteraction(c);
    await fake.submitModal('form:1', { text: 'my answer' }, { user: fake.users.bob });
    const submit = await got;
    if (!submit.isModalSubmit()) throw new Error('expected a modal submit');
    expect(submit.fields.getTextInputValue('text')).toBe('my answer');
    expect(submit.message?.id).toBe(msg.id);
    await submit.reply({ content: 'thanks', flags: MessageFlags.Ephemeral });
    expect(fake.messagesVisibleTo(fake.users.bob).map((m) => m.content)).toEqual(['Q?', 'thanks']);
  });

  it('refuses a modal as the answer to a modal submit (400 50035)', async () => {
    fake = await startFakeDiscord();
    const c = await login();
    await c.application!.commands.set([{ name: 'ping', description: 'Ping' }]);
    let got = nextInteraction(c);
    await fake.slash('ping');
    const cmd = await got;
    if (!cmd.isChatInputCommand()) throw new Error('expected a command');
    const modal = { custom_id: 'm', title: 'T', components: [{ type: 1, components: [{ type: 4, custom_id: 't', style: 2, label: 'L' }] }] };
    await cmd.showModal(modal);
    got = nextInteraction(c);
    await fake.submitModal('m', { t: 'x' });
    const submit = await got;
    if (!submit.isModalSubmit()) throw new Error('expected a modal submit');
    // discord.js has no showModal on a modal submit; a buggy bot could still send the raw callback.
    await expect(
      c.rest.post(`/interactions/${submit.id}/${submit.token}/callback`, { body: { type: 9, data: modal }, auth: false }),
    ).rejects.toMatchObject({ code: 50035 });
  });

  it('DM interactions carry user (not member) and a DM channel id', async () => {
    fake = await startFakeDiscord();
    const c = await login();
    await c.application!.commands.set([{ name: 'ping', description: 'Ping' }]);
    const got = nextInteraction(c);
    await fake.slash('ping', {}, { user: fake.users.bob, dm: true });
    const i = await got;
    expect(i.inGuild()).toBe(false);
    expect(i.user.id).toBe(fake.users.bob.id);
    expect(i.channelId).toBe(fake.world.dmChannelFor(fake.users.bob.id).id);
  });

  it('op 7 RECONNECT: the client resumes on resume_gateway_url and gets missed and replayed dispatches', async () => {
    fake = await startFakeDiscord();
    const c = await login();
    await c.application!.commands.set([{ name: 'ping', description: 'Ping' }]);
    const seen: string[] = [];
    let arrived: () => void = () => {};
    c.on(Events.InteractionCreate, (i) => {
      seen.push(i.id);
      arrived();
    });
    const firstArrived = new Promise<void>((resolve) => (arrived = resolve));
    const first = await fake.slash('ping');
    await firstArrived;
    const secondArrived = new Promise<void>((resolve) => (arrived = resolve));
    fake.replayOnNextResume(1);
    const resumed = new Promise<void>((resolve) => c.once(Events.ShardResume, () => resolve()));
    fake.requestReconnect();
    await resumed;
    expect(fake.sessionCount).toBe(1);
    await secondArrived;
    // The replay re-delivered the interaction the client already had.
    expect(seen).toEqual([first.id, first.id]);
  });

  it('records what would ping: no allowed_mentions parses @everyone; parse [] does not', async () => {
    fake = await startFakeDiscord();
    const c = await login();
    const channel = await c.channels.fetch(fake.channels.general.id);
    if (!channel?.isSendable()) throw new Error('expected a text channel');
    await channel.send({ content: 'hi @everyone' });
    await channel.send({ content: 'hi @everyone', allowedMentions: { parse: [] } });
    const [a, b] = fake.publicMessages();
    expect(a?.pings.everyone).toBe(true);
    expect(b?.pings.everyone).toBe(false);
  });

  it('a channel the bot cannot see answers 403 50001 and an unknown one 404 10003', async () => {
    fake = await startFakeDiscord();
    const c = await login();
    await expect(c.channels.fetch(fake.channels.secret.id, { force: true })).rejects.toMatchObject({ code: 50001 });
    await expect(c.channels.fetch('123456789012345678')).rejects.toMatchObject({ code: 10003 });
  });

  it('starts a thread from a message; the thread id is the message id', async () => {
    fake = await startFakeDiscord();
    const c = await login();
    const channel = await c.channels.fetch(fake.channels.general.id);
    if (!channel?.isSendable()) throw new Error('expected a text channel');
    const msg = await channel.send('daily question');
    const thread = await msg.startThread({ name: 'Daily: discuss' });
    expect(thread.id).toBe(msg.id);
    await thread.send({ content: 'in thread', allowedMentions: { parse: [] } });
    expect(fake.publicMessages(thread.id).map((m) => m.content)).toEqual(['in thread']);
  });

  it('enforce_nonce: the same nonce within the window returns the first message; a nonce over 25 chars is 400', async () => {
    fake = await startFakeDiscord();
    const c = await login();
    const channel = await c.channels.fetch(fake.channels.general.id);
    if (!channel?.isSendable()) throw new Error('expected a text channel');
    const first = await channel.send({ content: 'daily', nonce: 'daily-2026-03-02', enforceNonce: true });
    const again = await channel.send({ content: 'daily', nonce: 'daily-2026-03-02', enforceNonce: true });
    expect(again.id).toBe(first.id);
    // Without enforce_nonce, or after the window, it is a new message.
    expect((await channel.send({ content: 'daily', nonce: 'daily-2026-03-02' })).id).not.toBe(first.id);
    fake.clock.advance(6 * 60_000);
    expect((await channel.send({ content: 'daily', nonce: 'daily-2026-03-02', enforceNonce: true })).id).not.toBe(first.id);
    await expect(channel.send({ content: 'x', nonce: 'n'.repeat(26), enforceNonce: true })).rejects.toMatchObject({ status: 400 });
    expect(fake.publicMessages(fake.channels.general.id)).toHaveLength(3);
  });

  it('a 500 after handling: the request took effect, and discord.js sends it again', async () => {
    fake = await startFakeDiscord();
    const c = await login();
    const channel = await c.channels.fetch(fake.channels.general.id);
    if (!channel?.isSendable()) throw new Error('expected a text channel');
    fake.failRequests((method, path) => method === 'POST' && path.endsWith('/messages'), 500, undefined, { afterHandling: true });
    await channel.send({ content: 'hello', enforceNonce: false });
    expect(fake.publicMessages(fake.channels.general.id).map((m) => m.content)).toEqual(['hello', 'hello']);
    expect(fake.pendingFailures).toBe(0);
  });

  it('a held request can be dropped: it never takes effect', async () => {
    fake = await startFakeDiscord();
    const c = await login();
    const channel = await c.channels.fetch(fake.channels.general.id);
    if (!channel?.isSendable()) throw new Error('expected a text channel');
    const hold = fake.holdRequests((method, path) => method === 'POST' && path.endsWith('/messages'));
    const sent = channel.send('lost').catch(() => 'failed');
    await hold.arrived;
    hold.drop();
    // The connection is cut unanswered: discord.js gives up (the scheduler's own retry takes over there).
    expect(await sent).toBe('failed');
    expect(fake.publicMessages(fake.channels.general.id)).toEqual([]);
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'))).toHaveLength(0);
  });

  it('closeGateway(4000): the client resumes the same session', async () => {
    fake = await startFakeDiscord();
    await login();
    const resumed = new Promise<void>((resolve) => fake.once('resumed', () => resolve()));
    fake.closeGateway(4000);
    await resumed;
    expect(fake.sessionCount).toBe(1);
    expect(fake.gatewayLog.filter((f) => f.direction === 'in' && f.op === 6)).toHaveLength(1);
  });
});
