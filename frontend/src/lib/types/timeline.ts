// Types of the conversations and agents API (backend/api/timeline.go), generated from the Go
// types (api.gen.ts). Times are RFC 3339.
import type { Agent, Conversation, ConversationTimeline } from './api.gen';

export type { Agent, AgentPage, Check, Conversation, ConversationPage, Participant, TimelineItem } from './api.gen';

/** A page of a list: ConversationPage, AgentPage. */
export interface Page<T> {
  items: T[];
  next_cursor: string;
}

/** A window of a conversation's or an agent's timeline (ConversationTimeline, AgentTimeline). */
export interface Timeline extends Omit<ConversationTimeline, 'conversation'> {
  conversation?: Conversation | null;
  agent?: Agent | null;
}

/** Query parameters of GET /api/v1/conversations and /agents. */
export interface EntityListParams {
  q?: string;
  vendor?: string;
  status?: string;
  agent?: string;
  cursor?: string;
  limit?: number;
}

export type EntityKind = 'conversation' | 'agent';
