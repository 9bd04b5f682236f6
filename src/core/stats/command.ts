/**
 * /stats: a person's answers and coverage by topic, with a picture of the last
 * 12 weeks (practice calendar + coverage by topic per week) where the platform
 * shows images. The text always says everything the picture does, so a
 * platform without images, or a failed drawing, loses nothing.
 */
import type { Responder } from '../../chat/port.ts';
import type { MessageImage } from '../../chat/message.ts';
import { code, codeBlock, list, p, strong } from '../../chat/md.ts';
import { practiceDayStart } from '../../time/local-time.ts';
import { renderStatsImage } from '../../render/stats-image.ts';
import { info, say } from '../messages.ts';
import type { BotServices, CommandEvent } from '../module.ts';
import {
  CALENDAR_WEEKS,
  NO_TOPIC,
  calendarStart,
  intensity,
  practiceCalendar,
  topicCoverageByWeek,
  trend,
  type PracticeCalendar,
  type TopicWeekly,
} from './data.ts';

const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;
const answersWord = (n: number) => `${n} ${n === 1 ? 'answer' : 'answers'}`;
const percent = (v: number) => `${Math.round(v * 100)}%`;

export async function statsCommand(event: CommandEvent, respond: Responder, s: BotServices): Promise<void> {
  const me = await s.person(event.ctx);
  const rows = await s.practice.questionStats(me.personId);
  const answered = rows.reduce((n, r) => n + r.answers, 0);
  const gaveUp = rows.reduce((n, r) => n + r.gaveUp, 0);
  if (answered + gaveUp === 0) {
    await respond.reply(say('No answers yet. ', code('/ask'), ' to start.'), 'private');
    return;
  }
  const questions = new Map((await s.bank.listQuestions({ includeRetired: true })).map((q) => [q.id, q]));
  const topicsOf = (questionId: string) => questions.get(questionId)?.topics ?? [];

  const byTopic = new Map<string, { answers: number; coverageSum: number }>();
  for (const r of rows) {
    if (r.answers === 0) continue;
    const topics = topicsOf(r.questionId);
    for (const t of topics.length > 0 ? topics : [NO_TOPIC]) {
      const acc = byTopic.get(t) ?? { answers: 0, coverageSum: 0 };
      acc.answers += r.answers;
      acc.coverageSum += (r.avgCoverage ?? 0) * r.answers;
      byTopic.set(t, acc);
    }
  }
  const topicLines = [...byTopic.entries()]
    .sort((a, b) => b[1].answers - a[1].answers || a[0].localeCompare(b[0]))
    .map(([t, a]) => `${t}: ${answersWord(a.answers)}, ${percent(a.coverageSum / a.answers)} key points covered`);

  // The last 12 weeks, each answer on the practice day it counted for.
  const today = s.dayOf(me, s.clock.now());
  const since = practiceDayStart(calendarStart(today), s.zoneOf(me), s.dayStartOf(me));
  const recent = (await s.practice.answersSince(me.personId, since)).map((a) => ({
    day: s.dayOf(me, new Date(a.answeredAt)),
    topics: topicsOf(a.questionId),
    coverage: a.coverage,
  }));
  const calendar = practiceCalendar(
    recent.map((a) => a.day),
    today,
  );
  const weekly = topicCoverageByWeek(recent, today);
  const st = await s.practice.getStreak(me.personId);
  const image = respond.showsImages ? await drawn(s, calendar, weekly) : undefined;

  await respond.reply(
    {
      ...info(
        p(strong('Your practice')),
        p(`${answered} answered, ${gaveUp} given up, ${rows.length} different ${rows.length === 1 ? 'question' : 'questions'}. Longest streak ${days(st.longest)}.`),
        ...(topicLines.length > 0 ? [list(topicLines)] : []),
        p(strong(`Last ${CALENDAR_WEEKS} weeks: `), `${answersWord(calendar.answers)} on ${days(calendar.activeDays)}.`),
        // Where the picture is shown it carries the calendar; elsewhere a text grid does.
        ...(image ? [] : [codeBlock(calendarGrid(calendar))]),
        ...(weekly.length > 0 ? [p('Coverage by week, first → latest:'), list(weekly.map(trendLine))] : []),
      ),
      ...(image ? { image } : {}),
    },
    'private',
  );
}

async function drawn(s: BotServices, calendar: PracticeCalendar, topics: TopicWeekly[]): Promise<MessageImage | undefined> {
  try {
    const png = await renderStatsImage({ calendar, topics });
    const names = topics.map((t) => t.topic).join(', ');
    return {
      name: `prepbot-stats-${calendar.today}.png`,
      png,
      alt:
        `Practice calendar of the last ${CALENDAR_WEEKS} weeks: ${answersWord(calendar.answers)} on ${days(calendar.activeDays)}. ` +
        (names ? `Key points covered per week for ${names}.` : 'No topics answered in these weeks.'),
    };
  } catch (err) {
    // The text says it all; a missing native canvas build must not cost the reply.
    s.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not draw the /stats picture; replying with text only');
    return undefined;
  }
}

function trendLine(t: TopicWeekly): string {
  const tr = trend(t.weekly);
  const moved = !tr ? 'not graded' : tr.weeks > 1 ? `${percent(tr.from)} → ${percent(tr.to)} over ${tr.weeks} weeks` : `${percent(tr.to)} in one week`;
  return `${t.topic}: ${moved} (${answersWord(t.answers)})`;
}

const SHADE_CHARS = ['·', '░', '▒', '▓', '█'] as const;
const ROWS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The calendar as monospace text: a row per weekday, a column per week, darker = more answers. */
export function calendarGrid(cal: PracticeCalendar): string {
  const lines = ROWS.map((name, d) => `${name} ${cal.weeks.map((w) => (w.days[d]!.future ? ' ' : SHADE_CHARS[intensity(w.days[d]!.answers)])).join(' ')}`);
  lines.push(`    ${cal.weeks[0]!.start} → ${cal.today}; · none ░ 1 ▒ 2 ▓ 3-4 █ 5+`);
  return lines.join('\n');
}
