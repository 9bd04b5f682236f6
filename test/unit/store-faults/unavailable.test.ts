/**
 * The database refuses to write (another process holds the write lock, the file is read-only, the
 * disk is full): the person is told plainly that nothing was saved and to try again, the bot keeps
 * serving, and it works again once the cause is gone. Injection points (documented in
 * docs/reliability.md): a second connection holding BEGIN IMMEDIATE (a real lock, busy_timeout 0
 * so nothing waits), PRAGMA query_only (SQLite's own read-only refusal; this machine runs tests as
 * root, which ignores file permissions), PRAGMA max_page_count (a size-limited database file).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventContext, InboundEvent } from '../../../src/chat/port.ts';
import { createTopicCatalog } from '../../../src/bank/topics.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { createBot } from '../../../src/core/bot.ts';
import { openDatabase, type Db } from '../../../src/store/db.ts';
import { createSqliteBankRepository } from '../../../src/store/sqlite/bank.ts';
import { createSqlitePracticeRepository } from '../../../src/store/sqlite/practice.ts';
import { QUESTIONS, Recorder } from '../core/harness.ts';
import { seedQuestions } from '../store-practice/seed.ts';

const dirs: string[] = [];
const dbs: Database.Database[] = [];
afterEach(() => {
  for (const d of dbs.splice(0)) if (d.open) d.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function fileBot() {
  const dir = mkdtempSync(join(tmpdir(), 'prepbot-faults-'));
  dirs.push(dir);
  const path = join(dir, 'prepbot.db');
  const db: Db = openDatabase(path);
  dbs.push(db);
  db.pragma('busy_timeout = 0'); // a held lock answers at once instead of after 5 s
  await seedQuestions(db, QUESTIONS);
  const logs: string[] = [];
  const bot = createBot({
    practice: createSqlitePracticeRepository(db),
    bank: createSqliteBankRepository(db),
    catalog: createTopicCatalog([{ id: 'concurrency', aliases: [], keywords: ['mutex', 'channel', 'goroutine'] }]),
    clock: new ManualClock('2025-03-10T09:00:00Z'),
    logger: { info: () => {}, warn: (_o, m) => void logs.push(`warn ${m}`), error: (_o, m) => void logs.push(`error ${m}`) },
    defaultTimezone: 'UTC',
  });
  let seq = 0;
  const ctx = (): EventContext => ({
    platform: 'slack',
    workspaceId: 'T1',
    conversationId: 'slack:T1:C1',
    isDirect: false,
    actor: { platform: 'slack', id: 'slack:T1:U1', displayName: 'alice' },
    actorIsAdmin: false,
    deliveryId: `d${++seq}`,
  });
  const send = async (event: Omit<InboundEvent, 'ctx'>) => {
    const r = new Recorder();
    await bot.handle({ ...event, ctx: ctx() } as InboundEvent, r);
    return r;
  };
  const ask = () => send({ kind: 'command', command: 'ask', options: { topic: 'concurrency' } } as never);
  const submit = (attemptId: string, text: string) => send({ kind: 'form', formId: 'answer', value: attemptId, text } as never);
  const answered = () => (db.prepare('SELECT COUNT(*) AS n FROM attempts WHERE answered_at IS NOT NULL').get() as { n: number }).n;
  return { db, path, logs, ask, submit, answered };
}

const attemptIdOf = (r: Recorder) => {
  const id = r.replies.flatMap((x) => x.message.actions ?? []).find((a) => a.id === 'answer')?.value;
  if (!id) throw new Error(`no Answer button in ${r.texts().join(' | ')}`);
  return id;
};

describe('database faults: polite refusal, the bot stays up, recovery', () => {
  it('write lock held by another connection: "busy, try again"; works once it is released', async () => {
    const b = await fileBot();
    const other = new Database(b.path);
    dbs.push(other);
    other.exec('BEGIN IMMEDIATE');
    const refused = await b.ask();
    expect(refused.texts('private').join(' ')).toMatch(/could not save that: the database is busy.*Nothing was recorded; please try again/);
    expect(b.logs.some((l) => l.startsWith('warn could not save'))).toBe(true);
    expect(b.logs.some((l) => l.startsWith('error'))).toBe(false);
    other.exec('COMMIT');
    const asked = await b.ask();
    expect(asked.texts().join(' ')).toMatch(/mutex|channel/i);
    attemptIdOf(asked);
  });

  it('read-only database: an answer is refused as not saved, then saved once writable again', async () => {
    const b = await fileBot();
    const id = attemptIdOf(await b.ask());
    b.db.pragma('query_only = ON');
    const refused = await b.submit(id, 'A mutex is a lock that gives one goroutine exclusive access.');
    expect(refused.texts('private').join(' ')).toMatch(/could not save that: my database is read-only.*Nothing was recorded/);
    expect(refused.texts().join(' ')).not.toMatch(/Reference answer/); // no reveal for an unsaved answer
    expect(b.answered()).toBe(0);
    b.db.pragma('query_only = OFF');
    const saved = await b.submit(id, 'A mutex is a lock that gives one goroutine exclusive access.');
    expect(saved.texts().join(' ')).toMatch(/Reference answer/);
    expect(b.answered()).toBe(1);
  });

  it('disk full: refused as not saved, nothing half-written, and saved again after space is freed', async () => {
    const b = await fileBot();
    // The file may not grow any more; the free space left in its pages runs out within a few answers.
    b.db.pragma(`max_page_count = ${b.db.pragma('page_count', { simple: true }) as number}`);
    const long = `A mutex is a lock. ${'x'.repeat(3900)}`; // under the 4,000-character answer limit
    const full = /could not save that: my disk is full.*Nothing was recorded/;
    let refusal: string | undefined;
    let pending: string | undefined;
    for (let i = 0; i < 40 && refusal === undefined; i++) {
      const asked = await b.ask();
      if (full.test(asked.texts().join(' '))) {
        refusal = asked.texts().join(' ');
        break;
      }
      const id = attemptIdOf(asked);
      const before = { answered: b.answered(), days: b.db.prepare('SELECT COUNT(*) AS n FROM activity_days').get() };
      const sent = await b.submit(id, long);
      if (full.test(sent.texts().join(' '))) {
        refusal = sent.texts().join(' ');
        pending = id;
        // Nothing half-written: neither the answer nor its streak day.
        expect({ answered: b.answered(), days: b.db.prepare('SELECT COUNT(*) AS n FROM activity_days').get() }).toEqual(before);
        expect(sent.texts().join(' ')).not.toMatch(/Reference answer/);
      }
    }
    expect(refusal).toMatch(full);
    b.db.pragma('max_page_count = 1073741823');
    const answeredBefore = b.answered();
    const id = pending ?? attemptIdOf(await b.ask());
    expect((await b.submit(id, long)).texts().join(' ')).toMatch(/Reference answer/);
    expect(b.answered()).toBe(answeredBefore + 1);
  });
});
