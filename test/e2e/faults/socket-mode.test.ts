/**
 * Slack Socket Mode faults through the shipped wiring (config → createApp → the Slack adapter with
 * real Bolt → the Slack fake): Slack sends `disconnect` (refresh_requested, then warning); the client
 * closes, calls apps.connections.open again after its own reconnect delay (5 s, the SDK default, the
 * only wait here) and gets a new hello; commands, clicks and form submissions after that are handled
 * once. An envelope Slack delivers again (the same envelope id; for events the same event id with
 * retry_attempt 1) is acked and not counted again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src/app.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { FakeSlack, startFakeSlack, type SurfaceMessage } from '../../fakes/slack/index.ts';
import { startProcess, tempDbPath } from '../schedule/rig.ts';

let slack: FakeSlack | undefined;
let app: App | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await app?.stop();
  app = undefined;
  await slack?.close();
  slack = undefined;
  for (const c of cleanups.splice(0)) c();
});

const text = (m: SurfaceMessage) => FakeSlack.render(m);

describe('Slack Socket Mode: disconnect, reconnect and redelivery', () => {
  it('after refresh_requested and warning the bot reconnects and serves; redelivered envelopes are acked and counted once', { timeout: 60_000 }, async () => {
    const s = (slack = await startFakeSlack());
    const db = tempDbPath();
    cleanups.push(db.cleanup);
    const env = { PREPBOT_ADAPTERS: 'slack', PREPBOT_DB: db.path, SLACK_BOT_TOKEN: s.botToken, SLACK_APP_TOKEN: s.appToken, SLACK_API_URL: s.apiUrl };
    const a = (app = await startProcess(env, new ManualClock('2026-03-02T03:00:00Z')));
    const count = (sql: string) => (a.db.prepare(sql).get() as { n: number }).n;
    expect(s.hellos).toBe(1);

    const asked = s.surfaces.length;
    await s.slash('U0ALICE', 'C0GENERAL', '/ask');
    const question = await s.waitFor(() => s.surfaces.slice(asked).find((m) => m.kind === 'message' && FakeSlack.buttons(m.blocks).length > 0));

    // Slack recycles the connection's host.
    s.disconnectAll('refresh_requested');
    await s.waitForHellos(2);
    expect(s.callsTo('apps.connections.open')).toHaveLength(2);

    await s.click('U0ALICE', question, { actionId: 'answer' });
    const form = await s.waitFor(() => s.lastOpenView('U0ALICE'));
    const submitted = await s.submitView('U0ALICE', form, 'A mutex lets one goroutine at a time into the critical section.');
    const reveals = () => s.surfaces.filter((m) => m.to === 'U0ALICE' && /Reference answer/.test(text(m)));
    await s.waitFor(() => reveals().length > 0);

    // The same submission envelope again (Slack did not see the ack in time): acked, nothing new.
    const envelope = s.envelopes.find((e) => e.envelope_id === submitted.envelopeId)!;
    const again = await s.sendEnvelope('interactive', envelope.payload as Record<string, unknown>, { envelopeId: submitted.envelopeId });
    expect(again.ack).toEqual({});

    // A warning disconnect, then an Events API delivery and its retry (same event id, retry_attempt 1).
    s.disconnectAll('warning');
    await s.waitForHellos(3);
    const home = await s.openHome('U0ALICE');
    await s.waitFor(() => s.homeViews.get('U0ALICE'));
    const retried = await s.openHome('U0ALICE', { eventId: home.eventId, retry: 1 });
    expect(retried.ack).toEqual({});
    expect(s.envelopes.at(-1)).toMatchObject({ retry_attempt: 1, retry_reason: 'timeout' });

    // A later command proves the redeliveries were processed (and dropped) before it.
    const before = s.surfaces.length;
    await s.slash('U0ALICE', 'C0GENERAL', '/streak');
    const streak = await s.waitFor(() => s.surfaces.slice(before).find((m) => /1 day/.test(text(m))));
    expect(text(streak)).toMatch(/🔥 1 day/);

    expect(reveals()).toHaveLength(1);
    expect(s.callsTo('views.publish')).toHaveLength(1);
    expect(s.acks.filter((x) => x.envelopeId === submitted.envelopeId)).toHaveLength(2);
    expect(count('SELECT COUNT(*) AS n FROM attempts WHERE answered_at IS NOT NULL')).toBe(1);
    expect(count('SELECT COUNT(*) AS n FROM activity_days')).toBe(1);
    expect(a.db.prepare('SELECT current FROM streaks').all()).toEqual([{ current: 1 }]);
    expect(s.surfaces.filter((m) => /went wrong/i.test(text(m)))).toEqual([]);
  });
});
