/**
 * Text safety shared by every renderer: bot output must never ping anyone, and
 * user-typed text must not smuggle terminal/markup control characters.
 * Both functions are idempotent, so applying them twice (core + adapter) is harmless.
 */

/** Zero-width joiner: invisible, but breaks the platforms' mention parsers. */
export const ZWJ = '\u200D';

// `@everyone`, `@here` (Discord) and `@channel` (Slack with link_names) ping without angle brackets.
// No word boundary after the name: `@everyone_` has none (`_` is a word character), yet the renderer's
// `\_` escape turns it into `@everyone\_`, which pings.
const BARE_MENTION = /@(everyone|here|channel)/gi;
// Discord `<@id>`, `<@!id>`, `<@&role>`, `<#channel>`; Slack `<@U…>`, `<#C…>`, `<!channel>`, `<!here>`,
// `<!everyone>`, `<!subteam^S…>`: a joiner after `<` makes every one of them plain text.
const BRACKET_MENTION = /<(?=[@#!])/g;

/** Make every mention form of Discord and Slack inert while keeping the text readable. */
export function neutraliseMentions(s: string): string {
  return s.replace(BRACKET_MENTION, `<${ZWJ}`).replace(BARE_MENTION, `@${ZWJ}$1`);
}

// C0 controls except \t and \n, DEL, C1 controls, and bidi overrides/isolates
// (the latter let one user make text display differently from what it is).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

// Whole terminal escape sequences, not just their ESC byte: dropping only ESC from
// `ESC[31m` or `ESC]0;title BEL` would leave `[31m` / `]0;title` behind as noise, and an
// answer that is nothing but a pasted colour code would not count as empty.
// OSC/DCS/SOS/PM/APC strings (to BEL or ST, at most to the end of the line), then CSI (7-bit and C1), then two-byte escapes.
// eslint-disable-next-line no-control-regex
const ESCAPE_SEQUENCE = /(?:\u001B[\]PX^_]|[\u0090\u0098\u009D-\u009F])[^\u0007\u001B\u009C\n]*(?:\u0007|\u001B\\|\u009C)?|(?:\u001B\[|\u009B)[0-?]*[ -/]*[@-~]?|\u001B[ -/]*[0-~]?/g;

/** Drop terminal escape sequences and control characters (keeping \n and \t); CR and CRLF become \n so no line is lost. */
export function stripControlChars(s: string): string {
  return s.replace(/\r\n?/g, '\n').replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
}

/** Both of the above: what every renderer applies to text it did not write itself. */
export function safeText(s: string): string {
  return neutraliseMentions(stripControlChars(s));
}
