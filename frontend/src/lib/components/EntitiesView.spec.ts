import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { detailOf, item } from '../testing/fixtures';
import { agent, conversation, customer, jones, smith, tlItem } from '../testing/timeline';

const api = vi.hoisted(() => ({
  listConversations: vi.fn(),
  listAgents: vi.fn(),
  conversationTimeline: vi.fn(),
  agentTimeline: vi.fn(),
  getDelivery: vi.fn(),
  listReplays: vi.fn(async () => []),
}));
vi.mock('../api', async (orig) => ({ ...(await orig<typeof import('../api')>()), ...api }));

import { ApiError } from '../api';
import { detail } from '../stores/detail.svelte';
import { entities } from '../stores/entities.svelte';
import { timelines } from '../stores/timelines.svelte';
import { ui } from '../stores/ui.svelte';
import EntitiesView from './EntitiesView.svelte';

const events = [
  tlItem('d1', 1, 'incoming_chat', [{ ...customer, role: 'requester' }, { ...smith, role: 'assignee' }]),
  tlItem('d2', 2, 'incoming_event', [customer]),
  tlItem('d3', 3, 'chat_transferred', [{ ...smith, role: 'requester' }, jones], {
    checks: [{ code: 'out_of_order', reason: 'received after delivery d4, which happened 1s later' }],
  }),
  tlItem('d4', 4, 'chat_deactivated', [{ ...jones, role: 'closer' }], { thread_id: 'T2', flag_count: 2 }),
];

describe('EntitiesView', () => {
  beforeEach(() => {
    entities.conversations.reset();
    entities.agents.reset();
    timelines.conversation.close();
    timelines.agent.close();
    detail.close();
    ui.view = 'conversations';
    for (const f of Object.values(api)) f.mockClear();
    api.listConversations.mockResolvedValue({ items: [conversation('C1', { status: 'closed' }), conversation('C2')], next_cursor: '' });
    api.listAgents.mockResolvedValue({ items: [agent('smith@example.com', { name: 'Agent Smith' })], next_cursor: '' });
    api.conversationTimeline.mockResolvedValue({ conversation: conversation('C1', { status: 'closed', threads: ['T1', 'T2'] }), items: events, total: 4, next_cursor: '' });
    api.agentTimeline.mockResolvedValue({ agent: agent('smith@example.com', { name: 'Agent Smith' }), items: events.slice(0, 3), total: 3, next_cursor: '' });
    api.getDelivery.mockImplementation(async (id: string) => detailOf(item(id, 1, { summary: `delivery ${id}` }), { body: '{}' }));
  });

  it('lists conversations and opens one as a timeline with lanes, order, threads and checks', async () => {
    render(EntitiesView, { kind: 'conversations' });
    const list = await screen.findByRole('listbox', { name: 'Conversations' });
    expect(within(list).getAllByRole('option')).toHaveLength(2);
    expect(within(list).getByText('closed')).toBeInTheDocument();

    await userEvent.click(within(list).getByText('C1'));
    expect(api.conversationTimeline).toHaveBeenCalledWith('livechat', 'C1', { limit: 200 });
    const timeline = await screen.findByRole('listbox', { name: 'Conversation timeline' });
    const lanes = screen.getByRole('group', { name: 'Lanes' });
    expect([...lanes.querySelectorAll('[data-lane]')].map((l) => l.getAttribute('data-lane'))).toEqual([
      'customer:cust-1',
      'agent:smith@example.com',
      'agent:jones@example.com',
      'system',
    ]);
    const rows = within(timeline).getAllByRole('option');
    expect(rows.map((r) => r.querySelector('[data-event-type]')?.getAttribute('data-event-type'))).toEqual([
      'incoming_chat',
      'incoming_event',
      'chat_transferred',
      'chat_deactivated',
    ]);
    expect(within(rows[2]).getByText('out of order')).toHaveAttribute('title', expect.stringContaining('received after delivery d4'));
    expect(within(rows[2]).getByText(/received after delivery d4/)).toBeInTheDocument();
    expect(within(rows[3]).getByRole('note')).toHaveTextContent('new thread T2');
    expect(within(rows[3]).getByText('⚑ 2')).toBeInTheDocument();
    expect(within(rows[0]).getByText('verified')).toBeInTheDocument();
  });

  it('opens an item as the delivery detail and goes back with Esc', async () => {
    render(EntitiesView, { kind: 'conversations' });
    await userEvent.click(await screen.findByText('C1'));
    const timeline = await screen.findByRole('listbox', { name: 'Conversation timeline' });
    await userEvent.click(within(timeline).getByText('chat_transferred summary'));
    await waitFor(() => expect(screen.getByRole('region', { name: 'Delivery detail' })).toHaveAttribute('data-delivery-id', 'd3'));
    expect(screen.getByRole('button', { name: '← Back to the timeline' })).toBeInTheDocument();
    await fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(await screen.findByRole('listbox', { name: 'Conversation timeline' })).toBeInTheDocument();
    expect(detail.id).toBeNull();
  });

  it('works from the keyboard: j/k move, Enter opens, / searches', async () => {
    render(EntitiesView, { kind: 'conversations' });
    await screen.findByRole('listbox', { name: 'Conversations' });
    await fireEvent.keyDown(document.body, { key: 'j' });
    await fireEvent.keyDown(document.body, { key: 'j' });
    await fireEvent.keyDown(document.body, { key: 'k' });
    expect(screen.getByRole('option', { selected: true })).toHaveTextContent('C1');
    await fireEvent.keyDown(document.body, { key: 'Enter' });
    const timeline = await screen.findByRole('listbox', { name: 'Conversation timeline' });
    await fireEvent.keyDown(document.body, { key: 'ArrowDown' });
    await fireEvent.keyDown(document.body, { key: 'ArrowDown' });
    expect(within(timeline).getByRole('option', { selected: true })).toHaveTextContent('incoming_event');
    await fireEvent.keyDown(document.body, { key: 'Enter' });
    await waitFor(() => expect(detail.id).toBe('d2'));
    await fireEvent.keyDown(document.body, { key: 'Escape' });
    await fireEvent.keyDown(document.body, { key: 'Escape' });
    await fireEvent.keyDown(document.body, { key: 'j' });
    expect(within(screen.getByRole('listbox', { name: 'Conversations' })).getByRole('option', { selected: true })).toHaveTextContent('C2');

    await fireEvent.keyDown(document.body, { key: '/' });
    const search = screen.getByRole('searchbox', { name: 'Search conversations' });
    expect(search).toHaveFocus();
    await userEvent.type(search, 'agent:smith@example.com{Enter}');
    expect(api.listConversations).toHaveBeenLastCalledWith({ limit: 200, q: 'agent:smith@example.com' });
  });

  it('shows an agent timeline with categories and links to each conversation', async () => {
    ui.view = 'agents';
    render(EntitiesView, { kind: 'agents' });
    await userEvent.click(await screen.findByText('Agent Smith'));
    const timeline = await screen.findByRole('listbox', { name: 'Agent timeline' });
    const rows = within(timeline).getAllByRole('option');
    expect(rows[2].querySelector('[data-category]')).toHaveTextContent('transfer');
    await userEvent.click(within(rows[2]).getByRole('button', { name: 'Open conversation C1' }));
    expect(ui.view).toBe('conversations');
    expect(timelines.conversation.ref).toEqual({ vendor: 'livechat', id: 'C1' });
    expect(timelines.conversation.returnTo).toMatchObject({ id: 'smith@example.com', label: 'Agent Smith' });
  });

  it('says plainly why the conversations could not be listed', async () => {
    api.listConversations.mockRejectedValue(new ApiError('invalid', 'unknown query term "foo:"', 400));
    render(EntitiesView, { kind: 'conversations' });
    expect(await screen.findByRole('alert')).toHaveTextContent('unknown query term "foo:"');
  });
});
