import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const versions = {
  livechat: {
    pinned: '',
    versions: [
      { name: 'v2', label: 'v2 (retired REST format)', retired: true },
      { name: '3.4', label: 'v3.4' },
      { name: '3.5', label: 'v3.5' },
    ],
  },
};

const api = vi.hoisted(() => ({
  putVersionPin: vi.fn(),
  getSettings: vi.fn(),
}));

vi.mock('../api', async (orig) => ({ ...(await orig<typeof import('../api')>()), ...api }));

import { settings } from '../stores/settings.svelte';
import type { SettingsView } from '../types/settings';
import VersionPins from './VersionPins.svelte';

describe('VersionPins', () => {
  beforeEach(() => {
    api.putVersionPin.mockReset();
    api.getSettings.mockReset();
    settings.view = { versions } as unknown as SettingsView;
  });

  it('pins a version, then shows it pinned', async () => {
    api.putVersionPin.mockResolvedValue({});
    api.getSettings.mockResolvedValue({ secrets: {}, versions: { livechat: { ...versions.livechat, pinned: '3.5' } } });
    render(VersionPins);
    const form = screen.getByRole('form', { name: /API version/ });
    const select = within(form).getByRole('combobox', { name: /API version/ });
    expect(within(form).getByTestId('pin-state')).toHaveTextContent('detected per delivery');
    expect(within(form).getByRole('option', { name: 'v2 (retired REST format) (retired)' })).toBeInTheDocument();
    expect(within(form).getByRole('button', { name: 'Save' })).toBeDisabled();
    await userEvent.selectOptions(select, '3.5');
    await userEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect(api.putVersionPin).toHaveBeenCalledWith('livechat', '3.5');
    expect(await within(form).findByRole('status')).toHaveTextContent('Pinned to 3.5');
    expect(within(form).getByTestId('pin-state')).toHaveTextContent('pinned: 3.5');
  });

  it('says why a pin was refused', async () => {
    api.putVersionPin.mockRejectedValue(new Error('"9.9" is not a livechat API version'));
    render(VersionPins);
    const form = screen.getByRole('form', { name: /API version/ });
    await userEvent.selectOptions(within(form).getByRole('combobox', { name: /API version/ }), '3.4');
    await userEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('not a livechat API version');
  });
});
