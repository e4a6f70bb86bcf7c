// Conversation, agent and timeline builders shared by the specs.
import type { Actor } from '../types/api';
import type { Agent, Conversation, TimelineItem } from '../types/timeline';

const at = (sec: number) => new Date(Date.UTC(2026, 10, 23, 7, 0, sec)).toISOString();

export function conversation(id: string, extra: Partial<Conversation> = {}): Conversation {
  return {
    vendor: 'livechat',
    external_id: id,
    organization: 'org-1',
    status: 'open',
    event_count: 3,
    first_at: at(0),
    last_at: at(30),
    threads: ['T1'],
    participants: [
      { id: 'cust-1', kind: 'customer', name: 'Jane Doe', roles: ['requester'] },
      { id: 'smith@example.com', kind: 'agent', name: 'Agent Smith', roles: ['assignee'] },
    ],
    last_summary: `last of ${id}`,
    ...extra,
  };
}

export function agent(id: string, extra: Partial<Agent> = {}): Agent {
  return {
    vendor: 'livechat',
    external_id: id,
    kind: 'agent',
    name: '',
    email: id,
    status: 'accepting chats',
    conversation_count: 1,
    event_count: 2,
    last_at: at(30),
    ...extra,
  };
}

export function tlItem(id: string, sec: number, type: string, actors: Actor[] = [], extra: Partial<TimelineItem> = {}): TimelineItem {
  return {
    delivery_id: id,
    vendor: 'livechat',
    event_type: type,
    occurred_at: at(sec),
    received_at: at(sec),
    summary: `${type} summary`,
    actors,
    conversation: { id: 'C1', thread_id: 'T1' },
    thread_id: 'T1',
    status: '',
    status_of: '',
    verification: { status: 'verified', reason: '' },
    flag_count: 0,
    duplicate_of: '',
    checks: [],
    ...extra,
  };
}

export const customer: Actor = { id: 'cust-1', kind: 'customer', role: 'author', name: 'Jane Doe' };
export const smith: Actor = { id: 'smith@example.com', kind: 'agent', role: 'author' };
export const jones: Actor = { id: 'jones@example.com', kind: 'agent', role: 'transferred_to' };
