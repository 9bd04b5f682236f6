import type { CommandSpec } from '../../chat/commands.ts';
import type { Message } from '../../chat/message.ts';
import type { Responder } from '../../chat/port.ts';
import { code, p, strong } from '../../chat/md.ts';
import type { PersonForgetReport } from '../../store/practice-types.ts';
import { info, say } from '../messages.ts';
import { stringOption, type ButtonEvent, type BotServices, type CommandEvent, type CommandModule } from '../module.ts';

/**
 * `/forget me`: deletes everything prepbot stores about the person who runs it (answers, reviews,
 * streak days and record, link codes, every linked account), after a confirmation button. The
 * buttons carry no person: the confirmation acts on whoever presses it, so a forwarded or forged
 * button can only ever delete the presser's own data.
 */
export const ACTION_FORGET_CONFIRM = 'forget-confirm';
export const ACTION_FORGET_CANCEL = 'forget-cancel';

export const forgetSpec: CommandSpec = {
  name: 'forget',
  description: 'Delete everything prepbot stores about you (asks to confirm first)',
  options: [
    {
      name: 'who',
      description: 'Only "me": your own data, on every linked platform',
      type: 'string',
      required: true,
      choices: [{ name: 'me', value: 'me' }],
    },
  ],
  permission: 'everyone',
};

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** "12 answers and questions asked, 3 review schedules, …" from a deletion or an export count. */
export function describeCounts(counts: Record<string, number>, labels: Record<string, string>): string {
  const parts = Object.entries(counts)
    .filter(([table, n]) => n > 0 && table !== 'people')
    .map(([table, n]) => `${labels[table] ?? table}: ${n}`);
  return parts.length > 0 ? parts.join('; ') : 'nothing but your name';
}

export function forgetDoneMessage(report: PersonForgetReport): Message {
  return info(
    p(strong('Deleted.'), ' prepbot no longer stores anything about you.'),
    p(`Removed: ${describeCounts(report.deleted, report.labels)}.`),
    p('Using prepbot again starts a new, empty history.'),
  );
}

async function forget(event: CommandEvent, respond: Responder, s: BotServices): Promise<void> {
  if (stringOption(event, 'who')?.toLowerCase() !== 'me') {
    await respond.reply(say('Only ', code('/forget me'), ' is possible: you can delete your own data, nobody else’s.'), 'private');
    return;
  }
  const me = await s.person(event.ctx);
  const data = await s.practice.exportPerson(me.personId);
  const counts = Object.fromEntries(Object.entries(data.tables).map(([t, rows]) => [t, rows.length]));
  const accounts = (data.tables.accounts ?? []).length;
  const answers = (data.tables.attempts ?? []).length;
  await respond.reply(
    {
      ...info(
        p(strong('Delete everything prepbot stores about you?')),
        p(
          `That is ${plural(answers, 'answer')} and question asked, your reviews, streak history and ${plural(accounts, 'linked account')}. `,
          'It cannot be undone.',
        ),
        p(`In detail: ${describeCounts(counts, data.labels)}.`),
      ),
      actions: [
        { kind: 'button', id: ACTION_FORGET_CONFIRM, label: 'Delete everything', value: 'me', style: 'danger' },
        { kind: 'button', id: ACTION_FORGET_CANCEL, label: 'Cancel', value: 'me', style: 'secondary' },
      ],
    },
    'private',
  );
}

async function confirm(event: ButtonEvent, respond: Responder, s: BotServices): Promise<void> {
  // Whoever presses is who is forgotten; the button's value is never trusted to name a person.
  const existing = await s.practice.findAccount(event.ctx.actor.id);
  if (!existing) {
    await respond.reply(say('prepbot stores nothing about you.'), 'private');
    return;
  }
  const report = await s.practice.forgetPerson(existing.personId);
  s.logger.info({ tables: report.deleted }, 'a person deleted their data with /forget me');
  const done = forgetDoneMessage(report);
  if (respond.updateSource && !event.ctx.isDirect) await respond.updateSource(done).catch(() => respond.reply(done, 'private'));
  else await respond.reply(done, 'private');
}

async function cancel(event: ButtonEvent, respond: Responder): Promise<void> {
  const msg = say('Nothing was deleted.');
  if (respond.updateSource) await respond.updateSource(msg).catch(() => respond.reply(msg, 'private'));
  else await respond.reply(msg, 'private');
}

export const forgetModule: CommandModule = {
  spec: forgetSpec,
  run: forget,
  buttons: { [ACTION_FORGET_CONFIRM]: confirm, [ACTION_FORGET_CANCEL]: (e, r) => cancel(e, r) },
};
