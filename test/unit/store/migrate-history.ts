/**
 * A realistic team history in SQLite, written through the real bot and stores
 * (no SQL of our own), for the migration tests: three people on two platforms,
 * a linked account, two weeks of answers and ratings, a time zone, a break,
 * settings, a failed and a used link code, a schedule with daily posts, a solo
 * interview, an excused day, heartbeats, and one answer typed with a NUL
 * character (PostgreSQL text refuses it).
 */
import { ManualClock } from '../../../src/core/clock.ts';
import type { Db } from '../../../src/store/db.ts';
import { createSqliteInterviewRepository } from '../../../src/store/sqlite/interviews.ts';
import { createSqliteScheduleRepository } from '../../../src/store/sqlite/schedules.ts';
import { createSqliteStreakCare } from '../../../src/store/sqlite/streak-care.ts';
import { createHarness, type Harness, type Person } from '../core/harness.ts';

export const ALICE: Person = { id: 'U1', name: 'alice' };
export const BOB: Person = { id: 'U2', name: 'bob' };
export const CAROL: Person = { id: 'D3', name: 'carol', platform: 'discord', workspace: 'G1' };
export const ALICE_DISCORD: Person = { id: 'D1', name: 'alice', platform: 'discord', workspace: 'G1' };
export const PEOPLE = [ALICE, BOB, CAROL] as const;

const onDiscord = { conversationId: 'discord:G1:C7' };
const where = (p: Person) => (p.platform === 'discord' ? onDiscord : undefined);

/** The answer alice typed on the first day, NUL included. */
export const NUL_ANSWER = 'A mutex\u0000 is a lock giving one goroutine exclusive access.';

/** /ask (extra practice once the day's queue is done), Answer, submit: returns the attempt id. */
async function practise(h: Harness, who: Person, text: string): Promise<string> {
  for (const options of [{}, { extra: true }] as Record<string, boolean>[]) {
    const ask = await h.command(who, 'ask', options, where(who));
    const question = ask.replies.find((r) => r.visibility === 'public' && r.message.actions?.some((a) => a.id === 'answer'));
    if (!question) continue;
    const attemptId = question.message.actions!.find((a) => a.id === 'answer')!.value;
    const form = (await h.press(who, 'answer', attemptId, where(who))).forms[0];
    if (!form) throw new Error(`no answer form for ${who.name}`);
    await h.submit(who, form.value, text, where(who));
    return attemptId;
  }
  throw new Error(`no question for ${who.name}, not even extra practice`);
}

async function rate(h: Harness, who: Person, attemptId: string, rating: string) {
  await h.press(who, 'rate', `${attemptId}:${rating}`, where(who));
}

/** Builds the history on a fresh in-memory SQLite database; returns the harness (its `db`, its clock at the end). */
export async function buildTeamHistory(): Promise<Harness> {
  const h = await createHarness({ start: '2025-03-01T09:00:00Z', defaultTimezone: 'UTC' });
  const day = (n: number, hour = 9) => new Date(Date.UTC(2025, 2, 1 + n, hour)).toISOString();

  await h.command(BOB, 'timezone', { zone: 'Asia/Kolkata' });
  await h.command(CAROL, 'settings', { new: 2 }, onDiscord);

  for (let n = 0; n < 14; n++) {
    h.clock.set(day(n));
    for (const who of PEOPLE) {
      // bob skips weekends; carol takes a break on days 6-8.
      if (who === BOB && n % 7 >= 5) continue;
      if (who === CAROL && n >= 6 && n <= 8) continue;
      const text = who === ALICE && n === 0 ? NUL_ANSWER : `A mutex is a lock; a channel is a typed pipe (day ${n}).`;
      const attemptId = await practise(h, who, text);
      await rate(h, who, attemptId, n % 3 === 0 ? 'hard' : 'good');
    }
    if (n === 5) await h.command(CAROL, 'break', { length: '3d' }, onDiscord);
    if (n === 3) {
      // alice joins her Discord account to her Slack person.
      const issued = (await h.command(ALICE_DISCORD, 'link', {}, onDiscord)).texts()[0]!;
      const code = /\b([A-Z2-9]{6})\b/.exec(issued)![1]!;
      await h.command(ALICE, 'link', { code });
      // An unused code, still pending when the history ends.
      await h.command(BOB, 'link');
    }
  }

  // A wrong code on the last day (older failures are pruned by later redemptions).
  await h.command(BOB, 'link', { code: 'ZZZZZZ' });
  await addSchedulesAndInterviews(h.db, h.clock, Object.values(h.ids));
  return h;
}

async function addSchedulesAndInterviews(db: Db, clock: ManualClock, questionIds: string[]) {
  const schedules = createSqliteScheduleRepository(db);
  const t0 = new Date('2025-03-01T00:00:00Z');
  const { schedule } = await schedules.upsertSchedule(
    {
      conversationId: 'slack:T1:C1',
      platform: 'slack',
      workspaceId: 'T1',
      localTime: '09:30',
      timezone: 'UTC',
      weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      topic: null,
      revealTime: '17:00',
      createdBy: 'slack:T1:U1',
    },
    t0,
  );
  for (let n = 1; n <= 5; n++) {
    const localDate = `2025-03-0${n}`;
    const when = new Date(`${localDate}T09:30:00Z`);
    await schedules.claimPost({ scheduleId: schedule.id, localDate, conversationId: 'slack:T1:C1', fireAt: when, processId: 'p1', now: when });
    await schedules.markSent(schedule.id, localDate, 'p1', {
      messageId: `m-${n}`,
      threadId: null,
      questionId: questionIds[n % questionIds.length]!,
      revealAt: new Date(`${localDate}T17:00:00Z`),
      now: when,
    });
  }

  const care = createSqliteStreakCare(db);
  await care.excuseWorkspaceDay('slack:T1', '2025-03-04', 'the daily question could not be posted', clock.now());
  await care.recordAlive('proc-1', new Date('2025-03-01T00:00:00Z'), 120_000);
  await care.recordAlive('proc-1', new Date('2025-03-01T00:01:00Z'), 120_000);

  const interviews = createSqliteInterviewRepository(db);
  const alice = (db.prepare("SELECT person_id FROM accounts WHERE id = 'slack:T1:U1'").pluck().get() as string) ?? '';
  const created = await interviews.create({
    id: 'iv1',
    kind: 'solo',
    candidateId: alice,
    candidateAccount: 'slack:T1:U1',
    conversationId: 'slack:T1:C1',
    workspaceKey: 'slack:T1',
    topic: null,
    minutes: 20,
    includeUnanswered: false,
    questionIds: questionIds.slice(0, 2),
    now: clock.now(),
  });
  if (!created.ok) throw new Error('the interview was not created');
  await interviews.showItem(
    { interviewId: 'iv1', number: 1, followUp: false },
    { personId: alice, conversationId: 'slack:T1:C1', workspaceKey: 'slack:T1', now: clock.now() },
  );
  await interviews.skipItem({ interviewId: 'iv1', number: 2, followUp: false }, clock.now());
  await interviews.end('iv1', 'completed', clock.now());
}
