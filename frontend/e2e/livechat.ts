// A LiveChat chat with a transfer and a close, as LiveChat sends it, for the e2e flows.
import { randomBytes, randomUUID } from 'node:crypto';
import { send } from './server';

export interface Chat {
  id: string;
  thread: string;
  customer: string;
  agent: string;
  colleague: string;
  /** Event types in the order they happened. */
  events: string[];
}

const hex = (n: number) => randomBytes(n).toString('hex');

/** newChat names a chat with its own ids, so flows can find it among everything captured. */
export function newChat(tag = hex(4)): Chat {
  const t = tag.toUpperCase();
  return {
    id: `CH${t}`,
    thread: `TH${t}`,
    customer: randomUUID(), // LiveChat customer ids are UUIDs
    agent: `anna-${tag}@example.com`,
    colleague: `marc-${tag}@example.com`,
    events: ['incoming_chat', 'incoming_event', 'incoming_event', 'chat_transferred', 'incoming_event', 'chat_deactivated'],
  };
}

/**
 * sendChat posts the chat's six deliveries to the receiver, in order, but those whose index is in
 * skip (a delivery lost). Messages carry their own time (now, as LiveChat would); a transfer and a
 * close carry none, so they are placed at arrival.
 */
export async function sendChat(c: Chat, skip: number[] = []): Promise<void> {
  const now = () => new Date().toISOString().replace('Z', '000Z');
  const envelope = (action: string, payload: object, presence: string[]) =>
    JSON.stringify({
      webhook_id: hex(16),
      secret_key: 'e2e-no-secret',
      action,
      organization_id: '390e44e6-f1e6-4c6b-9ddb-74a14508c2e1',
      payload,
      additional_data: { chat_properties: {}, chat_presence_user_ids: presence },
    });
  const message = (seq: number, author: string, text: string) => ({
    id: `${c.thread}_${seq}`,
    custom_id: hex(4),
    type: 'message',
    text,
    author_id: author,
    created_at: now(),
    visibility: 'all',
    properties: {},
  });
  const users = [
    { id: c.customer, type: 'customer', name: 'Jane Doe', email: 'jane.doe@example.com', present: true },
    { id: c.agent, type: 'agent', name: 'Anna Kowalska', email: c.agent, present: true, routing_status: 'accepting chats' },
  ];
  const bodies = [
    () => envelope(
      'incoming_chat',
      {
        chat: {
          id: c.id,
          users,
          properties: {},
          access: { group_ids: [0] },
          thread: {
            id: c.thread,
            active: true,
            user_ids: [c.customer, c.agent],
            events: [message(1, c.customer, 'Hello, where is my order?')],
            properties: {},
            access: { group_ids: [0] },
            tags: [],
            created_at: now(),
          },
        },
      },
      [c.customer, c.agent],
    ),
    () => envelope('incoming_event', { chat_id: c.id, thread_id: c.thread, event: message(2, c.customer, 'It should have arrived yesterday.') }, [c.customer, c.agent]),
    () => envelope('incoming_event', { chat_id: c.id, thread_id: c.thread, event: message(3, c.agent, 'Passing you to our shipping team.') }, [c.customer, c.agent]),
    () => envelope(
      'chat_transferred',
      { chat_id: c.id, thread_id: c.thread, requester_id: c.agent, reason: 'manual', transferred_to: { agent_ids: [c.colleague] } },
      [c.customer, c.colleague],
    ),
    () => envelope('incoming_event', { chat_id: c.id, thread_id: c.thread, event: message(4, c.colleague, 'It left the warehouse this morning.') }, [c.customer, c.colleague]),
    () => envelope('chat_deactivated', { chat_id: c.id, thread_id: c.thread, user_id: c.colleague }, []),
  ];
  for (const [i, body] of bodies.entries()) {
    if (skip.includes(i)) continue;
    const status = await send('/livechat', body(), { 'Content-Type': 'application/json' });
    if (status >= 300) throw new Error(`receiver answered ${status}`);
    await new Promise((r) => setTimeout(r, 15)); // distinct event times, in order
  }
}
