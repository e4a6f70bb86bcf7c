// Diffs of deliveries and conversations, catalog comparisons and coverage (issue 20).
import type { CatalogComparison, ConversationDiff, ConversationKey, Coverage, DeliveryDiff, DiffOptions } from '../types/compare';
import { query, request } from './http';

const enc = encodeURIComponent;

/** diffDeliveries returns what changed from delivery a to delivery b. */
export async function diffDeliveries(a: string, b: string, o: DiffOptions = {}): Promise<DeliveryDiff> {
  const d = await request<DeliveryDiff>(
    'GET',
    '/diff' + query({ a, b, ignore_volatile: o.ignoreVolatile ? '1' : '', header_case: o.headerCase ? '1' : '', header_order: o.headerOrder ? '1' : '' }),
  );
  return { ...d, fields: d.fields ?? [], headers: d.headers ?? [], lines: d.lines ?? [] };
}

/** diffConversations aligns the events of two conversations. */
export async function diffConversations(a: ConversationKey, b: ConversationKey): Promise<ConversationDiff> {
  const d = await request<ConversationDiff>('GET', '/diff/conversations' + query({ a: `${a.vendor}/${a.id}`, b: `${b.vendor}/${b.id}` }));
  return { ...d, steps: (d.steps ?? []).map((s) => ({ ...s, fields: s.fields ?? [] })) };
}

/** compareCatalog compares a delivery with its event type's documented shape. */
export async function compareCatalog(id: string): Promise<CatalogComparison> {
  const c = await request<CatalogComparison>('GET', `/deliveries/${enc(id)}/catalog`);
  return { ...c, rows: c.rows ?? [] };
}

/** getCoverage returns the gaps in what the receiver received between from and to (default: the last 7 days). */
export async function getCoverage(from?: string, to?: string): Promise<Coverage> {
  const c = await request<Coverage>('GET', '/coverage' + query({ from, to }));
  return { ...c, gaps: (c.gaps ?? []).map((g) => ({ ...g, vendors: g.vendors ?? [] })) };
}
