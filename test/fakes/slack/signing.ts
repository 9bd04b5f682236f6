import { createHmac } from 'node:crypto';

/** Slack's v0 request signature: HMAC-SHA256(secret, "v0:" + timestamp + ":" + raw body), hex. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignOptions {
  /** Sign with this timestamp (unix seconds) instead of now, e.g. to send a stale request. */
  timestamp?: number;
  /** Send a signature that does not match the body. */
  tamper?: boolean;
  /** Leave the signature headers out. */
  unsigned?: boolean;
  /** Event retries: `X-Slack-Retry-Num` / `X-Slack-Retry-Reason`. */
  retryNum?: number;
  retryReason?: string;
}

export function signedHeaders(secret: string, body: string, contentType: string, opts: SignOptions = {}): Record<string, string> {
  // Bolt compares against its own wall clock, so the signature has to use real time too.
  const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': contentType };
  if (!opts.unsigned) {
    headers['x-slack-request-timestamp'] = String(ts);
    headers['x-slack-signature'] = opts.tamper ? slackSignature(`${secret}-wrong`, ts, body) : slackSignature(secret, ts, body);
  }
  if (opts.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(opts.retryNum);
    headers['x-slack-retry-reason'] = opts.retryReason ?? 'http_timeout';
  }
  return headers;
}
