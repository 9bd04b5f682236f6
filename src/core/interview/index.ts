import { code } from '../../chat/md.ts';
import { say } from '../messages.ts';
import { stringOption, type BotServices, type CommandModule } from '../module.ts';
import { FORM_IV_ANSWER, IV_ABANDON, IV_ANSWER, IV_GIVE_UP, IV_RATE, IV_RESUME, IV_SHARE, IV_SKIP } from './messages.ts';
import { createPeerFlow } from './peer.ts';
import { createSoloFlow } from './solo.ts';
import { interviewSpec } from './spec.ts';
import type { InterviewDeps } from './types.ts';

export { interviewSpec } from './spec.ts';
export type { InterviewDeps } from './types.ts';

export interface Interviews {
  /** The /interview command module, for createBot's extraCommands. */
  commands: CommandModule[];
  /** Ends sessions whose time ran out (see createSoloFlow's expire); for the scheduler's minute tick. */
  expire(now: Date, services: BotServices): Promise<number>;
}

/** Solo and peer mock interviews. */
export function createInterviews(deps: InterviewDeps): Interviews {
  const peer = createPeerFlow(deps);
  const solo = createSoloFlow(deps, peer.hooks);
  const module: CommandModule = {
    spec: interviewSpec,
    async run(event, respond, s) {
      switch (stringOption(event, 'subcommand')) {
        case 'start':
          return solo.start(event, respond, s);
        case 'stop':
          return solo.stop(event, respond, s);
        case 'history':
          return solo.history(event, respond, s);
        case 'peer':
          return peer.start(event, respond, s);
        default:
          await respond.reply(
            say('Use ', code('/interview start [topic] [questions:5] [minutes:30]'), ', ', code('stop'), ', ', code('history'), ' or ', code('peer @teammate'), '.'),
            'private',
          );
      }
    },
    async autocomplete(event, s) {
      if (event.option !== 'topic') return [];
      return s.topics.rank(event.partial, 25).map((t) => ({ name: t.name, value: t.id }));
    },
    buttons: {
      [IV_ANSWER]: solo.buttons.onAnswer,
      [IV_SKIP]: solo.buttons.onSkip,
      [IV_GIVE_UP]: solo.buttons.onGiveUp,
      [IV_RATE]: solo.buttons.onRate,
      [IV_RESUME]: solo.buttons.onResume,
      [IV_ABANDON]: solo.buttons.onAbandon,
      [IV_SHARE]: solo.buttons.onShare,
      ...peer.buttons,
    },
    forms: { [FORM_IV_ANSWER]: solo.onForm, ...peer.forms },
    typedAnswers: {
      async interview(ctx, attempt, text, respond, s) {
        const item = await deps.interviews.itemOfAttempt(attempt.id);
        if (!item) return respond.reply(say('That question is no longer part of an interview. Use ', code('/interview start'), '.'), 'private');
        const ref = { interviewId: item.interviewId, number: item.number, followUp: item.followUp };
        return item.kind === 'peer' ? peer.submit(ctx, ref, text, respond, s) : solo.submit(ctx, ref, text, respond, s);
      },
    },
  };
  return { commands: [module], expire: solo.expire };
}
