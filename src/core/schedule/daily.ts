import type { Message } from '../../chat/message.ts';
import type { Clock } from '../clock.ts';
import type { BankRepository, StoredQuestion } from '../../store/types.ts';
import type { Occurrence } from '../../scheduler/times.ts';
import { dailyQuestionMessage, dailySummaryMessage, pickDailyQuestion } from './pick.ts';
import type { Schedule, SchedulePost, ScheduleRepository } from './types.ts';

/**
 * The scheduler's composeDaily/composeReveal, built from the bank and the
 * schedule store. Platform-free: it returns messages; the runner posts them.
 */
export interface DailyComposer {
  /** Picks the day's question (see pickDailyQuestion); undefined when the topic has no servable question. */
  pick(schedule: Schedule, localDate: string): Promise<StoredQuestion | undefined>;
  composeDaily(schedule: Schedule, occurrence: Occurrence): Promise<{ message: Message; questionId: string } | undefined>;
  composeReveal(schedule: Schedule, post: SchedulePost): Promise<Message | undefined>;
}

export function createDailyComposer(deps: { bank: BankRepository; schedules: ScheduleRepository; clock: Clock }): DailyComposer {
  const { bank, schedules, clock } = deps;

  async function pick(schedule: Schedule, localDate: string): Promise<StoredQuestion | undefined> {
    const candidates = await bank.listQuestions({ servable: true, ...(schedule.topic ? { topic: schedule.topic } : {}) });
    if (candidates.length === 0) return undefined;
    const [askedInChannel, seenByMembers] = await Promise.all([
      schedules.askedInConversation(schedule.conversationId),
      schedules.seenByMembers(schedule.conversationId),
    ]);
    return pickDailyQuestion({ candidates, askedInChannel, seenByMembers, conversationId: schedule.conversationId, localDate });
  }

  return {
    pick,
    async composeDaily(schedule, occurrence) {
      const question = await pick(schedule, occurrence.localDate);
      if (!question) return undefined;
      return { message: dailyQuestionMessage(question, schedule, occurrence.localDate), questionId: question.id };
    },
    async composeReveal(schedule, post) {
      if (!post.questionId) return undefined;
      const question = await bank.getQuestion(post.questionId);
      if (!question) return undefined;
      // Answers pressed from the channel message or from inside its thread both count.
      const conversations = [post.conversationId, ...(post.threadId ? [post.threadId] : [])];
      const answerers = await schedules.dailyAnswerers(
        conversations,
        question.id,
        new Date(post.sentAt ?? post.fireAt),
        clock.now(),
      );
      return dailySummaryMessage({ question, localDate: post.localDate, answerers });
    },
  };
}
