// Types of the Hooklens HTTP API (docs/api.md). Times are RFC 3339 strings in UTC.
import type { SettingsView } from './settings';

export type ErrorCode = 'invalid' | 'not_found' | 'conflict' | 'unavailable' | 'internal' | 'unauthorized' | 'forbidden' | 'network';

export interface Health {
  status: 'ok' | 'degraded' | string;
  version: string;
  deliveries: number;
  receiver: { url: string; state: string };
  store: { state: string; error: string };
}

export type VerificationStatus = 'verified' | 'mismatch' | 'unsigned' | 'no_secret' | '';

export interface Verification {
  status: VerificationStatus;
  reason: string;
}

export interface ConversationRef {
  id: string;
  thread_id?: string;
}

export interface Actor {
  id: string;
  kind: string;
  role: string;
  name?: string;
}

export interface Flag {
  path: string;
  code: string;
  reason: string;
}

export interface DeliveryItem {
  id: string;
  received_at: string;
  method: string;
  path: string;
  query: string;
  size: number;
  content_type: string;
  remote_addr: string;
  status: number;
  refused: string;
  source: string;
  vendor: string;
  event_type: string;
  occurred_at: string | null;
  organization: string;
  conversation: ConversationRef | null;
  actors: Actor[] | null;
  summary: string;
  verification: Verification | null;
  flag_count: number;
  duplicate_of: string;
  attempts: number;
  decoded: boolean;
}

export interface DecodedEvent {
  vendor: string;
  event_type: string;
  occurred_at: string | null;
  organization: string;
  conversation: ConversationRef | null;
  actors: Actor[] | null;
  summary: string;
  documented: boolean;
  flags: Flag[] | null;
  verification: Verification | null;
  dedupe_key: string;
  status: string;
  status_of: string;
}

export interface FieldNote {
  path: string;
  pattern: string;
  type: string;
  description: string;
  enum: string[] | null;
  since: string;
  deprecated: string;
  known: boolean;
  flags: Flag[] | null;
}

export type HeaderPair = [string, string];

export interface DeliveryDetail extends DeliveryItem {
  headers: HeaderPair[] | null;
  body?: string;
  body_base64?: string;
  body_decoded?: string;
  body_decoded_error?: string;
  body_truncated: boolean;
  forwarded_for?: string;
  forwarded_proto?: string;
  forwarded_host?: string;
  connecting_ip?: string;
  event?: DecodedEvent | null;
  fields?: FieldNote[] | null;
}

export interface DeliveryPage {
  items: DeliveryItem[];
  next_cursor: string;
}

export interface ListParams {
  limit?: number;
  cursor?: string;
  q?: string;
  method?: string;
  path?: string;
}

/** GET /api/v1/settings: which secrets are configured (never their values), then the rest. */
export interface Settings extends SettingsView {
  secrets: Record<string, { configured: boolean }>;
}

export interface CatalogField {
  path: string;
  type: string;
  required: boolean;
  enum: string[] | null;
  description: string;
  since: string;
  deprecated: string;
}

export interface CatalogEvent {
  name: string;
  description: string;
  category: string;
  since: string;
  deprecated: string;
  fields: CatalogField[] | null;
}

export interface Catalog {
  vendor: string;
  common: CatalogField[] | null;
  events: CatalogEvent[] | null;
}

export interface SampleRequest {
  text: string;
  path: string;
}

/** Connection state of the live stream. */
export type StreamState = 'connecting' | 'open' | 'closed';
