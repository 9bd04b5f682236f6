/**
 * Discord sharding with two real bot processes (docs/sharding.md): one holds shard 0 of 2, the other
 * shard 1 (DISCORD_SHARD_IDS / DISCORD_SHARD_COUNT), over one shared database, against the Discord
 * fake, which routes each guild's events to (guild_id >> 22) % 2 like Discord.
 *
 * - Slash commands in guilds on both shards are each delivered to one session only, the one of the
 *   process holding the guild's shard, and answered once.
 * - Daily questions: the process holding shard 0 starts first and posts both channels' Monday
 *   questions, one of them in a guild on shard 1 it does not hold (channel fetched without its
 *   guild in cache). The second process then runs its own catch-up over the same schedules and
 *   posts nothing again. The next day both start at once and race for the claims: again one
 *   question per channel.
 * - Answers to the daily questions, each handled by the process holding that guild, count once.
 *
 * The bots' clocks start at fixed instants (PREPBOT_NOW); nothing sleeps.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { registerDiscordCommands } from '../../../src/adapters/discord/index.ts';
import { allCommandSpecs } from '../../../src/commands.ts';
import { shardOfGuild, startFakeDiscord, type FakeChannel, type FakeGuild, type FakeMessage, type FakeUser } from '../../fakes/discord/index.ts';
import { processRig, type Child } from '../process-rig.ts';
import { firstRow, sharedDatabases, type SharedDatabase } from '../shared-database.ts';

const BOOT_TIMEOUT_MS = 60_000;
// Monday 2 March 2026. The schedules are for 09:30 Asia/Kolkata = 04:00 UTC.
const SET_AT = '2026-03-02T03:00:00Z';
const DUE_AT = '2026-03-02T04:01:00Z';
const NEXT_DUE_AT = '2026-03-03T04:01:00Z';

const rig = processRig();
afterEach(() => rig.cleanup());

const read = (m: FakeMessage) => m.content.replace(/\\([^0-9A-Za-z\s])/g, '$1');

async function scenario(db: SharedDatabase) {
  const f = await startFakeDiscord();
  rig.defer(() => f.close());
  const { alice, bob } = f.users;
  // Two guilds on each shard, beside the default guild (on whichever shard its id gives).
  const guilds: { guild: FakeGuild; general: FakeChannel }[] = [
    { guild: f.guild, general: f.channels.general },
    f.addGuildOnShard('Zero A', [0, 2], [alice, bob]),
    f.addGuildOnShard('Zero B', [0, 2], [alice, bob]),
    f.addGuildOnShard('One A', [1, 2], [alice, bob]),
    f.addGuildOnShard('One B', [1, 2], [alice, bob]),
  ];
  const zeroB = guilds[2]!;
  const oneA = guilds[3]!;
  await registerDiscordCommands({ token: f.token, applicationId: f.applicationId, commands: allCommandSpecs(), restApi: f.restUrl });

  const boot = async (shard: number, now: string): Promise<Child> => {
    const c = await rig.bootBot(f, { ...db.env, PREPBOT_NOW: now, DISCORD_SHARD_IDS: String(shard), DISCORD_SHARD_COUNT: '2' });
    // discord.js got the shard from the environment: its client reports it once connected.
    expect(c.stderr()).toMatch(new RegExp(`"shards":\\[${shard}\\],"shardCount":2`));
    return c;
  };
  const answered = (i: { id: string }) => f.waitUntil(() => f.messages.find((m) => m.interactionId === i.id && !m.loading));
  /** The one gateway session an interaction went to, which must be the guild's shard's. */
  const expectDeliveredToShardOf = (i: { deliveredTo: { shard: [number, number] }[]; callbackAttempts: number[] }, guildId: string) => {
    expect(i.deliveredTo.map((s) => s.shard)).toEqual([[shardOfGuild(guildId, 2), 2]]);
    // One callback: a second process answering the same interaction would add one (and get 40060).
    expect(i.callbackAttempts).toHaveLength(1);
  };

  // 08:30 Kolkata: both processes up, each IDENTIFYing its own shard.
  const [zero, one] = await Promise.all([boot(0, SET_AT), boot(1, SET_AT)]);
  expect(f.gatewaySessions.map((s) => s.shard).sort()).toEqual([[0, 2], [1, 2]]);

  // /streak in every guild, by two people: each answered once, by the process holding the guild.
  for (const { guild, general } of guilds) {
    for (const user of [alice, bob]) {
      if (!f.world.member(guild.id, user.id)) continue;
      const i = await f.slash('streak', {}, { user, channel: general });
      await answered(i);
      expectDeliveredToShardOf(i, guild.id);
    }
  }
  expect(guilds.map((g) => shardOfGuild(g.guild.id, 2)).filter((s) => s === 1).length).toBeGreaterThanOrEqual(2);

  // The guild owner schedules a daily question in a guild on each shard.
  for (const { guild, general } of [zeroB, oneA]) {
    const set = await f.slash('schedule set', { time: '09:30', timezone: 'Asia/Kolkata', days: 'mon-fri' }, { user: f.users.owner, channel: general });
    await f.waitUntil(() => f.messages.find((m) => m.interactionId === set.id && !m.loading && /09:30/.test(read(m))));
    expectDeliveredToShardOf(set, guild.id);
  }
  await Promise.all([zero.stop(), one.stop()]);

  // 09:31 Kolkata: the shard-0 process starts first and posts both questions, One A's too (shard 1).
  const dailies = (channel: FakeChannel) => f.publicMessages(channel.id).filter((m) => m.via === 'channel' && /Daily question(?! summary)/.test(read(m)));
  // The day's summary (the reveal) has its own claim.
  const summaryDates = (channel: FakeChannel) =>
    f.publicMessages(channel.id).flatMap((m) => /Daily question summary\W+(\d{4}-\d\d-\d\d)/.exec(read(m))?.[1] ?? []);
  const zero2 = await boot(0, DUE_AT);
  // A post that fails ends the wait at once with the process's log, instead of at the test timeout.
  const failing = zero2
    .waitForLog(/schedule paused|daily post failed|could not start a thread/)
    .then(() => Promise.reject(new Error(`the shard-0 process could not post:\n${zero2.stderr()}`)), () => new Promise<never>(() => {}));
  await Promise.race([
    f.waitUntil(() => dailies(oneA.general)[0]?.threadId && dailies(zeroB.general)[0]?.threadId),
    failing,
  ]);
  // Then the shard-1 process, whose start runs the same catch-up over the same schedules.
  const one2 = await boot(1, DUE_AT);

  // Alice answers in One A (shard 1), Bob in Zero B (shard 0): each handled by the guild's process.
  const answerDaily = async (user: FakeUser, where: { guild: FakeGuild; general: FakeChannel }) => {
    const daily = dailies(where.general)[0]!;
    const button = f.buttonsOn(daily).find((b) => /answer/i.test(b.label ?? ''))!;
    const click = await f.click(button.custom_id, daily, { user });
    await f.waitForResponse(click.id);
    expectDeliveredToShardOf(click, where.guild.id);
    const form = f.modalsShownTo(user).at(-1).custom_id as string;
    const submitted = await f.submitModal(form, { answer: 'A mutex lets one goroutine at a time into the critical section.' }, { user });
    await f.waitUntil(() => f.messages.find((m) => m.interactionId === submitted.id && /Reference answer/.test(read(m))));
    expectDeliveredToShardOf(submitted, where.guild.id);
  };
  await answerDaily(alice, oneA);
  await answerDaily(bob, zeroB);

  // A stop waits for a running scheduler tick, so after both stops every catch-up has finished.
  await Promise.all([zero2.stop(), one2.stop()]);
  expect(dailies(zeroB.general)).toHaveLength(1);
  expect(dailies(oneA.general)).toHaveLength(1);

  // Tuesday 09:31 Kolkata: both processes start at once and race for both days' claims.
  const [zero3, one3] = await Promise.all([boot(0, NEXT_DUE_AT), boot(1, NEXT_DUE_AT)]);
  await f.waitUntil(() => dailies(zeroB.general).length >= 2 && dailies(oneA.general).length >= 2);
  await Promise.all([zero3.stop(), one3.stop()]);
  expect(dailies(zeroB.general)).toHaveLength(2);
  expect(dailies(oneA.general)).toHaveLength(2);
  // Monday's summary was due by Tuesday's start, where both raced for it.
  for (const { general } of [zeroB, oneA]) expect(summaryDates(general)).toEqual(['2026-03-02']);

  for (const c of [zero2, one2, zero3, one3]) expect(c.stderr()).not.toMatch(/already been acknowledged|could not start a thread|schedule paused/);
  expect(await firstRow<{ n: number }>(db, "SELECT COUNT(*) AS n FROM schedule_posts WHERE status = 'sent' AND thread_id IS NOT NULL")).toEqual({ n: 4 });
  expect(await firstRow<{ n: number }>(db, "SELECT COUNT(*) AS n FROM attempts WHERE answered_at IS NOT NULL AND source = 'daily'")).toEqual({ n: 2 });
  expect(await firstRow<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM activity_days')).toEqual({ n: 2 });
}

describe('Discord sharding: two bot processes, one shard each, one database', { timeout: 6 * BOOT_TIMEOUT_MS }, () => {
  for (const row of sharedDatabases()) {
    const title = `each guild's commands are answered once by its shard's process; each daily question is posted once and each answer counted once, on ${row.label}`;
    it(title, async () => {
      await scenario(await rig.database(row, 'prepbot-discord-shards-'));
    });
  }
});
