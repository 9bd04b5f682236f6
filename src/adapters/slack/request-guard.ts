/**
 * HTTP mode: checks every signed request before Bolt sees it, adding what Bolt's own check
 * (`verifySlackRequest`) leaves out:
 *   - a timestamp more than 5 minutes in the FUTURE is refused (Bolt only refuses old ones);
 *   - a request replayed with the same timestamp and signature is refused (Bolt accepts a captured
 *     request again and again for 5 minutes). Slack's own retries are new requests with a new
 *     timestamp and signature, so they still pass and the core's delivery ids deduplicate them;
 *   - missing or malformed headers are refused with the reason logged (never a header's value).
 * Then the buffered body is handed to Bolt (`rawBody`, which Bolt reuses) and Bolt verifies again.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';

export type RefusalReason = 'missing-headers' | 'bad-timestamp' | 'stale' | 'future' | 'bad-signature' | 'replayed' | 'too-large';

export interface RequestGuardOptions {
  signingSecret: string;
  /** Wall-clock milliseconds. Slack signs with real time, so this is never the bot's simulated clock. */
  now?: () => number;
  /** Largest accepted body (Slack's payloads are far smaller). */
  bodyLimit?: number;
  onRefused?: (reason: RefusalReason) => void;
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

const WINDOW_S = 5 * 60;
const DEFAULT_BODY_LIMIT = 1024 * 1024;

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > limit) return undefined;
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

export function createRequestGuard(opts: RequestGuardOptions) {
  const now = opts.now ?? Date.now;
  const limit = opts.bodyLimit ?? DEFAULT_BODY_LIMIT;
  /** Signatures accepted in the last window, with when they may be forgotten. */
  const seen = new Map<string, number>();
  const refused: Record<RefusalReason, number> = {
    'missing-headers': 0,
    'bad-timestamp': 0,
    stale: 0,
    future: 0,
    'bad-signature': 0,
    replayed: 0,
    'too-large': 0,
  };

  const forgetOld = (atMs: number) => {
    // Insertion order is acceptance order, so the oldest come first.
    for (const [sig, until] of seen) {
      if (until > atMs) break;
      seen.delete(sig);
    }
  };

  /** Undefined when the request may go on to Bolt. */
  function check(req: IncomingMessage, body: Buffer): RefusalReason | undefined {
    const text = body.toString('utf8');
    if (String(header(req, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded') && parseQuery(text).ssl_check === '1') {
      return undefined; // unsigned by design; Bolt answers it and strips any other field
    }
    const signature = header(req, 'x-slack-signature');
    const tsText = header(req, 'x-slack-request-timestamp');
    if (!signature || !tsText) return 'missing-headers';
    if (!/^\d{1,12}$/.test(tsText)) return 'bad-timestamp';
    const ts = Number(tsText);
    const nowS = Math.floor(now() / 1000);
    if (ts < nowS - WINDOW_S) return 'stale';
    if (ts > nowS + WINDOW_S) return 'future';
    const expected = `v0=${createHmac('sha256', opts.signingSecret).update(`v0:${tsText}:${text}`).digest('hex')}`;
    const a = Buffer.from(signature);
    const b = Buffer.from(expected);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return 'bad-signature';
    forgetOld(now());
    if (seen.has(signature)) return 'replayed';
    // Remember it for as long as its timestamp would still be accepted.
    seen.set(signature, (ts + WINDOW_S + 1) * 1000);
    return undefined;
  }

  return {
    refused,
    /** Wraps Bolt's request listener: refused requests get 401 and never reach Bolt or the bot. */
    wrap(inner: Listener): Listener {
      return (req, res) => {
        if (req.method !== 'POST') {
          inner(req, res);
          return;
        }
        void (async () => {
          const body = await readBody(req, limit);
          const reason: RefusalReason | undefined = body === undefined ? 'too-large' : check(req, body);
          if (reason) {
            refused[reason]++;
            opts.onRefused?.(reason);
            if (!res.headersSent) res.writeHead(reason === 'too-large' ? 413 : 401).end();
            return;
          }
          (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
          try {
            inner(req, res);
          } catch {
            // Bolt throws for paths it does not serve; its own server wrapper would answer 404.
            if (!res.headersSent) res.writeHead(404).end();
          }
        })().catch(() => {
          if (!res.headersSent) res.writeHead(400).end();
        });
      };
    },
  };
}
