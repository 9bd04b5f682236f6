import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../src/chat/parse-text.ts';
import { resolveSettings } from '../../../src/core/practice-settings.ts';
import { loadSection, settingsModuleOf, settingsSpec, type SettingsSection } from '../../../src/core/settings.ts';
import { createHarness, type Person } from '../core/harness.ts';

const amy: Person = { id: 'U1', name: 'amy' };
const boss: Person = { id: 'U9', name: 'boss' };
const admin = { actorIsAdmin: true };

describe('resolveSettings (pure)', () => {
  it('yours, else the workspace default, else the built-in default; out-of-range stored values are clamped', () => {
    expect(resolveSettings({}, {})).toEqual({
      reviewsPerDay: { value: 50, from: 'built-in default' },
      newPerDay: { value: 5, from: 'built-in default' },
    });
    expect(resolveSettings({ newPerDay: 2 }, { newPerDay: 8, reviewsPerDay: 30 })).toEqual({
      reviewsPerDay: { value: 30, from: 'workspace default' },
      newPerDay: { value: 2, from: 'yours' },
    });
    expect(resolveSettings({ reviewsPerDay: 100_000 }, {}).reviewsPerDay).toEqual({ value: 500, from: 'yours' });
  });
});

describe('/settings', () => {
  it('alone lists each value and where it comes from', async () => {
    const h = await createHarness();
    await h.command(boss, 'settings', { reviews: 30, scope: 'workspace' }, admin);
    await h.command(amy, 'settings', { new: 2 });
    const shown = await h.command(amy, 'settings');
    expect(shown.replies[0]!.visibility).toBe('private');
    const text = shown.texts()[0]!;
    expect(text).toContain('reviews: 30 reviews a day (workspace default)');
    expect(text).toContain('new: 2 new a day (yours)');
    expect(text).toContain('today (2025-03-10): 0 of 30 reviews and 0 of 2 new rated');
    // Someone who chose nothing sees the built-in new cap and the workspace's review cap.
    const other = (await h.command({ id: 'U2', name: 'bo' }, 'settings')).texts()[0]!;
    expect(other).toContain('new: 5 new a day (built-in default)');
    expect(other).toContain('reviews: 30 reviews a day (workspace default)');
  });

  it('changes several values at once and says what they are now', async () => {
    const h = await createHarness();
    const r = await h.command(amy, 'settings', { reviews: 80, new: 8 });
    expect(r.texts()[0]).toMatch(/^Saved:reviews: 80 reviews a day \(yours\)\s*new: 8 new a day \(yours\)$/);
    const back = await h.command(amy, 'settings', { reset: 'reviews' });
    expect(back.texts()[0]).toContain('reviews: 50 reviews a day (built-in default)');
    expect((await h.command(amy, 'settings')).texts()[0]).toContain('new: 8 new a day (yours)');
    await h.command(amy, 'settings', { reset: 'all' });
    expect((await h.command(amy, 'settings')).texts()[0]).toContain('new: 5 new a day (built-in default)');
  });

  it('refuses out-of-range and contradictory values all together, changing nothing', async () => {
    const h = await createHarness();
    await h.command(amy, 'settings', { new: 3 });
    const r = await h.command(amy, 'settings', { reviews: 900, new: -1 });
    expect(r.replies[0]!.visibility).toBe('private');
    const text = r.texts()[0]!;
    expect(text).toContain('Nothing was changed');
    expect(text).toContain('reviews must be from 0 to 500 a day; 900 is out of range. For example /settings reviews:50.');
    expect(text).toContain('new must be from 0 to 100 a day; -1 is out of range.');
    const both = await h.command(amy, 'settings', { reviews: 40, reset: 'all' });
    expect(both.texts()[0]).toContain('Give reviews:N or reset:reviews, not both.');
    // A valid value next to a wrong one is not half-applied.
    await h.command(amy, 'settings', { reviews: 40, new: 1000 });
    const shown = (await h.command(amy, 'settings')).texts()[0]!;
    expect(shown).toContain('reviews: 50 reviews a day (built-in default)');
    expect(shown).toContain('new: 3 new a day (yours)');
  });

  it('warns when new exceeds reviews: the review cap is the day total', async () => {
    const h = await createHarness();
    const r = await h.command(amy, 'settings', { reviews: 4, new: 10 });
    expect(r.texts()[0]).toContain('at most 4 questions a day come from the queue, new ones included');
  });

  it('workspace defaults are for admins; a person’s own choice wins over them', async () => {
    const h = await createHarness();
    const refused = await h.command(amy, 'settings', { new: 9, scope: 'workspace' });
    expect(refused.texts()[0]).toContain('Only workspace admins can change the workspace defaults');
    const set = await h.command(boss, 'settings', { new: 9, scope: 'workspace' }, admin);
    expect(set.texts()[0]).toMatch(/Workspace defaults saved:\s*new: 9 new a day \(workspace default\)/);
    // Anyone may look at them.
    expect((await h.command(amy, 'settings', { scope: 'workspace' })).texts()[0]).toContain('Workspace defaults');
    expect((await h.command(amy, 'settings')).texts()[0]).toContain('new: 9 new a day (workspace default)');
    await h.command(amy, 'settings', { new: 1 });
    expect((await h.command(amy, 'settings')).texts()[0]).toContain('new: 1 new a day (yours)');
    // Another workspace keeps the built-in default.
    const elsewhere = await h.command({ id: 'U3', name: 'cy', workspace: 'T2' }, 'settings');
    expect(elsewhere.texts()[0]).toContain('new: 5 new a day (built-in default)');
  });

  it('typed on the console or Slack: integers checked by the parser, choices by name', () => {
    expect(parseArgs(settingsSpec, 'reviews:50 new:5')).toEqual({ ok: true, command: 'settings', options: { reviews: 50, new: 5 } });
    expect(parseArgs(settingsSpec, 'reset:both')).toEqual({ ok: true, command: 'settings', options: { reset: 'all' } });
    const bad = parseArgs(settingsSpec, 'reviews:lots');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toContain('reviews must be a whole number, not "lots"');
  });

  it('a new section (e.g. board visibility) adds its options and takes part in the all-or-nothing check', async () => {
    const calls: string[] = [];
    const boards: SettingsSection = {
      options: [{ name: 'boards', description: 'Show me on boards', type: 'string', choices: [{ name: 'on', value: 'on' }, { name: 'off', value: 'off' }] }],
      async show() {
        return ['boards: on (built-in default)'];
      },
      async check(c) {
        const v = c.event.options['boards'];
        if (v === undefined) return undefined;
        return { apply: async () => (calls.push(String(v)), [`boards: ${String(v)} (yours)`]) };
      },
    };
    const module = settingsModuleOf([loadSection, boards]);
    expect(module.spec.options.map((o) => o.name)).toEqual(['reviews', 'new', 'reset', 'boards', 'scope']);
    const h = await createHarness();
    // Drive the module directly with the harness's services.
    const say = async (options: Record<string, string | number>) => {
      const replies: string[] = [];
      await module.run(
        { kind: 'command', command: 'settings', options, ctx: { platform: 'slack', workspaceId: 'T1', conversationId: 'slack:T1:C1', isDirect: false, actor: { platform: 'slack', id: 'slack:T1:U1', displayName: 'amy' }, actorIsAdmin: false, deliveryId: 'x' } },
        { reply: async (m) => void replies.push(JSON.stringify(m.body)) },
        h.bot.services,
      );
      return replies.join(' ');
    };
    expect(await say({ boards: 'off', reviews: 9999 })).toContain('Nothing was changed');
    expect(calls).toEqual([]);
    expect(await say({ boards: 'off', reviews: 40 })).toContain('boards: off (yours)');
    expect(calls).toEqual(['off']);
    expect(await say({})).toContain('boards: on (built-in default)');
  });
});
