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

const seen = (fake: FakeSlack, user: string, text: string) => () => fake.visibleTo(user).find((m) => FakeSlack.render(m).includes(text));

describe('/settings on Slack (real Bolt over the fake, real core + SQLite)', () => {
  it('changes the daily caps privately, refuses bad values with a reason, and /ask says the load left', async () => {
    const core = await startCore();
    db = core.db;
    rig = await startRig('socket', core.bot.handle, { commands: core.bot.commands, clock: core.clock });
    const { fake } = rig;

    await fake.slash('U0ALICE', 'C0GENERAL', '/settings reviews:20 new:2');
    const saved = await fake.waitFor(seen(fake, 'U0ALICE', 'Saved'));
    expect(saved.to).toBe('U0ALICE'); // ephemeral: only Alice sees her settings
    expect(FakeSlack.render(saved)).toContain('reviews: 20 reviews a day (yours)');
    expect(FakeSlack.render(saved)).toContain('new: 2 new a day (yours)');
    expect(fake.visibleTo('U0BOB').some((m) => FakeSlack.render(m).includes('Saved'))).toBe(false);

    // The same command through the /prep umbrella, with a value out of range.
    await fake.slash('U0ALICE', 'C0GENERAL', '/prep settings reviews:900');
    const refused = await fake.waitFor(seen(fake, 'U0ALICE', 'Nothing was changed'));
    expect(FakeSlack.render(refused)).toContain('reviews must be from 0 to 500 a day; 900 is out of range');

    await fake.slash('U0ALICE', 'C0GENERAL', '/settings');
    const shown = await fake.waitFor(seen(fake, 'U0ALICE', 'Your practice settings'));
    expect(FakeSlack.render(shown)).toContain('reviews: 20 reviews a day (yours)');
    expect(FakeSlack.render(shown)).toContain('0 of 2 new rated');

    await fake.slash('U0ALICE', 'C0GENERAL', '/ask');
    const load = await fake.waitFor(seen(fake, 'U0ALICE', 'After this one'));
    expect(load.to).toBe('U0ALICE');
    expect(FakeSlack.render(load)).toContain('After this one: 0 reviews due, 0 new left today.'); // the rig's bank holds one question
    await fake.waitFor(seen(fake, 'U0BOB', 'What is a mutex?')); // the question itself is public

    // The day start, typed; then hiding from the boards, a typo first (the text parser checks choices).
    await fake.slash('U0ALICE', 'C0GENERAL', '/daystart 4');
    const day = await fake.waitFor(seen(fake, 'U0ALICE', 'Your practice day now starts at 04:00'));
    expect(day.to).toBe('U0ALICE');
    await fake.slash('U0ALICE', 'C0GENERAL', '/settings boards:of');
    await fake.waitFor(seen(fake, 'U0ALICE', 'Did you mean boards:off?'));
    await fake.slash('U0ALICE', 'C0GENERAL', '/settings boards:off');
    await fake.waitFor(seen(fake, 'U0ALICE', 'you are hidden from every board'));

    const failed = fake.calls.filter((c) => c.method !== 'response_url' && c.response.ok !== true);
    expect(failed).toEqual([]);
  });
});
