import type { EventContext } from '../chat/port.ts';
import type { Message } from '../chat/message.ts';
import { code, doc, emph, p, strong } from '../chat/md.ts';
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
  const [streak, due, excuses] = await Promise.all([s.practice.getStreak(me.personId), s.practice.dueReviews(me.personId, now, 100), excusesOf(s, me)]);
  const today = s.dayOf(me, now);
  const view = streakView(streak, today, excuses.excused);
  const away = currentBreak(excuses.records, now);
  return {
    body: doc(
      p(strong('prepbot'), ': interview practice'),
      p('Streak: ', strong(`🔥 ${days(view.current)}`), ` (longest ${days(streak.longest)}, freezes held ${view.freezes}).`),
      p(
        away ? `🏖 On a break until ${shortDate(away.untilDay, today)}. ` : view.todayDone ? 'Today is done ✓ ' : emph('Not answered today yet. '),
        due.length > 0 ? `${due.length} review${due.length === 1 ? '' : 's'} due.` : 'No reviews due: new questions next.',
      ),
      p('Or pick a topic with ', code('/ask concurrency'), '; see them all with ', code('/topics'), '.'),
    ),
    actions: [{ kind: 'button', id: ACTION_PRACTISE, label: due.length > 0 ? 'Review now' : 'Practise now', value: 'home', style: 'primary' }],
  };
}
