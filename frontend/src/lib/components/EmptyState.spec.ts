import { fireEvent, render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({
  listScenarios: vi.fn(),
  simulate: vi.fn(),
  importFiles: vi.fn(),
  listDeliveries: vi.fn(async () => ({ items: [], next_cursor: '' })),
}));
vi.mock('../api', async (orig) => ({ ...(await orig<typeof import('../api')>()), ...api }));

import { importer } from '../stores/importer.svelte';
import { simulator } from '../stores/simulator.svelte';
import { vendors } from '../stores/vendors.svelte';
import { testVendors } from '../testing/vendors';
import DropZone from './DropZone.svelte';
import EmptyState from './EmptyState.svelte';
import ImportStatus from './ImportStatus.svelte';

describe('first run', () => {
  beforeEach(() => {
    for (const f of Object.values(api)) f.mockReset();
    api.listDeliveries.mockResolvedValue({ items: [], next_cursor: '' });
    vendors.list = testVendors;
    simulator.message = null;
    importer.dismiss();
  });

  it('sends sample events per vendor or for all', async () => {
    api.listScenarios.mockResolvedValue([
      { vendor: 'livechat', name: 'conversation', description: 'A customer chats…', events: [] },
      { vendor: 'iadvize', name: 'conversation', description: '…', events: [] },
    ]);
    api.simulate.mockResolvedValue({ sent: [], count: 9, failed: 0, message: '9 sample events sent to the receiver' });
    render(EmptyState);
    await userEvent.click(await screen.findByRole('button', { name: 'Send LiveChat events' }));
    expect(api.simulate).toHaveBeenLastCalledWith('livechat', '');
    expect(await screen.findByText('9 sample events sent to the receiver')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Send sample events (all vendors)' }));
    expect(api.simulate).toHaveBeenLastCalledWith('all', '');
  });

  it('imports a picked file and a dropped file, and reports the result', async () => {
    api.listScenarios.mockResolvedValue([]);
    api.importFiles.mockResolvedValue({ imported: 3, duplicates: 1, failed: 0, files: [{ name: 'a.ndjson', format: 'ndjson', imported: 3, duplicates: 1, duplicate_ids: [], warnings: [] }] });
    render(EmptyState);
    render(DropZone);
    render(ImportStatus);
    const file = new File(['{}\n'], 'a.ndjson', { type: 'application/x-ndjson' });
    await userEvent.upload(screen.getByLabelText('Import files'), file);
    expect(api.importFiles).toHaveBeenCalledWith([file]);
    expect(await screen.findByRole('status', { name: 'Import' })).toHaveTextContent('Imported 3 deliveries, 1 already there.');

    const har = new File(['{"log":{}}'], 'b.har');
    const dataTransfer = { types: ['Files'], files: [har], dropEffect: 'none' };
    await fireEvent.dragEnter(window, { dataTransfer });
    await fireEvent.drop(window, { dataTransfer });
    expect(api.importFiles).toHaveBeenLastCalledWith([har]);
  });
});
