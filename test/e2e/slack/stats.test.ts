/**
 * /stats on Slack end to end: real core + SQLite, the real Bolt app (through
 * the adapter) against the fake Slack. The numbers arrive privately where the
 * command was typed; Slack has no private files, so the chart is shared in the
 * person's DM with the app through the upload flow (files.getUploadURLExternal,
 * the upload itself, files.completeUploadExternal).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/store/db.ts';
import { REFERENCE, startCore } from '../core-rig.ts';
import { FakeSlack } from '../../fakes/slack/index.ts';
import { readPng } from '../../unit/stats/png-check.ts';
import { startRig, type SlackRig } from './harness.ts';

let rig: SlackRig | undefined;
let db: Db | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
  db?.close();
  db = undefined;
});

const seen = (fake: FakeSlack, user: string, text: string) => () => fake.visibleTo(user).find((m) => FakeSlack.render(m).includes(text));

async function answerOnce(fake: FakeSlack, user: string): Promise<void> {
  await fake.slash(user, 'C0GENERAL', '/ask concurrency');
  const question = await fake.waitFor(seen(fake, user, 'What is a mutex?'));
  await fake.click(user, question, { actionId: 'answer' });
  const modal = await fake.waitFor(() => fake.lastOpenView(user));
  await fake.submitView(user, modal, 'A lock: one goroutine gets exclusive access.');
  await fake.waitFor(seen(fake, user, REFERENCE));
}

describe.each(['socket', 'http'] as const)('/stats on Slack (%s mode, real core + SQLite)', (mode) => {
  it('answers privately in the channel and shares the PNG chart in the person’s DM with the app', async () => {
    const core = await startCore();
    db = core.db;
    rig = await startRig(mode, core.bot.handle, { commands: core.bot.commands, clock: core.clock });
    const { fake } = rig;
    await answerOnce(fake, 'U0ALICE');

    await fake.slash('U0ALICE', 'C0GENERAL', '/stats');
    const reply = await fake.waitFor(seen(fake, 'U0ALICE', 'Your practice'));
    expect(reply.kind).toBe('ephemeral');
    expect(reply.to).toBe('U0ALICE');
    expect(FakeSlack.render(reply)).toMatch(/Last 12 weeks:\W*1 answer on 1 day/);
    expect(FakeSlack.render(reply)).toContain('The chart is in your direct messages with the app.');

    const dm = fake.appDm('U0ALICE').id;
    const shared = fake.visibleTo('U0ALICE').find((m) => m.files?.length);
    expect(shared?.channel).toBe(dm);
    const file = shared!.files![0]!;
    expect(file.name).toMatch(/\.png$/);
    expect(file.altText).toContain('Practice calendar');
    expect(file.sharedTo).toEqual([dm]);
    const png = readPng(file.bytes!);
    expect([png.width, png.height]).toEqual([640, 580]);
    // The modern upload flow, in order, each step accepted.
    const steps = fake.calls.filter((c) => ['files.getUploadURLExternal', 'upload', 'files.completeUploadExternal'].includes(c.method));
    expect(steps.map((c) => c.method)).toEqual(['files.getUploadURLExternal', 'upload', 'files.completeUploadExternal']);
    expect(Number(steps[0]!.args.length)).toBe(file.bytes!.length);

    // Bob shares the channel: he sees neither the numbers nor the chart.
    expect(fake.visibleTo('U0BOB').some((m) => FakeSlack.render(m).includes('Your practice') || m.files?.length)).toBe(false);
    const failed = fake.calls.filter((c) => !['response_url', 'upload'].includes(c.method) && c.response.ok !== true);
    expect(failed).toEqual([]);
    expect(rig.logger.lines.filter((l) => l.level !== 'debug')).toEqual([]);
  });

  it('still answers with the numbers when the app may not upload files (no files:write)', async () => {
    const core = await startCore();
    db = core.db;
    rig = await startRig(mode, core.bot.handle, { commands: core.bot.commands, clock: core.clock });
    const { fake } = rig;
    fake.scopes.delete('files:write');
    await answerOnce(fake, 'U0ALICE');

    await fake.slash('U0ALICE', 'C0GENERAL', '/stats');
    const reply = await fake.waitFor(seen(fake, 'U0ALICE', 'Your practice'));
    expect(FakeSlack.render(reply)).toMatch(/Last 12 weeks:\W*1 answer on 1 day/);
    expect(FakeSlack.render(reply)).not.toContain('direct messages');
    expect(fake.surfaces.some((m) => m.files?.length)).toBe(false);
    expect(rig.logger.lines.some((l) => l.level === 'warn' && l.msg.includes('files:write'))).toBe(true);
  });
});
