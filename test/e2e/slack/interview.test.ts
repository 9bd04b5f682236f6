/**
 * Mock interviews on Slack: real core + SQLite, the real Bolt app (Socket Mode)
 * through the adapter, the fake Slack on 127.0.0.1. Solo: ephemeral questions,
 * modal answers, a private scorecard. Peer: a thread under the bot's message,
 * the interviewer's panel ephemeral to them, buttons refused to a third person.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/store/db.ts';
import { CHANNEL_QUESTION, CONCURRENCY_TOPIC, MUTEX_QUESTION, REFERENCE, startCore } from '../core-rig.ts';
import { FakeSlack, type SurfaceMessage } from '../../fakes/slack/index.ts';
import { startRig, type SlackRig } from './harness.ts';

let rig: SlackRig | undefined;
let db: Db | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
  db?.close();
  db = undefined;
});

async function startBot() {
  const core = await startCore({ questions: [MUTEX_QUESTION, CHANNEL_QUESTION], topics: [CONCURRENCY_TOPIC] });
  db = core.db;
  rig = await startRig('socket', core.bot.handle, { commands: core.bot.commands, clock: core.clock });
  core.bindOutbound(rig.adapter);
  return rig.fake;
}

const read = (m: SurfaceMessage) => FakeSlack.render(m).replace(/\*/g, '');
const newest = (fake: FakeSlack, user: string, needle: string | RegExp) => () =>
  [...fake.visibleTo(user)].reverse().find((m) => (typeof needle === 'string' ? read(m).includes(needle) : needle.test(read(m))));

describe('mock interviews on Slack (Socket Mode, real Bolt)', () => {
  it('solo: ephemeral questions, modal answers, rating, and a private scorecard', async () => {
    const fake = await startBot();
    await fake.slash('U0ALICE', 'C0GENERAL', '/interview start concurrency questions:2 minutes:10');
    const q1 = await fake.waitFor(newest(fake, 'U0ALICE', 'Question 1/2 · 10 min left'));
    expect(q1.to).toBe('U0ALICE');
    const answers = ['A lock: one goroutine gets exclusive access; unlock with defer.', 'A typed pipe between goroutines.'];
    for (const [k, answer] of answers.entries()) {
      const q = await fake.waitFor(() =>
        [...fake.visibleTo('U0ALICE')].reverse().find((m) => read(m).includes(`Question ${k + 1}/2`) && FakeSlack.buttons(m.blocks).some((b) => b.label === 'Answer')),
      );
      await fake.click('U0ALICE', q, { label: 'Answer' });
      const modal = await fake.waitFor(() => fake.lastOpenView('U0ALICE'));
      await fake.submitView('U0ALICE', modal, answer);
      const reveal = await fake.waitFor(() => [...fake.visibleTo('U0ALICE')].reverse().find((m) => read(m).includes(`Question ${k + 1}/2`) && read(m).includes('Key points covered')));
      expect(reveal.to).toBe('U0ALICE');
      await fake.click('U0ALICE', reveal, { label: 'Good' });
    }
    const card = await fake.waitFor(newest(fake, 'U0ALICE', 'Scorecard: 2-question mock interview'));
    expect(card.to).toBe('U0ALICE');
    expect(read(card)).toMatch(/2\. What is a channel\? — answered, coverage 100%, Good/);
    await fake.waitFor(newest(fake, 'U0BOB', 'finished a 2-question mock interview'));
    for (const m of fake.visibleTo('U0BOB')) expect(read(m)).not.toMatch(/exclusive access|Scorecard/);
    expect(fake.allBotText().join('\n')).not.toMatch(/<[!@#]/);
  });

  it('peer: the questions go to a thread, the panel only to the interviewer, others are refused, the candidate gets the scorecard by DM', async () => {
    const fake = await startBot();
    await fake.slash('U0BOB', 'C0GENERAL', '/streak');
    await fake.waitFor(newest(fake, 'U0BOB', 'streak'));
    await fake.slash('U0ALICE', 'C0GENERAL', '/interview peer <@U0BOB|bob> concurrency questions:1');
    const question = await fake.waitFor(() => fake.visibleTo('U0ADMIN').find((m) => m.threadTs !== undefined && read(m).includes('What is a mutex?')));
    expect(question.kind).toBe('message');
    const parent = fake.visibleTo('U0ADMIN').find((m) => m.ts === question.threadTs)!;
    expect(read(parent)).toContain('is interviewing');
    expect(read(question)).not.toContain(REFERENCE);
    const panel = await fake.waitFor(newest(fake, 'U0ALICE', 'only you see this'));
    expect(panel.to).toBe('U0ALICE');
    expect(read(panel)).toContain(REFERENCE);
    expect(fake.visibleTo('U0BOB').some((m) => read(m).includes(REFERENCE))).toBe(false);

    await fake.click('U0ADMIN', question, { label: 'Answer' });
    const refused = await fake.waitFor(newest(fake, 'U0ADMIN', /interview; only they can use its buttons/));
    expect(refused.to).toBe('U0ADMIN');
    expect(fake.lastOpenView('U0ADMIN')).toBeUndefined();

    await fake.click('U0BOB', question, { label: 'Answer' });
    const modal = await fake.waitFor(() => fake.lastOpenView('U0BOB'));
    await fake.submitView('U0BOB', modal, 'A lock for exclusive access <!channel>');
    const typed = await fake.waitFor(() => fake.visibleTo('U0ADMIN').find((m) => m.threadTs === question.threadTs && read(m).includes('answered Question 1/1')));
    expect(typed.kind).toBe('message');

    await fake.click('U0ALICE', panel, { label: '4 Strong hire' });
    const aliceCard = await fake.waitFor(newest(fake, 'U0ALICE', 'You interviewed'));
    expect(aliceCard.to).toBe('U0ALICE');
    const bobCard = await fake.waitFor(() => fake.visibleTo('U0BOB').find((m) => read(m).includes('interviewed you')));
    expect(bobCard.kind).toBe('message');
    expect(fake.visibleTo('U0ADMIN').some((m) => read(m).includes('interviewed you'))).toBe(false);
    expect(fake.allBotText().join('\n')).not.toMatch(/<[!@#]/);
    const failed = fake.calls.filter((c) => c.method !== 'response_url' && c.response.ok !== true);
    expect(failed).toEqual([]);
  });
});
