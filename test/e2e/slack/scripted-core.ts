import type { CommandSpec } from '../../../src/chat/commands.ts';
import type { EventHandler, InboundEvent } from '../../../src/chat/port.ts';
import type { Message } from '../../../src/chat/message.ts';
import { doc, p, strong, userText, codeBlock, link } from '../../../src/chat/md.ts';

/**
 * A stand-in for the practice core that only exercises the port: it lets the
 * adapter tests drive every Responder capability without the real core.
 * (The full-flow tests use the real core.)
 */
export const testCommands: CommandSpec[] = [
  { name: 'ask', description: 'Get a question', options: [{ name: 'topic', description: 'Topic', type: 'string' }], permission: 'everyone' },
  { name: 'streak', description: 'Show your streak', options: [], permission: 'everyone' },
  { name: 'long', description: 'A very long message', options: [], permission: 'everyone' },
  { name: 'shout', description: 'Echo in public', options: [{ name: 'words', description: 'Words', type: 'string' }], permission: 'everyone' },
  { name: 'boom', description: 'Fails', options: [], permission: 'everyone' },
];

// Enough for more than 50 full sections, so the message must be split across several posts.
export const LONG_CODE_LINES = 3200;

export function longMessage(): Message {
  const paragraphs = Array.from({ length: 70 }, (_, i) => p(`Paragraph ${i} `, strong('bold'), ' & <tags> stay text.'));
  const code = Array.from({ length: LONG_CODE_LINES }, (_, i) => `line ${String(i).padStart(3, '0')}: if (a < b && c > d) { go(); }`).join('\n');
  return { body: doc(...paragraphs, codeBlock(code, 'go'), p('The end.')) };
}

export function scriptedCore() {
  const events: InboundEvent[] = [];
  const handler: EventHandler = async (event, respond) => {
    events.push(event);
    if (event.kind === 'command') {
      switch (event.command) {
        case 'ask': {
          const topic = String(event.options.topic ?? 'anything');
          await respond.reply(
            {
              body: doc(p('Question on ', userText(topic), ': what is a mutex?')),
              actions: [
                { kind: 'button', id: 'answer', label: 'Answer', value: `q1|${topic}`, style: 'primary' },
                { kind: 'button', id: 'giveup', label: 'Give up', value: 'q1', style: 'secondary' },
              ],
            },
            'private',
          );
          return;
        }
        case 'streak':
          await respond.reply({ body: doc(p('Your streak: 1 day')) }, 'private');
          return;
        case 'long':
          await respond.reply(longMessage(), 'private');
          return;
        case 'shout': {
          const words = String(event.options.words ?? '');
          await respond.reply({ body: doc(p(userText(words)), p(link('!channel', userText(words)))) }, 'public');
          await respond.reply({ body: doc(p(userText(words))), actions: [{ kind: 'button', id: 'answer', label: words.slice(0, 200), value: 'q9' }] }, 'private');
          await respond.openForm?.({ id: 'answer', value: 'q9', title: words, label: words, maxLength: 4000 });
          return;
        }
        case 'boom':
          throw new Error('core exploded');
      }
    }
    if (event.kind === 'button' && event.actionId === 'answer') {
      await respond.openForm?.({ id: 'answer', value: event.value, title: 'Answer: what is a mutex and why?', label: 'What is a mutex?', maxLength: 4000 });
      return;
    }
    if (event.kind === 'form') {
      await respond.reply(
        {
          body: doc(p('You answered: ', userText(event.text))),
          spoiler: doc(p('A mutex is a lock.')),
          actions: ['Again', 'Hard', 'Good', 'Easy'].map((label, i) => ({ kind: 'button' as const, id: 'rate', label, value: `${event.value}|${i + 1}` })),
        },
        'private',
      );
      return;
    }
    if (event.kind === 'button' && event.actionId === 'rate') {
      await respond.updateSource?.({ body: doc(p('Rated ', strong(event.value.split('|').at(-1) ?? '?'))) });
      return;
    }
  };
  return { events, handler };
}
