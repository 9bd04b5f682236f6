/**
 * kill -9 of the real bot process at the worst moment of an answer: the answer is committed and the
 * bot is telling the person (its reply is held by the Discord fake) when the process dies. After a
 * restart on the same database the answer is there, the streak counts that day once, and answering
 * again the same day does not count it twice. Nothing sleeps: the test waits for the fake to hold
 * the reply, for the process to exit, and for the restarted bot's log line.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { registerDiscordCommands } from '../../../src/adapters/discord/index.ts';
import { allCommandSpecs } from '../../../src/commands.ts';
import { openDatabase } from '../../../src/store/db.ts';
import { startFakeDiscord, type FakeDiscord, type FakeMessage } from '../../fakes/discord/index.ts';
import { processRig } from '../process-rig.ts';

const BOOT_TIMEOUT_MS = 60_000;
const rig = processRig();
afterEach(() => rig.cleanup());

const read = (m: FakeMessage) => m.content.replace(/\\([^0-9A-Za-z\s])/g, '$1');
const ANSWER = 'Goroutines are scheduled by the Go runtime with small stacks; threads by the OS kernel.';

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
    const dbPath = join(rig.tempDir('prepbot-kill9-'), 'prepbot.db');
    const f = await startFakeDiscord();
    rig.defer(() => f.close());
    await registerDiscordCommands({ token: f.token, applicationId: f.applicationId, guildId: f.guild.id, commands: allCommandSpecs(), restApi: f.restUrl });

    const first = await rig.bootBot(f, { PREPBOT_DB: dbPath });
    const submit = await openForm(f);
    // Hold every interaction reply from now on: the next one is the reveal of Alice's answer.
    const hold = f.holdRequests((method, path) => method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path));
    const submitted = await submit(ANSWER);
    await hold.arrived;
    await first.kill9();
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
    await rig.bootBot(f, { PREPBOT_DB: dbPath });
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

describe('kill -9 of `prepbot import` in the middle of its transaction', { timeout: 3 * BOOT_TIMEOUT_MS }, () => {
  const BIN = join(import.meta.dirname, '../../../bin/prepbot.js');
  const TOPICS = join(import.meta.dirname, '../../../notes/topics.yml');

  /** `files` notes files of `per` questions each, every answer long enough to make the transaction big. */
  function writeNotes(dir: string, tag: string, files: number, per: number) {
    rmSync(join(dir, 'notes'), { recursive: true, force: true });
    mkdirSync(join(dir, 'notes'), { recursive: true });
    copyFileSync(TOPICS, join(dir, 'notes/topics.yml'));
    for (let f = 0; f < files; f++) {
      const out: string[] = [`# ${tag} notes ${f}`, ''];
      for (let q = 0; q < per; q++) {
        out.push(`## ${tag} question ${f}-${q}: how does a mutex protect shared state?`, '');
        out.push(`- A mutex gives one goroutine at a time access (${tag} ${f}-${q}).`, `- ${'Unlock it with defer so every path releases it. '.repeat(6)}`, '');
      }
      writeFileSync(join(dir, `notes/${tag}-${f}.md`), out.join('\n'));
    }
  }

  const run = (dir: string) => {
    const proc = spawn(process.execPath, [BIN, 'import', '--json'], { cwd: dir, env: { PATH: process.env.PATH ?? '', PREPBOT_DB: join(dir, 'prepbot.db') }, stdio: 'ignore' });
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
    return { proc, exit };
  };

  const bankState = (dir: string) => {
    const db = openDatabase(join(dir, 'prepbot.db'));
    try {
      return {
        old: (db.prepare("SELECT COUNT(*) AS n FROM questions WHERE file LIKE '%old-%' AND retired_at IS NULL").get() as { n: number }).n,
        new: (db.prepare("SELECT COUNT(*) AS n FROM questions WHERE file LIKE '%new-%'").get() as { n: number }).n,
        runs: (db.prepare('SELECT COUNT(*) AS n FROM import_runs').get() as { n: number }).n,
      };
    } finally {
      db.close();
    }
  };

  it('the bank afterwards is exactly the old one (or exactly the new one), never half; the next import completes', async () => {
    const dir = rig.tempDir('prepbot-kill9-import-');
    writeNotes(dir, 'old', 2, 50);
    expect(await run(dir).exit).toEqual({ code: 0, signal: null });
    expect(bankState(dir)).toEqual({ old: 100, new: 0, runs: 1 });

    writeNotes(dir, 'new', 40, 100); // 4,000 questions: a transaction of several MB
    const wal = join(dir, 'prepbot.db-wal');
    const importing = run(dir);
    // Kill it as soon as its transaction has written half a megabyte to the write-ahead log.
    const watcher = watch(dir, () => {
      if (existsSync(wal) && statSync(wal).size > 512 * 1024 && importing.proc.exitCode === null) importing.proc.kill('SIGKILL');
    });
    const ended = await importing.exit;
    watcher.close();
    expect(ended).toEqual({ code: null, signal: 'SIGKILL' }); // it really died mid-way
    // Old or new, never half. (Killed at half a megabyte of a several-megabyte transaction it is the old
    // bank, untouched, with no record of the dead run; on a machine so slow that the kill lands after the
    // commit it would be the whole new one.)
    expect([
      { old: 100, new: 0, runs: 1 },
      { old: 0, new: 4000, runs: 2 },
    ]).toContainEqual(bankState(dir));

    expect(await run(dir).exit).toEqual({ code: 0, signal: null });
    expect(bankState(dir)).toMatchObject({ old: 0, new: 4000 });
  });
});
