import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { detailOf, item } from '../testing/fixtures';

const api = vi.hoisted(() => ({
  listDeliveries: vi.fn(),
  getDelivery: vi.fn(),
  postSample: vi.fn(),
  subscribeDeliveries: vi.fn(() => () => {}),
  countExport: vi.fn(async () => ({ deliveries: 2, body_bytes: 4 })),
}));

vi.mock('../api', async (orig) => ({ ...(await orig<typeof import('../api')>()), ...api }));

import { deliveries } from '../stores/deliveries.svelte';
import { detail } from '../stores/detail.svelte';
import { vendors } from '../stores/vendors.svelte';
import { testVendors } from '../testing/vendors';
import InboxPane from './InboxPane.svelte';

const three = [
  item('c', 3, { summary: 'third', event_type: 'chat_deactivated' }),
  item('b', 2, { summary: 'second', vendor: 'iadvize', event_type: 'v2.conversation.pushed' }),
  item('a', 1, { summary: 'first', flag_count: 2, verification: { status: 'verified', reason: '' } }),
];

describe('InboxPane', () => {
  beforeEach(async () => {
    deliveries.reset();
    vendors.list = testVendors;
    detail.close();
    api.listDeliveries.mockReset();
    api.getDelivery.mockReset();
    api.listDeliveries.mockResolvedValue({ items: three, next_cursor: '' });
    api.getDelivery.mockImplementation(async (id: string) => detailOf(three.find((d) => d.id === id)!, { body: '{}' }));
    await deliveries.loadFirst();
  });

  it('lists deliveries with their badges', () => {
    render(InboxPane);
    expect(screen.getAllByRole('option')).toHaveLength(3);
    expect(screen.getByText('third')).toBeInTheDocument();
    expect(screen.getByText('⚑ 2')).toBeInTheDocument();
    expect(screen.getByText('verified')).toBeInTheDocument();
    expect(screen.getByText('iAdvize', { selector: '.badge' })).toBeInTheDocument();
  });

  it('moves with j/k, opens with Enter and closes with Escape', async () => {
    render(InboxPane);
    await fireEvent.keyDown(document.body, { key: 'j' });
    await fireEvent.keyDown(document.body, { key: 'j' });
    expect(screen.getByRole('option', { selected: true })).toHaveTextContent('second');
    await fireEvent.keyDown(document.body, { key: 'k' });
    expect(screen.getByRole('option', { selected: true })).toHaveTextContent('third');
    await fireEvent.keyDown(document.body, { key: 'Enter' });
    await waitFor(() => expect(detail.delivery?.id).toBe('c'));
    await fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(detail.id).toBeNull();
  });

  it('focuses the search with / and searches with vendor chips', async () => {
    render(InboxPane);
    await fireEvent.keyDown(document.body, { key: '/' });
    const search = screen.getByRole('searchbox', { name: 'Search deliveries' });
    expect(search).toHaveFocus();
    await userEvent.click(screen.getByRole('button', { name: 'LiveChat' }));
    expect(api.listDeliveries).toHaveBeenLastCalledWith({ limit: 200, q: 'vendor:livechat' });
    expect(search).toHaveValue('vendor:livechat');
    await userEvent.click(screen.getByRole('button', { name: 'chat_deactivated' }));
    expect(api.listDeliveries).toHaveBeenLastCalledWith({ limit: 200, q: 'type:chat_deactivated vendor:livechat' });
  });

  it('shows the query syntax in a help popover', async () => {
    render(InboxPane);
    await userEvent.click(screen.getByRole('button', { name: 'Search syntax' }));
    expect(screen.getByRole('dialog', { name: 'Search syntax' })).toHaveTextContent('verified:yes');
  });

  it('opens a delivery on click', async () => {
    render(InboxPane);
    await userEvent.click(screen.getByText('first'));
    await waitFor(() => expect(detail.delivery?.id).toBe('a'));
    expect(deliveries.selectedId).toBe('a');
  });

  it('shows the empty state with the receiver curl example', async () => {
    api.listDeliveries.mockResolvedValue({ items: [], next_cursor: '' });
    await deliveries.loadFirst();
    render(InboxPane);
    expect(screen.getByRole('heading', { name: 'No deliveries yet' })).toBeInTheDocument();
    expect(screen.getByLabelText('curl example').textContent).toContain(`-d '{"hello":"world"}'`);
    expect(screen.getByRole('textbox', { name: 'Paste a vendor sample' })).toBeInTheDocument();
  });

  it('marks deliveries (click or x) and offers them to the export', async () => {
    render(InboxPane);
    const boxes = screen.getAllByRole('checkbox', { name: 'Mark for export' });
    await userEvent.click(boxes[0]);
    expect(detail.id).toBeNull();
    await fireEvent.keyDown(document.body, { key: 'j' });
    await fireEvent.keyDown(document.body, { key: 'j' });
    await fireEvent.keyDown(document.body, { key: 'x' });
    expect(screen.getByText(/2 marked/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Export…' }));
    const dialog = screen.getByRole('dialog', { name: 'Export' });
    expect(within(dialog).getByRole('radio', { name: 'The 2 marked deliveries' })).toBeChecked();
    expect(api.countExport).toHaveBeenLastCalledWith({ ids: ['c', 'b'] });
  });
});
