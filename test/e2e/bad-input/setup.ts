/** The real core over an in-memory SQLite bank with one concurrency question, for the bad-input suites. */
import { MUTEX_QUESTION, REFERENCE, startCore as startSharedCore, type CoreRig as SharedRig } from '../core-rig.ts';

export { REFERENCE };
export const PROMPT = MUTEX_QUESTION.prompt;

/** Every hostile string a careless or malicious person might type, with a name for test titles. */
export const HOSTILE = {
  markdown: '**bold** _it_ ~~gone~~ [x](javascript:alert(1)) <script>alert(1)</script> ||spoiler||',
  fence: '```\nfenced\n```',
  slackMarkup: '<!channel> <!here> <!everyone> <https://evil.example|click> <!subteam^S1> <@U0BOB> <#C0GENERAL>',
  discordMentions: '@everyone @here <@123456789012345678> <@!123456789012345678> <@&456> <#789>',
  controls: 'red:\u001b[31mRED\u001b[0m clear:\u001b[2J title:\u001b]0;pwned\u0007 bell:\u0007 nul:\u0000 del:\u007f csi:\u009b31m bidi:\u202Eevil\u202C',
} as const;

export const EVERYTHING = Object.values(HOSTILE).join('\n');

/** Any raw terminal or control character (ESC, BEL, NUL, C1 CSI, …) except \t and \n. */
// eslint-disable-next-line no-control-regex
export const RAW_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

export interface CoreRig extends SharedRig {
  /** Every answer text stored, oldest attempt first (read back through the repository). */
  storedAnswers(): Promise<string[]>;
  close(): void;
}

export async function startCore(): Promise<CoreRig> {
  // No code fence here: these suites look at how answers render, not the reference's code.
  const { db, bot, clock, practice, bindOutbound } = await startSharedCore({
    questions: [{ ...MUTEX_QUESTION, answer: `- ${REFERENCE}\n- Unlock it with defer.` }],
  });
  return {
    db,
    bot,
    clock,
    practice,
    bindOutbound,
    async storedAnswers() {
      const out: string[] = [];
      // Attempt ids are sequential; the first missing one ends the list.
      for (let id = 1; ; id++) {
        const a = await practice.getAttempt(String(id));
        if (!a) return out;
        if (a.answerText !== null) out.push(a.answerText);
      }
    },
    close: () => db.close(),
  };
}
