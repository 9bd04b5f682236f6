import type { EventHandler, InboundEvent, Responder } from './chat/port.ts';

/**
 * Tracks the interactions the bot is handling, so a shutdown can stop taking
 * new ones and wait (bounded) for those already started. The wait is injected
 * (`wait(ms)`), so tests decide when the bound passes without sleeping.
 */
export interface InflightGate {
  /** The handler adapters get: runs `handler` while open, `refuse` once closed; both are tracked. */
  wrap(handler: EventHandler, refuse: EventHandler): EventHandler;
  /** From now on every new event goes to `refuse`. */
  close(): void;
  readonly closed: boolean;
  readonly inFlight: number;
  /** Resolves when every tracked handler has settled, or when `wait(boundMs)` resolves first. */
  drain(boundMs: number): Promise<{ finished: boolean; pending: number }>;
}

export type Wait = (ms: number) => Promise<void>;

export const realWait: Wait = (ms) =>
  new Promise((resolve) => {
    // unref: a pending bound must not keep the process alive on its own.
    setTimeout(resolve, ms).unref();
  });

export function createInflightGate(wait: Wait = realWait): InflightGate {
  const running = new Set<Promise<void>>();
  let closed = false;
  const track = (p: Promise<void>): Promise<void> => {
    const tracked = p.finally(() => running.delete(tracked));
    running.add(tracked);
    return tracked;
  };
  return {
    wrap(handler, refuse) {
      return (event: InboundEvent, respond: Responder) => track(Promise.resolve().then(() => (closed ? refuse(event, respond) : handler(event, respond))));
    },
    close() {
      closed = true;
    },
    get closed() {
      return closed;
    },
    get inFlight() {
      return running.size;
    },
    async drain(boundMs) {
      const all = async () => {
        // A handler may start another tracked one (it should not, but then wait for that too).
        while (running.size > 0) await Promise.allSettled([...running]);
        return true;
      };
      const finished = await Promise.race([all(), wait(boundMs).then(() => false)]);
      return { finished, pending: running.size };
    },
  };
}
