import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/store/db.ts';
import { startCore } from '../core-rig.ts';
import { FakeSlack } from '../../fakes/slack/index.ts';
import { startRig, type SlackRig } from './harness.ts';

let rig: SlackRig | undefined;
let db: Db | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
  db?.close();
  db = undefined;
});

const seen = (fake: FakeSlack, user: string, text: string | RegExp) => () =>
  fake.visibleTo(user).find((m) => (typeof text === 'string' ? FakeSlack.render(m).includes(text) : text.test(FakeSlack.render(m))));

describe('/break and /streak on Slack (Socket Mode, real Bolt, real core + SQLite)', () => {
  it('a break keeps the streak; an admin’s audited repair shows in /streak; a non-admin is refused', async () => {
    const core = await startCore();
    db = core.db;
    rig = await startRig('socket', core.bot.handle, { commands: core.bot.commands, clock: core.clock });
    const { fake } = rig;

    // 10 Mar: Alice answers, then takes three days off.
    await fake.slash('U0ALICE', 'C0GENERAL', '/ask concurrency');
    const question = await fake.waitFor(seen(fake, 'U0ALICE', 'What is a mutex?'));
    await fake.click('U0ALICE', question, { actionId: 'answer' });
    const modal = await fake.waitFor(() => fake.lastOpenView('U0ALICE'));
    await fake.submitView('U0ALICE', modal, 'A lock that gives one goroutine exclusive access.');
    await fake.waitFor(seen(fake, 'U0ALICE', 'Streak: 1 day'));
    await fake.slash('U0ALICE', 'C0GENERAL', '/break 3d');
    const started = await fake.waitFor(seen(fake, 'U0ALICE', 'Enjoy your break'));
    expect(started.to).toBe('U0ALICE'); // private
    expect(FakeSlack.render(started)).toContain('3 days, 10 Mar–12 Mar');

    // 12 Mar: still on the break; Bob sees it in /streak @alice.
    core.clock.set('2025-03-12T10:00:00Z');
    await fake.slash('U0BOB', 'C0GENERAL', '/streak <@U0ALICE|alice>');
    const during = await fake.waitFor(seen(fake, 'U0BOB', /On a break until 12 Mar/));
    expect(FakeSlack.render(during)).toMatch(/🔥 1 day/);

    // 14 Mar: the 13th was missed. Bob may not repair it; the admin may, with a reason, audited.
    core.clock.set('2025-03-14T10:00:00Z');
    await fake.slash('U0BOB', 'C0GENERAL', '/streak repair <@U0ALICE|alice> 2025-03-13 Slack ate her answer');
    const refused = await fake.waitFor(seen(fake, 'U0BOB', 'Only workspace admins can repair'));
    expect(refused.to).toBe('U0BOB');
    await fake.slash('U0ADMIN', 'C0GENERAL', '/streak repair <@U0ALICE|alice> 2025-03-13 Slack ate her answer');
    await fake.waitFor(seen(fake, 'U0ADMIN', 'Repaired: 13 Mar is excused for alice'));
    await fake.slash('U0ALICE', 'C0GENERAL', '/streak');
    const after = await fake.waitFor(seen(fake, 'U0ALICE', /Repairs/));
    const text = FakeSlack.render(after);
    expect(text).toMatch(/🔥 1 day/);
    expect(text).toMatch(/10 Mar–12 Mar excused: on a break/);
    expect(text).toMatch(/2025-03-13 repaired by admin on 2025-03-14: Slack ate her answer/);

    expect(fake.allBotText().join('\n')).not.toMatch(/<[!@#]/);
  });
});
