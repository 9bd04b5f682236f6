/**
 * `npm run bench:memory`: resident memory of the real bot process (`src/main.ts` through tsx,
 * exactly what `npm start` runs) with both the Discord adapter (real discord.js) and the Slack
 * adapter (real Bolt, Socket Mode) connected to the in-repo fakes, which run in this process.
 *
 * Measures the child's RSS (/proc/PID/status VmRSS) idle after start, then drives
 * BENCH_INTERACTIONS (10,000) interactions, half on each platform (/ask, /streak, /leaderboard,
 * /stats, /help in turn, BENCH_CONCURRENCY (8) in flight per platform, each waited for until the
 * bot's answer reached the fake), lets it settle and measures again.
 * Goals: idle < 150 MB; growth ≤ 10 % of idle.
 *
 * Linux only (reads /proc). Not a test: no assertions.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { registerDiscordCommands } from '../src/adapters/discord/index.ts';
import { allCommandSpecs } from '../src/commands.ts';
import { startFakeDiscord } from '../test/fakes/discord/index.ts';
import { startFakeSlack } from '../test/fakes/slack/index.ts';
import { resultLine } from './result.ts';

const INTERACTIONS = Number(process.env.BENCH_INTERACTIONS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 5000);
const root = fileURLToPath(new URL('..', import.meta.url));

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
  return kb / 1024;
}

/** RSS drifts for a while after activity (lazy frees, GC); the minimum over a window is the settled figure. */
async function settledRss(pid: number, ms: number): Promise<number> {
  let min = Infinity;
  for (let t = 0; t < ms; t += 250) {
    min = Math.min(min, rssMb(pid));
    await sleep(250);
  }
  return min;
}

async function waitForSnapshot(dir: string): Promise<string> {
  for (;;) {
    const f = readdirSync(dir).find((n) => n.endsWith('.heapsnapshot'));
    // The file is complete once its size stops changing.
    if (f) {
      const path = join(dir, f);
      const a = statSync(path).size;
      await sleep(1000);
      if (statSync(path).size === a && a > 0) return path;
    } else await sleep(250);
  }
}

/** Self size by constructor name, the 12 biggest, from a V8 heap snapshot. */
function summariseSnapshot(path: string): void {
  const snap = JSON.parse(readFileSync(path, 'utf8')) as { snapshot: { meta: { node_fields: string[]; node_types: unknown[][] } }; nodes: number[]; strings: string[] };
  const fields = snap.snapshot.meta.node_fields;
  const width = fields.length;
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const typeAt = fields.indexOf('type');
  const types = snap.snapshot.meta.node_types[0] as string[];
  const by = new Map<string, { size: number; count: number }>();
  let total = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]!]!;
    const name = type === 'object' || type === 'closure' ? snap.strings[snap.nodes[i + nameAt]!]! : `(${type})`;
    const size = snap.nodes[i + sizeAt]!;
    total += size;
    const e = by.get(name) ?? { size: 0, count: 0 };
    e.size += size;
    e.count++;
    by.set(name, e);
  }
  console.log(`heap snapshot: ${(total / 1048576).toFixed(1)} MB live`);
  for (const [name, e] of [...by.entries()].sort((a, b) => b[1].size - a[1].size).slice(0, 12)) {
    console.log(`  ${(e.size / 1048576).toFixed(1).padStart(6)} MB  ${String(e.count).padStart(8)}  ${name.slice(0, 60)}`);
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'prepbot-bench-mem-'));
  const discord = await startFakeDiscord();
  const slack = await startFakeSlack();
  await registerDiscordCommands({
    token: discord.token,
    applicationId: discord.applicationId,
    guildId: discord.guild.id,
    commands: allCommandSpecs(),
    restApi: discord.restUrl,
  });
  // BENCH_HEAP_SNAPSHOT=1: the child writes a heap snapshot on SIGUSR2 (after a full GC), to see what the
  // retained memory is; the summary of the biggest constructors is printed.
  const snapshot = process.env.BENCH_HEAP_SNAPSHOT === '1';
  const child = spawn(process.execPath, [...(snapshot ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${work}`] : []), '--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      // Allocator and V8 tuning to compare (docs/benchmarks.md): passed through when set.
      ...(process.env.MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX } : {}),
      ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
      HOME: process.env.HOME ?? work,
      PREPBOT_ADAPTERS: 'discord,slack',
      PREPBOT_DB: join(work, 'prepbot.db'),
      PREPBOT_LOG_LEVEL: 'warn',
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_BASE: discord.restUrl,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_APP_TOKEN: slack.appToken,
      SLACK_API_URL: slack.apiUrl,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const pid = child.pid!;
    // Connected = both platforms answer a command.
    const t0 = performance.now();
    await slack.waitForHellos(1);
    const ready = async () => {
      for (;;) {
        try {
          const i = await discord.slash('help', {}, { user: discord.users.alice });
          await discord.waitForResponse(i.id);
          return;
        } catch {
          await sleep(100); // no gateway session yet
        }
      }
    };
    await ready();
    const before = slack.surfaces.length;
    await slack.slash('U0ALICE', 'C0GENERAL', '/help');
    await slack.waitFor(() => slack.surfaces.length > before);
    console.log(`both adapters answering after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const idle = await settledRss(pid, SETTLE_MS);
    console.log(`idle RSS ${idle.toFixed(1)} MB`);

    const lines = ['ask', 'streak', 'leaderboard', 'stats', 'help'];
    const users = [discord.users.alice, discord.users.bob, discord.users.mallory];
    const slackUsers = ['U0ALICE', 'U0BOB', 'U0ADMIN'];
    const perPlatform = Math.floor(INTERACTIONS / 2);
    // BENCH_LOAD_ROUNDS > 1 repeats the load: RSS that levels off across rounds is retained, not leaked.
    const loadRounds = Math.max(1, Number(process.env.BENCH_LOAD_ROUNDS ?? 1));
    let after = 0;
    let after1 = 0;
    for (let round = 1; round <= loadRounds; round++) {
      let next = 0;
      const tLoad = performance.now();
      const discordWorker = async () => {
        for (let n = next++; n < perPlatform; n = next++) {
          const i = await discord.slash(lines[n % lines.length]!, {}, { user: users[n % users.length]! });
          await discord.waitForResponse(i.id);
        }
      };
      let slackNext = 0;
      const slackWorker = async () => {
        for (let n = slackNext++; n < perPlatform; n = slackNext++) {
          const user = slackUsers[n % slackUsers.length]!;
          const seen = slack.visibleTo(user).length;
          await slack.slash(user, 'C0GENERAL', `/${lines[n % lines.length]}`);
          // The ack comes first; wait for the answer itself so the bot really did the work.
          await slack.waitFor(() => slack.visibleTo(user).length > seen);
        }
      };
      let peak = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 250);
      await Promise.all([
        ...Array.from({ length: CONCURRENCY }, discordWorker),
        ...Array.from({ length: CONCURRENCY }, slackWorker),
      ]);
      clearInterval(sampler);
      const loadS = (performance.now() - tLoad) / 1000;
      console.log(`round ${round}: ${perPlatform * 2} interactions in ${loadS.toFixed(1)} s (${((perPlatform * 2) / loadS).toFixed(0)}/s); peak RSS during load ${peak.toFixed(1)} MB`);
      after = await settledRss(pid, SETTLE_MS);
      if (round === 1) after1 = after;
      console.log(`round ${round}: after load RSS ${after.toFixed(1)} MB`);
    }
    if (loadRounds > 1) console.log(`growth from round 1 to round ${loadRounds}: ${(((after - after1) / after1) * 100).toFixed(1)} %`);
    after = after1;
    const growth = (after - idle) / idle;
    console.log(`after load RSS ${after.toFixed(1)} MB (growth ${(growth * 100).toFixed(1)} %)`);
    if (snapshot) {
      child.kill('SIGUSR2');
      const file = await waitForSnapshot(work);
      console.log(`after a full GC (heap snapshot): RSS ${(await settledRss(pid, 2000)).toFixed(1)} MB`);
      summariseSnapshot(file);
    }
    child.kill('SIGTERM');
    console.log(`bot exited with ${await exited}`);
    console.log(resultLine('memory_idle_rss_mb', idle, 150, { strict: true, digits: 1 }));
    console.log(resultLine('memory_growth_ratio', growth, 0.1, { digits: 3 }));
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await discord.close();
    await slack.close();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
