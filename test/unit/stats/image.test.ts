import { describe, expect, it } from 'vitest';
import { practiceCalendar, topicCoverageByWeek } from '../../../src/core/stats/data.ts';
import { renderStatsImage } from '../../../src/render/stats-image.ts';
import { readPng } from './png-check.ts';

const TODAY = '2026-03-04';

describe('renderStatsImage', () => {
  it('draws a complete 640×580 PNG for a person with no recent answers', async () => {
    const png = readPng(await renderStatsImage({ calendar: practiceCalendar([], TODAY), topics: [] }));
    expect([png.width, png.height]).toEqual([640, 580]);
    expect(png.chunks[0]).toBe('IHDR');
    expect(png.chunks).toContain('IDAT');
  });

  it('draws busy weeks, long topic names and uncovered weeks into the same frame, and the data changes the picture', async () => {
    const answers = [
      { day: '2026-03-04', topics: ['a-very-long-topic-name-that-needs-cutting'], coverage: 0.9 },
      { day: '2026-03-03', topics: ['concurrency', 'go'], coverage: 0 },
      { day: '2026-01-05', topics: ['databases'], coverage: null },
      { day: '2025-12-15', topics: [], coverage: 1 },
      ...Array.from({ length: 30 }, () => ({ day: '2026-02-10', topics: ['system-design'], coverage: 0.5 })),
    ];
    const busy = await renderStatsImage({
      calendar: practiceCalendar(answers.map((a) => a.day), TODAY),
      topics: topicCoverageByWeek(answers, TODAY),
    });
    const png = readPng(busy);
    expect([png.width, png.height]).toEqual([640, 580]);
    const empty = await renderStatsImage({ calendar: practiceCalendar([], TODAY), topics: [] });
    expect(Buffer.from(busy).equals(Buffer.from(empty))).toBe(false);
  });
});
