import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TunnelStatus } from '../types/tunnel';

const api = vi.hoisted(() => ({
  getTunnel: vi.fn(),
  startTunnel: vi.fn(),
  stopTunnel: vi.fn(),
  checkTunnel: vi.fn(),
  getRegistration: vi.fn(),
  markRegistered: vi.fn(),
  forgetRegistered: vi.fn(),
}));
vi.mock('../api', async (orig) => ({ ...(await orig<typeof import('../api')>()), ...api }));

import { tunnel } from '../stores/tunnel.svelte';
import { vendors } from '../stores/vendors.svelte';
import { testVendors } from '../testing/vendors';
import TunnelView from './TunnelView.svelte';

const off: TunnelStatus = {
  provider: '',
  public_url: '',
  health: 'unknown',
  state: 'off',
  available: { cloudflared: false, ngrok: true },
  error: '',
  checked_at: null,
  receiver_url: 'http://127.0.0.1:8787',
  urls: {},
  registered: {},
  changed: [],
};
const up: TunnelStatus = {
  ...off,
  provider: 'manual',
  public_url: 'https://hooks.example.com',
  state: 'running',
  health: 'reachable',
  checked_at: '2026-11-23T07:00:00Z',
  urls: { livechat: 'https://hooks.example.com/livechat' },
};
const guide = (url: string, registered: object | null = null) => ({
  vendor: 'livechat',
  url,
  text: '# Register Hooklens with LiveChat',
  steps: [{ title: 'Register the webhook', text: 'Run this for each action.', code: `curl ${url || 'https://<your-public-url>/livechat'}` }],
  registered,
});

describe('TunnelView', () => {
  beforeEach(() => {
    for (const f of Object.values(api)) f.mockReset();
    tunnel.status = null;
    tunnel.help = {};
    vendors.list = testVendors;
    api.getTunnel.mockResolvedValue(off);
    api.getRegistration.mockImplementation(async () => guide(tunnel.status?.public_url ? 'https://hooks.example.com/livechat' : ''));
  });
  afterEach(() => tunnel.stopPolling());

  it('shows providers, takes a manual URL, checks it and shows the URL to register', async () => {
    render(TunnelView);
    expect(await screen.findByTestId('cloudflared-availability')).toHaveTextContent('not found');
    expect(screen.getByRole('button', { name: 'Start cloudflared' })).toBeDisabled();
    expect(await screen.findByText('not known yet: start a tunnel first')).toBeInTheDocument();

    api.startTunnel.mockResolvedValue({ ...up, health: 'unknown' });
    await userEvent.type(screen.getByRole('textbox', { name: 'Another tunnel' }), 'https://hooks.example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Use this URL' }));
    expect(api.startTunnel).toHaveBeenCalledWith({ provider: 'manual', public_url: 'https://hooks.example.com' });
    const card = screen.getByRole('region', { name: 'Public URL' });
    expect(within(card).getByTestId('public-url')).toHaveTextContent('https://hooks.example.com');
    expect(within(card).getByRole('button', { name: 'Copy public URL' })).toBeInTheDocument();

    api.checkTunnel.mockResolvedValue(up);
    await userEvent.click(within(card).getByRole('button', { name: 'Check' }));
    expect(within(card).getByText('reachable')).toHaveAttribute('data-health', 'reachable');
    expect(await screen.findByTestId('register-url')).toHaveTextContent('https://hooks.example.com/livechat');
    expect(screen.getByLabelText('LiveChat step 1')).toHaveTextContent('curl https://hooks.example.com/livechat');
    expect(screen.getByRole('button', { name: 'Copy all LiveChat instructions' })).toBeInTheDocument();
  });

  it('marks a vendor as registered and warns when the URL changed', async () => {
    api.getTunnel.mockResolvedValue(up);
    render(TunnelView);
    await userEvent.click(await screen.findByRole('button', { name: 'Mark as registered' }));
    expect(api.markRegistered).toHaveBeenCalledWith('livechat');

    api.getTunnel.mockResolvedValue({ ...up, health: 'url_changed', changed: ['livechat'] });
    await tunnel.load();
    expect(await screen.findByText('URL changed')).toHaveAttribute('data-health', 'url_changed');
    expect(screen.getByRole('alert')).toHaveTextContent('Registered with an older URL: LiveChat');
  });
});
