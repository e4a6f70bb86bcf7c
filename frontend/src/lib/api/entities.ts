// Conversations, agents and their timelines (issue 4).
import type { Agent, Conversation, EntityListParams, Page, Timeline } from '../types/timeline';
import { query, request } from './http';

interface RawPage<T> {
  items?: T[] | null;
  next_cursor?: string;
}

interface RawTimeline extends RawPage<Timeline['items'][number]> {
  conversation?: Conversation | null;
  agent?: Agent | null;
  total?: number;
  next?: string;
}

const enc = encodeURIComponent;

function page<T>(p: RawPage<T> | undefined): Page<T> {
  return { items: p?.items ?? [], next_cursor: p?.next_cursor ?? '' };
}

function listQuery(p: EntityListParams): string {
  return query({ limit: p.limit, cursor: p.cursor, q: p.q, vendor: p.vendor, status: p.status, agent: p.agent });
}

/** listConversations returns a page of conversations, latest activity first. */
export async function listConversations(p: EntityListParams = {}): Promise<Page<Conversation>> {
  return page(await request<RawPage<Conversation>>('GET', '/conversations' + listQuery(p)));
}

/** listAgents returns a page of agents and bots, latest activity first. */
export async function listAgents(p: EntityListParams = {}): Promise<Page<Agent>> {
  return page(await request<RawPage<Agent>>('GET', '/agents' + listQuery(p)));
}

function timeline(t: RawTimeline | undefined): Timeline {
  const items = t?.items ?? [];
  return {
    conversation: t?.conversation ?? null,
    agent: t?.agent ?? null,
    items,
    total: t?.total ?? items.length,
    next_cursor: t?.next_cursor ?? t?.next ?? '',
  };
}

/** conversationTimeline returns a window of a conversation's events in the order they happened. */
export async function conversationTimeline(vendor: string, id: string, p: { cursor?: string; limit?: number } = {}): Promise<Timeline> {
  const path = `/conversations/${enc(vendor)}/${enc(id)}/timeline` + query({ cursor: p.cursor, limit: p.limit });
  return timeline(await request<RawTimeline>('GET', path));
}

/** agentTimeline returns a window of the events involving an agent, in the order they happened. */
export async function agentTimeline(vendor: string, id: string, p: { cursor?: string; limit?: number } = {}): Promise<Timeline> {
  const path = `/agents/${enc(vendor)}/${enc(id)}/timeline` + query({ cursor: p.cursor, limit: p.limit });
  return timeline(await request<RawTimeline>('GET', path));
}
