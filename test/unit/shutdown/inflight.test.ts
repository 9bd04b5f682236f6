import { describe, expect, it } from 'vitest';
import type { InboundEvent, Responder } from '../../../src/chat/port.ts';
import { createInflightGate } from '../../../src/inflight.ts';

/** A wait the test releases by hand: the bound "passes" when the test says so, no real time involved. */
function manualWait() {
  let release: (() => void) | undefined;
  const asked: number[] = [];
  return {
    asked,
    wait: (ms: number) =>
      new Promise<void>((resolve) => {
        asked.push(ms);
        release = resolve;
      }),
    pass: () => release?.(),
  };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const event = { kind: 'command', command: 'ask' } as unknown as InboundEvent;
const respond = {} as Responder;

describe('in-flight gate', () => {
  it('runs the handler while open and the refusal once closed', async () => {
    const gate = createInflightGate(manualWait().wait);
    const seen: string[] = [];
    const h = gate.wrap(
      async () => void seen.push('handled'),
      async () => void seen.push('refused'),
    );
    await h(event, respond);
    gate.close();
    await h(event, respond);
    expect(seen).toEqual(['handled', 'refused']);
  });

  it('drain waits for handlers already running, and finishes when they do', async () => {
    const t = manualWait();
    const gate = createInflightGate(t.wait);
    const slow = deferred();
    let done = false;
    const h = gate.wrap(
      async () => {
        await slow.promise;
        done = true;
      },
      async () => {},
    );
    void h(event, respond);
    await Promise.resolve();
    expect(gate.inFlight).toBe(1);
    gate.close();
    const drained = gate.drain(10_000);
    expect(t.asked).toEqual([10_000]);
    slow.resolve();
    expect(await drained).toEqual({ finished: true, pending: 0 });
    expect(done).toBe(true);
  });

  it('drain gives up when the bound passes first and says how many are left', async () => {
    const t = manualWait();
    const gate = createInflightGate(t.wait);
    const h = gate.wrap(() => new Promise<void>(() => {}), async () => {});
    void h(event, respond);
    void h(event, respond);
    gate.close();
    const drained = gate.drain(10_000);
    t.pass();
    expect(await drained).toEqual({ finished: false, pending: 2 });
  });

  it('a failing handler still leaves the gate', async () => {
    const gate = createInflightGate(manualWait().wait);
    const h = gate.wrap(async () => {
      throw new Error('boom');
    }, async () => {});
    await expect(h(event, respond)).rejects.toThrow('boom');
    expect(gate.inFlight).toBe(0);
    expect(await gate.drain(10_000)).toEqual({ finished: true, pending: 0 });
  });
});
