import { describe, expect, it } from 'vitest';
import { createHarness, DAY, plain } from '../core/harness.ts';

const alice = { id: 'U1', name: 'alice' };

async function streakText(h: Awaited<ReturnType<typeof createHarness>>) {
  return plain((await h.command(alice, 'streak')).replies[0]!.message);
}

describe('/streak after a missed day covered by a freeze (issue 14a)', () => {
  it('shows the freeze as used on the day after the miss, and that stays true after the next answer', async () => {
    const h = await createHarness({ start: '2025-03-10T09:00:00Z' });
    for (let d = 0; d < 7; d++) {
      await h.practise(alice, 'A mutex is a lock; unlock with defer.');
      h.clock.advance(DAY);
    }
    // Seven days answered (10th-16th): one freeze earned. The 17th is missed.
    h.clock.advance(DAY);
    const dayAfterMiss = await streakText(h);
    expect(dayAfterMiss).toContain('🔥 7 days');
    expect(dayAfterMiss).toContain('Freezes held: 0');
    expect(dayAfterMiss).toContain('used for 2025-03-17');
    expect(dayAfterMiss).toContain('Not answered today yet');

    await h.practise(alice, 'A typed pipe between goroutines.');
    const afterAnswer = await streakText(h);
    expect(afterAnswer).toContain('🔥 8 days');
    expect(afterAnswer).toContain('Freezes held: 0');
    expect(afterAnswer).toContain('Today is done');
  });

  it('a second missed day lapses the streak and the freeze stays spent', async () => {
    const h = await createHarness({ start: '2025-03-10T09:00:00Z' });
    for (let d = 0; d < 7; d++) {
      await h.practise(alice, 'A mutex is a lock; unlock with defer.');
      h.clock.advance(DAY);
    }
    h.clock.advance(2 * DAY); // 17th and 18th missed; now the 19th
    const view = await streakText(h);
    expect(view).toContain('🔥 0 days');
    expect(view).toContain('Freezes held: 0');
    await h.practise(alice, 'A typed pipe between goroutines.');
    const after = await streakText(h);
    expect(after).toContain('🔥 1 day');
    expect(after).toContain('Freezes held: 0');
  });
});

describe('/streak after moving west (issue 14b)', () => {
  it('says today is done when the last counted date is later than today, and a new answer announces nothing', async () => {
    // 16:00Z is 01:00 on the 11th in Tokyo and 09:00 on the 10th in Los Angeles.
    const h = await createHarness({ start: '2025-03-10T16:00:00Z' });
    await h.command(alice, 'timezone', { zone: 'Asia/Tokyo' });
    const first = await h.practise(alice, 'A mutex is a lock; unlock with defer.');
    expect(first.result.texts('private').join(' ')).toContain('Streak: 1 day');
    await h.command(alice, 'timezone', { zone: 'America/Los_Angeles' });
    h.clock.advance(3_600_000);
    const view = await streakText(h);
    expect(view).toContain('🔥 1 day');
    expect(view).toContain('Today is done');
    expect(view).not.toContain('Not answered today yet');
    const again = await h.practise(alice, 'A typed pipe between goroutines.');
    expect(again.result.texts('private').join(' ')).not.toContain('Streak:');
  });
});
