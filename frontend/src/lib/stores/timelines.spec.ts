import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { item } from '../testing/fixtures';
import { conversation, customer, smith, tlItem } from '../testing/timeline';

const api = vi.hoisted(() => ({ conversationTimeline: vi.fn(), agentTimeline: vi.fn() }));
vi.mock('../api', async (orig) => ({ ...(await orig<typeof import('../api')>()), ...api }));

import { deliveries } from './deliveries.svelte';
import { timelines } from './timelines.svelte';

const tl = timelines.conversation;
const many = (from: number, n: number) => Array.from({ length: n }, (_, i) => tlItem(`d${from + i}`, from + i, 'incoming_event', [customer]));

describe('timeline store', () => {
  beforeEach(() => {
    tl.close();
    api.conversationTimeline.mockReset();
  });
  afterEach(() => vi.useRealTimers());

  it('opens a timeline and loads the next windows on demand', async () => {
    api.conversationTimeline.mockResolvedValueOnce({ conversation: conversation('C1'), items: many(0, 3), total: 5, next_cursor: 'n1' });
    await tl.open('livechat', 'C1');
    expect(api.conversationTimeline).toHaveBeenLastCalledWith('livechat', 'C1', { limit: 200 });
    expect(tl.conversation?.external_id).toBe('C1');
    expect(tl.total).toBe(5);
    api.conversationTimeline.mockResolvedValueOnce({ items: many(3, 2), total: 5, next_cursor: '' });
    await tl.loadMore();
    expect(api.conversationTimeline).toHaveBeenLastCalledWith('livechat', 'C1', { cursor: 'n1', limit: 1000 });
    expect(tl.items.map((i) => i.delivery_id)).toEqual(['d0', 'd1', 'd2', 'd3', 'd4']);
    expect(tl.move(1)?.delivery_id).toBe('d0');
    expect(tl.move(10)?.delivery_id).toBe('d4');
  });

  it('reloads when a live delivery of the conversation arrives, keeping the selection', async () => {
    vi.useFakeTimers();
    api.conversationTimeline.mockResolvedValue({ conversation: conversation('C1'), items: many(0, 2), total: 2, next_cursor: '' });
    await tl.open('livechat', 'C1');
    tl.select('d1');
    api.conversationTimeline.mockResolvedValue({ conversation: conversation('C1'), items: many(0, 3), total: 3, next_cursor: '' });

    deliveries.apply([item('x', 1, { conversation: { id: 'OTHER' } })]);
    await vi.advanceTimersByTimeAsync(1500);
    expect(api.conversationTimeline).toHaveBeenCalledTimes(1);

    deliveries.apply([item('y', 2, { conversation: { id: 'C1' }, actors: [smith] })]);
    await vi.advanceTimersByTimeAsync(1500);
    expect(api.conversationTimeline).toHaveBeenCalledTimes(2);
    expect(tl.items).toHaveLength(3);
    expect(tl.selectedId).toBe('d1');
  });

  it('tells which deliveries concern an agent timeline', async () => {
    const at = timelines.agent;
    api.agentTimeline.mockResolvedValueOnce({ items: [], total: 0, next_cursor: '' });
    await at.open('livechat', 'smith@example.com');
    expect(at.concerns(item('a', 1, { actors: [smith] }))).toBe(true);
    expect(at.concerns(item('b', 1, { actors: [customer] }))).toBe(false);
    expect(at.concerns(item('c', 1, { actors: [smith], vendor: 'iadvize' }))).toBe(false);
    at.close();
  });
});
