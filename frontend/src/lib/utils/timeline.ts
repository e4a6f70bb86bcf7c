// Pure helpers for timelines: participant lanes, the acting participant of an item, thread
// boundaries and what an agent-timeline item is about.
import type { Actor } from '../types/api';
import type { Participant, TimelineItem } from '../types/timeline';

export type LaneKind = 'customer' | 'agent' | 'bot' | 'system';

export interface Lane {
  /** `kind:id`, or `system` for the shared system lane. */
  key: string;
  kind: LaneKind;
  id: string;
  label: string;
}

const SYSTEM: Lane = { key: 'system', kind: 'system', id: '', label: 'System' };
const kindOrder: Record<LaneKind, number> = { customer: 0, agent: 1, bot: 2, system: 3 };

function laneKind(kind: string): LaneKind {
  return kind === 'customer' || kind === 'agent' || kind === 'bot' ? kind : 'system';
}

/** laneKey is the lane an actor belongs to. */
export function laneKey(a: Pick<Actor, 'id' | 'kind'>): string {
  const k = laneKind(a.kind);
  return k === 'system' || !a.id ? 'system' : `${k}:${a.id}`;
}

/**
 * lanesFor returns one lane per participant — customers, then agents, then bots, each in order of
 * appearance — and a System lane last, for system actors and items without actors.
 */
export function lanesFor(participants: Participant[] | null | undefined, items: TimelineItem[]): Lane[] {
  const lanes = new Map<string, Lane>();
  const add = (id: string, kind: string, name?: string, email?: string) => {
    const key = laneKey({ id, kind });
    if (key === 'system' || lanes.has(key)) return;
    lanes.set(key, { key, kind: laneKind(kind), id, label: name || email || id });
  };
  for (const p of participants ?? []) add(p.id, p.kind, p.name, p.email);
  for (const it of items) for (const a of it.actors ?? []) add(a.id, a.kind, a.name);
  const out = [...lanes.values()];
  out.sort((a, b) => kindOrder[a.kind] - kindOrder[b.kind]);
  out.push(SYSTEM);
  return out;
}

// Roles in the order that says who acted: the author of a message, the one asking, closing…
const actingRoles = ['author', 'requester', 'closer', 'transferred_from', 'subject', 'owner', 'assignee', 'transferred_to', 'participant'];

/** actingActor is the actor that did what the item tells, or null (a system event). */
export function actingActor(it: Pick<TimelineItem, 'actors'>): Actor | null {
  const actors = it.actors ?? [];
  if (actors.length === 0) return null;
  let best = actors[0];
  let rank = actingRoles.indexOf(best.role);
  for (const a of actors) {
    const r = actingRoles.indexOf(a.role);
    if (r >= 0 && (rank < 0 || r < rank)) {
      best = a;
      rank = r;
    }
  }
  return best;
}

export interface LaneMarks {
  /** Lane key of the acting participant. */
  main: string;
  /** Lane keys of the other participants the item involves (e.g. a transfer's target). */
  others: string[];
}

/** marksOf says in which lanes an item is drawn. */
export function marksOf(it: Pick<TimelineItem, 'actors'>): LaneMarks {
  const act = actingActor(it);
  const main = act ? laneKey(act) : 'system';
  const others = new Set<string>();
  for (const a of it.actors ?? []) {
    const k = laneKey(a);
    if (k !== main) others.add(k);
  }
  return { main, others: [...others] };
}

/** threadStarts returns, per item index, whether a new thread starts there (not at the first item). */
export function threadStarts(items: TimelineItem[]): boolean[] {
  const out = new Array<boolean>(items.length).fill(false);
  let cur: string | null = null;
  for (let i = 0; i < items.length; i++) {
    const t = items[i].thread_id;
    if (!t) continue;
    if (cur !== null && t !== cur) out[i] = true;
    cur = t;
  }
  return out;
}

export type Category = 'status' | 'login' | 'assignment' | 'transfer' | 'message' | 'lifecycle' | 'other';

/** categoryOf says what an item is about, for the agent timeline. */
export function categoryOf(it: Pick<TimelineItem, 'event_type'> & Partial<Pick<TimelineItem, 'status_of'>>): Category {
  const t = it.event_type.toLowerCase();
  if (/log_?(in|out)|logged|connect|sign_?(in|out)|session/.test(t)) return 'login';
  if (it.status_of === 'agent' || /status|availability|routing|presence|away|pause/.test(t)) return 'status';
  if (/transfer/.test(t)) return 'transfer';
  if (/assign|push|accept|join|added|took|take_over|routed/.test(t)) return 'assignment';
  if (/message|incoming_event|event_added|reply|post/.test(t)) return 'message';
  if (/chat|conversation|thread|room|close|start|open|deactivat/.test(t)) return 'lifecycle';
  return 'other';
}

export const categoryLabels: Record<Category, string> = {
  status: 'status',
  login: 'login',
  assignment: 'assignment',
  transfer: 'transfer',
  message: 'message',
  lifecycle: 'conversation',
  other: 'event',
};

/** itemTime is when an item happened: occurred_at, else received_at. */
export function itemTime(it: Pick<TimelineItem, 'occurred_at' | 'received_at'>): string {
  return it.occurred_at || it.received_at;
}
