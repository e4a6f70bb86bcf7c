// Test data builders shared by the specs.
import type { DeliveryDetail, DeliveryItem } from '../types/api';

/** item builds a DeliveryItem received `sec` seconds after a fixed minute. */
export function item(id: string, sec: number, extra: Partial<DeliveryItem> = {}): DeliveryItem {
  return {
    id,
    received_at: new Date(Date.UTC(2026, 10, 23, 7, 0, sec)).toISOString(),
    method: 'POST',
    path: '/livechat',
    query: '',
    size: 2,
    content_type: 'application/json',
    remote_addr: '127.0.0.1:1',
    status: 200,
    refused: '',
    source: 'receiver',
    vendor: 'livechat',
    event_type: 'incoming_event',
    occurred_at: null,
    organization: '',
    conversation: null,
    actors: [],
    summary: '',
    verification: { status: '', reason: '' },
    flag_count: 0,
    duplicate_of: '',
    attempts: 1,
    decoded: true,
    ...extra,
  };
}

/** detailOf builds a DeliveryDetail around an item. */
export function detailOf(base: DeliveryItem, extra: Partial<DeliveryDetail> = {}): DeliveryDetail {
  return {
    ...base,
    headers: [
      ['Content-Type', 'application/json'],
      ['X-Dup', 'one'],
      ['X-Dup', 'two'],
    ],
    body_truncated: false,
    forwarded_for: '',
    forwarded_proto: '',
    forwarded_host: '',
    connecting_ip: '',
    event: null,
    fields: [],
    ...extra,
  };
}
