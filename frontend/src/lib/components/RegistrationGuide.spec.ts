import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveChatRegisterResult, TunnelStatus } from '../types/tunnel';

const api = vi.hoisted(() => ({
  getRegistration: vi.fn(),
  registerWithApi: vi.fn(),
  markRegistered: vi.fn(),
  forgetRegistered: vi.fn(),
  getSettings: vi.fn(),
  putSecret: vi.fn(),
}));
vi.mock('../api', async (orig) => ({ ...(await orig<typeof import('../api')>()), ...api }));

import { ApiError } from '../api';
import { settings } from '../stores/settings.svelte';
import { tunnel } from '../stores/tunnel.svelte';
import { vendors } from '../stores/vendors.svelte';
import { testVendors } from '../testing/vendors';
import RegistrationGuide from './RegistrationGuide.svelte';

const url = 'https://hooks.example.com/livechat';
const status: TunnelStatus = {
  provider: 'manual',
  public_url: 'https://hooks.example.com',
  health: 'reachable',
  state: 'running',
  available: { cloudflared: false, ngrok: false },
  error: '',
  checked_at: null,
  receiver_url: 'http://127.0.0.1:8787',
  urls: { livechat: url },
  registered: {},
  changed: [],
};
const known = ['incoming_chat', 'incoming_event', 'chat_deactivated', 'thread_tagged'];
const defaults = ['incoming_chat', 'incoming_event', 'chat_deactivated'];

function guide(actions: string[] | undefined, registered: object | null = null) {
  return {
    vendor: 'livechat',
    url,
    text: '# Register Hooklens with LiveChat',
    steps: [{ title: 'Register one webhook per action', text: 'Run these.', code: (actions ?? defaults).map((a) => `curl ${a}`).join('\n') }],
    actions: actions ?? defaults,
    known_actions: known,
    registered,
  };
}

async function fill(token = 'pat-1') {
  await userEvent.type(screen.getByLabelText('Account ID'), ' acc-1 ');
  await userEvent.type(screen.getByLabelText('Personal access token'), token);
  await userEvent.type(screen.getByLabelText('Client ID'), 'cid-1');
}

describe('RegistrationGuide, LiveChat in-app registration', () => {
  beforeEach(() => {
    for (const f of Object.values(api)) f.mockReset();
    localStorage.clear();
    tunnel.status = status;
    tunnel.help = {};
    vendors.list = testVendors;
    tunnel.liveChatActions = null;
    tunnel.liveChatResult = null;
    tunnel.liveChatError = null;
    tunnel.liveChatIds = { account_id: '', client_id: '' };
    settings.configured = {};
    api.getRegistration.mockImplementation(async (_v: string, actions?: string[]) => guide(actions));
    api.getSettings.mockResolvedValue({ secrets: { livechat: { configured: true } } });
  });

  it('registers the chosen actions and shows each step, then the registration as done', async () => {
    render(RegistrationGuide, { vendor: 'livechat' });
    const form = await screen.findByRole('form', { name: 'Register with LiveChat from Hooklens' });
    const button = within(form).getByRole('button', { name: 'Register with LiveChat' });
    expect(button).toBeDisabled();
    // The curl guide stays below the form.
    expect(screen.getByRole('heading', { name: 'Or run the commands yourself' })).toBeInTheDocument();
    expect(screen.getByLabelText('LiveChat step 1')).toHaveTextContent('curl incoming_event');

    // Choosing actions changes the guide and what is registered.
    await userEvent.click(screen.getByText(/^Actions:/));
    await userEvent.click(screen.getByRole('checkbox', { name: 'incoming_event' }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'thread_tagged' }));
    expect(api.getRegistration).toHaveBeenLastCalledWith('livechat', ['incoming_chat', 'chat_deactivated', 'thread_tagged']);
    await vi.waitFor(() => expect(screen.getByLabelText('LiveChat step 1')).not.toHaveTextContent('curl incoming_event'));

    const result: LiveChatRegisterResult = {
      url,
      actions: ['incoming_chat', 'chat_deactivated', 'thread_tagged'],
      ok: true,
      steps: [
        { action: 'incoming_chat', outcome: 'removed', webhook_id: 'old1', url: 'https://old.trycloudflare.com/livechat' },
        { action: 'chat_deactivated', outcome: 'kept', webhook_id: 'k1' },
        { action: 'incoming_chat', outcome: 'registered', webhook_id: 'n1' },
        { action: 'thread_tagged', outcome: 'registered', webhook_id: 'n2' },
        { action: 'enable_license_webhooks', outcome: 'enabled' },
      ],
      tunnel: { ...status, registered: { livechat: { url, at: '2026-11-23T07:00:00Z', current: true } } },
    };
    let resolve!: (r: LiveChatRegisterResult) => void;
    api.registerWithApi.mockReturnValue(new Promise((r) => (resolve = r)));
    await fill();
    expect(button).toBeEnabled();
    await userEvent.click(button);
    expect(api.registerWithApi).toHaveBeenCalledWith('livechat', {
      account_id: 'acc-1',
      token: 'pat-1',
      client_id: 'cid-1',
      actions: ['incoming_chat', 'chat_deactivated', 'thread_tagged'],
    });
    expect(await screen.findByText('Registering with LiveChat…')).toBeInTheDocument();
    expect(button).toBeDisabled();

    api.getRegistration.mockImplementation(async (_v: string, actions?: string[]) =>
      guide(actions, { url, at: '2026-11-23T07:00:00Z', current: true }),
    );
    resolve(result);
    const res = await screen.findByRole('status', { name: 'LiveChat registration result' });
    expect(res).toHaveTextContent('Registered');
    expect(res).toHaveTextContent('LiveChat sends incoming_chat, chat_deactivated, thread_tagged to https://hooks.example.com/livechat');
    const steps = within(res).getAllByRole('listitem');
    expect(steps.map((s) => s.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'removed incoming_chat an old Hooklens webhook to https://old.trycloudflare.com/livechat (webhook old1)',
      'kept chat_deactivated already registered with this URL and secret (webhook k1)',
      'registered incoming_chat as webhook n1',
      'registered thread_tagged as webhook n2',
      'enabled License webhooks enabled',
    ]);
    expect(await screen.findByText('current')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Forget registration' })).toBeInTheDocument();
    expect(tunnel.status?.registered?.livechat?.current).toBe(true);
    // The token is gone from the form and never stored; the IDs are remembered.
    expect(screen.getByLabelText('Personal access token')).toHaveValue('');
    expect(JSON.stringify(localStorage)).not.toContain('pat-1');
    expect(JSON.parse(localStorage.getItem('hooklens.livechat.ids') ?? '{}')).toEqual({ account_id: 'acc-1', client_id: 'cid-1' });
  });

  it('shows failed steps in plain words and does not claim success', async () => {
    tunnel.liveChatIds = { account_id: 'acc-2', client_id: 'cid-2' };
    render(RegistrationGuide, { vendor: 'livechat' });
    expect(await screen.findByLabelText('Account ID')).toHaveValue('acc-2');
    expect(screen.getByLabelText('Client ID')).toHaveValue('cid-2');
    api.registerWithApi.mockResolvedValue({
      url,
      actions: defaults,
      ok: false,
      steps: [
        { action: 'incoming_chat', outcome: 'registered', webhook_id: 'n1' },
        { action: 'incoming_event', outcome: 'failed', error: 'LiveChat register_webhook answered 422 validation: too many webhooks' },
        { action: 'enable_license_webhooks', outcome: 'enabled' },
      ],
      tunnel: status,
    } satisfies LiveChatRegisterResult);
    await userEvent.type(screen.getByLabelText('Personal access token'), 'pat-2');
    await userEvent.click(screen.getByRole('button', { name: 'Register with LiveChat' }));
    const res = await screen.findByRole('status', { name: 'LiveChat registration result' });
    expect(res).toHaveTextContent('1 step failed');
    expect(res).toHaveTextContent('Not marked as registered');
    expect(res).not.toHaveTextContent('LiveChat sends');
    expect(within(res).getAllByRole('listitem')[1]).toHaveTextContent('incoming_event failed: LiveChat register_webhook answered 422 validation: too many webhooks');
    expect(screen.getByRole('button', { name: 'Mark as registered' })).toBeInTheDocument();
  });

  it('says why the registration could not run, and asks for a secret first', async () => {
    api.getSettings.mockResolvedValue({ secrets: { livechat: { configured: false } } });
    render(RegistrationGuide, { vendor: 'livechat' });
    expect(await screen.findByText(/Set a LiveChat secret first/)).toBeInTheDocument();
    expect(screen.getByRole('form', { name: 'LiveChat secret' })).toBeInTheDocument();

    api.registerWithApi.mockRejectedValue(new ApiError('invalid', 'LiveChat list_webhooks answered 401 authentication: Invalid access token', 400));
    await fill('bad');
    await userEvent.click(screen.getByRole('button', { name: 'Register with LiveChat' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('LiveChat registration failed: LiveChat list_webhooks answered 401 authentication: Invalid access token');
    expect(screen.queryByRole('status', { name: 'LiveChat registration result' })).toBeNull();
  });

  it('has no form without a public URL to register', async () => {
    api.getRegistration.mockImplementation(async () => ({ ...guide(undefined), url: '' }));
    render(RegistrationGuide, { vendor: 'livechat' });
    expect(await screen.findByText(/Start a tunnel first/)).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Account ID'), 'a');
    await userEvent.type(screen.getByLabelText('Personal access token'), 't');
    await userEvent.type(screen.getByLabelText('Client ID'), 'c');
    expect(screen.getByRole('button', { name: 'Register with LiveChat' })).toBeDisabled();
  });
});
