import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const view = {
  ports: { listen: '', ui: '', active: { listen: '127.0.0.1:8787', ui: '' }, applies_at: 'next_start' },
  retention: { max_deliveries: 0, max_bytes: 0, last_prune: null, stored: { deliveries: 0, bytes: 0 } },
  responses: [],
  theme: 'system',
  notifications: true,
  sync: { policy: 'always', active: 'always', applies_at: 'next_start' },
};

const api = vi.hoisted(() => ({
  putSettings: vi.fn(),
}));

vi.mock('../api', async (orig) => ({ ...(await orig<typeof import('../api')>()), ...api }));

import { settings } from '../stores/settings.svelte';
import type { SettingsView } from '../types/settings';
import DurabilityForm from './DurabilityForm.svelte';

describe('DurabilityForm', () => {
  beforeEach(() => {
    api.putSettings.mockReset();
    settings.notice = {};
    settings.errors = {};
    settings.view = view as SettingsView;
  });

  it('shows the policy in use and saves the other one for the next start', async () => {
    api.putSettings.mockImplementation(async (p: { sync: string }) => ({ ...view, secrets: {}, sync: { ...view.sync, policy: p.sync } }));
    render(DurabilityForm);
    const form = screen.getByRole('form', { name: 'Durability' });
    expect(within(form).getByRole('radio', { name: 'On disk before answering' })).toBeChecked();
    expect(within(form).getByRole('radio', { name: 'On disk before answering' })).toHaveAccessibleDescription(/survives a power cut/);
    expect(form).toHaveTextContent('in use: always');

    await userEvent.click(within(form).getByRole('radio', { name: /Handed to the OS/ }));
    await userEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect(api.putSettings).toHaveBeenCalledWith({ sync: 'os' });
    expect(await within(form).findByText('Saved: applied at the next start')).toBeInTheDocument();
    expect(within(form).getByRole('radio', { name: /Handed to the OS/ })).toBeChecked();
    expect(form).toHaveTextContent('in use: always');
  });

  it('says why a save failed', async () => {
    api.putSettings.mockRejectedValue(new Error('sync policy "x" is not known'));
    render(DurabilityForm);
    const form = screen.getByRole('form', { name: 'Durability' });
    await userEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('not known');
  });
});
