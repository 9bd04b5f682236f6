/**
 * Slack HTTP mode behind a load balancer: two real bot processes on one database, each on
 * a port of its own (SLACK_PORT=0, the bound port read from its start-up log line), and the
 * fake's requests split between them, alternating, as a round-robin balancer would. Nothing
 * may live only in one process's memory: the question posted by one is answered through
 * the other, the answer form opened by one is submitted to the other, and the rating and
 * the stats that follow land wherever they land and still see everything.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack, startFakeSlack, type Delivery } from '../../fakes/slack/index.ts';
import { processRig } from '../process-rig.ts';
import { sharedDatabases } from '../shared-database.ts';

const BOOT_TIMEOUT_MS = 90_000;
const STARTED = /slack adapter started on port (\d+)/;

const rig = processRig();
afterEach(() => rig.cleanup());

describe.each(sharedDatabases())('two bot processes on $label, Slack HTTP mode, requests alternating between them', (row) => {
  it(
    `every request is answered, and a question posted by one process is answered, rated and counted through the other`,
    async () => {
      const db = await rig.database(row, 'prepbot-mp-http-');
      const s = await startFakeSlack();
      rig.defer(() => s.close());
      const procs = [0, 1].map(() =>
        rig.startSlackBot(s, {
          ...db.env,
          SLACK_MODE: 'http',
          SLACK_SIGNING_SECRET: s.signingSecret,
          SLACK_PORT: '0',
          SLACK_HOST: '127.0.0.1',
        }),
      );
      await Promise.all(procs.map((c) => c.waitForLog(STARTED)));
      const ports = procs.map((c) => Number(STARTED.exec(c.stderr())![1]));
      expect(ports.every((p) => p > 0)).toBe(true);
      expect(ports[0]).not.toBe(ports[1]);

      // The balancer: each request to the next process in turn. `served` records who got what.
      const served: { to: number; what: string; status: number }[] = [];
      let next = 0;
      const via = async <T extends Delivery>(what: string, send: () => Promise<T>): Promise<T> => {
        const to = next;
        next = (next + 1) % 2;
        s.transport = { kind: 'http', url: `http://127.0.0.1:${ports[to]}/slack/events` };
        const d = await send();
        served.push({ to, what, status: d.status });
        return d;
      };
      const seen = (user: string, pattern: RegExp) => () => s.visibleTo(user).filter((m) => pattern.test(FakeSlack.render(m)));

      await via('/ask', () => s.slash('U0ALICE', 'C0GENERAL', '/ask concurrency'));
      const question = await s.waitFor(() => seen('U0ALICE', /\?/)().find((m) => m.kind === 'message'));
      await via('Answer button', () => s.click('U0ALICE', question, { actionId: 'answer' }));
      const form = await s.waitFor(() => s.lastOpenView('U0ALICE'));
      await via('submission', () => s.submitView('U0ALICE', form, 'A mutex lets one goroutine at a time into the critical section.'));
      const reveal = await s.waitFor(() => seen('U0ALICE', /Reference answer/)()[0]);
      await via('rating', () => s.click('U0ALICE', reveal, { label: 'Good' }));
      await s.waitFor(() => seen('U0ALICE', /Next review/)()[0]);
      await via('/stats', () => s.slash('U0ALICE', 'C0GENERAL', '/stats'));
      const stats = await s.waitFor(() => seen('U0ALICE', /Your practice/)()[0]);
      await via('/streak', () => s.slash('U0ALICE', 'C0GENERAL', '/streak'));
      const streak = await s.waitFor(() => seen('U0ALICE', /streak/i)().find((m) => m !== stats && /\bday\b/.test(FakeSlack.render(m))));

      expect(served.map((r) => [r.what, r.to, r.status])).toEqual([
        ['/ask', 0, 200],
        ['Answer button', 1, 200],
        ['submission', 0, 200],
        ['rating', 1, 200],
        ['/stats', 0, 200],
        ['/streak', 1, 200],
      ]);
      expect(FakeSlack.render(stats)).toContain('1 answered');
      expect(FakeSlack.render(streak)).toMatch(/1 day\b/);
      expect(seen('U0ALICE', /Reference answer/)()).toHaveLength(1);
      // No Slack call failed, whichever process made it.
      // ('upload' is the file body's PUT, which answers no JSON.)
      const failed = s.calls.filter((c) => !['response_url', 'upload'].includes(c.method) && c.response.ok !== true);
      expect(failed).toEqual([]);

      await Promise.all(procs.map((c) => c.stop()));
      expect(procs.map((c) => c.stderr()).join('\n')).not.toMatch(/event handler failed|Slack listener error/);
    },
    4 * BOOT_TIMEOUT_MS,
  );
});
