import { describe, expect, it } from 'vitest';
import { homeView } from '../../../src/core/home.ts';
import { createHarness, plain, type Person } from './harness.ts';

const alice: Person = { id: 'U1', name: 'Alice' };
const ctx = { platform: 'slack', workspaceId: 'T1', conversationId: 'slack:T1:D1', isDirect: true, actorIsAdmin: false } as const;
const actor = { platform: 'slack', id: 'slack:T1:U1', displayName: 'Alice' } as const;

describe('home view (Slack App Home)', () => {
  it('shows the streak and what is due, and its button starts practice', async () => {
    const h = await createHarness();
    const before = await homeView(h.bot.services, { ...ctx, actor });
    expect(plain(before)).toMatch(/🔥 0 days/);
    expect(plain(before)).toMatch(/Not answered today/);

    await h.practise(alice, 'A lock giving one goroutine exclusive access', 'concurrency');
    const after = await homeView(h.bot.services, { ...ctx, actor });
    expect(plain(after)).toMatch(/🔥 1 day\b/);
    expect(plain(after)).toMatch(/Today is done/);

    const button = after.actions?.[0];
    expect(button).toBeDefined();
    const pressed = await h.press(alice, button!.id, button!.value);
    const question = pressed.replies.find((r) => r.message.actions?.some((a) => a.id === 'answer'));
    expect(question, pressed.texts().join(' | ')).toBeDefined();
  });
});
