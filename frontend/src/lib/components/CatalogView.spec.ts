import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SchemaView } from '../types/schema';

const api = vi.hoisted(() => ({
  getSchemaView: vi.fn(),
  getSchemaText: vi.fn(),
  downloadSchema: vi.fn(),
}));
vi.mock('../api', async (orig) => ({ ...(await orig<typeof import('../api')>()), ...api }));

import { catalog } from '../stores/catalog.svelte';
import { ui } from '../stores/ui.svelte';
import { vendors } from '../stores/vendors.svelte';
import { detailOf, item } from '../testing/fixtures';
import { testVendors } from '../testing/vendors';
import CatalogView from './CatalogView.svelte';
import DeliveryOverview from './DeliveryOverview.svelte';

const field = (path: string, extra: Partial<SchemaView['events'][0]['fields'][0]> = {}) => ({
  path,
  type: 'string',
  required: false,
  enum: [],
  format: '',
  description: `About ${path}.`,
  deprecated: '',
  versions: '',
  documented: true,
  seen: null,
  widened: [],
  absent: 0,
  ...extra,
});

const event = (name: string, extra: Partial<SchemaView['events'][0]> = {}) => ({
  name,
  type_name: name.replace(/(^|_)(\w)/g, (_, __, c: string) => c.toUpperCase()),
  description: `The ${name} event.`,
  category: 'chats',
  deprecated: '',
  family: '',
  versions: '',
  renamed_to: '',
  renamed_from: [],
  documented: true,
  seen: null,
  example: { action: name },
  captured: false,
  fields: [field('action', { required: true, enum: [name] }), field('payload.chat.id', { required: true })],
  ...extra,
});

const view = (extra: Partial<SchemaView> = {}): SchemaView => ({
  vendor: 'livechat',
  display_name: 'LiveChat',
  version: '3.6',
  versions: [
    { name: '3.5', label: 'v3.5' },
    { name: '3.6', label: 'v3.6' },
  ],
  discriminator: 'action',
  union: 'LivechatEvent',
  observed: false,
  deliveries: 0,
  events: [event('incoming_chat'), event('chat_deactivated', { deprecated: 'use thread_closed' })],
  ...extra,
});

describe('CatalogView', () => {
  beforeEach(() => {
    for (const f of Object.values(api)) f.mockReset();
    catalog.reset();
    vendors.list = testVendors;
    api.getSchemaView.mockResolvedValue(view());
    api.getSchemaText.mockImplementation(async (_v: string, format: string, o: { event: string[] }) => `${format} of ${o.event[0]}`);
  });
  afterEach(() => catalog.reset());

  it('lists the first vendor’s event types and shows one with its fields, example and code to copy', async () => {
    const write = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: write }, configurable: true });
    render(CatalogView);
    const list = await screen.findByRole('navigation', { name: 'Event types' });
    expect(api.getSchemaView).toHaveBeenCalledWith('livechat', { version: '', observed: false });
    expect(within(list).getByRole('button', { name: /incoming_chat/ })).toHaveAttribute('aria-current', 'true');
    expect(within(list).getByRole('button', { name: /chat_deactivated/ })).toHaveTextContent('deprecated');

    const fields = screen.getByRole('table', { name: 'Fields of incoming_chat' });
    expect(within(fields).getByRole('rowheader', { name: /payload\.chat\.id/ })).toBeInTheDocument();
    expect(screen.getByLabelText('Example of incoming_chat').textContent).toContain('"action": "incoming_chat"');

    await waitFor(() => expect(screen.getByRole('button', { name: 'Copy TypeScript' })).toBeEnabled());
    await userEvent.click(screen.getByRole('button', { name: 'Copy TypeScript' }));
    expect(write).toHaveBeenCalledWith('typescript of incoming_chat');
    await userEvent.click(screen.getByRole('button', { name: 'Copy Go' }));
    expect(write).toHaveBeenLastCalledWith('go of incoming_chat');

    await userEvent.click(within(list).getByRole('button', { name: /chat_deactivated/ }));
    expect(await screen.findByRole('table', { name: 'Fields of chat_deactivated' })).toBeInTheDocument();
    await waitFor(() => expect(api.getSchemaText).toHaveBeenCalledWith('livechat', 'jsonschema', { version: '', observed: false, event: ['chat_deactivated'] }));
  });

  it('filters event types, switches version and vendor, merges captures and downloads all', async () => {
    render(CatalogView);
    const list = await screen.findByRole('navigation', { name: 'Event types' });
    await userEvent.type(screen.getByRole('searchbox', { name: 'Filter event types' }), 'deact');
    expect(within(list).queryByRole('button', { name: /incoming_chat/ })).toBeNull();
    expect(within(list).getByRole('button', { name: /chat_deactivated/ })).toBeInTheDocument();

    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Version' }), 'all');
    expect(api.getSchemaView).toHaveBeenLastCalledWith('livechat', { version: 'all', observed: false });

    api.getSchemaView.mockResolvedValue(
      view({
        observed: true,
        deliveries: 3,
        events: [
          event('incoming_chat', {
            seen: { count: 3, first_seen: '2026-11-23T07:00:00Z', last_seen: '2026-11-23T08:00:00Z' },
            captured: true,
            fields: [
              field('payload.chat.id', { required: true, absent: 1 }),
              field('brand_new', { documented: false, seen: { count: 2, first_seen: '', last_seen: '' } }),
            ],
          }),
        ],
      }),
    );
    await userEvent.click(screen.getByRole('checkbox', { name: 'Merge captured deliveries' }));
    expect(api.getSchemaView).toHaveBeenLastCalledWith('livechat', { version: 'all', observed: true });
    await userEvent.clear(screen.getByRole('searchbox', { name: 'Filter event types' }));
    const fields = await screen.findByRole('table', { name: 'Fields of incoming_chat' });
    expect(within(fields).getByText('not documented, seen 2×')).toBeInTheDocument();
    expect(within(fields).getByText('required, absent 1×')).toBeInTheDocument();
    expect(screen.getByText('merged with 3 captured deliveries', { exact: false })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Example (a captured delivery, scrubbed)' })).toBeInTheDocument();

    api.downloadSchema.mockResolvedValue({ blob: new Blob(['x']), filename: 'livechat.openapi.json' });
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Format' }), 'openapi');
    await userEvent.click(screen.getByRole('button', { name: 'Download all' }));
    expect(api.downloadSchema).toHaveBeenCalledWith('livechat', 'openapi', { version: 'all', observed: true });

    api.getSchemaView.mockResolvedValue(view({ vendor: 'iadvize', versions: [], events: [event('v2.conversation.closed')] }));
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Vendor' }), 'iadvize');
    expect(api.getSchemaView).toHaveBeenLastCalledWith('iadvize', { version: '', observed: true });
    expect(await screen.findByRole('table', { name: 'Fields of v2.conversation.closed' })).toBeInTheDocument();
    expect(screen.queryByRole('combobox', { name: 'Version' })).toBeNull();
  });

  it('says when the catalog or the code cannot be read', async () => {
    api.getSchemaView.mockRejectedValue(new Error('boom'));
    render(CatalogView);
    expect(await screen.findByRole('alert')).toHaveTextContent('Cannot read the catalog: boom');
    api.getSchemaView.mockResolvedValue(view());
    api.getSchemaText.mockRejectedValue(new Error('no types'));
    await catalog.load();
    expect(await screen.findByText('Cannot generate the types: no types')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Copy TypeScript' })).toBeDisabled();
  });

  it('opens from a delivery’s detail on its event type', async () => {
    const d = detailOf(item('d1', 1, { event_type: 'chat_deactivated' }), {
      event: { delivery_id: 'd1', vendor: 'livechat', event_type: 'chat_deactivated', occurred_at: null, actors: [], summary: '', documented: true, flags: [], verification: { status: '', reason: '' } },
    });
    ui.view = 'inbox';
    render(DeliveryOverview, { delivery: d });
    await userEvent.click(screen.getByRole('button', { name: 'Types for this event' }));
    expect(ui.view).toBe('catalog');
    await waitFor(() => expect(catalog.selected).toBe('chat_deactivated'));
    expect(api.getSchemaView).toHaveBeenCalledWith('livechat', { version: '', observed: false });
    ui.view = 'inbox';
  });

  it('offers no types for an undocumented event or an unknown vendor', () => {
    const undocumented = detailOf(item('d2', 2, { event_type: 'x' }), {
      event: { delivery_id: 'd2', vendor: 'livechat', event_type: 'x', occurred_at: null, actors: [], summary: '', documented: false, flags: [], verification: { status: '', reason: '' } },
    });
    render(DeliveryOverview, { delivery: undocumented });
    expect(screen.queryByRole('button', { name: 'Types for this event' })).toBeNull();
  });
});
