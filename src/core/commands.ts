import type { CommandSpec } from '../chat/commands.ts';

/**
 * Every command the practice core answers, declared once as data. Adapters
 * register these in their platform's form; /help is generated from them.
 * Modules such as /schedule add their own specs through createBot's
 * `extraCommands`.
 */

/** Discord and the answer form allow 4000 characters; the same cap everywhere keeps answers comparable. */
export const MAX_ANSWER_CHARS = 4000;

export const coreCommands: readonly CommandSpec[] = [
  {
    name: 'ask',
    description: 'Get an interview question: on a topic, or your due reviews first, then new ones',
    options: [
      { name: 'topic', description: 'Topic, e.g. concurrency (leave empty for your reviews)', type: 'string', autocomplete: true, maxLength: 100 },
      { name: 'answered', description: 'false: only questions with no reference answer in the notes (you rate yourself)', type: 'boolean' },
      { name: 'extra', description: 'true: extra practice beyond today’s load; counts for your streak, leaves your schedule', type: 'boolean' },
    ],
    permission: 'everyone',
  },
  {
    name: 'answer',
    description: 'Answer your open question by typing the answer here (when a form is not available)',
    options: [
      { name: 'text', description: 'Your answer', type: 'string', required: true, maxLength: MAX_ANSWER_CHARS, rest: true },
    ],
    permission: 'everyone',
  },
  {
    name: 'streak',
    description: 'Show your practice streak, or someone else’s',
    options: [
      { name: 'person', description: 'Whose streak to show (default: yours)', type: 'user' },
      { name: 'date', description: 'Admins, to repair a day: the date, YYYY-MM-DD', type: 'string', maxLength: 32 },
      { name: 'reason', description: 'Admins, to repair a day: why (kept in the audit, shown in /streak)', type: 'string', maxLength: 200 },
      { name: 'repair', description: 'Admins: repair person’s streak for date, with a reason', type: 'boolean', flag: true },
    ],
    permission: 'everyone',
  },
  {
    name: 'leaderboard',
    description: 'Who is practising most: by current streak, then answers',
    options: [
      {
        name: 'scope',
        description: 'Which board (default: this channel)',
        type: 'string',
        choices: [
          { name: 'this channel', value: 'channel' },
          { name: 'this workspace', value: 'workspace' },
          { name: 'everyone', value: 'global' },
        ],
      },
      {
        name: 'period',
        description: 'Answers counted over (default: this week, from Monday)',
        type: 'string',
        choices: [
          { name: 'this week', value: 'week' },
          { name: 'this month', value: 'month' },
          { name: 'all time', value: 'all' },
        ],
      },
    ],
    permission: 'everyone',
  },
  { name: 'topics', description: 'List the topics you can practise', options: [], permission: 'everyone' },
  { name: 'stats', description: 'Your answers, coverage by topic and a 12-week practice calendar', options: [], permission: 'everyone' },
  {
    name: 'timezone',
    description: 'Set your time zone for streak days, e.g. Europe/Berlin',
    options: [{ name: 'zone', description: 'IANA time zone, e.g. Europe/Berlin or Asia/Kolkata', type: 'string', required: true, maxLength: 64 }],
    permission: 'everyone',
  },
  {
    name: 'link',
    description: 'Join your accounts on two platforms: run without a code to get one, then enter it on the other',
    options: [{ name: 'code', description: 'The 6-character code from the other platform', type: 'string', maxLength: 16 }],
    permission: 'everyone',
  },
  { name: 'unlink', description: 'Detach this account from your other linked accounts', options: [], permission: 'everyone' },
  { name: 'help', description: 'What prepbot can do', options: [], permission: 'everyone' },
];
