/**
 * Two real bot processes (`src/main.ts`, as `npm start` runs it) on one database, both
 * connected to the Slack fake over Socket Mode. Slack spreads envelopes over an app's
 * connections and may redeliver one to another connection; here the fake sends every
 * envelope to both, the worst case. What must hold: the bank is seeded once though both
 * processes start on an empty database at the same moment; a command or click runs once;
 * the day's question is posted once though both schedulers are due at the same minute;
 * an answer counts once; a link code works for one account only, whichever process each
 * redemption reaches.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importNotes } from '../../../src/bank/import.ts';
import { loadTopicCatalog } from '../../../src/bank/topics.ts';
import { openStores } from '../../../src/store/open-stores.ts';
import { FakeSlack, startFakeSlack } from '../../fakes/slack/index.ts';
import { processRig, type Child } from '../process-rig.ts';
import { sharedDatabases, withStores } from '../shared-database.ts';

const BOOT_TIMEOUT_MS = 90_000;
const ROOT = join(import.meta.dirname, '../../..');

const rig = processRig();
afterEach(() => rig.cleanup());

// Monday 2 March 2026. The schedule is for 09:30 Asia/Kolkata = 04:00 UTC.
const SET_AT = '2026-03-02T03:00:00Z';
const DUE_AT = '2026-03-02T04:01:00Z';

/** How many questions one import of the repository's notes adds: what the shared bank must hold. */
async function questionsInNotes(): Promise<number> {
  const stores = await openStores({ dbPath: ':memory:', defaultTimezone: 'UTC' });
  try {
    const notes = join(ROOT, 'notes');
    const catalog = loadTopicCatalog(join(ROOT, 'notes/topics.yml'));
    const report = await importNotes({ paths: [notes], root: notes, catalog, repo: stores.bank, now: new Date(SET_AT) });
    return report.added.length;
  } finally {
    await stores.close();
  }
}

const stopAll = (procs: Child[]) => Promise.all(procs.map((c) => c.stop()));

describe.each(sharedDatabases())('two bot processes on $label, Slack Socket Mode, every envelope delivered to both', (row) => {
  it(
    `seeds once, runs each command once, posts the daily question once, counts an answer once, and a link code works once`,
    async () => {
      const db = await rig.database(row, 'prepbot-mp-socket-');
      const s = await startFakeSlack();
      rig.defer(() => s.close());
      const boot = (now: string) => rig.bootSlackBot(s, { ...db.env, PREPBOT_NOW: now, PREPBOT_ADMINS: `slack:${s.team.id}:U0ADMIN` });
      const bootTwo = async (now: string) => {
        const hellosBefore = s.hellos;
        // Started together: both find the database empty (first phase) or the day due (second).
        const pair = await Promise.all([boot(now), boot(now)]);
        await s.waitForHellos(hellosBefore + 2);
        expect(s.openSockets).toBe(2);
        return pair;
      };
      const seen = (user: string, pattern: RegExp) => () => s.visibleTo(user).filter((m) => pattern.test(FakeSlack.render(m)));
      s.socketDelivery = 'all';

      // Phase 1, 08:30 Kolkata: both start on an empty database and seed it from notes/ at once.
      const first = await bootTwo(SET_AT);
      const seeded = await withStores(db, (stores) => stores.bank.countQuestions({ includeRetired: true }));
      expect(seeded).toBe(await questionsInNotes());
      await s.slash('U0ADMIN', 'C0GENERAL', '/schedule set time:09:30 timezone:Asia/Kolkata days:mon-fri');
      await s.waitFor(() => seen('U0ADMIN', /09:30 Asia\/Kolkata/)().length > 0 || undefined);
      await stopAll(first);
      // Both processes got the command; one ran it.
      expect(s.acks.filter((a) => a.type === 'slash_commands')).toHaveLength(2);
      expect(seen('U0ADMIN', /09:30 Asia\/Kolkata/)()).toHaveLength(1);
      expect(await withStores(db, (stores) => stores.schedules.listSchedules({}))).toHaveLength(1);

      // Phase 2, 09:31 Kolkata: both start with the day due; one claims and posts it.
      const dailies = () =>
        s.surfaces.filter((m) => m.kind === 'message' && m.channel === 'C0GENERAL' && /Daily question/.test(FakeSlack.render(m)) && !/scheduled/.test(FakeSlack.render(m)));
      const second = await bootTwo(DUE_AT);
      const daily = await s.waitFor(() => dailies()[0]);

      // Alice answers it; the click and the submission reach both processes.
      await s.click('U0ALICE', daily, { actionId: 'answer' });
      const form = await s.waitFor(() => s.lastOpenView('U0ALICE'));
      await s.submitView('U0ALICE', form, 'A mutex lets one goroutine at a time into the critical section.');
      await s.waitFor(() => seen('U0ALICE', /Reference answer/)()[0]);
      await s.slash('U0ALICE', 'C0GENERAL', '/stats');
      const stats = await s.waitFor(() => seen('U0ALICE', /Your practice/)()[0]);
      expect(FakeSlack.render(stats)).toContain('1 answered');

      // Alice asks for a link code; Bob and the admin both type it, each reaching both processes.
      await s.slash('U0ALICE', 'C0GENERAL', '/link');
      const codeMessage = await s.waitFor(() => seen('U0ALICE', /link code/i)()[0]);
      const code = /\/link ([A-Z0-9-]+)/.exec(FakeSlack.render(codeMessage))?.[1];
      expect(code, FakeSlack.render(codeMessage)).toBeDefined();
      await Promise.all([s.slash('U0BOB', 'C0GENERAL', `/link ${code}`), s.slash('U0ADMIN', 'C0GENERAL', `/link ${code}`)]);
      const outcome = (user: string) => s.waitFor(() => seen(user, /Linked\.|already used|not valid/)()[0]);
      const replies = [FakeSlack.render(await outcome('U0BOB')), FakeSlack.render(await outcome('U0ADMIN'))];
      expect(replies.filter((r) => /Linked\./.test(r))).toHaveLength(1);
      expect(replies.filter((r) => /already used/.test(r))).toHaveLength(1);

      await stopAll(second);
      // Everything counted after both processes stopped: nothing arrived late.
      expect(dailies()).toHaveLength(1);
      expect(seen('U0ALICE', /Reference answer/)()).toHaveLength(1);
      expect(seen('U0ALICE', /Your practice/)()).toHaveLength(1);
      expect(seen('U0ALICE', /link code/i)()).toHaveLength(1);
      for (const user of ['U0BOB', 'U0ADMIN']) expect(seen(user, /Linked\.|already used|not valid/)()).toHaveLength(1);
      const posts = await withStores(db, async (stores) => {
        const [schedule] = await stores.schedules.listSchedules({});
        return stores.schedules.listPosts(schedule!.id);
      });
      expect(posts.map((p) => [p.localDate, p.status, p.messageId])).toEqual([['2026-03-02', 'sent', daily.ts]]);
      const ignored = [...first, ...second].map((c) => (c.stderr().match(/duplicate delivery ignored/g) ?? []).length);
      // Each of the 7 envelopes (schedule set, click, submission, /stats, three /link) reached both processes;
      // the second to see it logged it as a duplicate.
      expect(ignored.reduce((a, b) => a + b, 0)).toBe(7);
    },
    6 * BOOT_TIMEOUT_MS,
  );
});
