/**
 * Parse a typed command line (`/schedule set time:09:30 timezone:Asia/Kolkata days:mon-fri`)
 * against the declared CommandSpecs. Used by the console and by Slack, whose slash
 * commands arrive as free text. Every error says what to type instead.
 */
import { distance } from 'fastest-levenshtein';
import type { CommandSpec, OptionSpec, SubcommandSpec } from './commands.ts';
import type { OptionValue } from './port.ts';

export type ParseResult =
  | { ok: true; command: string; options: Record<string, OptionValue> }
  | { ok: false; error: string };

interface Token {
  /** The token with quotes removed. */
  value: string;
  /** Index in `value` of a `key:` colon typed before any quote, or -1. */
  colon: number;
}

const QUOTES: Record<string, string> = { '"': '"', '“': '”', '„': '“' };

/** Split on whitespace; double quotes (straight or curly) group words. Single quotes are apostrophes. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let cur = '';
  let colon = -1;
  let quoted = false;
  let inToken = false;
  let close = '';
  for (const ch of text) {
    if (close) {
      if (ch === close || (close === '”' && ch === '"')) close = '';
      else cur += ch;
      continue;
    }
    if (/\s/.test(ch)) {
      if (inToken) tokens.push({ value: cur, colon });
      cur = '';
      colon = -1;
      quoted = false;
      inToken = false;
      continue;
    }
    inToken = true;
    const q = QUOTES[ch];
    if (q) {
      close = q;
      quoted = true;
      continue;
    }
    if (ch === ':' && colon === -1 && !quoted) colon = cur.length;
    cur += ch;
  }
  // An unclosed quote runs to the end of the line: the user clearly meant one value.
  if (inToken) tokens.push({ value: cur, colon });
  return tokens;
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = c.startsWith(w) && w.length >= 2 ? 0.5 : distance(w, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  // Two edits catch swapped letters (aks → ask) without matching unrelated short words.
  return bestD <= (w.length >= 3 ? 2 : 1) ? best : undefined;
}

function placeholder(o: OptionSpec): string {
  if (o.choices && o.choices.length > 0) return o.choices.map((c) => c.value).join('|');
  switch (o.type) {
    case 'integer':
      return '<number>';
    case 'boolean':
      return '<yes|no>';
    case 'user':
      return '<@person>';
    default:
      return `<${o.name}>`;
  }
}

/** `/leaderboard [scope:channel|workspace|global] [period:week|month|all]` */
export function commandUsage(spec: CommandSpec, sub?: SubcommandSpec): string {
  const head = sub ? `/${spec.name} ${sub.name}` : `/${spec.name}`;
  if (spec.subcommands && spec.subcommands.length > 0 && !sub) {
    return `${head} ${spec.subcommands.map((s) => s.name).join('|')} …`;
  }
  const opts = sub ? sub.options : spec.options;
  const parts = opts.map((o) => (o.flag && o.type === 'boolean' ? `[${o.name}]` : o.required ? `${o.name}:${placeholder(o)}` : `[${o.name}:${placeholder(o)}]`));
  return [head, ...parts].join(' ');
}

const TRUE = new Set(['true', 'yes', 'y', 'on', '1']);
const FALSE = new Set(['false', 'no', 'n', 'off', '0']);

function coerce(o: OptionSpec, raw: string, usage: string): { ok: true; value: OptionValue } | { ok: false; error: string } {
  const fail = (why: string) => ({ ok: false as const, error: `${why} Usage: ${usage}` });
  if (raw.trim() === '') return fail(`${o.name} needs a value.`);
  switch (o.type) {
    case 'integer': {
      if (!/^[+-]?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
        return fail(`${o.name} must be a whole number, not "${raw}".`);
      }
      return { ok: true, value: Number(raw) };
    }
    case 'boolean': {
      const v = raw.toLowerCase();
      if (TRUE.has(v)) return { ok: true, value: true };
      if (FALSE.has(v)) return { ok: true, value: false };
      return fail(`${o.name} must be yes or no, not "${raw}".`);
    }
    case 'user': {
      // Slack escapes a mention as <@U123|name>, Discord as <@123> or <@!123>; the console types @name.
      const m = /^<@!?([A-Za-z0-9._-]+)(?:\|[^>]*)?>$/.exec(raw);
      return { ok: true, value: m ? m[1]! : raw.replace(/^@/, '') };
    }
    default: {
      if (o.choices && o.choices.length > 0) {
        const lower = raw.toLowerCase();
        const hit = o.choices.find((c) => c.value.toLowerCase() === lower || c.name.toLowerCase() === lower);
        if (hit) return { ok: true, value: hit.value };
        const values = o.choices.map((c) => c.value);
        const guess = closest(raw, values);
        return fail(`${o.name} must be one of ${values.join(', ')}, not "${raw}".${guess ? ` Did you mean ${o.name}:${guess}?` : ''}`);
      }
      if (o.maxLength !== undefined && raw.length > o.maxLength) {
        return fail(`${o.name} is ${raw.length} characters; at most ${o.maxLength} fit.`);
      }
      return { ok: true, value: raw };
    }
  }
}

function parseOptions(
  spec: CommandSpec,
  sub: SubcommandSpec | undefined,
  tokens: Token[],
): ParseResult {
  const optionSpecs = sub ? sub.options : spec.options;
  const usage = commandUsage(spec, sub);
  const where = sub ? `/${spec.name} ${sub.name}` : `/${spec.name}`;
  const byName = new Map(optionSpecs.map((o) => [o.name.toLowerCase(), o]));
  const raw = new Map<string, string>();
  const positional: string[] = [];

  for (const t of tokens) {
    const flag = t.colon === -1 ? byName.get(t.value.toLowerCase()) : undefined;
    if (flag?.flag && flag.type === 'boolean' && !raw.has(flag.name)) {
      raw.set(flag.name, 'true');
      continue;
    }
    if (t.colon > 0) {
      const key = t.value.slice(0, t.colon).toLowerCase();
      const o = byName.get(key);
      if (o) {
        if (raw.has(o.name)) return { ok: false, error: `${o.name} is given twice. Usage: ${usage}` };
        raw.set(o.name, t.value.slice(t.colon + 1));
        continue;
      }
      // `topik:x` is a typo for an option, not a value that happens to contain a colon (like 09:30).
      if (/^[a-z][a-z_-]*$/.test(key)) {
        const guess = closest(key, optionSpecs.map((x) => x.name));
        if (guess) return { ok: false, error: `${where} has no option ${key}. Did you mean ${guess}:? Usage: ${usage}` };
      }
    }
    positional.push(t.value);
  }

  const free = optionSpecs.filter((o) => !raw.has(o.name));
  for (let k = 0; k < positional.length; k++) {
    const o = free[k];
    if (!o) {
      const last = free.at(-1);
      // Extra words belong to a trailing free-text option: `/ask system design`.
      if (last && last.type === 'string' && !last.choices?.length && raw.has(last.name)) {
        raw.set(last.name, `${raw.get(last.name)} ${positional[k]}`);
        continue;
      }
      const extra = positional.slice(k).join(' ');
      return { ok: false, error: `${where} does not take "${extra}". Usage: ${usage}` };
    }
    raw.set(o.name, positional[k]!);
  }

  const options: Record<string, OptionValue> = {};
  if (sub) options.subcommand = sub.name;
  for (const o of optionSpecs) {
    const r = raw.get(o.name);
    if (r === undefined) {
      if (o.required) return { ok: false, error: `${where} needs ${o.name}. Usage: ${usage}` };
      continue;
    }
    const c = coerce(o, r, usage);
    if (!c.ok) return c;
    options[o.name] = c.value;
  }
  return { ok: true, command: spec.name, options };
}

/**
 * A lone `rest` option takes the text verbatim, so an answer like `test: a "lock"`
 * keeps its words, spacing and quotes. `text:` typed as in the usage line is
 * dropped, and so are quotes around the whole value after it.
 */
function parseRest(spec: CommandSpec, o: OptionSpec, text: string): ParseResult {
  let raw = text;
  const named = new RegExp(`^\\s*${o.name}:`, 'i').exec(raw);
  if (named) {
    raw = raw.slice(named[0].length);
    const quoted = /^\s*"([\s\S]*)"\s*$/.exec(raw);
    if (quoted) raw = quoted[1]!;
  }
  if (raw.trim() === '') {
    return o.required ? { ok: false, error: `/${spec.name} needs ${o.name}. Usage: ${commandUsage(spec)}` } : { ok: true, command: spec.name, options: {} };
  }
  const c = coerce(o, raw, commandUsage(spec));
  return c.ok ? { ok: true, command: spec.name, options: { [o.name]: c.value } } : c;
}

/** Parse the text after the command name (Slack delivers the name separately). */
export function parseArgs(spec: CommandSpec, text: string): ParseResult {
  const only = spec.options.length === 1 && !spec.subcommands?.length ? spec.options[0] : undefined;
  if (only?.rest && only.type === 'string') return parseRest(spec, only, text);
  const tokens = tokenize(text);
  if (spec.subcommands && spec.subcommands.length > 0) {
    const names = spec.subcommands.map((s) => s.name);
    const first = tokens[0];
    const example = `/${spec.name} ${names[0]}`;
    if (!first) return { ok: false, error: `/${spec.name} needs one of: ${names.join(', ')}. For example: ${example}` };
    const sub = spec.subcommands.find((s) => s.name === first.value.toLowerCase());
    if (!sub) {
      const guess = closest(first.value, names);
      return {
        ok: false,
        error: `/${spec.name} has no "${first.value}".${guess ? ` Did you mean /${spec.name} ${guess}?` : ''} Choose one of: ${names.join(', ')}.`,
      };
    }
    return parseOptions(spec, sub, tokens.slice(1));
  }
  return parseOptions(spec, undefined, tokens);
}

/** Parse a full line: `/ask topic:"system design"`. */
export function parseCommandText(specs: readonly CommandSpec[], line: string): ParseResult {
  const trimmed = line.trim();
  if (!trimmed.startsWith('/')) return { ok: false, error: 'Commands start with /, for example /ask. Try /help.' };
  const m = /^\/(\S*)\s*([\s\S]*)$/.exec(trimmed);
  const name = (m?.[1] ?? '').toLowerCase();
  if (!name) return { ok: false, error: 'Type a command name after /, for example /ask. Try /help.' };
  const spec = specs.find((s) => s.name === name);
  if (!spec) {
    const guess = closest(name, specs.map((s) => s.name));
    // Command names are at most 32 characters; a pasted wall of text is not echoed back whole.
    const shown = [...name].length > 32 ? `${[...name].slice(0, 32).join('')}…` : name;
    return {
      ok: false,
      error: `Unknown command /${shown}.${guess ? ` Did you mean /${guess}?` : ''} Try /help.`,
    };
  }
  return parseArgs(spec, m?.[2] ?? '');
}
