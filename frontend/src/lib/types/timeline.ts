// Types of the conversations and agents API (issue 4; backend/timeline.go). Times are RFC 3339.
import type { Actor, ConversationRef, Verification } from './api';

/** A lifecycle finding on a timeline item (after_close, close_without_start, out_of_order, …). */
export interface Check {
  code: string;
  reason: string;
}

export interface Participant {
  id: string;
  kind: string;
  name?: string;
  email?: string;
  roles: string[] | null;
}

export interface Conversation {
  vendor: string;
  external_id: string;
  organization: string;
  status: string;
  event_count: number;
  first_at: string;
  last_at: string;
  threads: string[] | null;
  participants: Participant[] | null;
  last_summary: string;
}

export interface Agent {
  vendor: string;
  external_id: string;
  kind: string;
  name: string;
  email: string;
  status: string;
  conversation_count: number;
  event_count: number;
  last_at: string;
}

export interface TimelineItem {
  delivery_id: string;
  vendor: string;
  event_type: string;
  occurred_at: string | null;
  received_at: string;
  summary: string;
  actors: Actor[] | null;
  /** The conversation the item belongs to; null for agent status and login events. */
  conversation?: ConversationRef | null;
  thread_id: string;
  verification: Verification | null;
  flag_count: number;
  duplicate_of: string;
  status?: string;
  status_of?: string;
  checks: Check[] | null;
}

export interface Page<T> {
  items: T[];
  next_cursor: string;
}

/** A window of a conversation's or an agent's timeline, in the order events happened. */
export interface Timeline {
  conversation?: Conversation | null;
  agent?: Agent | null;
  items: TimelineItem[];
  /** Items on the whole timeline. */
  total: number;
  next_cursor: string;
}

export interface EntityListParams {
  q?: string;
  vendor?: string;
  status?: string;
  agent?: string;
  cursor?: string;
  limit?: number;
}

export type EntityKind = 'conversation' | 'agent';
