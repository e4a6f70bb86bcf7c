import { describe, expect, it } from 'vitest';
import { customer, jones, smith, tlItem } from '../testing/timeline';
import { actingActor, categoryOf, lanesFor, marksOf, threadStarts } from './timeline';

describe('timeline helpers', () => {
  it('makes one lane per participant: customers, agents, bots, then System', () => {
    const items = [
      tlItem('1', 1, 'incoming_chat', [customer]),
      tlItem('2', 2, 'incoming_event', [{ id: 'bot-1', kind: 'bot', role: 'author' }]),
      tlItem('3', 3, 'chat_transferred', [{ ...smith, role: 'requester' }, jones]),
    ];
    const lanes = lanesFor([{ id: 'smith@example.com', kind: 'agent', name: 'Agent Smith', roles: ['assignee'] }], items);
    expect(lanes.map((l) => l.label)).toEqual(['Jane Doe', 'Agent Smith', 'jones@example.com', 'bot-1', 'System']);
    expect(lanes.map((l) => l.kind)).toEqual(['customer', 'agent', 'agent', 'bot', 'system']);
  });

  it('draws an item in the lane of who acted, and marks the others it involves', () => {
    const transfer = tlItem('3', 3, 'chat_transferred', [jones, { ...smith, role: 'requester' }]);
    expect(actingActor(transfer)?.id).toBe('smith@example.com');
    expect(marksOf(transfer)).toEqual({ main: 'agent:smith@example.com', others: ['agent:jones@example.com'] });
    expect(marksOf(tlItem('4', 4, 'thread_tagged'))).toEqual({ main: 'system', others: [] });
  });

  it('marks where a new thread starts', () => {
    const items = [tlItem('1', 1, 'a'), tlItem('2', 2, 'b', [], { thread_id: '' }), tlItem('3', 3, 'c', [], { thread_id: 'T2' }), tlItem('4', 4, 'd', [], { thread_id: 'T2' })];
    expect(threadStarts(items)).toEqual([false, false, true, false]);
  });

  it('says what an agent-timeline item is about', () => {
    expect(categoryOf({ event_type: 'routing_status_set', status_of: 'agent' })).toBe('status');
    expect(categoryOf({ event_type: 'user.connected' })).toBe('login');
    expect(categoryOf({ event_type: 'chat_transferred' })).toBe('transfer');
    expect(categoryOf({ event_type: 'v2.conversation.pushed' })).toBe('assignment');
    expect(categoryOf({ event_type: 'incoming_event' })).toBe('message');
    expect(categoryOf({ event_type: 'chat_deactivated' })).toBe('lifecycle');
  });
});
