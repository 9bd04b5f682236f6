/**
 * Hostile and careless input on Discord: the real core + SQLite, the real Discord
 * adapter with discord.js inside, the fake Discord on 127.0.0.1. Discord itself
 * refuses unknown commands, missing required options and values outside the
 * choices; the bot still meets them through stale registrations (a command list
 * from an older or newer version), which is how these tests deliver them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandSpec } from '../../../src/chat/commands.ts';
import { registerDiscordCommands } from '../../../src/adapters/discord/index.ts';
import { pingsAnyone, type FakeDiscord, type FakeMessage } from '../../fakes/discord/index.ts';
import { startHarness, type Harness } from '../discord/harness.ts';
import { EVERYTHING, HOSTILE, PROMPT, RAW_CONTROL, REFERENCE, startCore, type CoreRig } from './setup.ts';

let h: Harness | undefined;
let core: CoreRig | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  core?.close();
  core = undefined;
});

async function start() {
  core = await startCore();
  h = await startHarness(core.bot.commands, core.bot.handle);
  return h;
}

/** Text a user reads: Discord's backslash escapes removed, joiners (invisible) dropped. */
const read = (m: FakeMessage) => m.content.replace(/\\([^0-9A-Za-z\s])/g, '$1').replace(/\u200D/g, '');

/** What the invoker finally sees for interaction `id` (the settled reply, not "thinking…"). */
async function replyTo(fake: FakeDiscord, id: string): Promise<FakeMessage> {
  await fake.waitForResponse(id);
  await h!.adapter.idle();
  return fake.waitUntil(() => fake.messages.find((m) => m.interactionId === id && !m.loading && !m.deleted));
}

function everythingInert(fake: FakeDiscord): void {
  for (const m of fake.messages) {
    expect(pingsAnyone(m.pings), m.content).toBe(false);
    expect(m.content).not.toMatch(RAW_CONTROL);
    // Even with allowed_mentions ignored (a copy-paste, a client bug), the text itself pings nobody.
    expect(m.content).not.toMatch(/(^|[^\\\u200D])@(everyone|here)\b|<@[!&]?\d+>/);
  }
  for (const r of fake.sentMessageBodies()) {
    const am = r.path.endsWith('/callback') ? r.body.data.allowed_mentions : r.body.allowed_mentions;
    expect(am, `${r.method} ${r.path}`).toEqual({ parse: [] });
  }
  expect(fake.requests.filter((r) => r.status >= 400)).toEqual([]);
}

async function askAndOpenForm(fake: FakeDiscord, user = fake.users.alice) {
  const before = fake.messages.length;
  await fake.slash('ask', { topic: 'concurrency' }, { user });
  const question = await fake.waitUntil(() => fake.messages.slice(before).find((m) => read(m).includes(PROMPT) && !m.loading));
  const answer = fake.buttonsOn(question).find((b) => /answer/i.test(b.label ?? ''))!;
  const click = await fake.click(answer.custom_id, question, { user });
  await fake.waitForResponse(click.id);
  return { question, answer, modal: fake.modalsShownTo(user).at(-1) };
}

describe('bad commands on Discord get a clear private reply', () => {
  it('stale registrations: an unknown command, a missing required option, a value outside the choices', async () => {
    const { fake } = await start();
    const specs = core!.bot.commands;
    const stale: CommandSpec[] = [
      ...specs.map((s) =>
        s.name === 'timezone'
          ? { ...s, options: s.options.map((o) => ({ ...o, required: false })) }
          : s.name === 'leaderboard'
            ? { ...s, options: s.options.map(({ choices: _c, ...o }) => o) }
            : s,
      ),
      { name: 'aks', description: 'A typo that once got registered', options: [], permission: 'everyone' },
    ];
    await registerDiscordCommands({ token: fake.token, applicationId: fake.applicationId, commands: stale, restApi: fake.restUrl, guildId: fake.guild.id });

    const cases: [string, Record<string, string>, RegExp][] = [
      ['aks', {}, /\/aks[\s\S]*\/help/],
      ['timezone', {}, /zone/],
      ['timezone', { zone: 'Mars/Base' }, /Mars\/Base[\s\S]*Europe\/Berlin/],
      ['leaderboard', { scope: 'planet' }, /channel[\s\S]*workspace[\s\S]*global/],
      ['link', { code: 'ZZZZZZ' }, /not valid/i],
      ['link', { code: 'nope!' }, /K7QX2M|6 letters/],
      ['timezone', { zone: '@everyone <@&456>' }, /@everyone <@&456>[\s\S]*Europe\/Berlin/],
    ];
    for (const [name, options, expected] of cases) {
      const i = await fake.slash(name, options, { user: fake.users.alice });
      const reply = await replyTo(fake, i.id);
      expect(reply.ephemeralTo, `/${name} ${JSON.stringify(options)}`).toBe(fake.users.alice.id);
      expect(read(reply)).toMatch(expected);
    }
    expect(fake.publicMessages().filter((m) => !m.loading)).toEqual([]);
    everythingInert(fake);
  });
});

describe('hostile answers on Discord', () => {
  it('blank-looking answers are refused privately; nothing is stored', async () => {
    const { fake } = await start();
    const { modal } = await askAndOpenForm(fake);
    for (const blank of ['   ', '\n\t\n', '\u001b[0m\u0007']) {
      const i = await fake.submitModal(modal.custom_id, { answer: blank }, { user: fake.users.alice });
      const reply = await replyTo(fake, i.id);
      expect(reply.ephemeralTo).toBe(fake.users.alice.id);
      expect(read(reply)).toMatch(/empty/i);
      expect(read(reply)).not.toContain(REFERENCE);
    }
    expect(await core!.storedAnswers()).toEqual([]);
    everythingInert(fake);
  });

  it('markup, mentions and control characters: stored as typed, shown literally, reference only to the answerer', async () => {
    const { fake } = await start();
    const { alice, bob } = fake.users;
    const { modal } = await askAndOpenForm(fake);
    const i = await fake.submitModal(modal.custom_id, { answer: EVERYTHING }, { user: alice });
    await fake.waitForResponse(i.id);
    const reveal = await fake.waitUntil(() => fake.messagesVisibleTo(alice).find((m) => read(m).includes(REFERENCE)));
    await h!.adapter.idle();
    expect(reveal.ephemeralTo).toBe(alice.id);
    expect(await core!.storedAnswers()).toEqual([EVERYTHING]);

    const shown = fake.messagesVisibleTo(alice).filter((m) => m.ephemeralTo === alice.id).map(read).join('\n');
    // Literal: Markdown is escaped, so the user reads exactly the characters they typed.
    expect(shown).toContain(HOSTILE.markdown);
    expect(shown).toContain('@everyone @here <@123456789012345678> <@!123456789012345678> <@&456> <#789>');
    expect(shown).toContain('red:RED clear: title: bell:');
    expect(reveal.content).not.toMatch(/(^|[^\\])\*\*bold/);
    expect(reveal.content).not.toMatch(/(^|[^\\])\|\|spoiler/);
    expect(fake.messagesVisibleTo(bob).some((m) => read(m).includes(REFERENCE) || read(m).includes('javascript'))).toBe(false);
    everythingInert(fake);
  });

  it('a 4,000-character answer full of mentions (the modal’s cap) is accepted, stored whole, and pings nobody', async () => {
    const { fake } = await start();
    const { modal } = await askAndOpenForm(fake);
    const long = `${HOSTILE.discordMentions} `.repeat(80).slice(0, 4000);
    const i = await fake.submitModal(modal.custom_id, { answer: long }, { user: fake.users.alice });
    await fake.waitForResponse(i.id);
    await fake.waitUntil(() => fake.messagesVisibleTo(fake.users.alice).find((m) => read(m).includes(REFERENCE)));
    await h!.adapter.idle();
    expect(await core!.storedAnswers()).toEqual([long]);
    for (const m of fake.messages) expect(m.content.length).toBeLessThanOrEqual(2000);
    everythingInert(fake);
  });
});

describe('names, other people’s buttons and double submits on Discord', () => {
  it('a display name full of pings and markup is shown literally and pings nobody', async () => {
    const { fake } = await start();
    const { alice, bob } = fake.users;
    alice.global_name = '@everyone <@&456> **alice** ||x||';
    const { modal } = await askAndOpenForm(fake);
    await fake.submitModal(modal.custom_id, { answer: 'a lock' }, { user: alice });
    const note = await fake.waitUntil(() => fake.messagesVisibleTo(bob).find((m) => read(m).includes('answered')));
    expect(read(note)).toContain('@everyone <@&456> **alice** ||x||');
    const lb = await fake.slash('leaderboard', {}, { user: bob });
    const board = await replyTo(fake, lb.id);
    expect(read(board)).toContain('@everyone <@&456> **alice** ||x||');
    everythingInert(fake);
  });

  it('double-clicking Answer and submitting twice counts one answer; Bob never gets Alice’s rating buttons', async () => {
    const { fake } = await start();
    const { alice, bob } = fake.users;
    const { question, answer, modal } = await askAndOpenForm(fake);
    const again = await fake.click(answer.custom_id, question, { user: alice });
    await fake.waitForResponse(again.id);
    const second = fake.modalsShownTo(alice).at(-1);
    const first = await fake.submitModal(modal.custom_id, { answer: 'first: a lock' }, { user: alice });
    await fake.waitForResponse(first.id);
    const reveal = await fake.waitUntil(() => fake.messagesVisibleTo(alice).find((m) => read(m).includes(REFERENCE)));
    await h!.adapter.idle();
    const dup = await fake.submitModal(second.custom_id, { answer: 'second: a lock' }, { user: alice });
    const reply = await replyTo(fake, dup.id);
    expect(reply.ephemeralTo).toBe(alice.id);
    expect(read(reply)).toMatch(/already answered/i);
    expect(await core!.storedAnswers()).toEqual(['first: a lock']);

    // Rating buttons sit on Alice's ephemeral reveal: Bob cannot see or press them.
    expect(fake.messagesVisibleTo(bob).some((m) => m.id === reveal.id)).toBe(false);
    const good = fake.buttonsOn(reveal).find((b) => b.label === 'Good')!;
    expect(() => fake.click(good.custom_id, reveal, { user: bob })).toThrow(/cannot see/);
    // Bob pressing Answer on Alice's public question gets his own attempt, never her answer.
    const bobClick = await fake.click(answer.custom_id, question, { user: bob });
    await fake.waitForResponse(bobClick.id);
    const bobModal = fake.modalsShownTo(bob).at(-1);
    expect(bobModal.custom_id).not.toBe(modal.custom_id);
    expect(JSON.stringify(bobModal)).not.toContain('first: a lock');
    everythingInert(fake);
  });
});
