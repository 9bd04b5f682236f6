import type { ChatAdapter, EventContext, Platform, Responder } from '../../chat/port.ts';
import type { InterviewRecord, InterviewRepository } from '../../store/interview-types.ts';
import type { StoredQuestion } from '../../store/types.ts';
import type { BotServices } from '../module.ts';

/** What the interview commands need beyond the bot's services. */
export interface InterviewDeps {
  interviews: InterviewRepository;
  /** A question's follow-ups from the notes, in note order. */
  followUps(questionId: string): Promise<StoredQuestion[]>;
  /**
   * The adapter for a platform, for posts the core makes on its own (a peer
   * interview's thread, the candidate's scorecard by DM). Bound after the
   * adapters exist; undefined in tests that run the core alone.
   */
  outbound(platform: Platform): ChatAdapter | undefined;
}

/** Where the solo flow hands a peer session over to the peer flow. */
export interface PeerHooks {
  resume(ctx: EventContext, open: InterviewRecord, respond: Responder, s: BotServices): Promise<void>;
  stop(ctx: EventContext, open: InterviewRecord, respond: Responder, s: BotServices): Promise<void>;
}
