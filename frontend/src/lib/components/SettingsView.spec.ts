import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({
  getSettings: vi.fn(async () => ({ secrets: { livechat: { configured: false }, iadvize: { configured: true } } })),
  listVendors: vi.fn(async () => ['livechat', 'iadvize', 'closer']),
  putSecret: vi.fn(async () => undefined),
  listDeliveries: vi.fn(async () => ({ items: [], next_cursor: '' })),
}));

vi.mock('../api', async (orig) => ({ ...(await orig<typeof import('../api')>()), ...api }));

import SettingsView from './SettingsView.svelte';

describe('SettingsView', () => {
  it('shows which secrets are configured and saves one', async () => {
    render(SettingsView);
    const livechat = await screen.findByRole('form', { name: 'LiveChat secret' });
    const iadvize = screen.getByRole('form', { name: 'iAdvize secret' });
    expect(await within(iadvize).findByText('configured')).toBeInTheDocument();
    expect(within(livechat).getByText('not configured')).toBeInTheDocument();

    await userEvent.type(within(livechat).getByLabelText('LiveChat secret'), 's3cret');
    api.getSettings.mockResolvedValueOnce({ secrets: { livechat: { configured: true }, iadvize: { configured: true } } });
    await userEvent.click(within(livechat).getByRole('button', { name: 'Save' }));
    expect(api.putSecret).toHaveBeenCalledWith('livechat', 's3cret');
    expect(await within(livechat).findByText('configured')).toBeInTheDocument();
    expect(within(livechat).getByLabelText('LiveChat secret')).toHaveValue('');
  });
});
