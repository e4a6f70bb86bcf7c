import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CatalogComparison, ConversationDiff, DeliveryDiff } from '../types/compare';

const api = vi.hoisted(() => ({ diffDeliveries: vi.fn(), diffConversations: vi.fn(), compareCatalog: vi.fn() }));
vi.mock('../api', async (orig) => ({ ...(await orig<typeof import('../api')>()), ...api }));

import { compare } from '../stores/compare.svelte';
import CompareDialog from './CompareDialog.svelte';

const side = (id: string) => ({ label: id, id, received_at: '2026-12-08T10:00:00Z', method: 'POST', path: '/x', status: id === 'A' ? 500 : 200, vendor: 'livechat',
  event_type: 'incoming_event', summary: 's', size: 10, duplicate_of: '' });

function deliveryDiff(over: Partial<DeliveryDiff> = {}): DeliveryDiff {
  return {
    a: side('A'), b: side('B'), verdict: '1 field differs (2 volatile hidden); same headers', same_body: false, retry: false,
    fields: [{ path: 'payload.event.text', a_path: 'payload.event.text', b_path: 'payload.event.text', pattern: 'payload.event.text',
      kind: 'changed', a: '"Hello"', b: '"Hi"', a_type: 'string', b_type: 'string', volatile: false, catalog_pattern: 'payload.event.text',
      known: true, type: 'string', description: 'Text of the message.', deprecated: '' },
    { path: 'payload.event.n', a_path: 'payload.event.n', b_path: 'payload.event.n', pattern: 'payload.event.n', kind: 'type_changed',
      a: '1', b: '"1"', a_type: 'number', b_type: 'string', volatile: false, catalog_pattern: '', known: false, type: '', description: '', deprecated: '' }],
    hidden_fields: 2, headers: [{ name: 'X-Sig', kind: 'changed', a: '1', b: '2', volatile: false }], hidden_headers: 0, body_note: '', lines: [],
    ...over,
  };
}

describe('CompareDialog', () => {
  beforeEach(() => Object.values(api).forEach((f) => f.mockReset()));
  afterEach(() => compare.close());

  it('shows what changed field by field, with explanations, and compares again without hiding volatile fields', async () => {
    api.diffDeliveries.mockResolvedValue(deliveryDiff());
    render(CompareDialog);
    await compare.compareDeliveries('A', 'B');
    const dialog = await screen.findByRole('dialog', { name: 'Compare deliveries' });
    expect(within(dialog).getByRole('status')).toHaveTextContent('1 field differs');
    expect(dialog).toHaveTextContent('POST /x → 500');
    const table = within(dialog).getByRole('table', { name: 'Body changes' });
    const text = within(table).getByRole('rowheader', { name: /payload\.event\.text/ });
    expect(text).toHaveTextContent('Text of the message.');
    expect(within(table).getByRole('rowheader', { name: /payload\.event\.n/ })).toHaveTextContent('type changed');
    expect(within(table).getByRole('rowheader', { name: /payload\.event\.n/ })).toHaveTextContent("Not in the vendor's catalog.");
    expect(within(dialog).getByRole('table', { name: 'Header changes' })).toHaveTextContent('X-Sig');
    expect(api.diffDeliveries).toHaveBeenLastCalledWith('A', 'B', { ignoreVolatile: true });

    await userEvent.click(within(dialog).getByRole('checkbox', { name: /Hide volatile fields/ }));
    expect(api.diffDeliveries).toHaveBeenLastCalledWith('A', 'B', { ignoreVolatile: false });
  });

  it('says plainly that a retry has the same body', async () => {
    api.diffDeliveries.mockResolvedValue(deliveryDiff({ verdict: 'B is a retry of the same event as A: same body; same headers', same_body: true,
      retry: true, fields: [], headers: [], hidden_fields: 0 }));
    render(CompareDialog);
    await compare.compareDeliveries('A', 'B');
    expect(await screen.findByRole('status')).toHaveTextContent('same body');
    expect(screen.queryByRole('table', { name: 'Body changes' })).toBeNull();
  });

  it('shows an error from the API', async () => {
    const { ApiError } = await import('../api');
    api.diffDeliveries.mockRejectedValue(new ApiError('not_found', 'diff: b: no delivery B', 404));
    render(CompareDialog);
    await compare.compareDeliveries('A', 'B');
    expect(await screen.findByRole('alert')).toHaveTextContent('no delivery B');
  });

  it('aligns two conversations and shows the event missing from the second', async () => {
    const ev = (t: string) => ({ delivery_id: t, event_type: t, at: '2026-12-08T10:00:00Z', summary: `${t} summary`, roles: 'agent author', thread_id: '' });
    const d: ConversationDiff = {
      a: { vendor: 'livechat', id: 'C1', events: 3 }, b: { vendor: 'livechat', id: 'C2', events: 2 },
      steps: [{ kind: 'same', a: ev('incoming_chat'), b: ev('incoming_chat'), roles_differ: false, fields: [], hidden_fields: 2 },
        { kind: 'missing', a: ev('chat_transferred'), b: null, roles_differ: false, fields: [], hidden_fields: 0 },
        { kind: 'same', a: ev('chat_deactivated'), b: ev('chat_deactivated'), roles_differ: false, fields: [], hidden_fields: 0 }],
      same: 2, changed: 0, missing: 1, inserted: 0, verdict: '2 aligned the same, 0 changed, 1 only in A (missing from B), 0 only in B',
    };
    api.diffConversations.mockResolvedValue(d);
    render(CompareDialog);
    await compare.compareConversations({ vendor: 'livechat', id: 'C1' }, { vendor: 'livechat', id: 'C2' });
    const list = await screen.findByRole('list', { name: 'Aligned events' });
    const missing = within(list).getAllByRole('listitem')[1];
    expect(missing).toHaveTextContent('chat_transferred');
    expect(missing).toHaveTextContent('only in A (missing from B)');
  });

  it('lists what differs from the catalog', async () => {
    const c: CatalogComparison = { vendor: 'livechat', event_type: 'incoming_event', documented: true, present: 9, rows: [
      { path: 'payload.event.surprise', kind: 'unknown_field', type: '', description: '', reason: 'payload.event.surprise is not documented' },
      { path: 'payload.event.custom_id', kind: 'absent', type: 'string', description: 'An id the integrator chose.', reason: 'absent' }] };
    api.compareCatalog.mockResolvedValue(c);
    render(CompareDialog);
    await compare.compareCatalog('A');
    const table = await screen.findByRole('table', { name: 'Differences from the catalog' });
    expect(within(table).getByRole('rowheader', { name: /payload\.event\.surprise/ })).toBeInTheDocument();
    expect(table).toHaveTextContent('documented, absent');
    expect(table).toHaveTextContent('An id the integrator chose.');
  });
});
