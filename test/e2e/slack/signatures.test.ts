/**
 * Slack HTTP mode request verification, through the real Bolt HTTPReceiver behind the adapter's
 * request guard: every forged, altered, stale, early or replayed request is refused with 401 and
 * never reaches the bot; a correctly signed one is accepted. docs/reliability.md counts these cases.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { signedHeaders, type FakeSlack } from '../../fakes/slack/index.ts';
import { startRig, type SlackRig } from './harness.ts';
import { scriptedCore, testCommands } from './scripted-core.ts';

let rig: SlackRig | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

const FORM = 'application/x-www-form-urlencoded';
const nowS = () => Math.floor(Date.now() / 1000);

function slashBody(fake: FakeSlack, trigger: string, text = ''): string {
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
    trigger_id: trigger,
  }).toString();
}

async function start() {
  const core = scriptedCore();
  rig = await startRig('http', core.handler, { commands: testCommands });
  const url = `http://127.0.0.1:${rig.adapter.httpPort()}/slack/events`;
  const send = async (body: string, headers: Record<string, string>) => (await fetch(url, { method: 'POST', headers, body })).status;
  return { ...core, fake: rig.fake, adapter: rig.adapter, url, send };
}

describe('Slack HTTP mode: request signatures', () => {
  it('refuses every forged, altered, stale, early or replayed request with 401 and accepts the valid one', async () => {
    const { fake, adapter, events, send } = await start();
    const secret = fake.signingSecret;
    let n = 0;
    const body = () => slashBody(fake, `1.2.t${++n}`);

    const refusedCases: Record<string, () => Promise<number>> = {
      // Signed over one body, sent with another (the text field changed in transit).
      'tampered body': () => {
        const b = body();
        return send(b.replace('text=', 'text=admin'), signedHeaders(secret, b, FORM));
      },
      'wrong signature (another secret)': () => {
        const b = body();
        return send(b, signedHeaders(secret, b, FORM, { tamper: true }));
      },
      'signature not v0': () => {
        const b = body();
        const h = signedHeaders(secret, b, FORM);
        return send(b, { ...h, 'x-slack-signature': h['x-slack-signature']!.replace(/^v0=/, 'v1=') });
      },
      'no signature headers': () => {
        const b = body();
        return send(b, signedHeaders(secret, b, FORM, { unsigned: true }));
      },
      'timestamp header missing': () => {
        const b = body();
        const { 'x-slack-request-timestamp': _ts, ...h } = signedHeaders(secret, b, FORM);
        return send(b, h);
      },
      'signature header missing': () => {
        const b = body();
        const { 'x-slack-signature': _sig, ...h } = signedHeaders(secret, b, FORM);
        return send(b, h);
      },
      'timestamp not a number': () => {
        const b = body();
        return send(b, { ...signedHeaders(secret, b, FORM), 'x-slack-request-timestamp': 'soon' });
      },
      'timestamp 6 minutes old (correctly signed)': () => {
        const b = body();
        return send(b, signedHeaders(secret, b, FORM, { timestamp: nowS() - 6 * 60 }));
      },
      'timestamp 6 minutes in the future (correctly signed)': () => {
        const b = body();
        return send(b, signedHeaders(secret, b, FORM, { timestamp: nowS() + 6 * 60 }));
      },
    };
    for (const [name, attempt] of Object.entries(refusedCases)) {
      expect({ name, status: await attempt() }).toEqual({ name, status: 401 });
    }

    // A valid request is accepted; the same bytes sent again (a replay) are refused.
    const valid = body();
    const headers = signedHeaders(secret, valid, FORM);
    expect(await send(valid, headers)).toBe(200);
    expect(await send(valid, headers)).toBe(401);
    // Clock skew inside the window is fine: 4 minutes early or late.
    const early = body();
    expect(await send(early, signedHeaders(secret, early, FORM, { timestamp: nowS() + 4 * 60 }))).toBe(200);
    const late = body();
    expect(await send(late, signedHeaders(secret, late, FORM, { timestamp: nowS() - 4 * 60 }))).toBe(200);

    await fake.waitFor(() => events.length >= 3);
    expect(events).toHaveLength(3);
    expect(events.every((e) => e.kind === 'command' && e.command === 'streak')).toBe(true);
    expect(adapter.refusedRequests()).toEqual({
      'missing-headers': 3,
      'bad-timestamp': 1,
      stale: 1,
      future: 1,
      'bad-signature': 3,
      replayed: 1,
      'too-large': 0,
    });
  });

  // Slack's retries (X-Slack-Retry-Num) are new requests with a new timestamp and signature, so the replay
  // guard lets them through; http.test.ts checks that such a retry is handled once.

  it('the ssl_check probe Slack sends unsigned is answered 200 and reaches nobody', async () => {
    const { events, send } = await start();
    expect(await send('ssl_check=1&token=x&command=%2Fstreak&text=hi', { 'content-type': FORM })).toBe(200);
    expect(events).toHaveLength(0);
  });
});
