import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSlack, slackSignature, type FakeSlack } from '../../fakes/slack/index.ts';

let fake: FakeSlack;
beforeEach(async () => {
  fake = await startFakeSlack();
});
afterEach(async () => {
  await fake.close();
});

async function call(method: string, args: Record<string, unknown>, opts: { token?: string; json?: boolean; charset?: boolean } = {}) {
  const headers: Record<string, string> = {};
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  let body: string;
  if (opts.json) {
    headers['content-type'] = opts.charset === false ? 'application/json' : 'application/json; charset=utf-8';
    body = JSON.stringify(args);
  } else {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(Object.entries(args).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString();
  }
  const res = await fetch(`${fake.apiUrl}${method}`, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('the Slack fake speaks Slack’s Web API conventions', () => {
  it('answers auth errors with HTTP 200 and ok:false, per token type', async () => {
    expect((await call('auth.test', {})).body).toMatchObject({ ok: false, error: 'not_authed' });
    expect(await call('auth.test', {}, { token: 'xoxb-nope' })).toMatchObject({ status: 200, body: { ok: false, error: 'invalid_auth' } });
    expect((await call('chat.postMessage', { channel: 'C0GENERAL', text: 'x' }, { token: fake.appToken })).body.error).toBe('not_allowed_token_type');
    expect((await call('apps.connections.open', {}, { token: fake.botToken })).body.error).toBe('not_allowed_token_type');
    expect((await call('apps.connections.open', {}, { token: fake.appToken })).body.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\//);
    expect((await call('chat.fly', {}, { token: fake.botToken })).body).toMatchObject({ ok: false, error: 'unknown_method', req_method: 'chat.fly' });
  });

  it('reads a token from the form but not from a JSON body, and warns about a missing charset', async () => {
    expect((await call('auth.test', { token: fake.botToken })).body.ok).toBe(true);
    expect((await call('auth.test', { token: fake.botToken }, { json: true })).body.error).toBe('not_authed');
    const noCharset = await call('chat.postMessage', { channel: 'C0GENERAL', text: 'hi' }, { token: fake.botToken, json: true, charset: false });
    expect(noCharset.body).toMatchObject({ ok: true, warning: 'missing_charset' });
  });

  it('rejects blocks beyond Slack’s limits with invalid_blocks and a json-pointer', async () => {
    const long = await call('chat.postMessage', { channel: 'C0GENERAL', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }] }, { token: fake.botToken });
    expect(long.body.error).toBe('invalid_blocks');
    expect(JSON.stringify(long.body.response_metadata)).toContain('/blocks/0/text/text');
    const many = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect((await call('chat.postMessage', { channel: 'C0GENERAL', text: 't', blocks: many }, { token: fake.botToken })).body.error).toBe('invalid_blocks');
    const button = { type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'b'.repeat(76) } }] };
    expect((await call('chat.postMessage', { channel: 'C0GENERAL', text: 't', blocks: [button] }, { token: fake.botToken })).body.error).toBe('invalid_blocks');
  });

  it('follows Slack’s posting rules for channels the bot is not in', async () => {
    expect((await call('chat.postMessage', { channel: 'G0PRIVATE', text: 'x' }, { token: fake.botToken })).body.error).toBe('channel_not_found');
    expect((await call('chat.postMessage', { channel: 'D0ALICEBOB', text: 'x' }, { token: fake.botToken })).body.error).toBe('channel_not_found');
    expect((await call('chat.postMessage', { channel: 'C0RANDOM', text: 'x' }, { token: fake.botToken })).body.ok).toBe(true);
    fake.scopes.delete('chat:write.public');
    fake.channels.get('C0RANDOM')!.botIsMember = false;
    expect((await call('chat.postMessage', { channel: 'C0RANDOM', text: 'x' }, { token: fake.botToken })).body.error).toBe('not_in_channel');
    expect((await call('chat.postEphemeral', { channel: 'C0GENERAL', user: 'U0NOBODY', text: 'x' }, { token: fake.botToken })).body.error).toBe('user_not_found');
  });

  it('a trigger_id opens one modal; a modal title over 24 chars is invalid_arguments', async () => {
    const view = { type: 'modal', title: { type: 'plain_text', text: 'Answer' }, blocks: [] };
    expect((await call('views.open', { trigger_id: 'made-up', view }, { token: fake.botToken })).body.error).toBe('invalid_trigger_id');
    // A real trigger comes from an interaction; take one the fake issued for a slash command over HTTP.
    const server = await import('node:http').then(({ createServer }) => createServer((_q, r) => r.writeHead(200).end()));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    fake.transport = { kind: 'http', url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` };
    const { triggerId } = await fake.slash('U0ALICE', 'C0GENERAL', '/ask');
    server.close();
    const tooLong = { ...view, title: { type: 'plain_text', text: 'x'.repeat(25) } };
    expect((await call('views.open', { trigger_id: triggerId, view: tooLong }, { token: fake.botToken })).body.error).toBe('invalid_arguments');
    expect((await call('views.open', { trigger_id: triggerId, view }, { token: fake.botToken })).body.ok).toBe(true);
    expect((await call('views.open', { trigger_id: triggerId, view }, { token: fake.botToken })).body.error).toBe('exchanged_trigger_id');
  });

  it('signs HTTP requests the way Slack documents (v0 HMAC-SHA256)', () => {
    // Slack's documented example: secret 8f742231b10e8888abcd99yyyzzz85a5, timestamp 1531420618.
    const body = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(slackSignature('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body)).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
  });

  it('injects an HTTP 5xx once, before or after carrying the call out, and a failing response_url once', async () => {
    fake.serverErrorNext('chat.postMessage');
    fake.serverErrorNext('chat.postMessage', { status: 503, afterHandling: true });
    const post = () => fetch(`${fake.apiUrl}chat.postMessage`, { method: 'POST', headers: { authorization: `Bearer ${fake.botToken}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'channel=C0GENERAL&text=hi' });
    expect((await post()).status).toBe(500);
    expect(fake.surfaces).toHaveLength(0);
    expect((await post()).status).toBe(503);
    expect(fake.surfaces).toHaveLength(1);
    expect((await post()).status).toBe(200);
    expect(fake.surfaces).toHaveLength(2);
    expect(fake.pendingInjections).toBe(0);
  });
});
