import type { BreakEndReason, BreakRecord, StreakRepairRecord } from './streak-care-types.ts';

/**
 * Breaks and repairs as both stores read them (migration 10 lays out the same
 * columns on SQLite and PostgreSQL), and the rules both stores apply when a break
 * ends, so the SQLite and PostgreSQL streak-care stores cannot drift apart.
 */

export interface BreakRow {
  id: number;
  person_id: string;
  starts_on: string;
  until_day: string;
  zone: string;
  started_at: string;
  ends_at: string;
  ended_at: string | null;
  end_reason: BreakEndReason | null;
  days_taken: number | null;
  shifted_days: number | null;
}

export interface RepairRow {
  person_id: string;
  local_date: string;
  reason: string;
  repaired_by: string | null;
  repaired_by_name: string | null;
  repaired_at: string;
}

export const BREAK_COLUMNS = 'id, person_id, starts_on, until_day, zone, started_at, ends_at, ended_at, end_reason, days_taken, shifted_days';
export const REPAIR_COLUMNS = 'person_id, local_date, reason, repaired_by, repaired_by_name, repaired_at';

const DAY_MS = 86_400_000;

export function toBreak(r: BreakRow): BreakRecord {
  return {
    id: String(r.id),
    personId: r.person_id,
    startsOn: r.starts_on,
    untilDay: r.until_day,
    zone: r.zone,
    startedAt: r.started_at,
    endsAt: r.ends_at,
    endedAt: r.ended_at,
    endReason: r.end_reason,
    daysTaken: r.days_taken,
    shiftedDays: r.shifted_days,
  };
}

export function toRepair(r: RepairRow): StreakRepairRecord {
  return {
    personId: r.person_id,
    localDate: r.local_date,
    reason: r.reason,
    repairedBy: r.repaired_by,
    repairedByName: r.repaired_by_name,
    repairedAt: r.repaired_at,
  };
}

/** A break id as stored (an integer key), or undefined for text no row can have: the caller answers "no such break". */
export const breakKey = (id: string) => (/^[1-9]\d{0,15}$/.test(id) ? Number(id) : undefined);

/**
 * What an ending break writes: never negative days. A core that computed a
 * negative count (a clock step back) must not move reviews earlier.
 */
export function breakEnding(input: { daysTaken: number; shiftDays: number }): { daysTaken: number; shift: number } {
  return { daysTaken: Math.max(0, input.daysTaken), shift: Math.max(0, input.shiftDays) };
}

/**
 * Reviews that fell due while the person was away wait for them, in the same order
 * and spacing; ones already overdue when the break began stay as they were (the
 * break does not forgive those). `due` are the person's reviews due at or after the
 * break's start; returns their new due dates.
 */
export function shiftedReviews<T extends { question_id: string; due_at: string }>(due: readonly T[], shift: number): { questionId: string; dueAt: string }[] {
  return due.map((r) => ({ questionId: r.question_id, dueAt: new Date(Date.parse(r.due_at) + shift * DAY_MS).toISOString() }));
}

