import type { CommandSpec } from '../../chat/commands.ts';
import type { OptionValue } from '../../chat/port.ts';

/** /interview start|stop|history|peer, declared once as data like every command. */

export const QUESTIONS = { min: 1, max: 20, default: 5 } as const;
export const MINUTES = { min: 5, max: 120, default: 30 } as const;

export const interviewSpec: CommandSpec = {
  name: 'interview',
  description: 'Mock interview: a timed sequence of questions with a scorecard, alone or with a peer',
  options: [],
  subcommands: [
    {
      name: 'start',
      description: 'Start a timed mock interview, privately (or resume the open one)',
      options: [
        { name: 'topic', description: 'Topic, e.g. concurrency (default: any, your due reviews first)', type: 'string', autocomplete: true, maxLength: 100 },
        { name: 'questions', description: `How many questions, ${QUESTIONS.min}-${QUESTIONS.max} (default ${QUESTIONS.default})`, type: 'integer', min: QUESTIONS.min, max: QUESTIONS.max },
        { name: 'minutes', description: `Time limit in minutes, ${MINUTES.min}-${MINUTES.max} (default ${MINUTES.default})`, type: 'integer', min: MINUTES.min, max: MINUTES.max },
        { name: 'unanswered', description: 'Also ask questions that have no reference answer in the notes (default: no)', type: 'boolean' },
      ],
    },
    { name: 'stop', description: 'End your open interview now and get its scorecard', options: [] },
    { name: 'history', description: 'Your past mock interviews and the trend per topic', options: [] },
    {
      name: 'peer',
      description: 'Interview a teammate in a thread: you see the reference answers, they answer',
      options: [
        { name: 'candidate', description: 'Who you interview', type: 'user', required: true },
        { name: 'topic', description: 'Topic, e.g. concurrency (default: any)', type: 'string', autocomplete: true, maxLength: 100 },
        { name: 'questions', description: `How many questions, ${QUESTIONS.min}-${QUESTIONS.max} (default ${QUESTIONS.default})`, type: 'integer', min: QUESTIONS.min, max: QUESTIONS.max },
      ],
    },
  ],
  permission: 'everyone',
};

/** A whole number within the range, its default when absent; else the polite refusal naming the range. */
export function rangeOption(
  options: Record<string, OptionValue>,
  name: string,
  range: { min: number; max: number; default: number },
): { ok: true; value: number } | { ok: false; error: string } {
  const raw = options[name];
  if (raw === undefined || raw === '') return { ok: true, value: range.default };
  const n = typeof raw === 'number' ? raw : /^\s*[+-]?\d+\s*$/.test(String(raw)) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < range.min || n > range.max) {
    return { ok: false, error: `${name} must be a whole number from ${range.min} to ${range.max}` };
  }
  return { ok: true, value: n };
}
