/**
 * `npm run bench:ack`: interaction → acknowledgement latency, prepbot vs a bare echo handler on the
 * same framework, the same fake, in the same process run.
 *
 * The fakes and the simulated users run in a worker thread (bench/ack-driver.ts) with their own
 * event loop, and measure there; the bots under test run on the main thread, as in production.
 *
 * Discord: the in-repo gateway + REST fake, the real discord.js client. The clock starts when the
 * fake dispatches INTERACTION_CREATE and stops when it accepts the interaction's first callback
 * (reply, defer or modal): what Discord's 3-second deadline measures.
 *   - prepbot: the real Discord adapter around the real core (SQLite in memory, the seed notes).
 *   - bare: a discord.js Client whose interactionCreate handler replies "echo".
 * Slack: the in-repo Socket Mode + Web API fake, the real Bolt app. The clock starts when the fake
 * sends the envelope and stops when the app's ack for that envelope arrives.
 *   - prepbot: the real Slack adapter around the same core.
 *   - bare: a Bolt App in Socket Mode whose command and action listeners only `ack()`.
 *
 * Workloads: `/ask` and presses of the Answer button (prepbot answers with the answer form: a modal
 * on both platforms), 1 at a time (BENCH_SERIAL = 50) and 200 at once (BENCH_CONCURRENT = 200).
 * BENCH_ROUNDS (3) rounds, prepbot and bare alternating; the p99 ratio is printed per round with
 * best and median. Goal: p99 ratio ≤ 1.2 at 200 concurrent; the absolute p99 must stay far under 3 s.
 * Not a test: no assertions.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { App, LogLevel } from '@slack/bolt';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, Client, Events, GatewayIntentBits, MessageFlags, type TextChannel } from 'discord.js';
import { createDiscordAdapter, registerDiscordCommands } from '../src/adapters/discord/index.ts';
import { createSlackAdapter } from '../src/adapters/slack/index.ts';
import { importNotes } from '../src/bank/import.ts';
import { loadTopicCatalog } from '../src/bank/topics.ts';
import { createBot, type Bot } from '../src/core/bot.ts';
import { systemClock } from '../src/core/clock.ts';
import { openDatabase } from '../src/store/db.ts';
import { createSqliteBankRepository } from '../src/store/sqlite/bank.ts';
import { createSqlitePracticeRepository } from '../src/store/sqlite/practice.ts';
import type { DriverRequest, FakeInfo } from './ack-driver.ts';
import { percentile, resultLine } from './result.ts';

const SERIAL = Number(process.env.BENCH_SERIAL ?? 50);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 200);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const GOAL_RATIO = 1.2;
const root = fileURLToPath(new URL('..', import.meta.url));

async function makeBot(): Promise<Bot> {
  const db = openDatabase(':memory:');
  const bank = createSqliteBankRepository(db);
  const catalog = loadTopicCatalog(join(root, 'notes/topics.yml'));
  await importNotes({ paths: [join(root, 'notes')], root: join(root, 'notes'), catalog, repo: bank, now: new Date() });
  return createBot({ practice: createSqlitePracticeRepository(db), bank, catalog, clock: systemClock, defaultTimezone: 'UTC' });
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** Request/response over the worker's message port. */
function driver() {
  // Workers do not inherit the tsx loader (neither from the tsx CLI nor from --import); register it there first.
  const entry = new URL('./ack-driver.ts', import.meta.url).href;
  const worker = new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`, { eval: true });
  let seq = 0;
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  worker.on('message', (m: { seq: number; value?: unknown; error?: string }) => {
    const p = pending.get(m.seq);
    pending.delete(m.seq);
    if (m.error !== undefined) p?.reject(new Error(m.error));
    else p?.resolve(m.value);
  });
  worker.on('error', (e) => {
    for (const p of pending.values()) p.reject(e);
  });
  return {
    call<T>(req: DriverRequest): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        pending.set(++seq, { resolve, reject });
        worker.postMessage({ seq, req });
      });
    },
    terminate: () => worker.terminate(),
  };
}
type Driver = ReturnType<typeof driver>;

interface Target {
  name: 'prepbot' | 'bare';
  run(kind: Kind, mode: 'serial' | 'concurrent', n: number): Promise<number[]>;
  close(): Promise<void>;
}

async function discordTargets(d: Driver): Promise<Target[]> {
  const bot = await makeBot();
  const targets: Target[] = [];
  for (const variant of ['prepbot', 'bare'] as const) {
    const id = `discord-${variant}`;
    const { discord: f } = await d.call<FakeInfo>({ op: 'start', id, platform: 'discord' });
    await registerDiscordCommands({ token: f!.token, applicationId: f!.applicationId, guildId: f!.guildId, commands: bot.commands, restApi: f!.restUrl });
    let stop: () => Promise<void>;
    let buttonRef: string | undefined;
    if (variant === 'prepbot') {
      const adapter = createDiscordAdapter({ token: f!.token, applicationId: f!.applicationId, devGuildId: f!.guildId, commands: bot.commands, restApi: f!.restUrl, logger: quiet });
      await adapter.start(bot.handle);
      stop = () => adapter.stop();
    } else {
      const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: f!.restUrl } });
      client.on(Events.InteractionCreate, (interaction) => {
        if (interaction.isRepliable()) void interaction.reply({ content: 'echo', flags: MessageFlags.Ephemeral }).catch(() => {});
      });
      await new Promise<void>((resolve, reject) => {
        client.once(Events.ClientReady, () => resolve());
        client.login(f!.token).catch(reject);
      });
      const channel = (await client.channels.fetch(f!.channelId)) as TextChannel;
      const row = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId('echo').setLabel('Answer').setStyle(ButtonStyle.Primary));
      buttonRef = (await channel.send({ content: 'a question', components: [row] })).id;
      stop = () => client.destroy();
    }
    await d.call({ op: 'prepare', id, variant, ...(buttonRef ? { buttonRef } : {}) });
    targets.push({
      name: variant,
      run: (kind, mode, n) => d.call<number[]>({ op: 'run', id, kind, mode, n }),
      close: async () => {
        await stop();
        await d.call({ op: 'close', id });
      },
    });
  }
  return targets;
}

async function slackTargets(d: Driver): Promise<Target[]> {
  const bot = await makeBot();
  const targets: Target[] = [];
  for (const variant of ['prepbot', 'bare'] as const) {
    const id = `slack-${variant}`;
    const { slack: f } = await d.call<FakeInfo>({ op: 'start', id, platform: 'slack' });
    let stop: () => Promise<void>;
    let buttonRef: string | undefined;
    if (variant === 'prepbot') {
      const adapter = createSlackAdapter({ botToken: f!.botToken, appToken: f!.appToken, mode: 'socket', apiUrl: f!.apiUrl, commands: bot.commands, logger: quiet });
      await adapter.start(bot.handle);
      stop = () => adapter.stop();
    } else {
      const app = new App({ token: f!.botToken, appToken: f!.appToken, socketMode: true, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: f!.apiUrl } });
      app.command('/ask', async ({ ack }) => {
        await ack();
      });
      app.action(/.*/, async ({ ack }) => {
        await ack();
      });
      await app.start();
      const posted = await app.client.chat.postMessage({
        channel: f!.channelId,
        text: 'a question',
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: 'a question' } },
          { type: 'actions', elements: [{ type: 'button', action_id: 'echo', text: { type: 'plain_text', text: 'Answer' } }] },
        ],
      });
      buttonRef = String(posted.ts);
      stop = async () => {
        await app.stop();
      };
    }
    await d.call({ op: 'prepare', id, variant, ...(buttonRef ? { buttonRef } : {}) });
    targets.push({
      name: variant,
      run: (kind, mode, n) => d.call<number[]>({ op: 'run', id, kind, mode, n }),
      close: async () => {
        await stop();
        await d.call({ op: 'close', id });
      },
    });
  }
  return targets;
}

// ─────────────────────────────── runs ───────────────────────────────

type Kind = 'ask' | 'press';
const serial = (t: Target, kind: Kind, n: number) => t.run(kind, 'serial', n);
const concurrent = (t: Target, kind: Kind, n: number) => t.run(kind, 'concurrent', n);

const median = (xs: number[]) => percentile([...xs], 50);

async function main(): Promise<void> {
  const only = (process.env.BENCH_PLATFORMS ?? 'discord,slack').split(',');
  const d = driver();
  const platforms: { platform: string; targets: Target[] }[] = [];
  if (only.includes('discord')) platforms.push({ platform: 'discord', targets: await discordTargets(d) });
  if (only.includes('slack')) platforms.push({ platform: 'slack', targets: await slackTargets(d) });
  const results: string[] = [];
  try {
    for (const { platform, targets } of platforms) {
      const [prepbot, bare] = targets as [Target, Target];
      for (const kind of ['ask', 'press'] as const) {
        // warm-up: JIT, statement cache, first-connection costs on both sides
        await serial(prepbot, kind, 10);
        await serial(bare, kind, 10);
        for (const mode of ['c1', 'c200'] as const) {
          const ratios: number[] = [];
          const p99s: number[] = [];
          for (let round = 0; round < ROUNDS; round++) {
            // Alternate who goes first, so neither side always runs on a warmer (or busier) machine.
            const order = round % 2 === 0 ? [prepbot, bare] : [bare, prepbot];
            const got = new Map<string, number[]>();
            for (const t of order) got.set(t.name, mode === 'c1' ? await serial(t, kind, SERIAL) : await concurrent(t, kind, CONCURRENT));
            const p = got.get('prepbot')!;
            const b = got.get('bare')!;
            const pp99 = percentile(p, 99);
            const bp99 = percentile(b, 99);
            ratios.push(pp99 / bp99);
            p99s.push(pp99);
            console.log(
              `${platform} ${kind.padEnd(5)} ${mode.padEnd(4)} round ${round + 1}: prepbot p50 ${percentile(p, 50).toFixed(2)} p99 ${pp99.toFixed(2)} ms | bare p50 ${percentile(b, 50).toFixed(2)} p99 ${bp99.toFixed(2)} ms | p99 ratio ${(pp99 / bp99).toFixed(2)}`,
            );
          }
          const best = Math.min(...ratios);
          console.log(`${platform} ${kind} ${mode}: p99 ratio best ${best.toFixed(2)}, median ${median(ratios).toFixed(2)}; prepbot p99 median ${median(p99s).toFixed(1)} ms`);
          if (mode === 'c200') {
            results.push(resultLine(`ack_${platform}_${kind}_c${CONCURRENT}_p99_ratio`, median(ratios), GOAL_RATIO, { digits: 2 }));
            results.push(resultLine(`ack_${platform}_${kind}_c${CONCURRENT}_p99_ms`, median(p99s), 3000, { strict: true, digits: 1 }));
          }
        }
      }
    }
  } finally {
    for (const { targets } of platforms) for (const t of targets) await t.close().catch(() => {});
    await d.terminate();
  }
  for (const line of results) console.log(line);
  // Bolt's socket client and discord.js keep timers alive for a moment after stop(); the figures are out.
  process.exit(0);
}

await main();
