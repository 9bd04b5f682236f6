import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/store/db.ts';
import { REFERENCE, startCore } from '../core-rig.ts';
import { FakeSlack } from '../../fakes/slack/index.ts';
import { startRig, type SlackRig } from './harness.ts';
import { createMemoryAdapter } from '../../../src/chat/memory-adapter.ts';

let rig: SlackRig | undefined;
let db: Db | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
  db?.close();
  db = undefined;
});

async function startBot(mode: 'socket' | 'http') {
  const core = await startCore();
  db = core.db;
  const { bot, clock } = core;
  rig = await startRig(mode, bot.handle, { commands: bot.commands, clock });
  return { fake: rig.fake, bot };
}

const seen = (fake: FakeSlack, user: string, text: string) => () => fake.visibleTo(user).find((m) => FakeSlack.render(m).includes(text));

describe.each(['socket', 'http'] as const)('full practice flow on Slack (%s mode, real core + SQLite)', (mode) => {
  it('/ask concurrency → Answer → modal → private reveal → rating → /streak', async () => {
    const { fake } = await startBot(mode);

    await fake.slash('U0ALICE', 'C0GENERAL', '/ask concurrency');
    const question = await fake.waitFor(seen(fake, 'U0ALICE', 'What is a mutex?'));
    expect(question.kind).toBe('message'); // the question is public in the channel
    expect(FakeSlack.render(question)).not.toContain(REFERENCE);

    await fake.click('U0ALICE', question, { actionId: 'answer' });
    const modal = await fake.waitFor(() => fake.lastOpenView('U0ALICE'));
    expect(JSON.stringify(modal.view)).toContain('What is a mutex?');
    const submission = await fake.submitView('U0ALICE', modal, 'It is a lock; one goroutine gets exclusive access. <!channel>');
    expect(submission.status).toBe(200);

    const reveal = await fake.waitFor(seen(fake, 'U0ALICE', REFERENCE));
    expect(reveal.to).toBe('U0ALICE');
    expect(FakeSlack.render(reveal)).toContain('```\nmu.Lock()\ndefer mu.Unlock()\n```');
    await fake.waitFor(seen(fake, 'U0BOB', 'answered'));
    // Bob shares the channel but never sees the reference answer.
    expect(fake.visibleTo('U0BOB').some((m) => FakeSlack.render(m).includes(REFERENCE))).toBe(false);

    await fake.click('U0ALICE', reveal, { label: 'Good' });
    await fake.waitFor(seen(fake, 'U0ALICE', 'Next review'));

    await fake.slash('U0ALICE', 'C0GENERAL', '/streak');
    const streak = await fake.waitFor(seen(fake, 'U0ALICE', 'streak'));
    expect(FakeSlack.render(streak)).toMatch(/1 day\b/);

    expect(fake.allBotText().join('\n')).not.toMatch(/<[!@#]/);
    const failed = fake.calls.filter((c) => c.method !== 'response_url' && c.response.ok !== true);
    expect(failed).toEqual([]);
  });

  it('a retried modal submission does not count the answer twice', async () => {
    const { fake } = await startBot(mode);
    await fake.slash('U0ALICE', 'C0GENERAL', '/ask concurrency');
    const question = await fake.waitFor(seen(fake, 'U0ALICE', 'What is a mutex?'));
    await fake.click('U0ALICE', question, { actionId: 'answer' });
    const modal = await fake.waitFor(() => fake.lastOpenView('U0ALICE'));
    await fake.submitView('U0ALICE', modal, 'a lock');
    await fake.waitFor(seen(fake, 'U0ALICE', REFERENCE));
    // Slack redelivers the same submission (same view id), e.g. after a lost ack.
    modal.open = true;
    await fake.submitView('U0ALICE', modal, 'a lock');
    await fake.slash('U0ALICE', 'C0GENERAL', '/stats');
    // /stats runs after the redelivery was processed, and counts what was stored.
    const stats = await fake.waitFor(seen(fake, 'U0ALICE', 'Your practice'));
    expect(FakeSlack.render(stats)).toContain('1 answered');
    const reveals = fake.visibleTo('U0ALICE').filter((m) => FakeSlack.render(m).includes(REFERENCE));
    expect(reveals).toHaveLength(1);
    expect(fake.visibleTo('U0BOB').filter((m) => FakeSlack.render(m).includes('answered'))).toHaveLength(1);
  });
});

describe('one person across platforms', () => {
  it('a Slack account linked to another platform’s person shows that person’s streak', async () => {
    const { fake, bot } = await startBot('socket');
    // The other platform: the in-memory adapter on the same bot and database (as Discord/console would be).
    const other = createMemoryAdapter({ workspace: 'W1', channel: 'C1', commands: bot.commands });
    await other.start(bot.handle);
    await other.command('ask', { topic: 'concurrency' }, { user: 'al' });
    await other.pressButton('Answer', { user: 'al' });
    await other.submitLastForm('a lock for exclusive access', { user: 'al' });
    const issued = await other.command('link', {}, { user: 'al' });
    const code = /Your link code: \**([A-Z0-9]{6})/.exec(issued.replies.map((r) => r.text).join('\n'))?.[1];
    expect(code, issued.replies.map((r) => r.text).join('|')).toBeDefined();

    await fake.slash('U0ALICE', 'C0GENERAL', `/link ${code}`);
    await fake.waitFor(() => fake.visibleTo('U0ALICE').find((m) => m.to === 'U0ALICE'));
    await fake.slash('U0ALICE', 'C0GENERAL', '/streak');
    const streak = await fake.waitFor(seen(fake, 'U0ALICE', 'Your streak'));
    // Alice never answered on Slack: the day she has is the one from the other platform.
    expect(FakeSlack.render(streak)).toMatch(/1 day\b/);
    await other.stop();
  });
});
