import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { item } from './lib/testing/fixtures';
import { testVendors } from './lib/testing/vendors';

const api = vi.hoisted(() => ({
  getHealth: vi.fn(async () => ({ status: 'ok', version: 'test', deliveries: 0, receiver: { url: 'http://127.0.0.1:8787', state: 'listening' }, store: { state: 'ok', error: '' } })),
  listDeliveries: vi.fn(),
  subscribeDeliveries: vi.fn(() => () => {}),
  getSettings: vi.fn(async () => ({ secrets: {} })),
  listVendors: vi.fn(),
  listScenarios: vi.fn(async () => []),
}));
vi.mock('./lib/api', async (orig) => ({ ...(await orig<typeof import('./lib/api')>()), ...api }));

import { ApiError } from './lib/api';
import { vendors } from './lib/stores/vendors.svelte';
import App from './App.svelte';

describe('App and the vendors', () => {
  beforeEach(() => {
    api.listVendors.mockReset();
    // The store loads once per page; each case starts as a fresh page would.
    vendors.reset();
  });

  it('reads the vendors at start and names them from the API', async () => {
    api.listVendors.mockResolvedValue(testVendors);
    api.listDeliveries.mockResolvedValue({ items: [item('a', 1, { vendor: 'closer' }), item('b', 2, { vendor: 'echo' })], next_cursor: '' });
    render(App);
    const chips = await screen.findByRole('group', { name: 'Filters' });
    expect(await within(chips).findByRole('button', { name: 'iAdvize' })).toBeInTheDocument();
    expect(api.listVendors).toHaveBeenCalledTimes(1);
    expect(await screen.findByText('Closer', { selector: '.badge' })).toHaveClass('coloured');
    expect(screen.getByText('echo', { selector: '.badge' })).not.toHaveClass('coloured');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says so when the vendors cannot be read, lists none of its own, and retries', async () => {
    api.listVendors.mockRejectedValueOnce(new ApiError('not_found', 'no API route GET /api/v1/vendors', 404));
    api.listDeliveries.mockResolvedValue({ items: [], next_cursor: '' });
    render(App);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Cannot read the vendors from Hooklens (no API route GET /api/v1/vendors)');
    expect(screen.queryByRole('button', { name: /^Send .* events$/ })).toBeNull();

    api.listVendors.mockResolvedValueOnce(testVendors);
    await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('button', { name: 'Send LiveChat events' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
