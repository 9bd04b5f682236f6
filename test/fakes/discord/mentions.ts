/**
 * Who a message would ping on real Discord: mentions in the content that the
 * message's `allowed_mentions` lets through. Absent `allowed_mentions` means
 * Discord parses users, roles and @everyone/@here from the content.
 */
export interface Pings {
  everyone: boolean;
  users: string[];
  roles: string[];
}

interface AllowedMentions {
  parse?: string[];
  users?: string[];
  roles?: string[];
}

/** Mentions inside code never render as mentions, and a backslash shows the raw syntax. */
function mentionableText(content: string): string {
  return content
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`[^`\n]*`/g, ' ')
    .replace(/\\[<@]/g, ' ');
}

export function pingsOf(content: string, allowed: unknown): Pings {
  const text = mentionableText(content);
  const everyoneInText = /@(everyone|here)\b/.test(text);
  const usersInText = [...text.matchAll(/<@!?(\d+)>/g)].map((m) => m[1]!);
  const rolesInText = [...text.matchAll(/<@&(\d+)>/g)].map((m) => m[1]!);
  if (allowed === undefined || allowed === null) {
    return { everyone: everyoneInText, users: usersInText, roles: rolesInText };
  }
  const am = allowed as AllowedMentions;
  const parse = am.parse ?? [];
  return {
    everyone: everyoneInText && parse.includes('everyone'),
    users: usersInText.filter((u) => parse.includes('users') || (am.users ?? []).includes(u)),
    roles: rolesInText.filter((r) => parse.includes('roles') || (am.roles ?? []).includes(r)),
  };
}

export function pingsAnyone(p: Pings): boolean {
  return p.everyone || p.users.length > 0 || p.roles.length > 0;
}
