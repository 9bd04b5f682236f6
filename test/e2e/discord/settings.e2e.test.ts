/**
 * /daystart and /settings on Discord: real core + SQLite, the real adapter with
 * discord.js inside, the fake Discord on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/store/db.ts';
import { startCore } from '../core-rig.ts';
import type { FakeMessage } from '../../fakes/discord/index.ts';
import { pingsAnyone } from '../../fakes/discord/index.ts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness | undefined;
let db: Db | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  db?.close();
  db = undefined;
});

const read = (m: FakeMessage) => m.content.replace(/\\([^0-9A-Za-z\s])/g, '$1');

describe('/daystart and /settings on Discord', () => {
  it('sets the day start and the daily caps privately, and boards:off hides from the board', async () => {
    const core = await startCore();
    db = core.db;
    h = await startHarness(core.bot.commands, core.bot.handle);
    const { fake, reply } = h;
    const { alice, bob } = fake.users;

    const day = await reply('daystart', { hour: '4' }, alice);
    expect(day.ephemeralTo).toBe(alice.id);
    expect(read(day)).toMatch(/Your practice day now starts at 04:00 \(UTC time\)\. An answer before 04:00 counts for the day before\./);

    // Discord's form enforces the integers' range and the on/off choices; other platforms get the core's refusals.
    const saved = await reply('settings', { reviews: 20, new: 2 }, alice);
    expect(saved.ephemeralTo).toBe(alice.id);
    expect(read(saved)).toContain('reviews: 20 reviews a day (yours)');
    expect(read(saved)).toContain('new: 2 new a day (yours)');
    const shown = read(await reply('settings', {}, alice));
    expect(shown).toMatch(/Your practice settings \(your day starts at 04:00, UTC time\)/);
    expect(shown).toContain('new: 2 new a day (yours)');

    // Alice answers, shows on the channel's board, then hides from every board.
    await fake.slash('ask', { topic: 'concurrency' }, { user: alice });
    const question = await fake.waitUntil(() => fake.messagesVisibleTo(alice).find((m) => read(m).includes('What is a mutex?')));
    const answer = fake.buttonsOn(question).find((b) => /answer/i.test(b.label ?? ''))!;
    await fake.waitForResponse((await fake.click(answer.custom_id, question, { user: alice })).id);
    await fake.submitModal(fake.modalsShownTo(alice).at(-1).custom_id, { answer: 'A lock: one goroutine gets exclusive access.' }, { user: alice });
    await fake.waitUntil(() => fake.messagesVisibleTo(alice).find((m) => read(m).includes('Streak: 1 day')));
    expect(read(await reply('leaderboard', {}, bob))).toMatch(/1\. Alice · 🔥 1 · 1 answer/);
    await reply('settings', { boards: 'off' }, alice);
    const board = read(await reply('leaderboard', {}, bob));
    expect(board).not.toMatch(/Alice/);
    expect(board).toMatch(/No answers here yet/);

    for (const m of fake.messages) expect(pingsAnyone(m.pings)).toBe(false);
  });
});
