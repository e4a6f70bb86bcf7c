// GET /api/v1/schema/{vendor}: the Catalog screen's view and the documents generated from it.
import type { SchemaFormat, SchemaOptions, SchemaView } from '../types/schema';
import { toApiError } from './errors';
import { query, request, send } from './http';

function params(o: SchemaOptions, extra: Record<string, string> = {}): string {
  return query({ version: o.version, observed: o.observed ? 'true' : undefined, event: o.event, ...extra });
}

/** getSchemaView reads every event type of a vendor with its fields and an example. */
export function getSchemaView(vendor: string, o: SchemaOptions = {}): Promise<SchemaView> {
  return request<SchemaView>('GET', `/schema/${encodeURIComponent(vendor)}${params(o)}`);
}

/** getSchemaText reads one generated document (TypeScript, JSON Schema, Go or OpenAPI) as text. */
export async function getSchemaText(vendor: string, format: SchemaFormat, o: SchemaOptions = {}): Promise<string> {
  const res = await send(`/schema/${encodeURIComponent(vendor)}${params(o, { format })}`, { method: 'GET' });
  const text = await res.text();
  if (!res.ok) throw toApiError(res.status, text);
  return text;
}

/** downloadSchema fetches a document to save, with the file name the API gives it. */
export async function downloadSchema(vendor: string, format: SchemaFormat, o: SchemaOptions = {}): Promise<{ blob: Blob; filename: string }> {
  const res = await send(`/schema/${encodeURIComponent(vendor)}${params(o, { format, download: '1' })}`, { method: 'GET' });
  if (!res.ok) throw toApiError(res.status, await res.text());
  const cd = res.headers.get('Content-Disposition') ?? '';
  const m = /filename="([^"]+)"/.exec(cd);
  return { blob: await res.blob(), filename: m?.[1] ?? `${vendor}-${format}.txt` };
}
