import { describe, expect, it } from 'vitest';
import { createHarness, plain, type Person } from './harness.ts';

const MIN = 60_000;
const alice: Person = { id: 'U1', name: 'Alice' };
const aliceOnDiscord: Person = { id: 'D9', name: 'alice', platform: 'discord', workspace: 'G1' };
const bobOnDiscord: Person = { id: 'D10', name: 'bob', platform: 'discord', workspace: 'G1' };
const onDiscord = { conversationId: 'discord:G1:C7' };

async function issueCode(h: Awaited<ReturnType<typeof createHarness>>): Promise<string> {
  const issued = await h.command(alice, 'link');
  return /\b([A-Z2-9]{6})\b/.exec(plain(issued.replies[0]!.message))![1]!;
}

async function redeem(h: Awaited<ReturnType<typeof createHarness>>, who: Person, code: string) {
  const r = await h.command(who, 'link', { code }, onDiscord);
  expect(r.replies).toHaveLength(1);
  expect(r.replies[0]!.visibility).toBe('private');
  return plain(r.replies[0]!.message);
}

// Any well-formed code other than the one issued: issued codes are random.
const otherThan = (code: string) => (code === 'ZZZZZZ' ? 'YYYYYY' : 'ZZZZZZ');

describe('/link CODE attempt limit', () => {
  it('after 5 wrong codes refuses even the right one, privately and saying when to retry; then works again', async () => {
    const h = await createHarness();
    const code = await issueCode(h);
    const bad = otherThan(code);
    for (let i = 0; i < 5; i++) expect(await redeem(h, aliceOnDiscord, bad)).toMatch(/not valid/);

    const refused = await redeem(h, aliceOnDiscord, code);
    expect(refused).toMatch(/too many wrong link codes/i);
    expect(refused).toMatch(/try again in 15 minutes/i);
    h.clock.advance(5 * MIN);
    expect(await redeem(h, aliceOnDiscord, code)).toMatch(/try again in 10 minutes/i);

    // The first code expired meanwhile (10 minutes); a fresh one links once the window has passed.
    h.clock.advance(10 * MIN);
    const fresh = await issueCode(h);
    expect(await redeem(h, aliceOnDiscord, fresh)).toMatch(/^Linked/);
  });

  it('does not hold one person’s mistakes against another account', async () => {
    const h = await createHarness();
    const code = await issueCode(h);
    const bad = otherThan(code);
    for (let i = 0; i < 5; i++) await redeem(h, bobOnDiscord, bad);
    expect(await redeem(h, bobOnDiscord, bad)).toMatch(/too many/i);
    expect(await redeem(h, aliceOnDiscord, code)).toMatch(/^Linked/);
  });

  it('does not count input that is not shaped like a code', async () => {
    const h = await createHarness();
    const code = await issueCode(h);
    for (let i = 0; i < 10; i++) expect(await redeem(h, aliceOnDiscord, 'nope!')).toMatch(/not a link code/);
    expect(await redeem(h, aliceOnDiscord, code)).toMatch(/^Linked/);
  });
});
