/**
 * The whole product on Discord: real core + SQLite, the real Discord adapter with
 * discord.js inside, the fake Discord on 127.0.0.1. Nothing is mocked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/store/db.ts';
import { CONCURRENCY_TOPIC, REFERENCE, startCore } from '../core-rig.ts';
import type { FakeDiscord, FakeMessage } from '../../fakes/discord/index.ts';
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

async function startBot() {
  const core = await startCore({ topics: [CONCURRENCY_TOPIC, { id: 'system-design', aliases: ['sd'], keywords: ['scale'] }] });
  db = core.db;
  const { bot } = core;
  h = await startHarness(bot.commands, bot.handle);
  return h;
}

/** Text a user would read: Discord's backslash escapes removed. */
const read = (m: FakeMessage) => m.content.replace(/\\([^0-9A-Za-z\s])/g, '$1');
const find = (fake: FakeDiscord, userId: string, needle: string | RegExp) => () =>
  fake.messagesVisibleTo(userId).find((m) => (typeof needle === 'string' ? read(m).includes(needle) : needle.test(read(m))));

describe('full practice flow on Discord (real core + SQLite + discord.js)', () => {
  it('registers commands, /ask with autocomplete → Answer → modal → private reveal with checklist → rating → /streak, /leaderboard', async () => {
    const { fake, adapter } = await startBot();
    const { alice, bob } = fake.users;

    // Registration went through Discord's validation (the fake rejects what Discord rejects).
    const registered = fake.guildCommands.get(fake.guild.id)!.map((c) => c.name);
    expect(registered).toEqual(expect.arrayContaining(['ask', 'streak', 'leaderboard', 'topics', 'stats', 'timezone', 'link', 'help']));

    const ac = await fake.autocomplete('ask', { topic: 'conc' }, 'topic', { user: alice });
    const acked = await fake.waitForResponse(ac.id);
    expect(acked.choices?.map((c) => c.value)).toContain('concurrency');
    expect(acked.choices!.length).toBeLessThanOrEqual(25);

    await fake.slash('ask', { topic: 'concurrency' }, { user: alice });
    const question = await fake.waitUntil(find(fake, alice.id, 'What is a mutex?'));
    expect(question.ephemeralTo).toBeUndefined();
    expect(read(question)).not.toContain(REFERENCE);
    const answerButton = fake.buttonsOn(question).find((b) => /answer/i.test(b.label ?? ''));
    expect(answerButton).toBeDefined();

    const click = await fake.click(answerButton!.custom_id, question, { user: alice });
    await fake.waitForResponse(click.id);
    const modal = fake.modalsShownTo(alice).at(-1);
    expect(JSON.stringify(modal)).toContain('What is a mutex?');
    expect(modal.title.length).toBeLessThanOrEqual(45);

    await fake.submitModal(modal.custom_id, { answer: 'It is a lock; one goroutine gets exclusive access. @everyone' }, { user: alice });
    const reveal = await fake.waitUntil(find(fake, alice.id, REFERENCE));
    await adapter.idle();
    expect(reveal.ephemeralTo).toBe(alice.id);
    expect(reveal.content).toContain('```go\nmu.Lock()\ndefer mu.Unlock()\n```');
    // Bob shares the channel: he may learn that Alice answered, never the reference answer.
    expect(fake.messagesVisibleTo(bob).some((m) => read(m).includes(REFERENCE))).toBe(false);
    expect(fake.messagesVisibleTo(bob).some((m) => read(m).includes('Unlock it with defer'))).toBe(false);

    const rateOn = fake.messagesVisibleTo(alice).find((m) => fake.buttonsOn(m).some((b) => b.label === 'Good'))!;
    expect(rateOn).toBeDefined();
    const good = fake.buttonsOn(rateOn).find((b) => b.label === 'Good')!;
    const before = fake.messagesVisibleTo(alice).length;
    const rate = await fake.click(good.custom_id, rateOn, { user: alice });
    await fake.waitForResponse(rate.id);
    await adapter.idle();
    expect(fake.messagesVisibleTo(alice).length + fake.messages.filter((m) => m.edits > 0).length).toBeGreaterThan(before);
    expect(fake.messagesVisibleTo(alice).some((m) => /next review/i.test(read(m)))).toBe(true);

    const st = await fake.slash('streak', {}, { user: alice });
    await fake.waitForResponse(st.id);
    await adapter.idle();
    const streak = fake.messages.find((m) => m.interactionId === st.id && !m.loading)!;
    expect(read(streak)).toMatch(/streak/i);
    expect(read(streak)).toMatch(/1 day\b/);

    const lb = await fake.slash('leaderboard', {}, { user: bob });
    await fake.waitForResponse(lb.id);
    await adapter.idle();
    const board = fake.messages.find((m) => m.interactionId === lb.id && !m.loading)!;
    expect(read(board)).toMatch(/Alice[^\n]*1/);

    // Nothing the bot sent could ping, every body said so explicitly, and Discord accepted every call.
    for (const m of fake.messages) expect(pingsAnyone(m.pings)).toBe(false);
    for (const r of fake.sentMessageBodies()) {
      const am = r.path.endsWith('/callback') ? r.body.data.allowed_mentions : r.body.allowed_mentions;
      expect(am, `${r.method} ${r.path}`).toEqual({ parse: [] });
    }
    expect(fake.requests.filter((r) => r.status >= 400)).toEqual([]);
  });
});
