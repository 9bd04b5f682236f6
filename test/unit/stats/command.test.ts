/** /stats through the real core and SQLite: practice days in the person's zone and day start, picture or text grid. */
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../../src/chat/message.ts';
import type { Visibility } from '../../../src/chat/port.ts';
import { createHarness, plain, Recorder, type Harness } from '../core/harness.ts';
import { readPng } from './png-check.ts';

/** A platform that shows pictures (Discord, Slack, console). */
class PictureRecorder extends Recorder {
  readonly showsImages = true;
}

const alice = { id: 'UALICE', name: 'Alice' };
const bob = { id: 'UBOB', name: 'Bob' };

let h: Harness;
afterEach(() => h.db.close());

async function stats(who: typeof alice, recorder: Recorder = new Recorder()): Promise<{ message: Message; visibility: Visibility }> {
  await h.send(
    {
      kind: 'command',
      ctx: {
        platform: 'slack',
        workspaceId: 'T1',
        conversationId: 'slack:T1:C1',
        isDirect: false,
        actor: { platform: 'slack', id: `slack:T1:${who.id}`, displayName: who.name },
        actorIsAdmin: false,
      },
      command: 'stats',
      options: {},
    },
    recorder,
  );
  expect(recorder.replies).toHaveLength(1);
  return recorder.replies[0]!;
}

/** The text grid's row for a weekday, e.g. "Tue · · ░". */
const row = (text: string, day: string) => text.split('\n').find((l) => l.startsWith(`${day} `)) ?? '';

describe('/stats', () => {
  it('places an answer on the practice day of the person’s zone, then of their day start', async () => {
    // Monday 20:00 UTC is Tuesday 01:30 in Kolkata.
    h = await createHarness({ start: '2025-03-10T20:00:00Z' });
    await h.command(alice, 'timezone', { zone: 'Asia/Kolkata' });
    await h.command(bob, 'timezone', { zone: 'Asia/Kolkata' });
    await h.command(bob, 'daystart', { hour: '3' });
    await h.practise(alice, 'A mutex is a lock that gives one goroutine exclusive access.', 'concurrency');
    await h.practise(bob, 'A mutex is a lock that gives one goroutine exclusive access.', 'concurrency');

    const mine = await stats(alice);
    expect(mine.visibility).toBe('private');
    expect(mine.message.image).toBeUndefined();
    const grid = (mine.message.body.children.find((n) => n.type === 'code') as { value: string }).value;
    expect(row(grid, 'Tue')).toContain('░');
    expect(row(grid, 'Mon')).not.toContain('░');
    expect(plain(mine.message)).toContain('Last 12 weeks: 1 answer on 1 day.');

    // Bob's day starts at 03:00, so 01:30 Tuesday still belongs to Monday.
    const his = await stats(bob);
    const bobGrid = (his.message.body.children.find((n) => n.type === 'code') as { value: string }).value;
    expect(row(bobGrid, 'Mon')).toContain('░');
    expect(row(bobGrid, 'Tue')).not.toContain('░');
  });

  it('leaves answers older than twelve weeks out of the calendar but not out of the totals', async () => {
    h = await createHarness({ start: '2025-01-06T09:00:00Z' });
    await h.practise(alice, 'a lock', 'concurrency');
    h.clock.set(new Date('2025-04-01T09:00:00Z'));
    const { message } = await stats(alice);
    const text = plain(message);
    expect(text).toContain('1 answered');
    expect(text).toContain('Last 12 weeks: 0 answers on 0 days.');
  });

  it('sends a PNG picture with alt text where the platform shows images, and the calendar as text elsewhere', async () => {
    h = await createHarness({ start: '2025-03-10T09:00:00Z' });
    await h.practise(alice, 'A mutex is a lock that gives one goroutine exclusive access.', 'concurrency');
    h.clock.set(new Date('2025-03-18T09:00:00Z')); // the next week
    await h.practise(alice, 'A typed pipe between goroutines.', 'concurrency');

    const shown = await stats(alice, new PictureRecorder());
    const image = shown.message.image;
    expect(image).toBeDefined();
    expect(image!.name).toMatch(/\.png$/);
    expect(image!.alt).toContain('2 answers on 2 days');
    expect(image!.alt).toContain('concurrency');
    const png = readPng(image!.png);
    expect([png.width, png.height]).toEqual([640, 580]);
    // The text still carries the numbers, without repeating the calendar the picture shows.
    expect(plain(shown.message)).toContain('Last 12 weeks: 2 answers on 2 days.');
    expect(plain(shown.message)).toMatch(/concurrency: \d+% → \d+% over 2 weeks/);
    expect(shown.message.body.children.some((n) => n.type === 'code')).toBe(false);

    const textOnly = await stats(alice);
    expect(textOnly.message.image).toBeUndefined();
    expect(textOnly.message.body.children.some((n) => n.type === 'code')).toBe(true);
  });
});
