/**
 * Hostile and careless input on Slack: the real core + SQLite, the real Slack
 * adapter with Bolt inside, the fake Slack on 127.0.0.1 (Socket Mode). Every
 * assertion is about what a person sees, or what was stored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack, type SurfaceMessage } from '../../fakes/slack/index.ts';
import { startRig, type SlackRig } from '../slack/harness.ts';
import { EVERYTHING, HOSTILE, PROMPT, RAW_CONTROL, REFERENCE, startCore, type CoreRig } from './setup.ts';

let rig: SlackRig | undefined;
let core: CoreRig | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
  core?.close();
  core = undefined;
});

async function start() {
  core = await startCore();
  rig = await startRig('socket', core.bot.handle, { commands: core.bot.commands, clock: core.clock });
  return rig.fake;
}

const text = (m: SurfaceMessage) => FakeSlack.render(m);
/**
 * Slack shows entities (mrkdwn sections) as the characters they stand for; in rich_text
 * blocks (user text) the joiner kept after `<` as a second guard against pings is invisible.
 */
const shown = (m: SurfaceMessage) => text(m).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/<\u200D/g, '<');

/** The next thing `user` sees after `before` things, private or public. */
async function nextSeen(fake: FakeSlack, user: string, before: number): Promise<SurfaceMessage> {
  return fake.waitFor(() => fake.visibleTo(user)[before]);
}

/** Types a command and returns the one reply Alice gets; asserts nobody else saw anything. */
async function privateReplyTo(fake: FakeSlack, line: string): Promise<string> {
  const aliceBefore = fake.visibleTo('U0ALICE').length;
  const bobBefore = fake.visibleTo('U0BOB').length;
  await fake.slash('U0ALICE', 'C0GENERAL', line);
  const reply = await nextSeen(fake, 'U0ALICE', aliceBefore);
  expect(reply.to, `reply to ${line} must be private`).toBe('U0ALICE');
  expect(fake.visibleTo('U0BOB').length, `Bob must see nothing of ${line}`).toBe(bobBefore);
  return shown(reply);
}

function noPingsOrControls(fake: FakeSlack): void {
  for (const t of fake.allBotText()) {
    expect(t).not.toMatch(/<[!@#]/);
    expect(t).not.toMatch(RAW_CONTROL);
  }
  const failed = fake.calls.filter((c) => c.method !== 'response_url' && c.response.ok !== true);
  expect(failed).toEqual([]);
}

async function askAndOpenForm(fake: FakeSlack, user = 'U0ALICE') {
  const before = fake.visibleTo(user).length;
  await fake.slash(user, 'C0GENERAL', '/ask concurrency');
  const question = await fake.waitFor(() => fake.visibleTo(user).slice(before).find((m) => text(m).includes(PROMPT)));
  await fake.click(user, question, { actionId: 'answer' });
  const modal = await fake.waitFor(() => fake.lastOpenView(user));
  return { question, modal };
}

describe('bad commands on Slack get a clear private reply', () => {
  it('unknown, missing, wrong and malformed options', async () => {
    const fake = await start();
    // Slack itself refuses unregistered slash commands; the /prep form is where a typo reaches the bot.
    expect(await privateReplyTo(fake, '/prep aks')).toMatch(/aks[\s\S]*\bask\b/);
    expect(await privateReplyTo(fake, '/timezone')).toMatch(/zone/);
    expect(await privateReplyTo(fake, '/timezone Mars/Base')).toMatch(/Mars\/Base[\s\S]*Europe\/Berlin/);
    expect(await privateReplyTo(fake, '/leaderboard scope:planet')).toMatch(/planet[\s\S]*channel[\s\S]*workspace[\s\S]*global/);
    expect(await privateReplyTo(fake, '/link ZZZZZZ')).toMatch(/not valid/i);
    expect(await privateReplyTo(fake, '/link nope!')).toMatch(/K7QX2M|6 letters/);
    expect(await privateReplyTo(fake, '/answer')).toMatch(/answer/i);
    // The user's own typo is echoed back literally, never as markup.
    expect(await privateReplyTo(fake, '/timezone <!channel>')).toContain('<!channel>');
    noPingsOrControls(fake);
  });
});

describe('hostile answers on Slack', () => {
  it('empty-looking answers are refused privately and store nothing', async () => {
    const fake = await start();
    const { question } = await askAndOpenForm(fake);
    for (const blank of ['   ', '\n\t\n', '\u001b[0m']) {
      const before = fake.visibleTo('U0ALICE').length;
      const opened = fake.views.size;
      await fake.click('U0ALICE', question, { actionId: 'answer' });
      const modal = await fake.waitFor(() => fake.views.size > opened && fake.lastOpenView('U0ALICE'));
      await fake.submitView('U0ALICE', modal, blank);
      const reply = await nextSeen(fake, 'U0ALICE', before);
      expect(reply.to).toBe('U0ALICE');
      expect(shown(reply)).toMatch(/empty/i);
      expect(shown(reply)).not.toContain(REFERENCE);
    }
    expect(await core!.storedAnswers()).toEqual([]);
    // /answer with only spaces: Slack trims the text; the parser calls it missing.
    expect(await privateReplyTo(fake, '/answer      ')).toMatch(/answer/i);
    expect(await core!.storedAnswers()).toEqual([]);
  });

  it('markup, mentions and control characters: stored as typed, shown inert, reference only to the answerer', async () => {
    const fake = await start();
    const { modal } = await askAndOpenForm(fake);
    await fake.submitView('U0ALICE', modal, EVERYTHING);
    const reveal = await fake.waitFor(() => fake.visibleTo('U0ALICE').find((m) => text(m).includes(REFERENCE)));
    expect(reveal.to).toBe('U0ALICE');
    await fake.waitFor(() => fake.visibleTo('U0BOB').find((m) => text(m).includes('answered')));

    expect(await core!.storedAnswers()).toEqual([EVERYTHING]);
    const echo = shown(reveal);
    // Literal, readable text: the link is not a link, the script is not stripped, the fence is not a block.
    expect(echo).toContain('[x](javascript:alert(1))');
    expect(echo).toContain('<script>alert(1)</script>');
    expect(echo).toContain('||spoiler||');
    expect(echo).toContain('<https://evil.example|click>');
    expect(echo).toContain('RED');
    expect(fake.visibleTo('U0BOB').some((m) => text(m).includes(REFERENCE) || text(m).includes('javascript'))).toBe(false);
    noPingsOrControls(fake);
  });

  it('a 100 KB /answer is refused with its size; a 3,000-character answer with mentions is accepted and split safely', async () => {
    const fake = await start();
    const { modal } = await askAndOpenForm(fake);
    const huge = 'x'.repeat(100_000);
    expect(await privateReplyTo(fake, `/answer ${huge}`)).toMatch(/100000|100,000/);
    expect(await core!.storedAnswers()).toEqual([]);

    // The refused /answer left the question open: the form still takes an answer.
    const long = `${HOSTILE.slackMarkup} `.repeat(40).slice(0, 3000);
    await fake.submitView('U0ALICE', modal, long);
    await fake.waitFor(() => fake.visibleTo('U0ALICE').find((m) => text(m).includes(REFERENCE)));
    expect(await core!.storedAnswers()).toEqual([long]);
    noPingsOrControls(fake);
  });

  it('/answer keeps the answer as typed: line breaks, spacing, quotes and a leading word with a colon', async () => {
    const fake = await start();
    await askAndOpenForm(fake);
    const typed = 'test: a "lock"  that\nserialises   access';
    const before = fake.visibleTo('U0ALICE').length;
    await fake.slash('U0ALICE', 'C0GENERAL', `/answer ${typed}`);
    const reply = await nextSeen(fake, 'U0ALICE', before);
    expect(reply.to).toBe('U0ALICE');
    expect(shown(reply)).toContain(REFERENCE);
    expect(await core!.storedAnswers()).toEqual([typed]);
  });
});

describe('names, other people’s buttons and double submits on Slack', () => {
  it('a display name full of pings and markup is shown inert in the channel note and the leaderboard', async () => {
    const fake = await start();
    fake.users.set('U0EVE', { id: 'U0EVE', name: '<!channel> @here <@U0BOB> <!subteam^S1> *eve*' });
    fake.channels.get('C0GENERAL')!.members.add('U0EVE');
    const { modal } = await askAndOpenForm(fake, 'U0EVE');
    await fake.submitView('U0EVE', modal, 'a lock');
    const note = await fake.waitFor(() => fake.visibleTo('U0BOB').find((m) => text(m).includes('answered')));
    expect(shown(note)).toContain('<!channel> @\u200Dhere <@U0BOB> <!subteam^S1> *eve*');
    await fake.slash('U0BOB', 'C0GENERAL', '/leaderboard');
    const board = await fake.waitFor(() => fake.visibleTo('U0BOB').find((m) => /leaderboard/i.test(text(m))));
    expect(shown(board)).toContain('<!channel> @\u200Dhere <@U0BOB>');
    noPingsOrControls(fake);
  });

  it('Bob pressing Alice’s rating buttons rates nothing; a second submit of the same question counts once', async () => {
    const fake = await start();
    const { question, modal } = await askAndOpenForm(fake);
    // Double click: a second Answer press opens a second form on the same attempt.
    await fake.click('U0ALICE', question, { actionId: 'answer' });
    const second = await fake.waitFor(() => {
      const v = fake.lastOpenView('U0ALICE');
      return v && v.id !== modal.id ? v : undefined;
    });
    await fake.submitView('U0ALICE', modal, 'first: a lock');
    const reveal = await fake.waitFor(() => fake.visibleTo('U0ALICE').find((m) => text(m).includes(REFERENCE)));
    // The channel's "answered" note follows the reveal; count from after it.
    await fake.waitFor(() => fake.visibleTo('U0ALICE').find((m) => text(m).includes('answered')));
    const before = fake.visibleTo('U0ALICE').length;
    await fake.submitView('U0ALICE', second, 'second: a lock');
    const again = await nextSeen(fake, 'U0ALICE', before);
    expect(again.to).toBe('U0ALICE');
    expect(shown(again)).toMatch(/already answered/i);
    expect(await core!.storedAnswers()).toEqual(['first: a lock']);

    // Bob never sees the private reveal; a forged click with its button value is refused.
    expect(fake.visibleTo('U0BOB').some((m) => m.seq === reveal.seq)).toBe(false);
    const bobBefore = fake.visibleTo('U0BOB').length;
    await fake.click('U0BOB', reveal, { label: 'Easy' });
    const refused = await nextSeen(fake, 'U0BOB', bobBefore);
    expect(refused.to).toBe('U0BOB');
    expect(shown(refused)).toMatch(/someone else/i);
    expect(shown(refused)).not.toContain(REFERENCE);
    // Alice can still rate her own answer afterwards.
    await fake.click('U0ALICE', reveal, { label: 'Good' });
    await fake.waitFor(() => fake.visibleTo('U0ALICE').find((m) => /next review/i.test(text(m))));
    noPingsOrControls(fake);
  });
});
