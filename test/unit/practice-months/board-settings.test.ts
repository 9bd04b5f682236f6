import { describe, expect, it } from 'vitest';
import { createHarness, DAY, plain, type Person } from '../core/harness.ts';

const alice: Person = { id: 'U1', name: 'Alice' };
const bob: Person = { id: 'U2', name: 'Bob' };
const eve: Person = { id: 'E1', name: 'Eve', platform: 'discord', workspace: 'G1' };
const ANSWER = 'A mutex is a lock giving one goroutine exclusive access.';

const board = async (h: Awaited<ReturnType<typeof createHarness>>, who: Person, scope: string, period = 'all') =>
  plain((await h.command(who, 'leaderboard', { scope, period })).replies[0]!.message);

describe('/settings boards and global-board', () => {
  it('boards:off hides a person from every board, keeps the streak, and boards:on shows them again', async () => {
    const h = await createHarness();
    await h.practise(alice, ANSWER);
    await h.practise(bob, ANSWER);
    expect(await board(h, bob, 'channel')).toMatch(/Alice/);

    const off = await h.command(alice, 'settings', { boards: 'off' });
    expect(off.replies[0]!.visibility).toBe('private');
    expect(off.texts()[0]).toContain('hidden from every board');
    expect(await board(h, bob, 'channel')).not.toMatch(/Alice/);
    expect(await board(h, bob, 'workspace')).not.toMatch(/Alice/);
    expect(plain((await h.command(alice, 'streak')).replies[0]!.message)).toMatch(/🔥 1 day/);
    expect((await h.command(alice, 'settings')).texts()[0]).toContain('boards: off (yours)');

    await h.command(alice, 'settings', { boards: 'on' });
    expect(await board(h, bob, 'channel')).toMatch(/Alice/);
  });

  it('the global board shows only people who opted in with global-board:on, across workspaces', async () => {
    const h = await createHarness();
    await h.practise(alice, ANSWER);
    await h.practise(eve, ANSWER, undefined, { conversationId: 'discord:G1:C1' });
    expect(await board(h, alice, 'global')).not.toMatch(/Eve|Alice ·/);

    const joined = await h.command(eve, 'settings', { 'global-board': 'on' }, { conversationId: 'discord:G1:C1' });
    expect(joined.texts()[0]).toContain('you are on the global board');
    const global = await board(h, alice, 'global');
    expect(global).toMatch(/Eve/);
    expect(global).not.toMatch(/Alice ·/);
    expect(global).toMatch(/You are not on the global board/);
  });

  it('refuses words other than on/off and scope:workspace, changing nothing', async () => {
    const h = await createHarness();
    await h.practise(alice, ANSWER);
    const r = await h.command(alice, 'settings', { boards: 'maybe', 'global-board': 'on' });
    expect(r.texts()[0]).toContain('Nothing was changed');
    expect(r.texts()[0]).toContain('boards takes on or off, not “maybe”');
    expect(await board(h, bob, 'global')).not.toMatch(/Alice ·/);
    const ws = await h.command(alice, 'settings', { boards: 'off', scope: 'workspace' }, { actorIsAdmin: true });
    expect(ws.texts()[0]).toContain('each person’s own choice');
    expect(await board(h, bob, 'channel')).toMatch(/Alice/);
  });
});

describe('the board and breaks', () => {
  it('someone on a long break keeps their place by streak, marked as away, though they last answered weeks ago', async () => {
    const h = await createHarness();
    for (let d = 0; d < 3; d++) {
      await h.practise(alice, ANSWER);
      h.clock.advance(DAY);
    }
    await h.command(alice, 'break', { length: '20d' });
    h.clock.advance(12 * DAY);
    // Twelve people active today, each with more answers than Alice but a 1-day streak: the top 10
    // by streak fills without her unless the board looks back past her break.
    const crowd: Person[] = Array.from({ length: 12 }, (_, i) => ({ id: `P${i}`, name: `Crowd${String(i).padStart(2, '0')}` }));
    for (const p of crowd) for (let k = 0; k < 4; k++) await h.practise(p, ANSWER);
    const reply = (await h.command(bob, 'leaderboard', { scope: 'channel', period: 'all' })).replies[0]!;
    const lines = reply.message.body.children.map((n) => plain({ body: { type: 'root', children: [n] } })).filter((l) => /^\d+\./.test(l));
    expect(lines[0]).toMatch(/^1\. Alice · 🔥 3 · 3 answers · 🏖 on a break until/);
    expect(lines).toHaveLength(10);
  });
});
