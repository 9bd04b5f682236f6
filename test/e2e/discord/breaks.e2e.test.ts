/**
 * /break and /streak repair on Discord: real core + SQLite, the real adapter with
 * discord.js inside, the fake Discord on 127.0.0.1 (Alice holds Manage Server, Bob does not).
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

describe('/break and /streak repair on Discord', () => {
  it('a break shows in /streak, a non-admin cannot repair, an admin’s repair is audited in /streak', async () => {
    const core = await startCore();
    db = core.db;
    h = await startHarness(core.bot.commands, core.bot.handle);
    const { fake, reply } = h;
    const { alice, bob } = fake.users;

    // 10 Mar: Bob answers, then takes two days off.
    await fake.slash('ask', { topic: 'concurrency' }, { user: bob });
    const question = await fake.waitUntil(() => fake.messagesVisibleTo(bob).find((m) => read(m).includes('What is a mutex?')));
    const answer = fake.buttonsOn(question).find((b) => /answer/i.test(b.label ?? ''))!;
    await fake.waitForResponse((await fake.click(answer.custom_id, question, { user: bob })).id);
    await fake.submitModal(fake.modalsShownTo(bob).at(-1).custom_id, { answer: 'A lock: one goroutine gets exclusive access.' }, { user: bob });
    await fake.waitUntil(() => fake.messagesVisibleTo(bob).find((m) => read(m).includes('Streak: 1 day')));
    const started = await reply('break', { length: '2d' }, bob);
    expect(started.ephemeralTo).toBe(bob.id);
    expect(read(started)).toContain('Enjoy your break: 2 days, 10 Mar–11 Mar');

    core.clock.set('2025-03-11T10:00:00Z');
    const during = await reply('streak', { person: bob.id }, alice);
    expect(during.ephemeralTo).toBeUndefined(); // /streak is public
    expect(read(during)).toMatch(/On a break until 11 Mar/);

    // 13 Mar: the 12th was missed.
    core.clock.set('2025-03-13T10:00:00Z');
    const refused = await reply('streak', { person: alice.id, date: '2025-03-12', reason: 'please', repair: true }, bob);
    expect(refused.ephemeralTo).toBe(bob.id);
    expect(read(refused)).toMatch(/Only workspace admins can repair/);
    const repaired = await reply('streak', { person: bob.id, date: '2025-03-12', reason: 'Discord outage', repair: true }, alice);
    expect(repaired.ephemeralTo).toBe(alice.id);
    expect(read(repaired)).toMatch(/Repaired: 12 Mar is excused/);
    const shown = read(await reply('streak', {}, bob));
    expect(shown).toMatch(/🔥 1 day/);
    expect(shown).toMatch(/10 Mar–11 Mar excused: on a break/);
    expect(shown).toMatch(/2025-03-12 repaired by .+ on 2025-03-13: Discord outage/);

    for (const m of fake.messages) expect(pingsAnyone(m.pings)).toBe(false);
  });
});
