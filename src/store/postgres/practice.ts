import { randomUUID } from 'node:crypto';
import { attemptKey, parseCard, stepStreak, toAttempt, toPerson, toStreak, type AccountJoin, type AttemptRow, type StreakRow } from '../practice-rules.ts';
import type {
  AttemptQueue,
  LinkRedeemResult,
  PracticeRepository,
  PracticeStoreOptions,
  RecordAnswerInput,
  StreakRecord,
} from '../practice-types.ts';
import { applySettingsChange, parseStoredSettings, type PracticeSettings } from '../settings-types.ts';
import { createPostgresBoardCounts } from './board-counts.ts';
import { lockPeople, lockWorkspace } from './locks.ts';
import { exportPerson, forgetPerson } from './person-data.ts';
import type { SqlClient, SqlQueryable } from './sql.ts';
import { createPostgresStreakCare } from './streak-care.ts';
import { replaceNul, withNulReplaced } from './nul.ts';
import { withPostgresUnavailableErrors } from './unavailable.ts';

/**
 * The practice repository on PostgreSQL: the same behaviour as
 * createSqlitePracticeRepository, with its rules shared (src/store/practice-rules.ts,
 * board-rules.ts, person-tables.ts), in PostgreSQL's dialect.
 *
 * Several bot processes share one database. SQLite's single writer makes every
 * read-decide-write method serial for free; here each is one transaction that first
 * takes the advisory lock of every person it changes (lockPeople), so a redelivered
 * answer counts once, two answers of one person step the streak one after the other, and a link
 * merging two people waits for both. Workspace-wide rows (settings, link failures of
 * a workspace) take the workspace lock, always before any person lock.
 *
 * PostgreSQL's TEXT cannot hold NUL (U+0000), which SQLite stores: every text
 * parameter has it replaced with U+FFFD, so a message containing one is stored
 * (marked) instead of failing the answer. Text is ordered with COLLATE "C", as
 * SQLite compares bytes.
 */

/** `attempts.id` is an int4 identity: a larger id could never exist, and PostgreSQL would reject it as a parameter. */
const MAX_ATTEMPT_ID = 2_147_483_647;

const ACCOUNT = `SELECT a.id AS account_id, a.person_id, a.display_name, p.timezone, w.timezone AS workspace_timezone,
                        p.day_start_hour, w.day_start_hour AS workspace_day_start_hour, p.boards_hidden, p.global_board
                   FROM accounts a JOIN people p ON p.id = a.person_id JOIN workspaces w ON w.id = a.workspace_id
                  WHERE a.id = $1`;

const ATTEMPT_COLUMNS =
  'id, person_id, question_id, conversation_id, workspace_id, source, asked_at, answered_at, answer_text, coverage, coverage_json, gave_up, rating, rated_at, queue';
const ATTEMPT_COLUMNS_OF_A = ATTEMPT_COLUMNS.split(', ')
  .map((c) => `a.${c}`)
  .join(', ');

export function createPostgresPracticeRepository(client: SqlClient, options: PracticeStoreOptions = {}): PracticeRepository {
  const db = withNulReplaced(client);
  const boards = createPostgresBoardCounts(db, options.defaultTimezone ?? 'UTC');

  // Migration 11 leaves the boards' week and month columns to the first store that opens the database;
  // SQLite's store does it while opening, this one before its first use of the boards (opening is synchronous).
  let backfill: Promise<void> | undefined;
  const boardsReady = () => {
    backfill ??= boards.backfillPeriods().catch((err: unknown) => {
      backfill = undefined; // a lost connection must not leave the boards unfilled for good
      throw err;
    });
    return backfill;
  };

  const one = async <R>(tx: SqlQueryable, text: string, params: unknown[]) => (await tx.query<R>(text, params)).rows[0];

  const account = (tx: SqlQueryable, accountId: string) => one<AccountJoin>(tx, ACCOUNT, [accountId]);

  /** An attempt id's row key, or undefined for an id no row can have. */
  const rowKey = (attemptId: string) => {
    const key = attemptKey(attemptId);
    return key === undefined || key > MAX_ATTEMPT_ID ? undefined : key;
  };

  const loadAttempt = async (tx: SqlQueryable, attemptId: string, lock = false) => {
    const key = rowKey(attemptId);
    if (key === undefined) return undefined;
    return one<AttemptRow>(tx, `SELECT ${ATTEMPT_COLUMNS} FROM attempts WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [key]);
  };

  /** The attempt, locked, with its question's review card if the person has one: a rating needs both, in one round trip. */
  const loadAttemptForRating = async (tx: SqlQueryable, attemptId: string) => {
    const key = rowKey(attemptId);
    if (key === undefined) return undefined;
    return one<AttemptRow & { review_card: string | null; review_due_at: string | null }>(
      tx,
      `SELECT ${ATTEMPT_COLUMNS_OF_A}, r.card AS review_card, r.due_at AS review_due_at
         FROM attempts a LEFT JOIN reviews r ON r.person_id = a.person_id AND r.question_id = a.question_id
        WHERE a.id = $1 FOR UPDATE OF a`,
      [key],
    );
  };

  const readStreak = async (tx: SqlQueryable, personId: string) =>
    toStreak(await one<StreakRow>(tx, 'SELECT current, longest, last_day, freezes FROM streaks WHERE person_id = $1', [personId]));

  const writeStreak = (tx: SqlQueryable, personId: string, s: StreakRecord, at: string) =>
    tx.query(
      `INSERT INTO streaks (person_id, current, longest, last_day, freezes, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (person_id) DO UPDATE SET current = EXCLUDED.current, longest = EXCLUDED.longest,
         last_day = EXCLUDED.last_day, freezes = EXCLUDED.freezes, updated_at = EXCLUDED.updated_at`,
      [personId, s.current, s.longest, s.lastDay, s.freezes, at],
    );

  /** Records the active day and steps the streak (practice-rules stepStreak); the caller holds the person's lock. */
  const countDay = async (tx: SqlQueryable, personId: string, localDate: string, step: RecordAnswerInput['applyActivity'], at: string) => {
    // The day's insert and the streak's read in one round trip; the streak row is not written
    // by the insert, so reading it in the same statement (the snapshot before it) is exact.
    const found = await one<Partial<StreakRow> & { inserted: number }>(
      tx,
      `WITH day AS (INSERT INTO activity_days (person_id, local_date) VALUES ($1, $2) ON CONFLICT (person_id, local_date) DO NOTHING RETURNING 1)
       SELECT (SELECT COUNT(*) FROM day)::int AS inserted, s.current, s.longest, s.last_day, s.freezes
         FROM (SELECT 1) AS one LEFT JOIN streaks s ON s.person_id = $1`,
      [personId, localDate],
    );
    const stored = found?.current == null ? undefined : (found as StreakRow);
    const next = stepStreak(found!.inserted > 0, toStreak(stored), localDate, step);
    if (next.newDay) await writeStreak(tx, personId, next.streak, at);
    return next;
  };

  const personSettings = async (tx: SqlQueryable, personId: string): Promise<PracticeSettings> =>
    parseStoredSettings((await one<{ settings: string }>(tx, 'SELECT settings FROM person_settings WHERE person_id = $1', [personId]))?.settings);
  const workspaceSettings = async (tx: SqlQueryable, workspaceKey: string): Promise<PracticeSettings> =>
    parseStoredSettings(
      (await one<{ settings: string }>(tx, 'SELECT settings FROM workspace_settings WHERE workspace_id = $1', [workspaceKey]))?.settings,
    );
  const writePersonSettings = (tx: SqlQueryable, personId: string, s: PracticeSettings, at: string) =>
    tx.query(
      `INSERT INTO person_settings (person_id, settings, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (person_id) DO UPDATE SET settings = EXCLUDED.settings, updated_at = EXCLUDED.updated_at`,
      [personId, JSON.stringify(s), at],
    );

  /** When the `max`-th most recent failure in the window leaves it; undefined when the count is below `max`. */
  const blockedUntil = async (tx: SqlQueryable, column: 'account_id' | 'workspace_id', key: string, max: number, cutoff: string, windowMs: number) => {
    const row = await one<{ failed_at: string }>(
      tx,
      `SELECT failed_at FROM link_failures WHERE ${column} = $1 AND failed_at > $2 ORDER BY failed_at COLLATE "C" DESC LIMIT 1 OFFSET $3`,
      [key, cutoff, Math.max(0, max - 1)],
    );
    return row ? new Date(Date.parse(row.failed_at) + windowMs) : undefined;
  };

  /** Moves everything of `from` onto `into`, then deletes `from`; inside the redemption, holding both people's locks. */
  const mergePeople = async (tx: SqlQueryable, from: string, into: string, now: Date, replay: (days: string[]) => StreakRecord) => {
    const at = now.toISOString();
    const run = (text: string, params: unknown[]) => tx.query(text, params);
    await run('UPDATE accounts SET person_id = $1 WHERE person_id = $2', [into, from]);
    await run('UPDATE attempts SET person_id = $1 WHERE person_id = $2', [into, from]);
    // One open interview per person: the joining account's open one (if both have one) is abandoned.
    if (await one(tx, 'SELECT 1 FROM interviews WHERE candidate_id = $1 AND ended_at IS NULL', [into])) {
      await run("UPDATE interviews SET ended_at = $1, end_reason = 'abandoned' WHERE candidate_id = $2 AND ended_at IS NULL", [at, from]);
    }
    await run('UPDATE interviews SET candidate_id = $1 WHERE candidate_id = $2', [into, from]);
    await run('UPDATE interviews SET interviewer_id = $1 WHERE interviewer_id = $2', [into, from]);
    // Both may have reviewed the same question: the most recent review wins, it reflects what they know now.
    await run(
      `UPDATE reviews r SET card = r2.card, due_at = r2.due_at, reviewed_at = r2.reviewed_at
         FROM reviews r2
        WHERE r.person_id = $1 AND r2.person_id = $2 AND r2.question_id = r.question_id AND r2.reviewed_at > r.reviewed_at`,
      [into, from],
    );
    await run(
      `INSERT INTO reviews (person_id, question_id, card, due_at, reviewed_at)
       SELECT $1, question_id, card, due_at, reviewed_at FROM reviews WHERE person_id = $2
       ON CONFLICT (person_id, question_id) DO NOTHING`,
      [into, from],
    );
    await run('DELETE FROM reviews WHERE person_id = $1', [from]);
    await run(
      `INSERT INTO activity_days (person_id, local_date) SELECT $1, local_date FROM activity_days WHERE person_id = $2
       ON CONFLICT (person_id, local_date) DO NOTHING`,
      [into, from],
    );
    await run('DELETE FROM activity_days WHERE person_id = $1', [from]);
    // Breaks and audited repairs follow the person; the core replays the streak with them after the link.
    // One open break per person: if both are away, the joining account's break is closed unused.
    if (await one(tx, 'SELECT 1 FROM breaks WHERE person_id = $1 AND ended_at IS NULL', [into])) {
      await run(
        "UPDATE breaks SET ended_at = $1, end_reason = 'ended', days_taken = 0, shifted_days = 0 WHERE person_id = $2 AND ended_at IS NULL",
        [at, from],
      );
    }
    await run('UPDATE breaks SET person_id = $1 WHERE person_id = $2', [into, from]);
    await run(
      `INSERT INTO streak_repairs (person_id, local_date, reason, repaired_by, repaired_by_name, repaired_at)
       SELECT $1, local_date, reason, repaired_by, repaired_by_name, repaired_at FROM streak_repairs WHERE person_id = $2
       ON CONFLICT (person_id, local_date) DO NOTHING`,
      [into, from],
    );
    await run('DELETE FROM streak_repairs WHERE person_id = $1', [from]);
    const days = (
      await tx.query<{ local_date: string }>('SELECT local_date FROM activity_days WHERE person_id = $1 ORDER BY local_date COLLATE "C"', [into])
    ).rows.map((r) => r.local_date);
    await writeStreak(tx, into, replay(days), at);
    await run('DELETE FROM streaks WHERE person_id = $1', [from]);
    await run('UPDATE people SET timezone = COALESCE(timezone, (SELECT p2.timezone FROM people p2 WHERE p2.id = $1)) WHERE id = $2', [from, into]);
    // Settings key by key, the issuer's choice winning, as for the zone.
    const merged = { ...(await personSettings(tx, from)), ...(await personSettings(tx, into)) };
    if (Object.keys(merged).length > 0) await writePersonSettings(tx, into, merged, at);
    await run('DELETE FROM person_settings WHERE person_id = $1', [from]);
    // Hidden if either was hidden (a wish to hide outweighs); on the global board if either opted in (always a choice).
    await run(
      `UPDATE people SET boards_hidden = CASE WHEN boards_hidden = 1 OR (SELECT p2.boards_hidden FROM people p2 WHERE p2.id = $1) = 1 THEN 1 ELSE 0 END,
                         global_board = CASE WHEN global_board = 1 OR (SELECT p2.global_board FROM people p2 WHERE p2.id = $1) = 1 THEN 1 ELSE 0 END
        WHERE id = $2`,
      [from, into],
    );
    await boards.mergeInto(tx, from, into);
    await run('DELETE FROM link_codes WHERE person_id = $1', [from]);
    await run('DELETE FROM people WHERE id = $1', [from]);
  };

  const store: PracticeRepository = {
    ...createPostgresStreakCare(db),

    async ensureAccount(input, now) {
      return db.transaction(async (tx) => {
        const at = now.toISOString();
        await tx.query('INSERT INTO workspaces (id, platform, timezone, created_at) VALUES ($1, $2, NULL, $3) ON CONFLICT (id) DO NOTHING', [
          input.workspaceKey,
          input.platform,
          at,
        ]);
        const existing = await account(tx, input.accountId);
        if (existing) {
          // Names change on the platform; keep the one people see current.
          await tx.query('UPDATE accounts SET display_name = $1 WHERE id = $2 AND display_name <> $1', [input.displayName, input.accountId]);
          await tx.query('UPDATE people SET display_name = $1 WHERE id = $2 AND display_name <> $1', [input.displayName, existing.person_id]);
          return { ...toPerson(existing), displayName: String(replaceNul(input.displayName)) };
        }
        const personId = randomUUID();
        await tx.query('INSERT INTO people (id, display_name, timezone, created_at) VALUES ($1, $2, NULL, $3)', [personId, input.displayName, at]);
        // A second process may be creating the same account (its first two events at once): the first insert wins,
        // the other waits for it, inserts nothing, and drops the person it made.
        const inserted = await tx.query(
          `INSERT INTO accounts (id, platform, person_id, display_name, workspace_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (id) DO NOTHING`,
          [input.accountId, input.platform, personId, input.displayName, input.workspaceKey, at],
        );
        if (inserted.rowCount === 0) await tx.query('DELETE FROM people WHERE id = $1', [personId]);
        return toPerson((await account(tx, input.accountId))!);
      });
    },
    async findAccount(accountId) {
      const row = await account(db, accountId);
      return row ? toPerson(row) : undefined;
    },
    async setTimezone(personId, zone) {
      await db.query('UPDATE people SET timezone = $1 WHERE id = $2', [zone, personId]);
    },
    async setWorkspaceTimezone(workspaceKey, zone) {
      await db.query('UPDATE workspaces SET timezone = $1 WHERE id = $2', [zone, workspaceKey]);
    },
    async setDayStart(personId, hour) {
      await db.query('UPDATE people SET day_start_hour = $1 WHERE id = $2', [hour, personId]);
    },
    async setWorkspaceDayStart(workspaceKey, hour) {
      await db.query('UPDATE workspaces SET day_start_hour = $1 WHERE id = $2', [hour, workspaceKey]);
    },
    async createLinkCode(personId, code, now, expiresAt) {
      await db.query('INSERT INTO link_codes (code, person_id, created_at, expires_at, used_at) VALUES ($1, $2, $3, $4, NULL)', [
        code,
        personId,
        now.toISOString(),
        expiresAt.toISOString(),
      ]);
    },

    async redeemLinkCode(code, accountId, now, replay, limit) {
      await boardsReady();
      return db.transaction(async (tx): Promise<LinkRedeemResult> => {
        const first = await one<{ workspace_id: string }>(tx, 'SELECT workspace_id FROM accounts WHERE id = $1', [accountId]);
        if (!first) return { ok: false, reason: 'unknown' };
        const workspaceId = first.workspace_id;
        // The workspace lock first: failures are counted per account and per workspace, so two guesses
        // in one workspace (two processes) cannot both pass the limit.
        await lockWorkspace(tx, workspaceId);
        const at = now.toISOString();
        const cutoff = new Date(now.getTime() - limit.windowMs).toISOString();
        await tx.query('DELETE FROM link_failures WHERE failed_at <= $1', [cutoff]);
        const byAccount = await blockedUntil(tx, 'account_id', accountId, limit.perAccount, cutoff, limit.windowMs);
        if (byAccount) return { ok: false, reason: 'too-many-attempts', scope: 'account', retryAt: byAccount };
        const byWorkspace = await blockedUntil(tx, 'workspace_id', workspaceId, limit.perWorkspace, cutoff, limit.windowMs);
        if (byWorkspace) return { ok: false, reason: 'too-many-attempts', scope: 'workspace', retryAt: byWorkspace };

        const fail = async (reason: 'unknown' | 'expired' | 'used'): Promise<LinkRedeemResult> => {
          await tx.query('INSERT INTO link_failures (account_id, workspace_id, failed_at) VALUES ($1, $2, $3)', [accountId, workspaceId, at]);
          return { ok: false, reason };
        };
        const readLink = () =>
          one<{ person_id: string; expires_at: string; used_at: string | null }>(
            tx,
            'SELECT person_id, expires_at, used_at FROM link_codes WHERE code = $1',
            [code],
          );
        let link = await readLink();
        if (!link) return fail('unknown');
        // Lock both people, then re-read: a link or unlink may have moved the account, or another
        // redemption used the code, while this one waited.
        let source: string | undefined;
        for (;;) {
          const current = (await one<{ person_id: string }>(tx, 'SELECT person_id FROM accounts WHERE id = $1', [accountId]))?.person_id;
          if (current === undefined) return { ok: false, reason: 'unknown' };
          if (current === source) break;
          source = current;
          await lockPeople(tx, [source, link.person_id]);
          link = await readLink();
          if (!link) return fail('unknown');
        }
        // Expired and used codes count as failures too: to a guesser they are as good as unknown ones.
        if (link.used_at !== null) return fail('used');
        if (link.expires_at <= at) return fail('expired');
        const target = link.person_id;
        // Only the code's owner can get here, so it reveals nothing to a guesser.
        if (source === target) return { ok: false, reason: 'own-code' };
        // Conditional, so the code is single-use even if a writer ever skipped the person lock.
        const used = await tx.query('UPDATE link_codes SET used_at = $1 WHERE code = $2 AND used_at IS NULL', [at, code]);
        if (used.rowCount === 0) return fail('used');
        await tx.query('DELETE FROM link_failures WHERE account_id = $1', [accountId]);
        await mergePeople(tx, source, target, now, replay);
        return { ok: true, personId: target, mergedFrom: source };
      });
    },

    async unlinkAccount(accountId, displayName, now) {
      // A /link may move the account to another person while this waits for the first one's
      // lock: then it looks again under the new person's lock (a few times at most: each move
      // is a link someone completed).
      for (let tries = 0; tries < 5; tries++) {
        const outcome = await db.transaction(async (tx): Promise<boolean | 'moved'> => {
          const before = await account(tx, accountId);
          if (!before) return false;
          await lockPeople(tx, [before.person_id]);
          const acc = await account(tx, accountId);
          if (!acc) return false;
          if (acc.person_id !== before.person_id) return 'moved';
          const others = await one<{ n: number }>(tx, 'SELECT COUNT(*) AS n FROM accounts WHERE person_id = $1 AND id <> $2', [acc.person_id, accountId]);
          if (!others || others.n === 0) return false;
          const personId = randomUUID();
          const at = now.toISOString();
          await tx.query('INSERT INTO people (id, display_name, timezone, created_at) VALUES ($1, $2, $3, $4)', [personId, displayName, acc.timezone, at]);
          await tx.query('UPDATE accounts SET person_id = $1 WHERE id = $2', [personId, accountId]);
          // The detached account keeps the person's preferences, as it keeps their zone.
          await tx.query(
            'INSERT INTO person_settings (person_id, settings, updated_at) SELECT $1, settings, $2 FROM person_settings WHERE person_id = $3',
            [personId, at, acc.person_id],
          );
          return true;
        });
        if (outcome !== 'moved') return outcome;
      }
      return false;
    },
    async accountsOf(personId) {
      const { rows } = await db.query<{ id: string; platform: string; display_name: string }>(
        'SELECT id, platform, display_name FROM accounts WHERE person_id = $1 ORDER BY created_at COLLATE "C", id COLLATE "C"',
        [personId],
      );
      return rows.map((r) => ({ accountId: r.id, platform: r.platform, displayName: r.display_name }));
    },

    async startAttempt(input) {
      const row = await one<AttemptRow>(
        db,
        `INSERT INTO attempts (person_id, question_id, conversation_id, workspace_id, source, asked_at, queue)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${ATTEMPT_COLUMNS}`,
        [input.personId, input.questionId, input.conversationId, input.workspaceKey, input.source, input.now.toISOString(), input.queue ?? null],
      );
      return toAttempt(row!);
    },
    async getAttempt(attemptId) {
      const row = await loadAttempt(db, attemptId);
      return row ? toAttempt(row) : undefined;
    },
    async latestAttempt(personId, questionId, conversationId) {
      const row = await one<AttemptRow>(
        db,
        `SELECT ${ATTEMPT_COLUMNS} FROM attempts WHERE person_id = $1 AND question_id = $2 AND conversation_id = $3
          ORDER BY asked_at COLLATE "C" DESC, id DESC LIMIT 1`,
        [personId, questionId, conversationId],
      );
      return row ? toAttempt(row) : undefined;
    },
    async openAttempt(personId, conversationId) {
      const row = await one<AttemptRow>(
        db,
        `SELECT ${ATTEMPT_COLUMNS} FROM attempts WHERE person_id = $1 AND answered_at IS NULL AND gave_up = 0
           AND (CAST($2 AS TEXT) IS NULL OR conversation_id = $2) ORDER BY asked_at COLLATE "C" DESC, id DESC LIMIT 1`,
        [personId, conversationId ?? null],
      );
      return row ? toAttempt(row) : undefined;
    },

    async recordAnswer(input) {
      await boardsReady();
      return db.transaction(async (tx) => {
        // The person's lock first: the same answer delivered to two processes, or two answers of one
        // person at once, wait for each other, so the second sees the first's answer and streak.
        await lockPeople(tx, [input.personId]);
        const row = await loadAttempt(tx, input.attemptId, true);
        if (!row) return { ok: false, reason: 'not-found' } as const;
        if (row.person_id !== input.personId) return { ok: false, reason: 'not-yours', attempt: toAttempt(row) } as const;
        if (row.answered_at !== null || row.gave_up === 1) return { ok: false, reason: 'closed', attempt: toAttempt(row) } as const;
        const at = input.now.toISOString();
        const updated = await one<AttemptRow>(
          tx,
          `UPDATE attempts SET answered_at = $1, answer_text = $2, coverage = $3, coverage_json = $4 WHERE id = $5 RETURNING ${ATTEMPT_COLUMNS}`,
          [at, input.text, input.coverage, input.coverageJson, row.id],
        );
        await boards.countAnswer(tx, row.person_id, row.conversation_id, row.workspace_id, at);
        const { streak, newDay } = await countDay(tx, input.personId, input.localDate, input.applyActivity, at);
        return { ok: true, attempt: toAttempt(updated!), streak, newDay } as const;
      });
    },
    async giveUp(attemptId, personId, now) {
      return db.transaction(async (tx) => {
        await lockPeople(tx, [personId]);
        const row = await loadAttempt(tx, attemptId, true);
        if (!row) return { ok: false, reason: 'not-found' } as const;
        if (row.person_id !== personId) return { ok: false, reason: 'not-yours', attempt: toAttempt(row) } as const;
        if (row.answered_at !== null || row.gave_up === 1) return { ok: false, reason: 'closed', attempt: toAttempt(row) } as const;
        const updated = await one<AttemptRow>(tx, `UPDATE attempts SET gave_up = 1, answered_at = $1 WHERE id = $2 RETURNING ${ATTEMPT_COLUMNS}`, [
          now.toISOString(),
          row.id,
        ]);
        return { ok: true, attempt: toAttempt(updated!) } as const;
      });
    },
    async recordActivity(input) {
      return db.transaction(async (tx) => {
        await lockPeople(tx, [input.personId]);
        return countDay(tx, input.personId, input.localDate, input.applyActivity, input.now.toISOString());
      });
    },
    async rate(input) {
      return db.transaction(async (tx) => {
        await lockPeople(tx, [input.personId]);
        const row = await loadAttemptForRating(tx, input.attemptId);
        if (!row) return { ok: false, reason: 'not-found' } as const;
        if (row.person_id !== input.personId) return { ok: false, reason: 'not-yours', attempt: toAttempt(row) } as const;
        if (row.answered_at === null) return { ok: false, reason: 'not-revealed', attempt: toAttempt(row) } as const;
        if (row.rated_at !== null) return { ok: false, reason: 'closed', attempt: toAttempt(row) } as const;
        const at = input.now.toISOString();
        const stored = row.review_card === null ? undefined : { card: row.review_card, due_at: row.review_due_at! };
        const next = input.schedule(parseCard(stored?.card), toAttempt(row));
        let due: Date | null = null;
        if (next) {
          await tx.query(
            `INSERT INTO reviews (person_id, question_id, card, due_at, reviewed_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (person_id, question_id) DO UPDATE SET card = EXCLUDED.card, due_at = EXCLUDED.due_at,
               reviewed_at = EXCLUDED.reviewed_at`,
            [row.person_id, row.question_id, JSON.stringify(next.card), next.due.toISOString(), at],
          );
          due = next.due;
        } else if (stored) {
          // Kept as it is (extra practice): the due date it already had, if any.
          due = new Date(stored.due_at);
        }
        const updated = await one<AttemptRow>(tx, `UPDATE attempts SET rating = $1, rated_at = $2 WHERE id = $3 RETURNING ${ATTEMPT_COLUMNS}`, [
          input.rating,
          at,
          row.id,
        ]);
        return { ok: true, attempt: toAttempt(updated!), due } as const;
      });
    },

    async dueReviews(personId, now, limit = 50) {
      const { rows } = await db.query<{ question_id: string; due_at: string }>(
        `SELECT question_id, due_at FROM reviews WHERE person_id = $1 AND due_at <= $2
          ORDER BY due_at COLLATE "C", question_id COLLATE "C" LIMIT $3`,
        [personId, now.toISOString(), limit],
      );
      return rows.map((r) => ({ questionId: r.question_id, dueAt: r.due_at }));
    },
    async reviewSchedule(personId) {
      const { rows } = await db.query<{ question_id: string; due_at: string; reviewed_at: string }>(
        'SELECT question_id, due_at, reviewed_at FROM reviews WHERE person_id = $1 ORDER BY due_at COLLATE "C", question_id COLLATE "C"',
        [personId],
      );
      return rows.map((r) => ({ questionId: r.question_id, dueAt: r.due_at, reviewedAt: r.reviewed_at }));
    },
    async seenQuestionIds(personId) {
      // SQLite's UNION returns them sorted (it de-duplicates through a sorted index); the same order here.
      const { rows } = await db.query<{ question_id: string }>(
        `SELECT question_id FROM (SELECT question_id FROM attempts WHERE person_id = $1
                                  UNION SELECT question_id FROM reviews WHERE person_id = $1) seen
          ORDER BY question_id COLLATE "C"`,
        [personId],
      );
      return rows.map((r) => r.question_id);
    },
    async lastQuestionId(personId) {
      return (
        await one<{ question_id: string }>(
          db,
          'SELECT question_id FROM attempts WHERE person_id = $1 ORDER BY asked_at COLLATE "C" DESC, id DESC LIMIT 1',
          [personId],
        )
      )?.question_id;
    },
    async getStreak(personId) {
      return readStreak(db, personId);
    },
    async leaderboardByStreak(query, opts) {
      await boardsReady();
      return boards.byStreak(query, opts.aliveSince, opts.limit);
    },
    async leaderboardByAnswers(query, limit) {
      await boardsReady();
      return boards.byAnswers(query, limit);
    },
    async boardEntry(query, personId) {
      await boardsReady();
      return boards.entry(query, personId);
    },
    async setBoardVisibility(personId, v) {
      await boardsReady();
      await db.transaction(async (tx) => {
        await lockPeople(tx, [personId]);
        await boards.setVisibility(tx, personId, v);
      });
    },
    async questionStats(personId) {
      const { rows } = await db.query<{ question_id: string; answers: number; avg_coverage: number | null; gave_up: number }>(
        `SELECT question_id,
                SUM(CASE WHEN gave_up = 0 THEN 1 ELSE 0 END) AS answers,
                AVG(CASE WHEN gave_up = 0 THEN coverage END) AS avg_coverage,
                SUM(gave_up) AS gave_up
           FROM attempts WHERE person_id = $1 AND answered_at IS NOT NULL
          GROUP BY question_id ORDER BY question_id COLLATE "C"`,
        [personId],
      );
      return rows.map((r) => ({ questionId: r.question_id, answers: r.answers, avgCoverage: r.avg_coverage, gaveUp: r.gave_up }));
    },
    async answersSince(personId, since) {
      const { rows } = await db.query<{ question_id: string; answered_at: string; coverage: number | null }>(
        `SELECT question_id, answered_at, coverage FROM attempts
          WHERE person_id = $1 AND answered_at IS NOT NULL AND gave_up = 0 AND answered_at >= $2
          ORDER BY answered_at COLLATE "C", id`,
        [personId, since.toISOString()],
      );
      return rows.map((r) => ({ questionId: r.question_id, answeredAt: r.answered_at, coverage: r.coverage }));
    },

    async practiceSettings(personId, workspaceKey) {
      return { own: await personSettings(db, personId), workspace: await workspaceSettings(db, workspaceKey) };
    },
    async changeSettings(personId, change, now) {
      return db.transaction(async (tx) => {
        await lockPeople(tx, [personId]);
        const next = applySettingsChange(await personSettings(tx, personId), change);
        await writePersonSettings(tx, personId, next, now.toISOString());
        return next;
      });
    },
    async changeWorkspaceSettings(workspaceKey, change, now) {
      return db.transaction(async (tx) => {
        await lockWorkspace(tx, workspaceKey);
        const next = applySettingsChange(await workspaceSettings(tx, workspaceKey), change);
        await tx.query(
          `INSERT INTO workspace_settings (workspace_id, settings, updated_at) VALUES ($1, $2, $3)
           ON CONFLICT (workspace_id) DO UPDATE SET settings = EXCLUDED.settings, updated_at = EXCLUDED.updated_at`,
          [workspaceKey, JSON.stringify(next), now.toISOString()],
        );
        return next;
      });
    },
    async dayLoad(personId, from, to) {
      return db.transaction(async (tx) => {
        const rated: Record<AttemptQueue, number> = { review: 0, new: 0, extra: 0 };
        const counts = await tx.query<{ queue: AttemptQueue; n: number }>(
          `SELECT queue, COUNT(*) AS n FROM attempts
            WHERE person_id = $1 AND rated_at >= $2 AND rated_at < $3 AND queue IS NOT NULL GROUP BY queue`,
          [personId, from.toISOString(), to.toISOString()],
        );
        for (const c of counts.rows) rated[c.queue] = c.n;
        const answered = await tx.query<{ question_id: string }>(
          `SELECT question_id FROM attempts WHERE person_id = $1 AND answered_at >= $2 AND answered_at < $3
            GROUP BY question_id ORDER BY question_id COLLATE "C"`,
          [personId, from.toISOString(), to.toISOString()],
        );
        return { rated, answeredQuestionIds: answered.rows.map((r) => r.question_id) };
      });
    },

    async exportPerson(personId) {
      return exportPerson(db, personId);
    },
    async forgetPerson(personId) {
      return forgetPerson(db, personId);
    },
    async markDelivery(deliveryId, now) {
      const r = await db.query('INSERT INTO processed_deliveries (id, processed_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [
        deliveryId,
        now.toISOString(),
      ]);
      return r.rowCount > 0;
    },
    async pruneDeliveries(before) {
      return (await db.query('DELETE FROM processed_deliveries WHERE processed_at < $1', [before.toISOString()])).rowCount;
    },
  };
  return withPostgresUnavailableErrors(store);
}
