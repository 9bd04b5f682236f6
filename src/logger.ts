import pino from 'pino';

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
 * Logs go to stderr so the console adapter's stdout stays a clean transcript
 * (and can be piped): readable lines on a terminal, JSON lines otherwise (for
 * log collectors). Token-bearing fields are redacted in case an SDK error
 * object carries one.
 */
export function createLogger(level: string, stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): Logger {
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
    { write: (line: string) => stream.write(pretty ? formatLine(line) : line) },
  );
}
