import type { EventContext } from '../chat/port.ts';
import type { Message } from '../chat/message.ts';
import { code, doc, emph, p, strong } from '../chat/md.ts';
import { ACTION_EXTRA, today } from './daily-queue.ts';
import { ACTION_PRACTISE } from './messages.ts';
import type { BotServices } from './module.ts';
import { streakView } from './streaks.ts';
import { currentBreak, excusesOf, shortDate } from './excuses.ts';

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

/**
 * A person's home screen (Slack App Home): their streak, what is due, and one
 * button to start practising. Private by nature: only the person sees it.
 */
export async function homeView(s: BotServices, ctx: EventContext): Promise<Message> {
  const me = await s.person(ctx);
  const now = s.clock.now();
  const candidates = (await s.bank.listQuestions({ servable: true })).map((q) => q.id);
  // The same queue and caps /ask serves from, so the button never promises what /ask then refuses.
  const [streak, day, excuses] = await Promise.all([
    s.practice.getStreak(me.personId),
    today(s, me, `${ctx.platform}:${ctx.workspaceId}`, candidates),
    excusesOf(s, me),
  ]);
  const view = streakView(streak, day.date, excuses.excused);
  const away = currentBreak(excuses.records, now);
  const { reviewsLeft, newLeft, backlog } = day.queue;
  const load =
    reviewsLeft + newLeft === 0
      ? "Today's reviews and new questions are done."
      : `Today: ${reviewsLeft} review${reviewsLeft === 1 ? '' : 's'} due, ${newLeft} new left.`;
  const later = backlog > 0 ? ` ${backlog} more due reviews wait for the next days.` : '';
  return {
    body: doc(
      p(strong('prepbot'), ': interview practice'),
      p('Streak: ', strong(`🔥 ${days(view.current)}`), ` (longest ${days(streak.longest)}, freezes held ${view.freezes}).`),
      p(
        away ? `🏖 On a break until ${shortDate(away.untilDay, day.date)}. ` : view.todayDone ? 'Today is done ✓ ' : emph('Not answered today yet. '),
        load + later,
      ),
      p('Or pick a topic with ', code('/ask concurrency'), '; see them all with ', code('/topics'), '.'),
    ),
    actions: [
      reviewsLeft + newLeft === 0
        ? { kind: 'button', id: ACTION_EXTRA, label: 'Extra practice', value: 'home', style: 'primary' }
        : { kind: 'button', id: ACTION_PRACTISE, label: reviewsLeft > 0 ? 'Review now' : 'Practise now', value: 'home', style: 'primary' },
    ],
  };
}
