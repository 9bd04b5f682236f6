import pino from 'pino';
import { databasePassword, scrubDatabaseUrls } from './store/database-url.ts';

export type Logger = pino.Logger;

const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const SKIP = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

/** One readable line per log record, for a person watching a terminal. */
export function formatLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const level = LEVEL_NAMES[record.level as number] ?? String(record.level);
  const extras = Object.entries(record)
    .filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return `prepbot ${level}: ${String(record.msg ?? '')}${extras.length > 0 ? ` (${extras.join(' ')})` : ''}\n`;
}

/**
 * Token shapes that must never reach a log line, whatever object or message carries them: Slack
 * tokens, Discord bot tokens, and the per-interaction credentials Discord puts in URL paths
 * (`/interactions/{id}/{token}/callback`, `/webhooks/{appId}/{token}`), which SDK errors quote in
 * their messages and `url` fields.
 */
const SECRET_PATTERNS: [RegExp, string][] = [
  [/\bxox[abposr]-[A-Za-z0-9-]+/g, '[redacted]'],
  [/\bxapp-[A-Za-z0-9-]+/g, '[redacted]'],
  [/\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}/g, '[redacted]'],
  [/(\/(?:interactions|webhooks)\/\d+\/)[A-Za-z0-9_.:-]+/g, '$1[redacted]'],
  [/\b(Bot|Bearer) [A-Za-z0-9_.:-]{8,}/g, '$1 [redacted]'],
];

/** `text` with every known secret value and every token-shaped string replaced by [redacted]. */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= 8) out = out.split(s).join('[redacted]');
  for (const [re, by] of SECRET_PATTERNS) out = out.replace(re, by);
  return scrubDatabaseUrls(out);
}

/** The configured secrets, for createLogger to scrub by value. */
export function secretsOf(config: {
  discord?: { token: string };
  slack?: { botToken: string; appToken?: string; signingSecret?: string };
  database?: { url: string };
}): string[] {
  const dbPassword = config.database ? databasePassword(config.database.url) : undefined;
  return [config.discord?.token, config.slack?.botToken, config.slack?.appToken, config.slack?.signingSecret, dbPassword].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
}

/**
 * Logs go to stderr so the console adapter's stdout stays a clean transcript
 * (and can be piped): readable lines on a terminal, JSON lines otherwise (for
 * log collectors). Token-bearing fields are redacted in case an SDK error
 * object carries one, and every line is scrubbed of the configured secrets and
 * of anything shaped like a token (scrubSecrets).
 */
export function createLogger(
  level: string,
  stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
  secrets: readonly string[] = [],
): Logger {
  const pretty = stream.isTTY === true;
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: ['token', '*.token', 'headers.authorization', '*.headers.authorization', 'botToken', 'appToken', 'signingSecret'],
        censor: '[redacted]',
      },
    },
    // Redaction by field name above; then by value and by shape, for secrets inside messages and stacks.
    { write: (line: string) => stream.write(pretty ? formatLine(scrubSecrets(line, secrets)) : scrubSecrets(line, secrets)) },
  );
}
