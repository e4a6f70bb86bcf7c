import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const full = {
  secrets: { livechat: { configured: false }, iadvize: { configured: true }, closer: { configured: false } },
  ports: { listen: '', ui: '', active: { listen: '127.0.0.1:8787', ui: '127.0.0.1:8788' }, applies_at: 'next_start' },
  retention: { max_deliveries: 0, max_bytes: 0, last_prune: { at: '2026-11-23T07:00:00Z', deliveries: 120, bytes: 2048 }, stored: { deliveries: 5, bytes: 4096 } },
  responses: [],
  theme: 'system',
  notifications: true,
};

const api = vi.hoisted(() => ({
  getSettings: vi.fn(),
  putSecret: vi.fn(async () => undefined),
  putSettings: vi.fn(),
  getForward: vi.fn(),
  putForward: vi.fn(),
  listDeliveries: vi.fn(async () => ({ items: [], next_cursor: '' })),
  getVersions: vi.fn(async () => ({ vendor: 'livechat', display_name: 'LiveChat', versions: [] })),
}));

vi.mock('../api', async (orig) => ({ ...(await orig<typeof import('../api')>()), ...api }));

import { settings } from '../stores/settings.svelte';
import { ui } from '../stores/ui.svelte';
import { vendors } from '../stores/vendors.svelte';
import { testVendors } from '../testing/vendors';
import SettingsView from './SettingsView.svelte';

describe('SettingsView', () => {
  beforeEach(() => {
    for (const f of Object.values(api)) f.mockClear();
    settings.view = null;
    vendors.list = testVendors;
    settings.notice = {};
    settings.errors = {};
    api.getSettings.mockResolvedValue({ secrets: { livechat: { configured: false }, iadvize: { configured: true } } });
    api.getForward.mockResolvedValue({ url: '', enabled: false, forwarded: 0, failed: 0, dropped: 0, queued: 0, last_error: '' });
    // The API answers the whole view with the patch applied.
    api.putSettings.mockImplementation(async (p: Record<string, object>) => ({
      ...full,
      ...p,
      ports: { ...full.ports, ...p.ports },
      retention: { ...full.retention, ...p.retention },
    }));
  });

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

  it('saves custom responses, retention, ports, theme and forward', async () => {
    api.getSettings.mockResolvedValue(full);
    render(SettingsView);
    const responses = await screen.findByRole('form', { name: 'Custom responses' });
    await userEvent.click(await within(responses).findByRole('button', { name: 'Add a response' }));
    await userEvent.clear(within(responses).getByLabelText('Path prefix 1'));
    await userEvent.type(within(responses).getByLabelText('Path prefix 1'), '/iadvize');
    await userEvent.clear(within(responses).getByLabelText('Delay 1'));
    await userEvent.type(within(responses).getByLabelText('Delay 1'), '1500');
    await userEvent.type(within(responses).getByLabelText('Body 1'), 'nope');
    await userEvent.click(within(responses).getByRole('button', { name: 'Save' }));
    expect(api.putSettings).toHaveBeenLastCalledWith({ responses: [{ prefix: '/iadvize', status: 500, body: 'nope', content_type: 'text/plain', delay_ms: 1500 }] });
    expect(await within(responses).findByText('Responses saved')).toBeInTheDocument();

    const retention = screen.getByRole('form', { name: 'Retention' });
    expect(within(retention).getByRole('note')).toHaveTextContent('120 oldest deliveries');
    await userEvent.type(within(retention).getByLabelText('Max deliveries'), '5000');
    await userEvent.click(within(retention).getByRole('button', { name: 'Save' }));
    expect(api.putSettings).toHaveBeenLastCalledWith({ retention: { max_deliveries: 5000, max_bytes: 0 } });

    const ports = screen.getByRole('form', { name: 'Ports' });
    expect(ports).toHaveTextContent('127.0.0.1:8787');
    await userEvent.type(within(ports).getByLabelText('Receiver'), '127.0.0.1:9000');
    await userEvent.click(within(ports).getByRole('button', { name: 'Save' }));
    expect(api.putSettings).toHaveBeenLastCalledWith({ ports: { listen: '127.0.0.1:9000', ui: '' } });
    expect(await within(ports).findByText('Saved: applied at the next start')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('radio', { name: 'Dark' }));
    expect(api.putSettings).toHaveBeenLastCalledWith({ theme: 'dark' });
    expect(ui.theme).toBe('dark');
    expect(document.documentElement).toHaveAttribute('data-theme', 'dark');

    const forward = screen.getByRole('form', { name: 'Forward' });
    api.putForward.mockResolvedValue({ url: 'http://localhost:3000/h', enabled: true, forwarded: 0, failed: 0, dropped: 0, queued: 0, last_error: '' });
    await userEvent.click(within(forward).getByRole('checkbox', { name: 'Forward deliveries live' }));
    await userEvent.type(within(forward).getByLabelText('Target URL'), 'http://localhost:3000/h');
    await userEvent.click(within(forward).getByRole('button', { name: 'Save' }));
    expect(api.putForward).toHaveBeenCalledWith({ url: 'http://localhost:3000/h', enabled: true });
    expect(await within(forward).findByText('Forwarding on')).toBeInTheDocument();
    ui.setTheme('system');
  });
});
