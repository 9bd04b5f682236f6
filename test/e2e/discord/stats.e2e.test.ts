/**
 * /stats on Discord end to end: real core + SQLite, the real adapter with
 * discord.js inside, the fake Discord. The chart arrives as a PNG attachment
 * on the private reply, uploaded as multipart form data.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/store/db.ts';
import { REFERENCE, startCore } from '../core-rig.ts';
import type { FakeDiscord, FakeMessage } from '../../fakes/discord/index.ts';
import { readPng } from '../../unit/stats/png-check.ts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness | undefined;
let db: Db | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  db?.close();
  db = undefined;
});

const read = (m: FakeMessage) => m.content.replace(/\\([^0-9A-Za-z\s])/g, '$1');

async function answerOnce(fake: FakeDiscord, userId: string): Promise<void> {
  await fake.slash('ask', { topic: 'concurrency' }, { user: userId });
  const question = await fake.waitUntil(() => fake.messagesVisibleTo(userId).find((m) => read(m).includes('What is a mutex?')));
  const click = await fake.click(fake.buttonsOn(question).find((b) => /answer/i.test(b.label ?? ''))!.custom_id, question, { user: userId });
  await fake.waitForResponse(click.id);
  const modal = fake.modalsShownTo(userId).at(-1);
  await fake.submitModal(modal.custom_id, { answer: 'A lock: one goroutine gets exclusive access.' }, { user: userId });
  await fake.waitUntil(() => fake.messagesVisibleTo(userId).find((m) => read(m).includes(REFERENCE)));
}

describe('/stats on Discord (real core + SQLite + discord.js)', () => {
  it('replies privately with the numbers and a PNG chart attached', async () => {
    const core = await startCore();
    db = core.db;
    h = await startHarness(core.bot.commands, core.bot.handle);
    const { fake, adapter } = h;
    const { alice, bob } = fake.users;
    await answerOnce(fake, alice.id);

    const st = await fake.slash('stats', {}, { user: alice });
    await fake.waitForResponse(st.id);
    await adapter.idle();
    const reply = fake.messages.find((m) => m.interactionId === st.id && !m.loading)!;
    expect(reply.ephemeralTo).toBe(alice.id);
    expect(read(reply)).toContain('Your practice');
    expect(read(reply)).toMatch(/Last 12 weeks:\W*1 answer on 1 day/);

    expect(reply.attachments).toHaveLength(1);
    const [chart] = reply.attachments;
    expect(chart!.filename).toMatch(/\.png$/);
    expect(chart!.contentType).toBe('image/png');
    expect(chart!.description).toContain('Practice calendar');
    const png = readPng(chart!.bytes);
    expect([png.width, png.height]).toEqual([640, 580]);
    // The upload was one multipart request on the interaction callback.
    const callback = fake.requests.find((r) => r.path === `/interactions/${st.id}/${st.token}/callback`)!;
    expect(callback.body.data.attachments).toEqual([expect.objectContaining({ id: '0' })]);

    // Private means private: Bob sees neither the text nor the picture.
    expect(fake.messagesVisibleTo(bob).some((m) => read(m).includes('Your practice') || m.attachments.length > 0)).toBe(false);
    expect(fake.requests.filter((r) => r.status >= 400)).toEqual([]);
  });

  it('still answers with the numbers when Discord refuses the picture (no Attach Files permission)', async () => {
    const core = await startCore();
    db = core.db;
    h = await startHarness(core.bot.commands, core.bot.handle);
    const { fake, adapter, logger } = h;
    const { alice } = fake.users;
    await answerOnce(fake, alice.id);

    fake.failRequests((method, path) => method === 'POST' && path.endsWith('/callback'), 403, { message: 'Missing Permissions', code: 50013 });
    const st = await fake.slash('stats', {}, { user: alice });
    await fake.waitForResponse(st.id);
    await adapter.idle();
    const reply = fake.messages.find((m) => m.interactionId === st.id && !m.loading)!;
    expect(reply.ephemeralTo).toBe(alice.id);
    expect(read(reply)).toMatch(/Last 12 weeks:\W*1 answer on 1 day/);
    expect(reply.attachments).toEqual([]);
    expect(logger.entries.some((e) => e.level === 'warn' && /Attach Files/.test(e.msg ?? ''))).toBe(true);
  });
});
