// Types of the Hooklens HTTP API (docs/api.md). The bodies are generated from the Go types of
// backend/api (api.gen.ts, `go generate ./backend/api`); this file names them for the frontend
// and adds what is the frontend's own: query parameters, client error codes, stream state.
import type { Verification } from './api.gen';

export type {
  Actor,
  APIVersion,
  Catalog,
  CatalogEvent,
  CatalogField,
  Change,
  ChangeSet,
  ConversationRef,
  DecodedEvent,
  DeliveriesMessage,
  DeliveryDetail,
  DeliveryItem,
  DeliveryPage,
  ErrorResponse,
  FieldNote,
  Flag,
  HeaderPair,
  Health,
  SampleRequest,
  Settings,
  Verification,
  VersionsResponse,
} from './api.gen';

/** The API's error codes, and 'network' when no answer came. */
export type ErrorCode = 'invalid' | 'not_found' | 'conflict' | 'unavailable' | 'internal' | 'unauthorized' | 'forbidden' | 'network';

export type VerificationStatus = Verification['status'];

/** Query parameters of GET /api/v1/deliveries. */
export interface ListParams {
  limit?: number;
  cursor?: string;
  q?: string;
  method?: string;
  path?: string;
}

/** Connection state of the live stream. */
export type StreamState = 'connecting' | 'open' | 'closed';
