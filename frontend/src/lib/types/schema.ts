// Types of GET /api/v1/schema/{vendor} (docs/api.md, "Schemas"): the Catalog screen's view and
// the formats of the documents generated from it.
export type { SchemaEvent, SchemaField, SchemaSeen, SchemaView } from './api.gen';

/** The document formats the API renders. */
export type SchemaFormat = 'typescript' | 'jsonschema' | 'go' | 'openapi';

/** What people read for each format. */
export const FORMAT_LABELS: Record<SchemaFormat, string> = {
  typescript: 'TypeScript',
  jsonschema: 'JSON Schema',
  go: 'Go',
  openapi: 'OpenAPI',
};

/** Options of a schema request: a version ('' for the newest, 'all'), merged captures, event types. */
export interface SchemaOptions {
  version?: string;
  observed?: boolean;
  event?: string[];
}
