/**
 * Transaction-scoped advisory locks the PostgreSQL stores share. SQLite has one
 * writer, so its read-decide-write methods are serial for free; on PostgreSQL two
 * processes could both read a person's streak, both decide, and both write. Every
 * method that reads then writes one person's practice rows (an answer, a rating, a
 * link, a break, a repair, a replay, an interview step) takes the same person lock
 * first, so they serialise with each other and with nothing else.
 *
 * The two-int key space (class, object) is separate from the bigint one; the
 * classes below are prepbot's, and the object is the hash of the id.
 */
import type { SqlQueryable } from './sql.ts';

const PERSON_LOCK_CLASS = 726051404;
const WORKSPACE_LOCK_CLASS = 726051405;

/**
 * Locks each person until the transaction ends, in one fixed order, so two
 * transactions locking the same pair (a link merging two people) cannot deadlock.
 */
export async function lockPeople(tx: SqlQueryable, personIds: readonly string[]): Promise<void> {
  for (const id of [...new Set(personIds)].sort()) {
    await tx.query(`SELECT pg_advisory_xact_lock(${PERSON_LOCK_CLASS}, hashtext($1))`, [id]);
  }
}

/** Locks a workspace's shared rows (its settings, its board periods) until the transaction ends. */
export async function lockWorkspace(tx: SqlQueryable, workspaceKey: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(${WORKSPACE_LOCK_CLASS}, hashtext($1))`, [workspaceKey]);
}
