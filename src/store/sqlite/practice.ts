import { randomUUID } from 'node:crypto';
import type { Db } from '../db.ts';
import { createBoardCounts } from './board-counts.ts';
import { exportPerson, forgetPerson } from './person-data.ts';
import { createSqliteStreakCare } from './streak-care.ts';
import { withUnavailableErrors } from './unavailable.ts';
import { applySettingsChange, parseStoredSettings, type PracticeSettings, type SettingsChange } from '../settings-types.ts';
import { attemptKey, parseCard, stepStreak, toAttempt, toPerson, toStreak, type AccountJoin, type AttemptRow, type StreakRow } from '../practice-rules.ts';
import type {
  AccountInput,
  AnswerPoint,
  AttemptQueue,
  DayLoad,
  DueReview,
  GiveUpResult,
  LinkAttemptLimit,
  LinkRedeemResult,
  PersonRef,
  PracticeRepository,
  PracticeStoreOptions,
  QuestionStatRow,
  RateInput,
  RateResult,
  RecordAnswerInput,
  RecordAnswerResult,
  ScheduledReview,
  StartAttemptInput,
  StreakRecord,
} from '../practice-types.ts';

export function createSqlitePracticeRepository(db: Db, options: PracticeStoreOptions = {}): PracticeRepository {
  const boards = createBoardCounts(db, options.defaultTimezone ?? 'UTC', options.smallBoard);
  // Migration 11 leaves the boards' week and month columns to the first store that opens the file.
  boards.backfillPeriods.immediate();
  const q = {
    account: db.prepare(
      `SELECT a.id AS account_id, a.person_id, a.display_name, p.timezone, w.timezone AS workspace_timezone,
              p.day_start_hour, w.day_start_hour AS workspace_day_start_hour, p.boards_hidden, p.global_board
         FROM accounts a JOIN people p ON p.id = a.person_id JOIN workspaces w ON w.id = a.workspace_id
        WHERE a.id = ?`,
    ),
    insertWorkspace: db.prepare(
      'INSERT INTO workspaces (id, platform, timezone, created_at) VALUES (?, ?, NULL, ?) ON CONFLICT (id) DO NOTHING',
    ),
    insertPerson: db.prepare('INSERT INTO people (id, display_name, timezone, created_at) VALUES (?, ?, ?, ?)'),
    insertAccount: db.prepare(
      'INSERT INTO accounts (id, platform, person_id, display_name, workspace_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    renameAccount: db.prepare('UPDATE accounts SET display_name = ? WHERE id = ? AND display_name <> ?'),
    renamePerson: db.prepare('UPDATE people SET display_name = ? WHERE id = ? AND display_name <> ?'),
    attempt: db.prepare('SELECT * FROM attempts WHERE id = ?'),
    streak: db.prepare('SELECT current, longest, last_day, freezes FROM streaks WHERE person_id = ?'),
    upsertStreak: db.prepare(
      `INSERT INTO streaks (person_id, current, longest, last_day, freezes, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (person_id) DO UPDATE SET current = excluded.current, longest = excluded.longest,
         last_day = excluded.last_day, freezes = excluded.freezes, updated_at = excluded.updated_at`,
    ),
    addDay: db.prepare(
      'INSERT INTO activity_days (person_id, local_date) VALUES (?, ?) ON CONFLICT (person_id, local_date) DO NOTHING',
    ),
    review: db.prepare('SELECT card FROM reviews WHERE person_id = ? AND question_id = ?'),
    reviewDue: db.prepare('SELECT due_at FROM reviews WHERE person_id = ? AND question_id = ?'),
    personSettings: db.prepare('SELECT settings FROM person_settings WHERE person_id = ?'),
    workspaceSettings: db.prepare('SELECT settings FROM workspace_settings WHERE workspace_id = ?'),
    upsertPersonSettings: db.prepare(
      `INSERT INTO person_settings (person_id, settings, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (person_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
    ),
    upsertWorkspaceSettings: db.prepare(
      `INSERT INTO workspace_settings (workspace_id, settings, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (workspace_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
    ),
    upsertReview: db.prepare(
      `INSERT INTO reviews (person_id, question_id, card, due_at, reviewed_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (person_id, question_id) DO UPDATE SET card = excluded.card, due_at = excluded.due_at,
         reviewed_at = excluded.reviewed_at`,
    ),
  };

  const ensureAccount = db.transaction((input: AccountInput, now: Date): PersonRef => {
    const at = now.toISOString();
    q.insertWorkspace.run(input.workspaceKey, input.platform, at);
    const existing = q.account.get(input.accountId) as AccountJoin | undefined;
    if (existing) {
      // Names change on the platform; keep the one people see current.
      q.renameAccount.run(input.displayName, input.accountId, input.displayName);
      q.renamePerson.run(input.displayName, existing.person_id, input.displayName);
      return { ...toPerson(existing), displayName: input.displayName };
    }
    const personId = randomUUID();
    q.insertPerson.run(personId, input.displayName, null, at);
    q.insertAccount.run(input.accountId, input.platform, personId, input.displayName, input.workspaceKey, at);
    return toPerson(q.account.get(input.accountId) as AccountJoin);
  });

  const loadAttempt = (attemptId: string): AttemptRow | undefined => {
    const key = attemptKey(attemptId);
    return key === undefined ? undefined : (q.attempt.get(key) as AttemptRow | undefined);
  };

  const recordAnswer = db.transaction((input: RecordAnswerInput): RecordAnswerResult => {
    const row = loadAttempt(input.attemptId);
    if (!row) return { ok: false, reason: 'not-found' };
    if (row.person_id !== input.personId) return { ok: false, reason: 'not-yours', attempt: toAttempt(row) };
    if (row.answered_at !== null || row.gave_up === 1) return { ok: false, reason: 'closed', attempt: toAttempt(row) };
    const at = input.now.toISOString();
    db.prepare(
      'UPDATE attempts SET answered_at = ?, answer_text = ?, coverage = ?, coverage_json = ? WHERE id = ?',
    ).run(at, input.text, input.coverage, input.coverageJson, row.id);
    boards.countAnswer(row.person_id, row.conversation_id, row.workspace_id, at);
    const { streak, newDay } = countDay(input.personId, input.localDate, input.applyActivity, at);
    return { ok: true, attempt: toAttempt(q.attempt.get(row.id) as AttemptRow), streak, newDay };
  });

  const recordActivity = db.transaction(
    (input: Parameters<PracticeRepository['recordActivity']>[0]): { streak: StreakRecord; newDay: boolean } => {
      return countDay(input.personId, input.localDate, input.applyActivity, input.now.toISOString());
    },
  );

  /**
   * Records the active day and steps the streak. `newDay` only when the streak
   * moved: a date not after the last counted one (the person moved west) is
   * kept as an active day but adds nothing, so the reveal does not announce it.
   */
  function countDay(personId: string, localDate: string, step: RecordAnswerInput['applyActivity'], at: string) {
    const inserted = q.addDay.run(personId, localDate).changes > 0;
    const before = toStreak(q.streak.get(personId) as StreakRow | undefined);
    const next = stepStreak(inserted, before, localDate, step);
    if (next.newDay) writeStreak(personId, next.streak, at);
    return next;
  }

  const writeStreak = (personId: string, s: StreakRecord, at: string) =>
    q.upsertStreak.run(personId, s.current, s.longest, s.lastDay, s.freezes, at);

  const readSettings = (stmt: typeof q.personSettings, key: string): PracticeSettings =>
    parseStoredSettings((stmt.get(key) as { settings: string } | undefined)?.settings);

  const changeSettings = db.transaction((personId: string, change: SettingsChange, now: Date): PracticeSettings => {
    const next = applySettingsChange(readSettings(q.personSettings, personId), change);
    q.upsertPersonSettings.run(personId, JSON.stringify(next), now.toISOString());
    return next;
  });

  const changeWorkspaceSettings = db.transaction((workspaceKey: string, change: SettingsChange, now: Date): PracticeSettings => {
    const next = applySettingsChange(readSettings(q.workspaceSettings, workspaceKey), change);
    q.upsertWorkspaceSettings.run(workspaceKey, JSON.stringify(next), now.toISOString());
    return next;
  });

  const giveUp = db.transaction((attemptId: string, personId: string, now: Date): GiveUpResult => {
    const row = loadAttempt(attemptId);
    if (!row) return { ok: false, reason: 'not-found' };
    if (row.person_id !== personId) return { ok: false, reason: 'not-yours', attempt: toAttempt(row) };
    if (row.answered_at !== null || row.gave_up === 1) return { ok: false, reason: 'closed', attempt: toAttempt(row) };
    db.prepare('UPDATE attempts SET gave_up = 1, answered_at = ? WHERE id = ?').run(now.toISOString(), row.id);
    return { ok: true, attempt: toAttempt(q.attempt.get(row.id) as AttemptRow) };
  });

  const rate = db.transaction((input: RateInput): RateResult => {
    const row = loadAttempt(input.attemptId);
    if (!row) return { ok: false, reason: 'not-found' };
    if (row.person_id !== input.personId) return { ok: false, reason: 'not-yours', attempt: toAttempt(row) };
    if (row.answered_at === null) return { ok: false, reason: 'not-revealed', attempt: toAttempt(row) };
    if (row.rated_at !== null) return { ok: false, reason: 'closed', attempt: toAttempt(row) };
    const at = input.now.toISOString();
    const stored = q.review.get(row.person_id, row.question_id) as { card: string } | undefined;
    const previous = parseCard(stored?.card);
    const next = input.schedule(previous, toAttempt(row));
    let due: Date | null = null;
    if (next) {
      q.upsertReview.run(row.person_id, row.question_id, JSON.stringify(next.card), next.due.toISOString(), at);
      due = next.due;
    } else {
      // Kept as it is (extra practice): the due date it already had, if any.
      const kept = q.reviewDue.get(row.person_id, row.question_id) as { due_at: string } | undefined;
      if (kept) due = new Date(kept.due_at);
    }
    db.prepare('UPDATE attempts SET rating = ?, rated_at = ? WHERE id = ?').run(input.rating, at, row.id);
    return { ok: true, attempt: toAttempt(q.attempt.get(row.id) as AttemptRow), due };
  });

  /**
   * When the `max`-th most recent failure in the window leaves it, the count drops
   * below `max`; undefined when the count is already below.
   */
  const blockedUntil = (column: 'account_id' | 'workspace_id', key: string, max: number, cutoff: string, windowMs: number) => {
    const row = db
      .prepare(`SELECT failed_at FROM link_failures WHERE ${column} = ? AND failed_at > ? ORDER BY failed_at DESC LIMIT 1 OFFSET ?`)
      .get(key, cutoff, Math.max(0, max - 1)) as { failed_at: string } | undefined;
    return row ? new Date(Date.parse(row.failed_at) + windowMs) : undefined;
  };

  const redeem = db.transaction(
    (
      code: string,
      accountId: string,
      now: Date,
      replay: (days: string[]) => StreakRecord,
      limit: LinkAttemptLimit,
    ): LinkRedeemResult => {
      const account = db.prepare('SELECT person_id, workspace_id FROM accounts WHERE id = ?').get(accountId) as
        | { person_id: string; workspace_id: string }
        | undefined;
      if (!account) return { ok: false, reason: 'unknown' };
      const at = now.toISOString();
      const cutoff = new Date(now.getTime() - limit.windowMs).toISOString();
      db.prepare('DELETE FROM link_failures WHERE failed_at <= ?').run(cutoff);
      const byAccount = blockedUntil('account_id', accountId, limit.perAccount, cutoff, limit.windowMs);
      if (byAccount) return { ok: false, reason: 'too-many-attempts', scope: 'account', retryAt: byAccount };
      const byWorkspace = blockedUntil('workspace_id', account.workspace_id, limit.perWorkspace, cutoff, limit.windowMs);
      if (byWorkspace) return { ok: false, reason: 'too-many-attempts', scope: 'workspace', retryAt: byWorkspace };

      const fail = (reason: 'unknown' | 'expired' | 'used'): LinkRedeemResult => {
        db.prepare('INSERT INTO link_failures (account_id, workspace_id, failed_at) VALUES (?, ?, ?)').run(
          accountId,
          account.workspace_id,
          at,
        );
        return { ok: false, reason };
      };
      const link = db.prepare('SELECT person_id, expires_at, used_at FROM link_codes WHERE code = ?').get(code) as
        | { person_id: string; expires_at: string; used_at: string | null }
        | undefined;
      // Expired and used codes count too: to a guesser they are as good as unknown ones.
      if (!link) return fail('unknown');
      if (link.used_at !== null) return fail('used');
      if (link.expires_at <= at) return fail('expired');
      const target = link.person_id;
      const source = account.person_id;
      // Only the code's owner can get here, so it reveals nothing to a guesser.
      if (source === target) return { ok: false, reason: 'own-code' };
      db.prepare('UPDATE link_codes SET used_at = ? WHERE code = ?').run(at, code);
      db.prepare('DELETE FROM link_failures WHERE account_id = ?').run(accountId);
      mergePeople(source, target, now, replay);
      return { ok: true, personId: target, mergedFrom: source };
    },
  );

  /** Moves everything of `from` onto `into`, then deletes `from`. Runs inside the caller's transaction. */
  const mergePeople = (from: string, into: string, now: Date, replay: (days: string[]) => StreakRecord) => {
    db.prepare('UPDATE accounts SET person_id = ? WHERE person_id = ?').run(into, from);
    db.prepare('UPDATE attempts SET person_id = ? WHERE person_id = ?').run(into, from);
    // One open interview per person: the joining account's open one (if both have one) is abandoned.
    if (db.prepare('SELECT 1 FROM interviews WHERE candidate_id = ? AND ended_at IS NULL').get(into)) {
      db.prepare(
        "UPDATE interviews SET ended_at = ?, end_reason = 'abandoned' WHERE candidate_id = ? AND ended_at IS NULL",
      ).run(now.toISOString(), from);
    }
    db.prepare('UPDATE interviews SET candidate_id = ? WHERE candidate_id = ?').run(into, from);
    db.prepare('UPDATE interviews SET interviewer_id = ? WHERE interviewer_id = ?').run(into, from);
    // Both may have reviewed the same question: the most recent review wins, it reflects what they know now.
    db.prepare(
      `UPDATE reviews SET card = (SELECT r2.card FROM reviews r2 WHERE r2.person_id = ? AND r2.question_id = reviews.question_id),
              due_at = (SELECT r2.due_at FROM reviews r2 WHERE r2.person_id = ? AND r2.question_id = reviews.question_id),
              reviewed_at = (SELECT r2.reviewed_at FROM reviews r2 WHERE r2.person_id = ? AND r2.question_id = reviews.question_id)
        WHERE person_id = ? AND EXISTS (SELECT 1 FROM reviews r2 WHERE r2.person_id = ? AND r2.question_id = reviews.question_id
                                          AND r2.reviewed_at > reviews.reviewed_at)`,
    ).run(from, from, from, into, from);
    db.prepare(
      `INSERT INTO reviews (person_id, question_id, card, due_at, reviewed_at)
       SELECT ?, question_id, card, due_at, reviewed_at FROM reviews WHERE person_id = ?
       ON CONFLICT (person_id, question_id) DO NOTHING`,
    ).run(into, from);
    db.prepare('DELETE FROM reviews WHERE person_id = ?').run(from);
    db.prepare(
      `INSERT INTO activity_days (person_id, local_date) SELECT ?, local_date FROM activity_days WHERE person_id = ?
       ON CONFLICT (person_id, local_date) DO NOTHING`,
    ).run(into, from);
    db.prepare('DELETE FROM activity_days WHERE person_id = ?').run(from);
    // Breaks and audited repairs follow the person; the core replays the streak with them after the link.
    // One open break per person: if both are away, the joining account's break is closed unused.
    if (db.prepare('SELECT 1 FROM breaks WHERE person_id = ? AND ended_at IS NULL').get(into)) {
      db.prepare(
        "UPDATE breaks SET ended_at = ?, end_reason = 'ended', days_taken = 0, shifted_days = 0 WHERE person_id = ? AND ended_at IS NULL",
      ).run(now.toISOString(), from);
    }
    db.prepare('UPDATE breaks SET person_id = ? WHERE person_id = ?').run(into, from);
    db.prepare(
      `INSERT INTO streak_repairs (person_id, local_date, reason, repaired_by, repaired_by_name, repaired_at)
       SELECT ?, local_date, reason, repaired_by, repaired_by_name, repaired_at FROM streak_repairs WHERE person_id = ?
       ON CONFLICT (person_id, local_date) DO NOTHING`,
    ).run(into, from);
    db.prepare('DELETE FROM streak_repairs WHERE person_id = ?').run(from);
    const days = (db.prepare('SELECT local_date FROM activity_days WHERE person_id = ? ORDER BY local_date').all(into) as {
      local_date: string;
    }[]).map((r) => r.local_date);
    writeStreak(into, replay(days), now.toISOString());
    db.prepare('DELETE FROM streaks WHERE person_id = ?').run(from);
    db.prepare(
      'UPDATE people SET timezone = COALESCE(timezone, (SELECT p2.timezone FROM people p2 WHERE p2.id = ?)) WHERE id = ?',
    ).run(from, into);
    // Settings key by key, the issuer's choice winning, as for the zone.
    const merged = { ...readSettings(q.personSettings, from), ...readSettings(q.personSettings, into) };
    if (Object.keys(merged).length > 0) q.upsertPersonSettings.run(into, JSON.stringify(merged), now.toISOString());
    db.prepare('DELETE FROM person_settings WHERE person_id = ?').run(from);
    // Hidden if either was hidden (a wish to hide outweighs); on the global board if either opted in (always a choice).
    db.prepare(
      `UPDATE people SET boards_hidden = CASE WHEN boards_hidden = 1 OR (SELECT p2.boards_hidden FROM people p2 WHERE p2.id = ?) = 1 THEN 1 ELSE 0 END,
                         global_board = CASE WHEN global_board = 1 OR (SELECT p2.global_board FROM people p2 WHERE p2.id = ?) = 1 THEN 1 ELSE 0 END
        WHERE id = ?`,
    ).run(from, from, into);
    boards.mergeInto(from, into);
    db.prepare('DELETE FROM link_codes WHERE person_id = ?').run(from);
    db.prepare('DELETE FROM people WHERE id = ?').run(from);
  };

  const unlink = db.transaction((accountId: string, displayName: string, now: Date): boolean => {
    const account = q.account.get(accountId) as AccountJoin | undefined;
    if (!account) return false;
    const others = db.prepare('SELECT COUNT(*) AS n FROM accounts WHERE person_id = ? AND id <> ?').get(
      account.person_id,
      accountId,
    ) as { n: number };
    if (others.n === 0) return false;
    const personId = randomUUID();
    q.insertPerson.run(personId, displayName, account.timezone, now.toISOString());
    db.prepare('UPDATE accounts SET person_id = ? WHERE id = ?').run(personId, accountId);
    // The detached account keeps the person's preferences, as it keeps their zone.
    db.prepare(
      'INSERT INTO person_settings (person_id, settings, updated_at) SELECT ?, settings, ? FROM person_settings WHERE person_id = ?',
    ).run(personId, now.toISOString(), account.person_id);
    return true;
  });

  const markDelivery = db.transaction(
    (id: string, now: Date): boolean =>
      db
        .prepare('INSERT INTO processed_deliveries (id, processed_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING')
        .run(id, now.toISOString()).changes > 0,
  );

  // Lock, read-only file, full disk: a StoreUnavailableError the core answers politely.
  return withUnavailableErrors<PracticeRepository>({
    ...createSqliteStreakCare(db),
    async ensureAccount(input, now) {
      return ensureAccount(input, now);
    },
    async findAccount(accountId) {
      const row = q.account.get(accountId) as AccountJoin | undefined;
      return row ? toPerson(row) : undefined;
    },
    async setTimezone(personId, zone) {
      db.prepare('UPDATE people SET timezone = ? WHERE id = ?').run(zone, personId);
    },
    async setWorkspaceTimezone(workspaceKey, zone) {
      db.prepare('UPDATE workspaces SET timezone = ? WHERE id = ?').run(zone, workspaceKey);
    },
    async setDayStart(personId, hour) {
      db.prepare('UPDATE people SET day_start_hour = ? WHERE id = ?').run(hour, personId);
    },
    async setWorkspaceDayStart(workspaceKey, hour) {
      db.prepare('UPDATE workspaces SET day_start_hour = ? WHERE id = ?').run(hour, workspaceKey);
    },
    async createLinkCode(personId, code, now, expiresAt) {
      db.prepare('INSERT INTO link_codes (code, person_id, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, NULL)').run(
        code,
        personId,
        now.toISOString(),
        expiresAt.toISOString(),
      );
    },
    async redeemLinkCode(code, accountId, now, replayStreak, limit) {
      // IMMEDIATE: take the write lock before counting, so a second process cannot count the same failures.
      return redeem.immediate(code, accountId, now, replayStreak, limit);
    },
    async unlinkAccount(accountId, displayName, now) {
      return unlink(accountId, displayName, now);
    },
    async accountsOf(personId) {
      return (
        db.prepare('SELECT id, platform, display_name FROM accounts WHERE person_id = ? ORDER BY created_at, id').all(personId) as {
          id: string;
          platform: string;
          display_name: string;
        }[]
      ).map((r) => ({ accountId: r.id, platform: r.platform, displayName: r.display_name }));
    },
    async startAttempt(input: StartAttemptInput) {
      const info = db
        .prepare(
          `INSERT INTO attempts (person_id, question_id, conversation_id, workspace_id, source, asked_at, queue)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(input.personId, input.questionId, input.conversationId, input.workspaceKey, input.source, input.now.toISOString(), input.queue ?? null);
      return toAttempt(q.attempt.get(info.lastInsertRowid) as AttemptRow);
    },
    async getAttempt(attemptId) {
      const row = loadAttempt(attemptId);
      return row ? toAttempt(row) : undefined;
    },
    async latestAttempt(personId, questionId, conversationId) {
      const row = db
        .prepare(
          `SELECT * FROM attempts WHERE person_id = ? AND question_id = ? AND conversation_id = ?
            ORDER BY asked_at DESC, id DESC LIMIT 1`,
        )
        .get(personId, questionId, conversationId) as AttemptRow | undefined;
      return row ? toAttempt(row) : undefined;
    },
    async openAttempt(personId, conversationId) {
      const row = db
        .prepare(
          `SELECT * FROM attempts WHERE person_id = ? AND answered_at IS NULL AND gave_up = 0
             AND (? IS NULL OR conversation_id = ?) ORDER BY asked_at DESC, id DESC LIMIT 1`,
        )
        .get(personId, conversationId ?? null, conversationId ?? null) as AttemptRow | undefined;
      return row ? toAttempt(row) : undefined;
    },
    async recordAnswer(input) {
      return recordAnswer(input);
    },
    async giveUp(attemptId, personId, now) {
      return giveUp(attemptId, personId, now);
    },
    async recordActivity(input) {
      return recordActivity(input);
    },
    async rate(input) {
      return rate(input);
    },
    async dueReviews(personId, now, limit = 50): Promise<DueReview[]> {
      return (
        db
          .prepare(
            'SELECT question_id, due_at FROM reviews WHERE person_id = ? AND due_at <= ? ORDER BY due_at, question_id LIMIT ?',
          )
          .all(personId, now.toISOString(), limit) as { question_id: string; due_at: string }[]
      ).map((r) => ({ questionId: r.question_id, dueAt: r.due_at }));
    },
    async reviewSchedule(personId): Promise<ScheduledReview[]> {
      return (
        db
          .prepare('SELECT question_id, due_at, reviewed_at FROM reviews WHERE person_id = ? ORDER BY due_at, question_id')
          .all(personId) as { question_id: string; due_at: string; reviewed_at: string }[]
      ).map((r) => ({ questionId: r.question_id, dueAt: r.due_at, reviewedAt: r.reviewed_at }));
    },
    async seenQuestionIds(personId) {
      return (
        db
          .prepare(
            'SELECT question_id FROM attempts WHERE person_id = ? UNION SELECT question_id FROM reviews WHERE person_id = ?',
          )
          .all(personId, personId) as { question_id: string }[]
      ).map((r) => r.question_id);
    },
    async lastQuestionId(personId) {
      const row = db
        .prepare('SELECT question_id FROM attempts WHERE person_id = ? ORDER BY asked_at DESC, id DESC LIMIT 1')
        .get(personId) as { question_id: string } | undefined;
      return row?.question_id;
    },
    async getStreak(personId) {
      return toStreak(q.streak.get(personId) as StreakRow | undefined);
    },
    async leaderboardByStreak(query, opts) {
      return boards.byStreak(query, opts.aliveSince, opts.limit);
    },
    async leaderboardByAnswers(query, limit) {
      return boards.byAnswers(query, limit);
    },
    async boardEntry(query, personId) {
      return boards.entry(query, personId);
    },
    async setBoardVisibility(personId, v) {
      boards.setVisibility(personId, v);
    },
    async questionStats(personId): Promise<QuestionStatRow[]> {
      return (
        db
          .prepare(
            `SELECT question_id,
                    SUM(CASE WHEN gave_up = 0 THEN 1 ELSE 0 END) AS answers,
                    AVG(CASE WHEN gave_up = 0 THEN coverage END) AS avg_coverage,
                    SUM(gave_up) AS gave_up
               FROM attempts WHERE person_id = ? AND answered_at IS NOT NULL
              GROUP BY question_id ORDER BY question_id`,
          )
          .all(personId) as { question_id: string; answers: number; avg_coverage: number | null; gave_up: number }[]
      ).map((r) => ({ questionId: r.question_id, answers: r.answers, avgCoverage: r.avg_coverage, gaveUp: r.gave_up }));
    },

    async answersSince(personId, since): Promise<AnswerPoint[]> {
      return (
        db
          .prepare(
            `SELECT question_id, answered_at, coverage FROM attempts
              WHERE person_id = ? AND answered_at IS NOT NULL AND gave_up = 0 AND answered_at >= ?
              ORDER BY answered_at, id`,
          )
          .all(personId, since.toISOString()) as { question_id: string; answered_at: string; coverage: number | null }[]
      ).map((r) => ({ questionId: r.question_id, answeredAt: r.answered_at, coverage: r.coverage }));
    },
    async practiceSettings(personId, workspaceKey) {
      return { own: readSettings(q.personSettings, personId), workspace: readSettings(q.workspaceSettings, workspaceKey) };
    },
    async changeSettings(personId, change, now) {
      return changeSettings(personId, change, now);
    },
    async changeWorkspaceSettings(workspaceKey, change, now) {
      return changeWorkspaceSettings(workspaceKey, change, now);
    },
    async dayLoad(personId, from, to): Promise<DayLoad> {
      const read = db.transaction((): DayLoad => {
        const rated: DayLoad['rated'] = { review: 0, new: 0, extra: 0 };
        const counts = db
          .prepare(
            `SELECT queue, COUNT(*) AS n FROM attempts
              WHERE person_id = ? AND rated_at >= ? AND rated_at < ? AND queue IS NOT NULL GROUP BY queue`,
          )
          .all(personId, from.toISOString(), to.toISOString()) as { queue: AttemptQueue; n: number }[];
        for (const c of counts) rated[c.queue] = c.n;
        const answered = db
          .prepare('SELECT DISTINCT question_id FROM attempts WHERE person_id = ? AND answered_at >= ? AND answered_at < ? ORDER BY question_id')
          .all(personId, from.toISOString(), to.toISOString()) as { question_id: string }[];
        return { rated, answeredQuestionIds: answered.map((r) => r.question_id) };
      });
      return read();
    },
    async exportPerson(personId) {
      return exportPerson(db, personId);
    },
    async forgetPerson(personId) {
      return forgetPerson(db, personId);
    },
    async markDelivery(deliveryId, now) {
      return markDelivery(deliveryId, now);
    },
    async pruneDeliveries(before) {
      return db.prepare('DELETE FROM processed_deliveries WHERE processed_at < ?').run(before.toISOString()).changes;
    },
  });
}

