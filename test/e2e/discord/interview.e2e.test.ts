/**
 * Mock interviews on Discord: real core + SQLite, the real Discord adapter with
 * discord.js inside, the fake Discord on 127.0.0.1. Solo: ephemeral questions,
 * modal answers, a private scorecard. Peer: a thread, the interviewer's panel
 * ephemeral to them only, buttons refused to a third person.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/store/db.ts';
import { CHANNEL_QUESTION, CONCURRENCY_TOPIC, MUTEX_QUESTION, REFERENCE, startCore } from '../core-rig.ts';
import type { FakeDiscord, FakeMessage, FakeUser } from '../../fakes/discord/index.ts';
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
  const core = await startCore({ questions: [MUTEX_QUESTION, CHANNEL_QUESTION], topics: [CONCURRENCY_TOPIC] });
  db = core.db;
  h = await startHarness(core.bot.commands, core.bot.handle);
  core.bindOutbound(h.adapter);
  return h;
}

/** Text a user would read: Discord's backslash escapes and bold markers removed. */
const read = (m: FakeMessage) => m.content.replace(/\\([^0-9A-Za-z\s])/g, '$1').replace(/\*\*/g, '');
const newest = (fake: FakeDiscord, user: FakeUser, needle: string | RegExp) => () =>
  [...fake.messagesVisibleTo(user)].reverse().find((m) => (typeof needle === 'string' ? read(m).includes(needle) : needle.test(read(m))));

async function press(fake: FakeDiscord, adapter: Harness['adapter'], user: FakeUser, message: FakeMessage, label: string) {
  const button = fake.buttonsOn(message).find((b) => b.label === label);
  if (!button) throw new Error(`no ${label} on: ${read(message)}`);
  const i = await fake.click(button.custom_id, message, { user });
  await fake.waitForResponse(i.id);
  await adapter.idle();
  return i;
}

describe('mock interviews on Discord', () => {
  it('solo: ephemeral questions with progress, modal answers, FSRS rating, and a private scorecard; the channel only hears it finished', async () => {
    const { fake, adapter } = await startBot();
    const { alice, bob } = fake.users;
    const registered = fake.guildCommands.get(fake.guild.id)!.find((c) => c.name === 'interview');
    expect(registered.options.map((o: { name: string }) => o.name)).toEqual(['start', 'stop', 'history', 'peer']);

    const start = await fake.slash('interview start', { topic: 'concurrency', questions: 2, minutes: 10 }, { user: alice });
    await fake.waitForResponse(start.id);
    await adapter.idle();
    const q1 = await fake.waitUntil(newest(fake, alice, 'Question 1/2 · 10 min left'));
    expect(q1.ephemeralTo).toBe(alice.id);
    expect(fake.buttonsOn(q1).map((b) => b.label)).toEqual(['Answer', 'Skip', 'Give up']);

    for (const answer of ['A lock: one goroutine gets exclusive access; unlock with defer.', 'A typed pipe between goroutines.']) {
      const q = newest(fake, alice, /Question \d\/2/)()!;
      await press(fake, adapter, alice, q, 'Answer');
      const modal = fake.modalsShownTo(alice).at(-1);
      const submit = await fake.submitModal(modal.custom_id, { answer }, { user: alice });
      await fake.waitForResponse(submit.id);
      await adapter.idle();
      const reveal = await fake.waitUntil(newest(fake, alice, 'Key points covered'));
      expect(reveal.ephemeralTo).toBe(alice.id);
      await press(fake, adapter, alice, reveal, 'Good');
    }
    const card = await fake.waitUntil(newest(fake, alice, 'Scorecard: 2-question mock interview'));
    expect(card.ephemeralTo).toBe(alice.id);
    expect(read(card)).toMatch(/1\. What is a mutex\? — answered, coverage 100%, Good/);
    expect(read(card)).toMatch(/2\. What is a channel\? — answered, coverage 100%, Good/);
    const note = fake.publicMessages().find((m) => read(m).includes('finished a 2-question mock interview'))!;
    expect(read(note)).not.toMatch(/%|coverage/);
    // Bob saw neither the reference answers nor the scores.
    for (const m of fake.messagesVisibleTo(bob)) expect(read(m)).not.toMatch(/exclusive access|Scorecard/);

    for (const m of fake.messages) expect(pingsAnyone(m.pings)).toBe(false);
    expect(fake.requests.filter((r) => r.status >= 400)).toEqual([]);
  });

  it('peer: a thread for the two, the panel ephemeral to the interviewer, buttons refused to anyone else, scorecard by DM', async () => {
    const { fake, adapter } = await startBot();
    const { alice, bob, mallory } = fake.users;
    // Bob has used prepbot before.
    await fake.waitForResponse((await fake.slash('streak', {}, { user: bob })).id);
    await adapter.idle();

    const peer = await fake.slash('interview peer', { candidate: bob.id, topic: 'concurrency', questions: 1 }, { user: alice });
    await fake.waitForResponse(peer.id);
    await adapter.idle();
    const question = await fake.waitUntil(() => fake.publicMessages().find((m) => read(m).includes('Question 1/1 for')));
    expect(question.channelId).not.toBe(peer.channelId);
    expect(fake.world.channels.get(question.channelId)!.type).toBe(11);
    expect(read(question)).not.toContain(REFERENCE);
    const panel = await fake.waitUntil(newest(fake, alice, 'only you see this'));
    expect(panel.ephemeralTo).toBe(alice.id);
    expect(read(panel)).toContain(REFERENCE);
    expect(fake.messagesVisibleTo(bob).some((m) => read(m).includes(REFERENCE))).toBe(false);

    // Mallory can see the thread but not use it.
    await press(fake, adapter, mallory, question, 'Answer');
    const refused = await fake.waitUntil(newest(fake, mallory, /interview; only they can use its buttons/));
    expect(refused.ephemeralTo).toBe(mallory.id);
    expect(fake.modalsShownTo(mallory)).toHaveLength(0);

    await press(fake, adapter, bob, question, 'Answer');
    const modal = fake.modalsShownTo(bob).at(-1);
    const submit = await fake.submitModal(modal.custom_id, { answer: 'A lock for exclusive access @everyone' }, { user: bob });
    await fake.waitForResponse(submit.id);
    await adapter.idle();
    const typed = await fake.waitUntil(() => fake.publicMessages(question.channelId).find((m) => read(m).includes('answered Question 1/1')));
    expect(pingsAnyone(typed.pings)).toBe(false);

    await press(fake, adapter, alice, panel, 'Refresh');
    await press(fake, adapter, alice, fake.messages.find((m) => m.id === panel.id)!, '3 Lean hire');
    const aliceCard = await fake.waitUntil(newest(fake, alice, 'You interviewed'));
    expect(aliceCard.ephemeralTo).toBe(alice.id);
    expect(read(aliceCard)).toMatch(/score 3\/4/);
    const bobCard = await fake.waitUntil(() => fake.messages.find((m) => read(m).includes('interviewed you')));
    expect(fake.world.channels.get(bobCard.channelId)!.type).toBe(1);
    expect(await fake.waitUntil(() => fake.publicMessages(question.channelId).find((m) => read(m).includes('Interview finished')))).toBeDefined();

    for (const m of fake.messages) expect(pingsAnyone(m.pings)).toBe(false);
    expect(fake.requests.filter((r) => r.status >= 400)).toEqual([]);
  });
});
