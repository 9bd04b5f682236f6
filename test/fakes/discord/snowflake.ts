/** Discord epoch (2015-01-01): discord.js derives createdTimestamp from snowflakes. */
const DISCORD_EPOCH = 1420070400000n;

/** Monotonic snowflakes from the fake's clock, so ids sort by creation like real ones. */
export class SnowflakeSource {
  private increment = 0n;
  private last = 0n;

  constructor(private readonly nowMs: () => number) {}

  next(): string {
    const ms = BigInt(this.nowMs()) - DISCORD_EPOCH;
    let id = (ms << 22n) | (1n << 17n) | (this.increment++ & 0xfffn);
    // A manual clock that stands still must still give strictly increasing ids.
    if (id <= this.last) id = this.last + 1n;
    this.last = id;
    return id.toString();
  }

  /**
   * The next id whose guild would be on gateway shard `shard` of `count` ((id >> 22) % count, Discord's
   * routing): the timestamp part moves up to count - 1 ms ahead of the clock, so ids still increase.
   */
  nextOnShard(shard: number, count: number): string {
    let ms = BigInt(this.nowMs()) - DISCORD_EPOCH;
    if (ms < this.last >> 22n) ms = this.last >> 22n;
    const c = BigInt(count);
    while (ms % c !== BigInt(shard)) ms++;
    let id = (ms << 22n) | (1n << 17n) | (this.increment++ & 0xfffn);
    // Same millisecond as the last id: one more keeps the timestamp part, hence the shard.
    if (id <= this.last) id = this.last + 1n;
    this.last = id;
    return id.toString();
  }
}

/** The shard Discord routes a guild's events to: (guild_id >> 22) % shard_count. */
export function shardOfGuild(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}
