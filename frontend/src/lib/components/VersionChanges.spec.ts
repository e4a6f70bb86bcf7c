import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({ getVersions: vi.fn() }));
vi.mock('../api', async (orig) => ({ ...(await orig<typeof import('../api')>()), ...api }));

import { ApiError } from '../api';
import { vendors } from '../stores/vendors.svelte';
import { testVendors } from '../testing/vendors';
import VersionChanges from './VersionChanges.svelte';

const versions = [
  { name: '2019-04', label: 'April 2019, v2 events' },
  { name: '2020-05', label: 'May 2020' },
  { name: '2022-12', label: 'December 2022' },
];

describe('VersionChanges', () => {
  beforeEach(() => {
    api.getVersions.mockReset();
    vendors.list = testVendors;
  });

  it('compares two versions and puts the changes that concern captured events first', async () => {
    api.getVersions.mockImplementation(async (vendor: string, from?: string, to?: string) => ({
      vendor,
      display_name: vendor,
      versions: vendor === 'iadvize' ? versions : [],
      changes:
        from && to
          ? {
              vendor,
              from,
              to,
              store: true,
              unknown: 3,
              events: [{ kind: 'added', event_type: 'user.connected', note: 'user.connected is new', captured: 0 }],
              fields: [
                { kind: 'renamed', event_type: 'v2.conversation.closed', path: 'operatorId', to: 'operatorIds', note: 'renamed', captured: 4 },
                { kind: 'added', event_type: '*', path: 'visitorId', note: 'new', captured: 9 },
              ],
            }
          : undefined,
    }));
    const user = userEvent.setup();
    render(VersionChanges);
    await user.selectOptions(await screen.findByLabelText('Vendor'), 'iadvize');
    const fromBox = await screen.findByLabelText('From');
    expect((fromBox as HTMLSelectElement).value).toBe('2019-04');
    expect((screen.getByLabelText('To') as HTMLSelectElement).value).toBe('2022-12');
    await user.selectOptions(screen.getByLabelText('To'), '2020-05');
    await user.click(screen.getByRole('button', { name: 'Compare' }));
    expect(api.getVersions).toHaveBeenLastCalledWith('iadvize', '2019-04', '2020-05');
    const table = await screen.findByRole('table', { name: 'Changes from 2019-04 to 2020-05' });
    const rows = within(table).getAllByRole('row').slice(1) as HTMLTableRowElement[];
    expect(rows.map((r) => Array.from(r.cells, (c) => c.textContent?.trim()).join(' '))).toEqual([
      'added every event · visitorId 9',
      'renamed v2.conversation.closed · operatorId → operatorIds 4',
      'added user.connected 0',
    ]);
    expect(screen.getByRole('status').textContent?.replace(/\s+/g, ' ')).toContain('3 changes from 2019-04 to 2020-05; 2 concern captured events');
    expect(screen.getByRole('status').textContent).toContain('3 events were stored before');
  });

  it('says when a vendor has one version only, and shows a refusal', async () => {
    api.getVersions.mockImplementation(async (vendor: string, from?: string) => {
      if (from) throw new ApiError('invalid', 'iadvize: unknown version "x"', 400);
      return { vendor, display_name: vendor, versions: vendor === 'iadvize' ? versions : [] };
    });
    const user = userEvent.setup();
    render(VersionChanges);
    expect(await screen.findByText('Hooklens describes one version of these webhooks only.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Compare' })).toBeNull();
    await user.selectOptions(screen.getByLabelText('Vendor'), 'iadvize');
    await user.click(await screen.findByRole('button', { name: 'Compare' }));
    expect((await screen.findByRole('alert')).textContent).toContain('unknown version');
    expect(screen.queryByRole('table')).toBeNull();
  });
});
