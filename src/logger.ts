import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Logs go to stderr so the console adapter's stdout stays a clean transcript
 * (and can be piped). Token-bearing fields are redacted in case an SDK error
 * object carries one.
 */
export function createLogger(level: string, destination: number = 2): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: ['token', '*.token', 'headers.authorization', '*.headers.authorization', 'botToken', 'appToken', 'signingSecret'],
        censor: '[redacted]',
      },
    },
    pino.destination({ fd: destination, sync: true }),
  );
}
