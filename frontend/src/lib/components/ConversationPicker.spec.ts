import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Conversation } from '../types/timeline';

const api = vi.hoisted(() => ({ listConversations: vi.fn() }));
vi.mock('../api', async (orig) => ({ ...(await orig<typeof import('../api')>()), ...api }));

import ConversationPicker from './ConversationPicker.svelte';

const conv = (id: string, events = 6): Conversation => ({
  vendor: 'livechat', external_id: id, organization: '', status: 'closed', event_count: events,
  first_at: '2026-12-08T10:00:00Z', last_at: '2026-12-08T10:05:00Z', threads: [], participants: [], last_summary: '',
});

describe('ConversationPicker', () => {
  beforeEach(() => {
    api.listConversations.mockReset(); // (a function returned here would run as a cleanup)
  });

  it("lists the vendor's other conversations, searches them, and picks one", async () => {
    api.listConversations.mockImplementation(async (p: { q?: string }) => ({
      items: p.q ? [conv('BBB', 5)] : [conv('AAA'), conv('BBB', 5), conv('CCC')], next: '',
    }));
    const onPick = vi.fn();
    render(ConversationPicker, { current: { vendor: 'livechat', id: 'AAA' }, onPick, onClose: vi.fn() });
    const list = await screen.findByRole('list', { name: 'Conversations to compare with' });
    await vi.waitFor(() => expect(within(list).getAllByRole('button')).toHaveLength(2)); // AAA itself is left out
    expect(api.listConversations).toHaveBeenLastCalledWith({ vendor: 'livechat', q: undefined, limit: 50 });

    await userEvent.type(screen.getByRole('searchbox', { name: 'Search conversations' }), 'BBB');
    await vi.waitFor(() => expect(within(list).getAllByRole('button')).toHaveLength(1));
    expect(api.listConversations).toHaveBeenLastCalledWith({ vendor: 'livechat', q: 'BBB', limit: 50 });
    await userEvent.click(within(list).getByRole('button', { name: /BBB/ }));
    expect(onPick).toHaveBeenCalledWith({ vendor: 'livechat', id: 'BBB' });
  });

  it('says why when the list cannot be read', async () => {
    api.listConversations.mockRejectedValue(new Error('search: bad query'));
    render(ConversationPicker, { current: { vendor: 'livechat', id: 'AAA' }, onPick: vi.fn(), onClose: vi.fn() });
    expect(await screen.findByRole('alert')).toHaveTextContent('search: bad query');
  });
});
