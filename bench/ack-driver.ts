/**
 * The platform side of `bench:ack`, in a worker thread: the Discord and Slack fakes and the
 * simulated users live here, on their own event loop, so a busy bot on the main thread cannot
 * delay the moment the fake notices an acknowledgement (in one thread, an ack written to the
 * socket would only be read once the bot's other work had finished, and every ack would look as
 * late as the last one). Latencies are measured here, from dispatch to the fake accepting the ack.
 */
import { parentPort } from 'node:worker_threads';
import { startFakeDiscord, type FakeDiscord, type FakeMessage } from '../test/fakes/discord/index.ts';
import { startFakeSlack, type FakeSlack, type SurfaceMessage } from '../test/fakes/slack/index.ts';

export type DriverRequest =
  | { op: 'start'; id: string; platform: 'discord' | 'slack' }
  | { op: 'prepare'; id: string; variant: 'prepbot' | 'bare'; buttonRef?: string }
  | { op: 'run'; id: string; kind: 'ask' | 'press'; mode: 'serial' | 'concurrent'; n: number }
  | { op: 'close'; id: string };

export interface FakeInfo {
  discord?: { token: string; applicationId: string; restUrl: string; guildId: string; channelId: string };
  slack?: { botToken: string; appToken: string; apiUrl: string; channelId: string };
}

interface Rig {
  platform: 'discord' | 'slack';
  discord?: FakeDiscord;
  slack?: FakeSlack;
  ask?: (i: number) => Promise<number>;
  press?: (i: number) => Promise<number>;
}

const rigs = new Map<string, Rig>();
const answerLabel = /answer/i;

async function discordAck(fake: FakeDiscord, send: () => Promise<{ id: string }>): Promise<number> {
  const t0 = performance.now();
  const i = await send();
  await fake.waitForResponse(i.id);
  return performance.now() - t0;
}

async function slackAck(send: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await send(); // slash() and click() resolve with the envelope's ack
  return performance.now() - t0;
}

const slackButtons = (m: SurfaceMessage): string[] =>
  m.blocks.flatMap((b: any) => (b.type === 'actions' ? (b.elements ?? []).map((e: any) => String(e.text?.text ?? '')) : []));

async function prepare(rig: Rig, variant: 'prepbot' | 'bare', buttonRef?: string): Promise<void> {
  if (rig.discord) {
    const fake = rig.discord;
    const users = [fake.users.alice, fake.users.bob, fake.users.mallory, fake.users.owner];
    // Wait for the bot's gateway session.
    for (;;) {
      try {
        const i = await fake.slash('help', {}, { user: users[0]! });
        await fake.waitForResponse(i.id);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const buttons = new Map<string, { message: FakeMessage | string; customId: string }>();
    for (const u of users) {
      if (variant === 'bare') {
        buttons.set(u.id, { message: buttonRef!, customId: 'echo' });
        continue;
      }
      // One question per person, so each press opens that person's answer form.
      const seen = fake.messagesVisibleTo(u).length;
      await fake.slash('ask', {}, { user: u });
      const message = await fake.waitUntil(() =>
        fake.messagesVisibleTo(u).slice(seen).find((m) => fake.buttonsOn(m).some((b) => answerLabel.test(b.label ?? ''))),
      );
      buttons.set(u.id, { message, customId: fake.buttonsOn(message).find((b) => answerLabel.test(b.label ?? ''))!.custom_id });
    }
    rig.ask = (i) => discordAck(fake, () => fake.slash('ask', {}, { user: users[i % users.length]! }));
    rig.press = (i) => {
      const u = users[i % users.length]!;
      const b = buttons.get(u.id)!;
      return discordAck(fake, () => fake.click(b.customId, b.message, { user: u }));
    };
    return;
  }
  const fake = rig.slack!;
  await fake.waitForHellos(1);
  const users = ['U0ALICE', 'U0BOB', 'U0ADMIN'];
  const sources = new Map<string, SurfaceMessage>();
  for (const u of users) {
    if (variant === 'bare') {
      sources.set(u, await fake.waitFor(() => fake.surfaces.find((m) => m.ts === buttonRef)));
      continue;
    }
    const seen = fake.visibleTo(u).length;
    await fake.slash(u, 'C0GENERAL', '/ask');
    sources.set(u, await fake.waitFor(() => fake.visibleTo(u).slice(seen).find((m) => slackButtons(m).some((b) => answerLabel.test(b)))));
  }
  rig.ask = (i) => slackAck(() => fake.slash(users[i % users.length]!, 'C0GENERAL', '/ask'));
  rig.press = (i) => {
    const u = users[i % users.length]!;
    return slackAck(() => fake.click(u, sources.get(u)!, { label: 'Answer' }));
  };
}

async function handle(req: DriverRequest): Promise<unknown> {
  switch (req.op) {
    case 'start': {
      if (req.platform === 'discord') {
        const fake = await startFakeDiscord();
        rigs.set(req.id, { platform: 'discord', discord: fake });
        return {
          discord: { token: fake.token, applicationId: fake.applicationId, restUrl: fake.restUrl, guildId: fake.guild.id, channelId: fake.channels.general.id },
        } satisfies FakeInfo;
      }
      const fake = await startFakeSlack();
      rigs.set(req.id, { platform: 'slack', slack: fake });
      return { slack: { botToken: fake.botToken, appToken: fake.appToken, apiUrl: fake.apiUrl, channelId: 'C0GENERAL' } } satisfies FakeInfo;
    }
    case 'prepare':
      return prepare(rigs.get(req.id)!, req.variant, req.buttonRef);
    case 'run': {
      const rig = rigs.get(req.id)!;
      const send = rig[req.kind]!;
      if (req.mode === 'concurrent') return Promise.all(Array.from({ length: req.n }, (_, i) => send(i)));
      const out: number[] = [];
      for (let i = 0; i < req.n; i++) out.push(await send(i));
      return out;
    }
    case 'close': {
      const rig = rigs.get(req.id);
      rigs.delete(req.id);
      await rig?.discord?.close();
      await rig?.slack?.close();
      return null;
    }
  }
}

parentPort?.on('message', (msg: { seq: number; req: DriverRequest }) => {
  handle(msg.req).then(
    (value) => parentPort!.postMessage({ seq: msg.seq, value }),
    (err: unknown) => parentPort!.postMessage({ seq: msg.seq, error: err instanceof Error ? err.stack ?? err.message : String(err) }),
  );
});
