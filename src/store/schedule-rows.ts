import type { Platform } from '../chat/port.ts';
import type { Schedule, SchedulePost, ScheduleStatus } from '../core/schedule/types.ts';
import { readWeekdays } from '../scheduler/times.ts';

/**
 * The schedules' rows as both stores read them (migration 3 lays out the same
 * columns on SQLite and PostgreSQL, all TEXT but `attempts`), so the SQLite and
 * PostgreSQL schedule stores map and clip them the same way.
 */

export interface ScheduleRow {
  id: string;
  conversation_id: string;
  platform: string;
  workspace_id: string;
  local_time: string;
  timezone: string;
  weekdays: string;
  topic: string | null;
  reveal_time: string | null;
  status: ScheduleStatus;
  paused_reason: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  effective_from: string;
}

export interface PostRow {
  schedule_id: string;
  local_date: string;
  conversation_id: string;
  fire_at: string;
  status: SchedulePost['status'];
  claimed_at: string | null;
  claimed_by: string | null;
  attempts: number;
  message_id: string | null;
  thread_id: string | null;
  question_id: string | null;
  error: string | null;
  sent_at: string | null;
  reveal_at: string | null;
  reveal_status: SchedulePost['revealStatus'];
  reveal_message_id: string | null;
  revealed_at: string | null;
}

export function toSchedule(r: ScheduleRow): Schedule {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    platform: r.platform as Platform,
    workspaceId: r.workspace_id,
    localTime: r.local_time,
    timezone: r.timezone,
    weekdays: readWeekdays(r.weekdays),
    topic: r.topic,
    revealTime: r.reveal_time,
    status: r.status,
    pausedReason: r.paused_reason,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    effectiveFrom: r.effective_from,
  };
}

export function toPost(r: PostRow): SchedulePost {
  return {
    scheduleId: r.schedule_id,
    localDate: r.local_date,
    conversationId: r.conversation_id,
    fireAt: r.fire_at,
    status: r.status,
    claimedAt: r.claimed_at,
    claimedBy: r.claimed_by,
    attempts: r.attempts,
    messageId: r.message_id,
    threadId: r.thread_id,
    questionId: r.question_id,
    error: r.error,
    sentAt: r.sent_at,
    revealAt: r.reveal_at,
    revealStatus: r.reveal_status,
    revealMessageId: r.reveal_message_id,
    revealedAt: r.revealed_at,
  };
}

export const iso = (d: Date) => d.toISOString();

/** Errors shown to people and stored; a stack trace or a huge payload does not belong in a row. */
export const clip = (s: string) => (s.length > 500 ? `${s.slice(0, 497)}...` : s);
