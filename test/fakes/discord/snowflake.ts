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
}
