// Types of the diff and coverage API (backend/api/diff.go, coverage.go), generated from the Go
// types (api.gen.ts).
export type {
  CatalogComparison,
  CatalogRow,
  ConversationDiff,
  ConversationStep,
  ConversationStepEvent,
  Coverage,
  CoverageGap,
  CoverageVendor,
  DeliveryDiff,
  DiffLine,
  DiffSummary,
  FieldChange,
  HeaderChange,
} from './api.gen';

/** Options of a delivery diff (GET /api/v1/diff). */
export interface DiffOptions {
  ignoreVolatile?: boolean;
  headerCase?: boolean;
  headerOrder?: boolean;
}

/** A conversation named by its vendor and external id. */
export interface ConversationKey {
  vendor: string;
  id: string;
}
