// The only module that talks to the Go backend. Every call rejects with an ApiError.
import type {
  Catalog,
  DeliveryDetail,
  DeliveryPage,
  Health,
  ListParams,
  SampleRequest,
  Settings,
  VersionsResponse,
} from '../types/api';
import type { Vendor } from '../types/vendors';
import { query, request } from './http';

export { ApiError, asError } from './errors';
export * from './entities';
export * from './fixtures';
export * from './tests';
export * from './tunnel';
export * from './schema';
export * from './compare';
export { subscribeDeliveries } from './stream';
export type { StreamHandlers } from './stream';

export function getHealth(): Promise<Health> {
  return request<Health>('GET', '/health');
}

export async function listDeliveries(p: ListParams = {}): Promise<DeliveryPage> {
  const page = await request<DeliveryPage>(
    'GET',
    '/deliveries' + query({ limit: p.limit, cursor: p.cursor, q: p.q, method: p.method, path: p.path }),
  );
  return { items: page?.items ?? [], next_cursor: page?.next_cursor ?? '' };
}

export function getDelivery(id: string): Promise<DeliveryDetail> {
  return request<DeliveryDetail>('GET', `/deliveries/${encodeURIComponent(id)}`);
}

export function getSettings(): Promise<Settings> {
  return request<Settings>('GET', '/settings');
}

export function putSecret(vendor: string, secret: string): Promise<void> {
  return request<void>('PUT', `/settings/secrets/${encodeURIComponent(vendor)}`, { secret });
}

/** putVersionPin pins a vendor's API version ('' unpins); drift is then checked against it. */
export function putVersionPin(vendor: string, version: string): Promise<unknown> {
  return request<unknown>('PUT', `/settings/versions/${encodeURIComponent(vendor)}`, { version });
}

export function postSample(s: SampleRequest): Promise<{ id: string }> {
  return request<{ id: string }>('POST', '/samples', s);
}

/** listVendors returns the vendors the backend knows, with how to show them and what they support. */
export async function listVendors(): Promise<Vendor[]> {
  const r = await request<{ vendors: Vendor[] | null }>('GET', '/vendors');
  return r?.vendors ?? [];
}

/** getVersions reads a vendor's webhook versions and, given from and to, what changes between them. */
export function getVersions(vendor: string, from = '', to = ''): Promise<VersionsResponse> {
  const q = from && to ? `?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}` : '';
  return request<VersionsResponse>('GET', `/versions/${encodeURIComponent(vendor)}${q}`);
}

export function getCatalog(vendor: string): Promise<Catalog> {
  return request<Catalog>('GET', `/catalog/${encodeURIComponent(vendor)}`);
}
