import type { Responder } from '../chat/port.ts';
import { code, userText } from '../chat/md.ts';
import type { PersonRef } from '../store/practice-types.ts';
import { addDays } from '../time/local-time.ts';
import { excusesOf, shortDate } from './excuses.ts';
import { say } from './messages.ts';
import { stringOption, type BotServices, type CommandEvent } from './module.ts';
import { streakFromDays, visibleStreak } from './streaks.ts';

/**
 * `/streak repair @person 2026-12-12 reason` (admins): excuses one local date
 * of a person's when prepbot or the platform let them down in a way the
 * automatic rules did not catch. Audited (who, when, why; shown by /streak).
 *
 * The repaired date counts as excused, not as practised: it keeps the streak
 * from breaking but adds no day, so a repair restores what the person would
 * have had without making up practice. The streak is then replayed from all
 * active days with every excused day, as after a link.
 */

export const REPAIR_MAX_AGE_DAYS = 90;
const USAGE = '/streak repair @person YYYY-MM-DD reason';

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

export async function repairStreak(event: CommandEvent, respond: Responder, s: BotServices, me: PersonRef): Promise<void> {
  const refuse = (...parts: Parameters<typeof say>) => respond.reply(say(...parts), 'private');
  if (!event.ctx.actorIsAdmin) {
    await refuse('Only workspace admins can repair a streak. If prepbot cost you a day, ask an admin to run ', code(USAGE), '.');
    return;
  }
  const who = stringOption(event, 'person');
  const date = stringOption(event, 'date');
  const reason = stringOption(event, 'reason');
  if (who === undefined || date === undefined || reason === undefined) {
    await refuse('A repair needs the person, the date and a reason (kept in the audit), e.g. ', code('/streak repair @amy 2026-12-12 Slack outage ate her answer'), '.');
    return;
  }
  const workspaceKey = `${event.ctx.platform}:${event.ctx.workspaceId}`;
  // Adapters pass a full account id; a bare platform user id is taken to be in this workspace.
  const accountId = who.includes(':') ? who : `${workspaceKey}:${who}`;
  const target = await s.practice.findAccount(accountId);
  // Someone of another workspace (an account id typed by hand, or a forged option) is not this admin's to repair.
  if (target && !(await s.practice.inWorkspace(target.personId, workspaceKey))) {
    await refuse('You can only repair streaks of people in this workspace.');
    return;
  }
  if (!target) {
    await refuse('They have not practised with prepbot yet, so there is no streak to repair.');
    return;
  }
  if (accountId === event.ctx.actor.id || target.personId === me.personId) {
    await refuse('Admins cannot repair their own streak; ask another admin, so every repair has a second pair of eyes.');
    return;
  }
  const now = s.clock.now();
  const today = s.dayOf(target, now);
  if (!isDate(date)) {
    await refuse(`“${date.slice(0, 32)}” is not a date. Give it as YYYY-MM-DD, e.g. `, code(`/streak repair @person ${addDays(today, -1)} reason`), '.');
    return;
  }
  if (date > today) {
    await refuse(`${date} has not happened yet for them (their today is ${today}); only past days can be repaired.`);
    return;
  }
  if (date < addDays(today, -REPAIR_MAX_AGE_DAYS)) {
    await refuse(`${date} is more than ${REPAIR_MAX_AGE_DAYS} days ago; repairs reach back ${REPAIR_MAX_AGE_DAYS} days.`);
    return;
  }
  const days = await s.practice.activeDays(target.personId);
  if (days.includes(date)) {
    await refuse(userText(target.displayName), ` practised on ${date}; it already counts, nothing to repair.`);
    return;
  }
  const { excused } = await excusesOf(s, target);
  const already = excused.get(date);
  if (already !== undefined) {
    await refuse(`${date} is already excused for `, userText(target.displayName), ` (${already}); nothing to repair.`);
    return;
  }
  const withRepair = new Map(excused).set(date, reason);
  const result = await s.practice.repairStreak({
    personId: target.personId,
    localDate: date,
    reason,
    repairedBy: event.ctx.actor.id,
    repairedByName: event.ctx.actor.displayName,
    now,
    replay: (active) => streakFromDays(active, withRepair),
  });
  if (!result.ok) {
    await refuse(`${date} was already repaired by `, userText(result.existing.repairedByName ?? 'an admin'), '.');
    return;
  }
  s.logger.info({ personId: target.personId, date, by: event.ctx.actor.id }, 'streak repaired');
  await respond.reply(
    say(
      `Repaired: ${shortDate(date, today)} is excused for `,
      userText(target.displayName),
      ` (“`,
      userText(reason),
      `”). Their streak is now 🔥 ${visibleStreak(result.streak, today, withRepair)}. The repair is shown in `,
      code('/streak'),
      ' with your name.',
    ),
    'private',
  );
}
