/**
 * kill -9 of the real bot process at the worst moment of an answer: the answer is committed and the
 * bot is telling the person (its reply is held by the Discord fake) when the process dies. After a
 * restart on the same database the answer is there, the streak counts that day once, and answering
 * again the same day does not count it twice. Nothing sleeps: the test waits for the fake to hold
 * the reply, for the process to exit, and for the restarted bot's log line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { registerDiscordCommands } from '../../../src/adapters/discord/index.ts';
import { allCommandSpecs } from '../../../src/commands.ts';
import { openDatabase } from '../../../src/store/db.ts';
import { startFakeDiscord, type FakeDiscord, type FakeMessage } from '../../fakes/discord/index.ts';
import { startBot, type Child } from '../process-rig.ts';

const BOOT_TIMEOUT_MS = 60_000;
let fake: FakeDiscord | undefined;
const children: Child[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.proc.exitCode === null && c.proc.signalCode === null) {
      c.proc.kill('SIGKILL');
      await c.exit;
    }
  }
  await fake?.close();
  fake = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const read = (m: FakeMessage) => m.content.replace(/\\([^0-9A-Za-z\s])/g, '$1');
const ANSWER = 'Goroutines are scheduled by the Go runtime with small stacks; threads by the OS kernel.';

async function boot(f: FakeDiscord, dbPath: string): Promise<Child> {
  const c = startBot(f, dbPath);
  children.push(c);
  await c.waitForLog('discord adapter started');
  return c;
}

/** /ask then Answer (the form is open); returns the submission to send. */
async function openForm(f: FakeDiscord) {
  const { alice } = f.users;
  const asked = await f.slash('ask', {}, { user: alice });
  const q = await f.waitUntil(() => f.messages.find((m) => m.interactionId === asked.id && !m.loading && f.buttonsOn(m).some((b) => /answer/i.test(b.label ?? ''))));
  const click = await f.click(f.buttonsOn(q).find((b) => /answer/i.test(b.label ?? ''))!.custom_id, q, { user: alice });
  await f.waitForResponse(click.id);
  const form = f.modalsShownTo(alice).at(-1).custom_id as string;
  return (text: string) => f.submitModal(form, { answer: text }, { user: alice });
}

describe('kill -9 of the real process', { timeout: 3 * BOOT_TIMEOUT_MS }, () => {
  it('while telling the person their answer was saved: after restart the answer and one streak day are there, once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prepbot-kill9-'));
    dirs.push(dir);
    const dbPath = join(dir, 'prepbot.db');
    fake = await startFakeDiscord();
    const f = fake;
    await registerDiscordCommands({ token: f.token, applicationId: f.applicationId, guildId: f.guild.id, commands: allCommandSpecs(), restApi: f.restUrl });

    const first = await boot(f, dbPath);
    const submit = await openForm(f);
    // Hold every interaction reply from now on: the next one is the reveal of Alice's answer.
    const hold = f.holdRequests((method, path) => method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path));
    const submitted = await submit(ANSWER);
    await hold.arrived;
    first.proc.kill('SIGKILL');
    expect(await first.exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(f.interactions.get(submitted.id)?.responseType).toBeUndefined(); // she was never told
    hold.release();

    // The database, as the next process finds it (WAL recovery on open).
    const db = openDatabase(dbPath);
    const rows = db.prepare('SELECT answer_text FROM attempts WHERE answered_at IS NOT NULL').all();
    const days = db.prepare('SELECT local_date FROM activity_days').all();
    const streak = db.prepare('SELECT current FROM streaks').all();
    db.close();
    expect(rows).toEqual([{ answer_text: ANSWER }]);
    expect(days).toHaveLength(1);
    expect(streak).toEqual([{ current: 1 }]);

    // Restart: the same streak, and a second answer the same day does not count the day again.
    await boot(f, dbPath);
    const again = await (await openForm(f))('Channels pass values between goroutines; a mutex guards shared memory.');
    await f.waitUntil(() => f.messages.find((m) => m.interactionId === again.id && /Reference answer/.test(read(m))));
    const streakCmd = await f.slash('streak', {}, { user: f.users.alice });
    const shown = await f.waitUntil(() => f.messages.find((m) => m.interactionId === streakCmd.id && /🔥/.test(read(m))));
    expect(read(shown)).toMatch(/🔥 1 day\b/);
    const after = openDatabase(dbPath);
    expect(after.prepare('SELECT COUNT(*) AS n FROM attempts WHERE answered_at IS NOT NULL').get()).toEqual({ n: 2 });
    expect(after.prepare('SELECT current FROM streaks').all()).toEqual([{ current: 1 }]);
    after.close();
  });
});
