/**
 * Slack Web API faults on every method the bot calls, through the shipped wiring (config → createApp
 * → the Slack adapter with real Bolt in Socket Mode → the Slack fake). Each step of a day's use arms
 * one fault on the method that step uses, answered once, then the method works again:
 * - 429 with Retry-After: 0 (the WebClient pauses, then retries);
 * - HTTP 500 before Slack acted (the WebClient retries with backoff; the bot's own response_url POST
 *   retries too);
 * - HTTP 500 after Slack acted (an edge timeout that hid a success: the retry repeats a done call).
 * Slack has no idempotency key: in the last case a message the retry posts again is shown twice
 * (docs/reliability.md says why we keep the retry). Everything else happens once, and every answer
 * and streak day is stored once. Waits are the WebClient's own backoff (about 1-2 s per fault).
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

type Fault = '429' | '500 before' | '500 after';
const text = (m: SurfaceMessage) => FakeSlack.render(m);

/** Resolves once `done()` holds; re-checked every few ms (the bot's work ends without a call to the fake). */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setTimeout(r, 5));
}

async function setup(fault: Fault) {
  const s = (slack = await startFakeSlack());
  const arm = (method: string) => {
    if (method === 'response_url') s.failResponseUrlNext(fault === '429' ? 429 : 500, { afterHandling: fault === '500 after' });
    else if (fault === '429') s.rateLimitNext(method, 0);
    else s.serverErrorNext(method, { afterHandling: fault === '500 after' });
  };
  // Connecting: the token check and the Socket Mode URL.
  arm('auth.test');
  arm('apps.connections.open');
  const db = tempDbPath();
  cleanups.push(db.cleanup);
  const env = { PREPBOT_ADAPTERS: 'slack', PREPBOT_DB: db.path, SLACK_BOT_TOKEN: s.botToken, SLACK_APP_TOKEN: s.appToken, SLACK_API_URL: s.apiUrl };
  // Monday 2 March 2026, 08:30 in Kolkata.
  const clock = new ManualClock('2026-03-02T03:00:00Z');
  const a = (app = await startProcess(env, clock));
  expect(s.pendingInjections).toBe(0);
  /** Waits for what the step shows, for its armed fault to have been met, and for the bot to be done. */
  const apologies = () => s.surfaces.filter((m) => /went wrong/i.test(FakeSlack.render(m)));
  const settled = async <T>(shown: () => T | undefined | false) => {
    // An apology instead of the answer ends the wait too, and fails here rather than by timing out.
    await s.waitFor(() => shown() || apologies().length > 0);
    expect(apologies().map(text)).toEqual([]);
    const v = await s.waitFor(shown);
    await s.waitFor(() => s.pendingInjections === 0);
    await until(() => a.inFlight === 0);
    return v;
  };
  const count = (sql: string) => (a.db.prepare(sql).get() as { n: number }).n;
  // A message a retried call posts again after a 5xx that hid a success.
  const copies = fault === '500 after' ? 2 : 1;
  return { s, a, clock, arm, settled, count, copies };
}

describe.each<Fault>(['429', '500 before', '500 after'])('Slack Web API answers %s once on every method the bot uses', (fault) => {
  it('what people see happens once (a post a retry repeats: twice); answers and streak days are stored once', { timeout: 90_000 }, async () => {
    const { s, a, clock, arm, settled, count, copies } = await setup(fault);
    const general = () => s.surfaces.filter((m) => m.kind === 'message' && m.channel === 'C0GENERAL' && !m.deleted);
    const toAlice = () => s.surfaces.filter((m) => m.to === 'U0ALICE' && !m.deleted);

    // An admin sets the schedule: who is it (users.info), then the confirmation in the channel.
    arm('users.info');
    arm('chat.postMessage');
    await s.slash('U0ADMIN', 'C0GENERAL', '/schedule set time:09:30 timezone:Asia/Kolkata days:mon-fri reveal:17:00');
    await settled(() => general().find((m) => text(m).includes('09:30 Asia/Kolkata')));
    expect(general().filter((m) => text(m).includes('09:30 Asia/Kolkata'))).toHaveLength(copies);

    // Alice practises: the question, the form, the private reveal, the rating.
    const before = general().length;
    arm('chat.postMessage');
    await s.slash('U0ALICE', 'C0GENERAL', '/ask');
    await settled(() => general().length > before);
    const questions = general().slice(before);
    expect(questions).toHaveLength(copies);
    arm('views.open');
    await s.click('U0ALICE', questions[0]!, { actionId: 'answer' });
    const form = await settled(() => s.lastOpenView('U0ALICE'));
    expect([...s.views.values()].filter((v) => v.user === 'U0ALICE')).toHaveLength(1);
    arm('chat.postEphemeral');
    await s.submitView('U0ALICE', form, 'A mutex lets one goroutine at a time into the critical section.');
    await settled(() => toAlice().find((m) => /Reference answer/.test(text(m))));
    expect(toAlice().filter((m) => /Reference answer/.test(text(m)))).toHaveLength(copies);
    // No apology anywhere: every fault was absorbed.
    expect(s.surfaces.filter((m) => /went wrong/i.test(text(m)))).toEqual([]);
    expect(count('SELECT COUNT(*) AS n FROM attempts WHERE answered_at IS NOT NULL')).toBe(1);

    const reveal = toAlice().find((m) => /Reference answer/.test(text(m)))!;
    arm('chat.postEphemeral');
    await s.click('U0ALICE', reveal, { label: 'Good' });
    await settled(() => toAlice().find((m) => /next review/i.test(text(m))));
    expect(toAlice().filter((m) => /next review/i.test(text(m)))).toHaveLength(copies);
    expect(count('SELECT COUNT(*) AS n FROM reviews')).toBe(1);

    // Her Home tab (views.publish), a command typed in a DM between two people (answered through
    // response_url), and a channel the bot must join first (conversations.join).
    arm('views.publish');
    await s.openHome('U0ALICE');
    await settled(() => s.homeViews.get('U0ALICE'));
    arm('response_url');
    await s.slash('U0ALICE', 'D0ALICEBOB', '/streak');
    await settled(() => s.surfaces.find((m) => m.kind === 'response' && /1 day/.test(text(m))));
    expect(s.surfaces.filter((m) => m.kind === 'response' && /1 day/.test(text(m)))).toHaveLength(copies);
    s.scopes.delete('chat:write.public');
    arm('conversations.join');
    await s.slash('U0ALICE', 'C0RANDOM', '/streak');
    await settled(() => s.surfaces.find((m) => m.channel === 'C0RANDOM' && /1 day/.test(text(m))));
    expect(s.surfaces.filter((m) => m.channel === 'C0RANDOM')).toHaveLength(1);
    expect(s.channels.get('C0RANDOM')!.botIsMember).toBe(true);

    // 09:30 Kolkata: the daily question.
    arm('chat.postMessage');
    clock.set('2026-03-02T04:00:00Z');
    expect((await a.scheduler.tick()).posted).toBe(1);
    expect(s.pendingInjections).toBe(0);
    const dailies = general().filter((m) => /Daily question/.test(text(m)) && !/scheduled/.test(text(m)));
    expect(dailies).toHaveLength(copies);
    expect(a.db.prepare('SELECT status, message_id FROM schedule_posts').all()).toEqual([{ status: 'sent', message_id: dailies.at(-1)!.ts }]);

    // Bob answers it.
    clock.set('2026-03-02T05:00:00Z');
    await s.click('U0BOB', dailies.at(-1)!, { actionId: 'answer' });
    const bobForm = await settled(() => s.lastOpenView('U0BOB'));
    await s.submitView('U0BOB', bobForm, 'Bob: a lock around the shared state.');
    await settled(() => s.surfaces.find((m) => m.to === 'U0BOB' && /Reference answer|Your answer/.test(text(m))));
    expect(count("SELECT COUNT(*) AS n FROM attempts WHERE answered_at IS NOT NULL AND source = 'daily'")).toBe(1);

    // 17:00 Kolkata: the summary.
    arm('chat.postMessage');
    clock.set('2026-03-02T11:30:00Z');
    expect((await a.scheduler.tick()).revealed).toBe(1);
    expect(s.pendingInjections).toBe(0);
    expect(general().filter((m) => /Daily question summary/.test(text(m))).map(text)).toEqual(Array(copies).fill(expect.stringContaining('1 person answered.')));

    expect(count('SELECT COUNT(*) AS n FROM activity_days')).toBe(2);
    expect(a.db.prepare('SELECT current FROM streaks').all()).toEqual([{ current: 1 }, { current: 1 }]);
    expect(s.surfaces.filter((m) => /went wrong/i.test(text(m)))).toEqual([]);
  });
});
