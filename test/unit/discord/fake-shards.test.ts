import { afterEach, describe, expect, it } from 'vitest';
import { Client, Events, GatewayIntentBits, type Interaction } from 'discord.js';
import { shardOfGuild, startFakeDiscord, type FakeDiscord } from '../../fakes/discord/index.ts';

/** The Discord fake shards like Discord: IDENTIFY [id, count], each guild's events on (guild_id >> 22) % count. */
let fake: FakeDiscord | undefined;
const clients: Client[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) await c.destroy();
  await fake?.close();
  fake = undefined;
});

async function login(f: FakeDiscord, sharding: { shards: number[] | 'auto'; shardCount?: number }): Promise<Client> {
  const c = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: f.restUrl }, ...sharding });
  clients.push(c);
  const ready = new Promise<void>((resolve) => c.once(Events.ClientReady, () => resolve()));
  await c.login(f.token);
  await ready;
  return c;
}

/** Every interaction a client receives, with the shard discord.js says it came on. */
function received(c: Client): { id: string; shard: number }[] {
  const got: { id: string; shard: number }[] = [];
  c.on(Events.InteractionCreate, (i: Interaction) => {
    got.push({ id: i.id, shard: i.guild?.shardId ?? 0 });
    if (i.isChatInputCommand()) void i.reply({ content: `pong from ${c.ws.shards.map((s) => s.id).join(',')}` });
  });
  return got;
}

describe('fake Discord: sharding', () => {
  it('computes the shard from the snowflake as Discord documents ((id >> 22) % count)', () => {
    // 2^22 is the first id with timestamp part 1.
    expect(shardOfGuild('4194303', 2)).toBe(0);
    expect(shardOfGuild('4194304', 2)).toBe(1);
    expect(shardOfGuild('8388608', 2)).toBe(0);
    expect(shardOfGuild('12582912', 3)).toBe(0);
    expect(shardOfGuild('175928847299117063', 1)).toBe(0);
  });

  it('makes guilds on the shard asked for', async () => {
    fake = await startFakeDiscord();
    for (const [shard, count] of [[0, 2], [1, 2], [2, 3], [1, 3], [0, 1]] as [number, number][]) {
      const { guild } = fake.addGuildOnShard(`g${shard}/${count}`, [shard, count]);
      expect(shardOfGuild(guild.id, count)).toBe(shard);
    }
    expect(() => fake!.addGuildOnShard('nope', [2, 2])).toThrow(/no shard 2 of 2/);
  });

  it('two clients holding one shard each: READY lists only their guilds, each guild\'s command reaches its shard\'s client once', async () => {
    fake = await startFakeDiscord();
    const f = fake;
    const a0 = f.addGuildOnShard('A0', [0, 2], [f.users.alice]);
    const b1 = f.addGuildOnShard('B1', [1, 2], [f.users.alice]);
    const c1 = f.addGuildOnShard('C1', [1, 2], [f.users.bob]);
    const zero = await login(f, { shards: [0], shardCount: 2 });
    const one = await login(f, { shards: [1], shardCount: 2 });
    await zero.application!.commands.set([{ name: 'ping', description: 'Ping' }]);
    const onZero = received(zero);
    const onOne = received(one);

    const expectedOn = (guildId: string) => shardOfGuild(guildId, 2);
    for (const g of [f.guild, a0.guild, b1.guild, c1.guild]) {
      expect(zero.guilds.cache.has(g.id)).toBe(expectedOn(g.id) === 0);
      expect(one.guilds.cache.has(g.id)).toBe(expectedOn(g.id) === 1);
    }
    const identifies = f.gatewaySessions;
    expect(identifies.map((s) => s.shard).sort()).toEqual([[0, 2], [1, 2]]);
    const ready = f.gatewayLog.filter((x) => x.direction === 'out' && x.t === 'READY').map((x) => x.d.shard);
    expect(ready.sort()).toEqual([[0, 2], [1, 2]]);

    const sent = [
      await f.slash('ping', {}, { user: f.users.alice, channel: a0.general }),
      await f.slash('ping', {}, { user: f.users.alice, channel: b1.general }),
      await f.slash('ping', {}, { user: f.users.bob, channel: c1.general }),
    ];
    await Promise.all(sent.map((i) => f.waitForResponse(i.id)));
    expect(onZero.map((x) => x.id)).toEqual([sent[0]!.id]);
    expect(onOne.map((x) => x.id)).toEqual([sent[1]!.id, sent[2]!.id]);
    expect(onOne.map((x) => x.shard)).toEqual([1, 1]);
    expect(sent.map((i) => i.deliveredTo.map((s) => s.shard))).toEqual([[[0, 2]], [[1, 2]], [[1, 2]]]);
    expect(sent.map((i) => i.callbackAttempts)).toEqual([[4], [4], [4]]);
    expect(f.messages.find((m) => m.interactionId === sent[1]!.id)?.content).toBe('pong from 1');

    // DMs go to shard 0.
    const dm = await f.slash('ping', {}, { user: f.users.bob, dm: true });
    await f.waitForResponse(dm.id);
    expect(dm.deliveredTo.map((s) => s.shard)).toEqual([[0, 2]]);
    expect(onOne.map((x) => x.id)).not.toContain(dm.id);
  });

  it('shards: auto opens the count GET /gateway/bot recommends, in one client', async () => {
    fake = await startFakeDiscord({ recommendedShards: 3, maxConcurrency: 3 });
    const f = fake;
    const onTwo = f.addGuildOnShard('T2', [2, 3], [f.users.alice]);
    const c = await login(f, { shards: 'auto' });
    expect([...c.ws.shards.keys()].sort()).toEqual([0, 1, 2]);
    expect(f.gatewaySessions.map((s) => s.shard).sort()).toEqual([[0, 3], [1, 3], [2, 3]]);
    expect(c.guilds.cache.get(onTwo.guild.id)?.shardId).toBe(2);
    await c.application!.commands.set([{ name: 'ping', description: 'Ping' }]);
    received(c);
    const i = await f.slash('ping', {}, { user: f.users.alice, channel: onTwo.general });
    await f.waitForResponse(i.id);
    expect(i.deliveredTo.map((s) => s.shard)).toEqual([[2, 3]]);
  });

  it('refuses an IDENTIFY with a shard outside its count (4010), so login fails', async () => {
    fake = await startFakeDiscord();
    const c = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.restUrl }, shards: [2], shardCount: 2 });
    clients.push(c);
    // discord.js checks this itself before connecting, so drive a raw IDENTIFY to see the fake's answer.
    await expect(c.login(fake.token)).rejects.toThrow();
    const { WebSocket } = await import('ws');
    const ws = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json`);
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('message', (raw) => {
      if (JSON.parse(String(raw)).op === 10) {
        ws.send(JSON.stringify({ op: 2, d: { token: fake!.token, intents: 1, properties: {}, shard: [2, 2] } }));
      }
    });
    expect(await closed).toBe(4010);
  });

  it('a command in a guild no session holds is a test error, not a silent drop', async () => {
    fake = await startFakeDiscord();
    const f = fake;
    const one = f.addGuildOnShard('B1', [1, 2], [f.users.alice]);
    const zero = await login(f, { shards: [0], shardCount: 2 });
    await zero.application!.commands.set([{ name: 'ping', description: 'Ping' }]);
    await expect(f.slash('ping', {}, { user: f.users.alice, channel: one.general })).rejects.toThrow(/no gateway session holds guild/);
  });
});
