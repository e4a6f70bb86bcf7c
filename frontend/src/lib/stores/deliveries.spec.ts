import { beforeEach, describe, expect, it, vi } from 'vitest';
import { item } from '../testing/fixtures';

const api = vi.hoisted(() => ({
  listDeliveries: vi.fn(),
  subscribeDeliveries: vi.fn(),
}));

vi.mock('../api', async (orig) => {
  const real = await orig<typeof import('../api')>();
  return { ...real, listDeliveries: api.listDeliveries, subscribeDeliveries: api.subscribeDeliveries };
});

import { ApiError } from '../api';
import { deliveries } from './deliveries.svelte';

describe('deliveries store', () => {
  beforeEach(() => {
    deliveries.reset();
    api.listDeliveries.mockReset();
    api.subscribeDeliveries.mockReset();
  });

  it('loads pages and skips items already shown', async () => {
    api.listDeliveries.mockResolvedValueOnce({ items: [item('c', 3), item('b', 2)], next_cursor: 'x' });
    await deliveries.loadFirst();
    expect(deliveries.items.map((d) => d.id)).toEqual(['c', 'b']);
    api.listDeliveries.mockResolvedValueOnce({ items: [item('b', 2), item('a', 1)], next_cursor: '' });
    await deliveries.loadMore();
    expect(api.listDeliveries).toHaveBeenLastCalledWith({ limit: 200, cursor: 'x', q: undefined });
    expect(deliveries.items.map((d) => d.id)).toEqual(['c', 'b', 'a']);
    expect(deliveries.nextCursor).toBe('');
  });

  it('upserts live batches by id', async () => {
    let onItems: (items: ReturnType<typeof item>[]) => void = () => {};
    api.subscribeDeliveries.mockImplementation((h) => {
      onItems = h.onItems;
      return () => {};
    });
    api.listDeliveries.mockResolvedValueOnce({ items: [item('a', 1)], next_cursor: '' });
    await deliveries.loadFirst();
    deliveries.connect();
    onItems([item('b', 2, { decoded: false })]);
    expect(deliveries.items.map((d) => d.id)).toEqual(['b', 'a']);
    onItems([item('b', 2, { decoded: true, event_type: 'chat_deactivated' })]);
    expect(deliveries.items).toHaveLength(2);
    expect(deliveries.items[0].event_type).toBe('chat_deactivated');
  });

  it('reads the first page again once the stream opens, after a page that may predate it', async () => {
    let open: () => void = () => {};
    api.subscribeDeliveries.mockImplementation((h) => {
      open = () => h.onState?.('open', false);
      return () => {};
    });
    let answer: (v: unknown) => void = () => {};
    api.listDeliveries.mockReturnValueOnce(new Promise((r) => (answer = r))); // the first page, still loading
    api.listDeliveries.mockResolvedValueOnce({ items: [item('a', 1, { decoded: true, event_type: 'incoming_chat' })], next_cursor: '' });
    deliveries.connect();
    const first = deliveries.loadFirst();
    open(); // decoded news sent before this were not heard
    answer({ items: [item('a', 1, { decoded: false })], next_cursor: '' });
    await first;
    await vi.waitFor(() => expect(deliveries.items[0].event_type).toBe('incoming_chat'));
    expect(api.listDeliveries).toHaveBeenCalledTimes(2);
    open(); // a reconnect later: read again
    api.listDeliveries.mockResolvedValueOnce({ items: [item('a', 1)], next_cursor: '' });
    await vi.waitFor(() => expect(api.listDeliveries).toHaveBeenCalledTimes(3));
  });

  it('holds back new live items while a search is active', async () => {
    api.listDeliveries.mockResolvedValue({ items: [item('a', 1)], next_cursor: '' });
    await deliveries.setQuery('vendor:livechat');
    expect(api.listDeliveries).toHaveBeenLastCalledWith({ limit: 200, q: 'vendor:livechat' });
    deliveries.apply([item('b', 2), item('a', 1, { summary: 'updated' })]);
    expect(deliveries.items.map((d) => d.id)).toEqual(['a']);
    expect(deliveries.items[0].summary).toBe('updated');
    expect(deliveries.pending).toBe(1);
  });

  it('moves the selection and clamps at the ends', async () => {
    api.listDeliveries.mockResolvedValueOnce({ items: [item('c', 3), item('b', 2), item('a', 1)], next_cursor: '' });
    await deliveries.loadFirst();
    expect(deliveries.move(1)).toBe('c');
    expect(deliveries.move(1)).toBe('b');
    expect(deliveries.move(5)).toBe('a');
    expect(deliveries.move(-1)).toBe('b');
    expect(deliveries.selectedIndex).toBe(1);
  });

  it('keeps the API error', async () => {
    api.listDeliveries.mockRejectedValueOnce(new ApiError('unavailable', 'store is down', 503));
    await deliveries.loadFirst();
    expect(deliveries.error?.message).toBe('store is down');
    expect(deliveries.loaded).toBe(true);
  });
});
