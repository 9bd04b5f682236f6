import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../../fakes/slack/index.ts';
import { doc, p } from '../../../src/chat/md.ts';
import { startRig, type SlackRig } from './harness.ts';
import { scriptedCore, testCommands } from './scripted-core.ts';

let rig: SlackRig | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

async function start() {
  const core = scriptedCore();
  rig = await startRig('http', core.handler, { commands: testCommands, homeView: async (a) => ({ body: doc(p(`Home of ${a.displayName}`)) }) });
  return { ...core, fake: rig.fake, adapter: rig.adapter };
}

function slashBody(fake: FakeSlack, text: string): string {
  return new URLSearchParams({
    token: 'x',
    team_id: fake.team.id,
    team_domain: fake.team.domain,
    channel_id: 'C0GENERAL',
    channel_name: 'general',
    user_id: 'U0ALICE',
    user_name: 'alice',
    command: '/streak',
    text,
    api_app_id: fake.bot.appId,
    is_enterprise_install: 'false',
    response_url: `${fake.baseUrl}/respond/none`,
    trigger_id: '1.2.abc',
  }).toString();
}

describe('Slack adapter over HTTP mode (real Bolt HTTPReceiver, signed requests)', () => {
  it('listens on the requested port and does not open a socket connection', async () => {
    const { fake, adapter } = await start();
    expect(adapter.httpPort()).toBeGreaterThan(0);
    expect(fake.callsTo('apps.connections.open')).toHaveLength(0);
    expect(fake.hellos).toBe(0);
  });

  it('a correctly signed slash command is acked with 200 and answered ephemerally', async () => {
    const { fake, events } = await start();
    const d = await fake.slash('U0ALICE', 'C0GENERAL', '/ask concurrency');
    expect(d.status).toBe(200);
    await fake.waitFor(() => fake.visibleTo('U0ALICE').find((m) => FakeSlack.render(m).includes('what is a mutex')));
    expect(events[0]).toMatchObject({ kind: 'command', command: 'ask', options: { topic: 'concurrency' } });
  });

  it('a tampered signature, a stale timestamp and a missing signature get 401 and never reach the handler', async () => {
    const { fake, adapter, events } = await start();
    const url = `http://127.0.0.1:${adapter.httpPort()}/slack/events`;
    const body = slashBody(fake, '');
    const form = 'application/x-www-form-urlencoded';
    const tampered = await fake.postSigned(url, body, form, { tamper: true });
    const stale = await fake.postSigned(url, body, form, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    const unsigned = await fake.postSigned(url, body, form, { unsigned: true });
    expect([tampered.status, stale.status, unsigned.status]).toEqual([401, 401, 401]);
    // The same request, correctly signed, goes through: the 401s were about the signature only.
    const ok = await fake.postSigned(url, body, form);
    expect(ok.status).toBe(200);
    await fake.waitFor(() => events.length === 1);
    expect(events).toHaveLength(1);
  });

  it('the full interactive round trip works over HTTP: button → modal → submission → reveal → rating', async () => {
    const { fake, events } = await start();
    await fake.slash('U0ALICE', 'C0GENERAL', '/ask trees');
    const q = await fake.waitFor(() => fake.visibleTo('U0ALICE').find((m) => FakeSlack.render(m).includes('what is a mutex')));
    const click = await fake.click('U0ALICE', q, { actionId: 'answer' });
    expect(click.status).toBe(200);
    const modal = await fake.waitFor(() => fake.lastOpenView('U0ALICE'));
    const sub = await fake.submitView('U0ALICE', modal, 'balanced');
    expect(sub.status).toBe(200);
    expect(sub.ack).toBe('');
    const reveal = await fake.waitFor(() => fake.visibleTo('U0ALICE').find((m) => FakeSlack.render(m).includes('Reference answer')));
    await fake.click('U0ALICE', reveal, { label: 'Easy' });
    await fake.waitFor(() => FakeSlack.render(reveal).includes('Rated'));
    expect(events.map((e) => e.kind)).toEqual(['command', 'button', 'form', 'button']);
  });

  it('an event retried with X-Slack-Retry-Num is handled once', async () => {
    const { fake, events } = await start();
    const first = await fake.openHome('U0ALICE');
    expect(first.status).toBe(200);
    await fake.waitFor(() => fake.homeViews.get('U0ALICE'));
    const retry = await fake.openHome('U0ALICE', { eventId: first.eventId, retry: 1 });
    expect(retry.status).toBe(200);
    await fake.slash('U0ALICE', 'C0GENERAL', '/streak');
    await fake.waitFor(() => events.length === 1);
    expect(fake.callsTo('views.publish')).toHaveLength(1);
  });
});
