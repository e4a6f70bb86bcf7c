import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { conversation } from '../testing/timeline';

const api = vi.hoisted(() => ({ listConversations: vi.fn(), listAgents: vi.fn() }));
vi.mock('../api', async (orig) => ({ ...(await orig<typeof import('../api')>()), ...api }));

import { ApiError } from '../api';
import { entities } from './entities.svelte';

const list = entities.conversations;
const page = (ids: string[], next = '') => ({ items: ids.map((id) => conversation(id)), next_cursor: next });

describe('entity lists', () => {
  beforeEach(() => {
    list.reset();
    api.listConversations.mockReset();
  });
  afterEach(() => vi.useRealTimers());

  it('loads pages with the search and skips rows already shown', async () => {
    api.listConversations.mockResolvedValueOnce(page(['c', 'b'], 'x'));
    await list.setQuery(' status:closed ');
    expect(api.listConversations).toHaveBeenLastCalledWith({ limit: 200, q: 'status:closed' });
    api.listConversations.mockResolvedValueOnce(page(['b', 'a']));
    await list.loadMore();
    expect(api.listConversations).toHaveBeenLastCalledWith({ limit: 200, cursor: 'x', q: 'status:closed' });
    expect(list.items.map((c) => c.external_id)).toEqual(['c', 'b', 'a']);
    expect(list.move(1)?.external_id).toBe('c');
    expect(list.move(1)?.external_id).toBe('b');
  });

  it('reloads the visible rows on live deliveries, at most once per second, only while shown', async () => {
    vi.useFakeTimers();
    api.listConversations.mockResolvedValue(page(['a']));
    list.setActive(true);
    await vi.runAllTimersAsync();
    expect(api.listConversations).toHaveBeenCalledTimes(1);

    api.listConversations.mockResolvedValue(page(['b', 'a']));
    list.schedule();
    list.schedule();
    list.schedule();
    await vi.advanceTimersByTimeAsync(0);
    expect(api.listConversations).toHaveBeenCalledTimes(2);
    expect(list.items.map((c) => c.external_id)).toEqual(['b', 'a']);
    list.schedule();
    await vi.advanceTimersByTimeAsync(500);
    expect(api.listConversations).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(600);
    expect(api.listConversations).toHaveBeenCalledTimes(3);

    list.setActive(false);
    list.schedule();
    await vi.advanceTimersByTimeAsync(5000);
    expect(api.listConversations).toHaveBeenCalledTimes(3);
  });

  it('keeps rows below the reloaded window and moves active ones to the top', async () => {
    api.listConversations.mockResolvedValueOnce(page(['c', 'b', 'a']));
    await list.loadFirst();
    api.listConversations.mockResolvedValueOnce(page(['a', 'c', 'b']));
    await list.refreshVisible();
    expect(list.items.map((c) => c.external_id)).toEqual(['a', 'c', 'b']);
  });

  it('keeps why the API refused the list', async () => {
    api.listConversations.mockRejectedValueOnce(new ApiError('invalid', 'bad query', 400));
    await list.loadFirst();
    expect(list.error?.message).toBe('bad query');
  });
});
